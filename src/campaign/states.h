// The assignment state machine: one assignment per creator in a campaign.
//
//   invited -> applied -> approved -> shipped -> delivered -> posted -> verified -> completed
//                                  \-> purchased (buy-then-reimburse) -/
//
// Side exits: declined (the creator says no, or the brand rejects the application), late (the
// posting deadline passed), replaced (a late creator whose slot went to someone else), failed
// (gave up, or never posted), returned (sent the product back: the creator is banned) and
// post_removed (a verified post taken down). Terminal states take no transition.
//
// The table lives in states.cc; every pair is tested in states_test.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace seedcast::campaign {

enum class State {
  kInvited,
  kApplied,
  kApproved,
  kShipped,
  kPurchased,
  kDelivered,
  kPosted,
  kVerified,
  kCompleted,
  kDeclined,
  kLate,
  kReplaced,
  kFailed,
  kReturned,
  kPostRemoved,
};

inline constexpr int kStateCount = 15;

std::string_view StateName(State s);
Result<State> ParseState(std::string_view name);
const std::vector<State>& AllStates();

// The states `from` may move to.
const std::vector<State>& NextStates(State from);
bool CanTransition(State from, State to);
bool IsTerminal(State s);
// States in which the creator still holds a slot that may end in a completed post.
bool IsActive(State s);
// The creator has the product (or bought it): a unit of inventory is spent.
bool HoldsProduct(State s);
// The assignment holds the creator's time for the campaign's dates, so overlapping campaigns
// see them as booked. Declined, replaced, failed and returned assignments release them.
bool HoldsBooking(State s);
// The names of the states that do not hold a booking, for the search index's booking query.
std::vector<std::string> ReleasedBookingStates();

// Ok when allowed; otherwise kFailedPrecondition (transition_not_allowed) with a message that names
// both states and the states `from` can move to.
Status CheckTransition(State from, State to);

}  // namespace seedcast::campaign
