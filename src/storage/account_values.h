// The values an account is written with: optional fields as NULL when absent, and the encoded
// text of its lists and maps. Internal to the storage layer's creator store.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "model/creator.h"
#include "model/creator_json.h"
#include "storage/database.h"

namespace seedcast::storage {

inline Value Opt(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value Opt(const std::optional<double>& v) { return v ? Value(*v) : Value(nullptr); }
inline Value Opt(const std::optional<bool>& v) {
  return v ? Value(static_cast<int64_t>(*v ? 1 : 0)) : Value(nullptr);
}
// The text of a JSON object, "{}" when there is none.
inline std::string_view ObjectOrEmpty(const std::string& json) {
  return json.empty() ? std::string_view("{}") : std::string_view(json);
}

inline Value OptText(const std::string& s) {
  return s.empty() ? Value(nullptr) : Value(std::string_view(s));
}

// The encoded forms of an account's list and map fields; they must outlive the statement.
struct EncodedAccount {
  explicit EncodedAccount(const model::Account& a) {
    for (const std::string& n : a.niches) {
      if (!niches.empty()) niches.push_back(',');
      niches += n;
    }
    if (!a.audience.empty()) audience = model::AudienceToJson(a.audience).dump();
    if (!a.rates_cents.empty()) rates = nlohmann::json(a.rates_cents).dump();
    if (!a.extra.empty()) extra = nlohmann::json(a.extra).dump();
    if (!a.captions.empty()) captions = nlohmann::json(a.captions).dump();
  }
  std::string niches;
  std::string audience;
  std::string rates;
  std::string extra;
  std::string captions;
};

// The columns a new account is inserted with, and its values in that order (22).
inline constexpr std::string_view kAccountInsertColumns =
    "creator_id, platform, handle, followers, following, posts, engagement_rate, avg_views, bio, "
    "niches, country, language, audience, rates_cents, has_profile_pic, is_private, external_url, "
    "extra, captions, quality_score, created_at_ms, updated_at_ms";
inline constexpr int kAccountInsertValues = 22;

inline void AppendInsertValues(int64_t creator_id, const model::Account& a,
                               const EncodedAccount& enc, int64_t now_ms, std::vector<Value>* out) {
  out->insert(out->end(),
              {creator_id,
               std::string_view(a.platform),
               std::string_view(a.handle),
               Opt(a.followers),
               Opt(a.following),
               Opt(a.posts),
               Opt(a.engagement_rate),
               Opt(a.avg_views),
               std::string_view(a.bio),
               std::string_view(enc.niches),
               std::string_view(a.country),
               std::string_view(a.language),
               ObjectOrEmpty(enc.audience),
               ObjectOrEmpty(enc.rates),
               Opt(a.has_profile_pic),
               Opt(a.is_private),
               std::string_view(a.external_url),
               ObjectOrEmpty(enc.extra),
               enc.captions.empty() ? std::string_view("[]") : std::string_view(enc.captions),
               Opt(a.quality_score),
               now_ms,
               now_ms});
}

// The fields an update overwrites when given (NULL: keep the stored value), in this order (17).
inline constexpr std::string_view kAccountUpdateColumns =
    "followers, following, posts, engagement_rate, avg_views, bio, niches, country, language, "
    "audience, rates_cents, has_profile_pic, is_private, external_url, extra, captions, "
    "quality_score";
inline constexpr int kAccountUpdateValues = 17;

// "followers = COALESCE(V, Tfollowers), ..." for each of kAccountUpdateColumns: V is "?" when
// `source` is empty (one parameter per column, in AppendUpdateValues' order), else `source` and
// the column ("u.followers"); T is `target` ("", or "accounts."). A NULL keeps the stored value.
inline std::string AccountUpdateAssignments(std::string_view source, std::string_view target) {
  std::string out;
  for (std::string_view column : text::Split(kAccountUpdateColumns, ", ")) {
    if (column.empty()) continue;
    if (!out.empty()) out += ", ";
    out.append(column).append(" = COALESCE(");
    if (source.empty()) {
      out += "?";
    } else {
      out.append(source).append(column);
    }
    out.append(", ").append(target).append(column).append(")");
  }
  return out;
}

inline void AppendUpdateValues(const model::Account& a, const EncodedAccount& enc,
                               std::vector<Value>* out) {
  out->insert(
      out->end(),
      {Opt(a.followers), Opt(a.following), Opt(a.posts), Opt(a.engagement_rate), Opt(a.avg_views),
       OptText(a.bio), OptText(enc.niches), OptText(a.country), OptText(a.language),
       OptText(enc.audience), OptText(enc.rates), Opt(a.has_profile_pic), Opt(a.is_private),
       OptText(a.external_url), OptText(enc.extra), OptText(enc.captions), Opt(a.quality_score)});
}

}  // namespace seedcast::storage
