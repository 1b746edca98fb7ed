// Media kits: a creator's public page for one approved account: their numbers against their
// tier's benchmark, audience quality, past collaborations (campaign and brand names only), their
// listed rates beside rate guidance (the rate estimator's), and a headline and text of their own.
//
// Who sees a kit: brands and operators always; the owning creator always (marked "mine");
// anyone else (anonymous callers, other creators) only once it is published. An account that is
// not approved, or a kit one may not see, is "not found". Never shows contact details or
// anything from creator_private.
//
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "app/principal.h"
#include "measure/rate_estimator.h"
#include "model/creator.h"

namespace seedcast::app {

struct Collaboration {
  std::string campaign;
  std::string brand;
  std::string state;  // now: verified, completed, or what it became later (post_removed)
  int64_t at_ms = 0;  // when it was verified
};

// What a post of the account usually costs: the rate estimator's answer for its platform, tier,
// first niche and engagement rate (measure/rate_estimator.h), from the instance's accepted rates
// or the industry reference. low, typical and high are its p25, p50 and p75.
struct RateGuidance {
  int64_t low_cents = 0;
  int64_t typical_cents = 0;
  std::optional<int64_t> high_cents;  // none: the band is open-ended ("$10k+")
  std::string basis;                  // which source answered, and why
  measure::RateEstimates estimate;
};

struct MediaKit {
  model::Account account;
  std::string name;  // the creator's public name
  std::string tier;
  double benchmark_engagement_rate = 0;
  std::vector<Collaboration> collaborations;
  RateGuidance guidance;
  std::string headline;
  std::string about;
  bool published = false;
  bool mine = false;
};

// The fields to change; the others stay as they are (a new kit: empty and unpublished).
struct KitEdit {
  std::optional<std::string> headline;  // at most 120 characters
  std::optional<std::string> about;     // at most 1000 characters
  std::optional<bool> published;
};

Result<MediaKit> GetKit(AppContext& ctx, const Principal& p, const std::string& platform,
                        const std::string& handle);
// The signed-in creator's kit for their own approved account; kNotFound otherwise.
Result<MediaKit> SaveMyKit(AppContext& ctx, const Principal& p, const std::string& platform,
                           const std::string& handle, const KitEdit& edit);

nlohmann::ordered_json KitToJson(const MediaKit& k);

}  // namespace seedcast::app
