// Reading a creator's quality signals: from a stored account, or from a JSON account object
// (the creator export's account form plus the optional quality inputs).
//
// JSON fields of an account: platform, handle, followers, following, posts, engagement_rate,
// has_profile_pic, is_private, bio (or bio_length), external_url (or has_external_url), and the
// optional inputs avg_likes, avg_comments, follower_sample (accounts with the classify fields),
// follower_history ([{"at": ISO 8601, "followers": n}]), post_times ([ISO 8601]) and comments
// ([{"author": "...", "text": "..."}]). Wrong types are errors naming the field.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "model/creator.h"
#include "quality/score.h"

namespace seedcast::quality {

// The profile signals of an account as stored: counts, flags, bio length, username length and
// digits from the handle.
AccountSignals ProfileOf(const model::Account& account);

CreatorSignals SignalsOf(const model::Account& account);

Result<CreatorSignals> SignalsFromJson(const nlohmann::json& account);

// Adds a score's fields to `out`: score, passes_gate, components with reasons, not_scored.
void AddScoreJson(const QualityScore& score, nlohmann::ordered_json* out);

}  // namespace seedcast::quality
