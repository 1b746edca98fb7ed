// Deliverable and removal checks of the compliance checker (internal): the campaign's required
// media, tags, tracking and posting window, the claims its brief forbids, and removed posts.
// A DeliverableChecker holds Snowball stemmers, which are not thread-safe: one per Checker.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compliance/checker.h"
#include "compliance/tokenizer.h"

namespace seedcast::compliance {

void AddFinding(std::vector<Finding>* out, std::string code, std::string message, const Span* span,
                std::string fix, Severity severity = Severity::kError);

class DeliverableChecker {
 public:
  DeliverableChecker();
  ~DeliverableChecker();
  DeliverableChecker(const DeliverableChecker&) = delete;
  DeliverableChecker& operator=(const DeliverableChecker&) = delete;

  // `language` (ISO 639-1, "" when unknown) chooses the stemmer claims are matched with.
  void Check(const Requirements& requirements, const Post& post, std::string_view language,
             const TokenizedText& tokens, std::vector<Finding>* out);

 private:
  struct Stemmers;
  std::unique_ptr<Stemmers> stemmers_;
};

// A post removed after verification: within `window_days` its invoice line is dropped (error);
// later, a warning. A post removed before it was verified is an error.
void CheckRemoval(const Post& post, int window_days, std::vector<Finding>* out);

}  // namespace seedcast::compliance
