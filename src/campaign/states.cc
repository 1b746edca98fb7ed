#include "campaign/states.h"

#include <algorithm>
#include <array>
#include <cassert>

namespace seedcast::campaign {
namespace {

constexpr std::array<std::string_view, kStateCount> kNames = {
    "invited",   "applied",  "approved", "shipped",   "purchased",
    "delivered", "posted",   "verified", "completed", "declined",
    "late",      "replaced", "failed",   "returned",  "post_removed"};

using enum State;

const std::array<std::vector<State>, kStateCount>& Table() {
  static const std::array<std::vector<State>, kStateCount> kTable = [] {
    std::array<std::vector<State>, kStateCount> t;
    auto set = [&t](State from, std::vector<State> to) {
      t[static_cast<int>(from)] = std::move(to);
    };
    set(kInvited, {kApplied, kDeclined, kFailed});
    set(kApplied, {kApproved, kDeclined, kFailed});
    set(kApproved, {kShipped, kPurchased, kDeclined, kFailed});
    set(kShipped, {kDelivered, kReturned, kLate, kFailed});
    // Buy-then-reimburse: the creator has the product once they bought it.
    set(kPurchased, {kDelivered, kPosted, kReturned, kLate, kFailed});
    set(kDelivered, {kPosted, kReturned, kLate, kFailed});
    // A late creator may still post; otherwise the slot is given away or written off.
    set(kLate, {kPosted, kReplaced, kFailed, kReturned});
    // A posted post that fails verification may be fixed: posted -> posted is a resubmission.
    set(kPosted, {kPosted, kVerified, kFailed, kPostRemoved});
    set(kVerified, {kCompleted, kPostRemoved});
    set(kCompleted, {kPostRemoved});
    return t;
  }();
  return kTable;
}

}  // namespace

std::string_view StateName(State s) { return kNames[static_cast<size_t>(s)]; }

Result<State> ParseState(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<State>(i);
  }
  return InvalidArgument("unknown assignment state '" + std::string(name) + "'");
}

const std::vector<State>& AllStates() {
  static const std::vector<State> kAll = [] {
    std::vector<State> all;
    all.reserve(kStateCount);
    for (int i = 0; i < kStateCount; ++i) all.push_back(static_cast<State>(i));
    return all;
  }();
  return kAll;
}

const std::vector<State>& NextStates(State from) { return Table()[static_cast<size_t>(from)]; }

bool CanTransition(State from, State to) {
  const std::vector<State>& next = NextStates(from);
  return std::find(next.begin(), next.end(), to) != next.end();
}

bool IsTerminal(State s) { return NextStates(s).empty(); }

bool IsActive(State s) {
  switch (s) {
    case kInvited:
    case kApplied:
    case kApproved:
    case kShipped:
    case kPurchased:
    case kDelivered:
    case kPosted:
    case kVerified:
    case kLate:
      return true;
    default:
      return false;
  }
}

bool HoldsProduct(State s) {
  switch (s) {
    case kShipped:
    case kPurchased:
    case kDelivered:
    case kPosted:
    case kVerified:
    case kCompleted:
    case kLate:
    case kPostRemoved:
      return true;
    default:
      return false;
  }
}

bool HoldsBooking(State s) {
  switch (s) {
    case kDeclined:
    case kReplaced:
    case kFailed:
    case kReturned:
      return false;
    default:
      return true;
  }
}

std::vector<std::string> ReleasedBookingStates() {
  std::vector<std::string> out;
  for (State s : AllStates()) {
    if (!HoldsBooking(s)) out.emplace_back(StateName(s));
  }
  return out;
}

Status CheckTransition(State from, State to) {
  if (CanTransition(from, to)) return Status::Ok();
  std::string allowed;
  for (State s : NextStates(from)) {
    if (!allowed.empty()) allowed += ", ";
    allowed += StateName(s);
  }
  std::string message = "cannot move an assignment from " + std::string(StateName(from)) + " to " +
                        std::string(StateName(to));
  message += allowed.empty()
                 ? std::string("; ") + std::string(StateName(from)) + " is final"
                 : "; from " + std::string(StateName(from)) + " it can go to " + allowed;
  return FailedPrecondition("transition_not_allowed", message);
}

}  // namespace seedcast::campaign
