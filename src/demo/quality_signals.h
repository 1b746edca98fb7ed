// Synthetic audience-quality signals for a demo account, shaped by the kind of account the demo
// planted: likes and comments, 14 days of follower history with post days, a sample of 12
// followers, and 20 recent comments. The audience quality score is computed from them (and from
// the account's own profile and engagement) exactly as for real data; the signals themselves are
// not stored.
#pragma once

#include <cstddef>
#include <cstdint>

#include "demo/random.h"
#include "model/creator.h"
#include "quality/score.h"

namespace seedcast::demo {

// kind: 0 authentic, 1 bought followers, 2 engagement pod, 3 bot-like (as in population.cc).
quality::CreatorSignals MakeQualitySignals(Random& r, const model::Account& account, size_t kind,
                                           int64_t now_ms);

}  // namespace seedcast::demo
