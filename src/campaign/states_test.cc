#include "campaign/states.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace seedcast::campaign {
namespace {

// The allowed transitions, written out apart from the implementation's table.
const std::set<std::string> kAllowed = {
    "invited>applied",       "invited>declined",      "invited>failed",      "applied>approved",
    "applied>declined",      "applied>failed",        "approved>shipped",    "approved>purchased",
    "approved>declined",     "approved>failed",       "shipped>delivered",   "shipped>returned",
    "shipped>late",          "shipped>failed",        "purchased>delivered", "purchased>posted",
    "purchased>returned",    "purchased>late",        "purchased>failed",    "delivered>posted",
    "delivered>returned",    "delivered>late",        "delivered>failed",    "late>posted",
    "late>replaced",         "late>failed",           "late>returned",       "posted>posted",
    "posted>verified",       "posted>failed",         "posted>post_removed", "verified>completed",
    "verified>post_removed", "completed>post_removed"};

TEST(StatesTest, EveryPairIsAllowedOrRefusedAsSpecified) {
  int allowed = 0;
  for (State from : AllStates()) {
    for (State to : AllStates()) {
      const std::string pair = std::string(StateName(from)) + ">" + std::string(StateName(to));
      const bool expected = kAllowed.contains(pair);
      EXPECT_EQ(CanTransition(from, to), expected) << pair;
      Status s = CheckTransition(from, to);
      EXPECT_EQ(s.ok(), expected) << pair;
      if (!expected) {
        EXPECT_EQ(s.code(), StatusCode::kConflict) << pair;
        EXPECT_NE(s.message().find(std::string(StateName(from))), std::string::npos) << pair;
        EXPECT_NE(s.message().find(std::string(StateName(to))), std::string::npos) << pair;
      }
      allowed += expected ? 1 : 0;
    }
  }
  EXPECT_EQ(allowed, static_cast<int>(kAllowed.size()));
}

TEST(StatesTest, RefusalsSayWhereTheAssignmentCanGo) {
  Status s = CheckTransition(State::kInvited, State::kShipped);
  EXPECT_EQ(s.message(),
            "cannot move an assignment from invited to shipped; from invited it can go to "
            "applied, declined, failed");
  Status final_state = CheckTransition(State::kReturned, State::kApproved);
  EXPECT_NE(final_state.message().find("returned is final"), std::string::npos);
}

TEST(StatesTest, TerminalStatesAreTheSideExitsAndThePostRemoval) {
  std::set<std::string> terminal;
  for (State s : AllStates()) {
    if (IsTerminal(s)) terminal.insert(std::string(StateName(s)));
  }
  EXPECT_EQ(terminal,
            (std::set<std::string>{"declined", "replaced", "failed", "returned", "post_removed"}));
}

TEST(StatesTest, NamesRoundTrip) {
  for (State s : AllStates()) {
    auto parsed = ParseState(StateName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_FALSE(ParseState("shipping").ok());
}

}  // namespace
}  // namespace seedcast::campaign
