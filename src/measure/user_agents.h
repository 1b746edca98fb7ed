// User-agent classes of tracked-link clicks: bot (a crawler, link previewer or scripted client on
// the shipped list data/bot_agents.txt, compiled in), tablet, mobile, desktop, or other. Bots are
// kept out of click counts; the other classes are counted and reported.
//
// AgentClassifier is immutable after construction: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seedcast::measure {

enum class AgentClass { kBot, kMobile, kTablet, kDesktop, kOther };

// "bot", "mobile", "tablet", "desktop", "other": the stored spelling.
std::string_view AgentClassName(AgentClass c);

class AgentClassifier {
 public:
  // The shipped list.
  static const AgentClassifier& BuiltIn();
  // A list in the format of data/bot_agents.txt: one case-insensitive substring a line, '#'
  // comments.
  explicit AgentClassifier(std::string_view list_text);

  AgentClass Classify(std::string_view user_agent) const;
  size_t bot_patterns() const { return bot_patterns_.size(); }

 private:
  std::vector<std::string> bot_patterns_;  // lower-case
};

}  // namespace seedcast::measure
