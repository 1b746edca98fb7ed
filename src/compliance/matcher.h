// Finds the vocabulary's terms and sentence rules in a tokenized caption. Internal to the
// compliance checker. Pure function over caller-owned buffers; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "compliance/rules.h"
#include "compliance/tokenizer.h"

namespace seedcast::compliance {

struct Match {
  int family = 0;
  uint64_t languages = 0;
  const Term* term = nullptr;  // null for a sentence rule
  uint32_t start = 0;          // code points, [start, end)
  uint32_t end = 0;
  uint32_t byte_start = 0;
  uint32_t byte_end = 0;
  bool hashtag = false;
  bool buried = false;   // a hashtag after the first of a run of at least `buried_run`
  bool negated = false;  // a word after a negation ("not an ad")
};

// Per sentence rule, what the current sentence has shown of it.
struct SentenceState {
  uint32_t groups = 0;  // bit per word group seen
  uint32_t first = 0;   // the first and last token that fed it
  uint32_t last = 0;
  bool emitted = false;
};

// `sentences` is a buffer the caller keeps between calls, so a caption costs no allocation.
void FindMatches(const Vocabulary& vocabulary, const TokenizedText& text, int buried_run,
                 std::vector<Match>* out, std::vector<SentenceState>* sentences);

}  // namespace seedcast::compliance
