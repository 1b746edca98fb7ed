#include "quality/signals_json.h"

#include <fmt/format.h>

#include <cmath>

#include "common/iso_time.h"
#include "common/text.h"

namespace seedcast::quality {
namespace {

Status Expect(bool ok, std::string_view field, std::string_view what) {
  return ok ? Status::Ok() : InvalidArgument(fmt::format("field \"{}\" must be {}", field, what));
}

Result<int64_t> Time(const nlohmann::json& j, std::string_view field) {
  SEEDCAST_RETURN_IF_ERROR(Expect(j.is_string(), field, "ISO 8601 times"));
  Result<int64_t> ms = ParseIsoTimeMs(j.get<std::string>());
  if (!ms.ok()) return ms.status().WithContext(std::string(field));
  return *ms;
}

void UsernameSignals(std::string_view handle, AccountSignals* s) {
  if (handle.empty()) return;
  s->username_length = static_cast<double>(text::CodePointCount(handle));
  s->username_digits = static_cast<double>(
      std::count_if(handle.begin(), handle.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

}  // namespace

AccountSignals ProfileOf(const model::Account& a) {
  AccountSignals s;
  if (a.followers) s.followers = static_cast<double>(*a.followers);
  if (a.following) s.following = static_cast<double>(*a.following);
  if (a.posts) s.posts = static_cast<double>(*a.posts);
  s.has_profile_pic = a.has_profile_pic;
  s.is_private = a.is_private;
  s.bio_length = static_cast<double>(text::CodePointCount(a.bio));
  UsernameSignals(a.handle, &s);
  s.has_external_url = !a.external_url.empty();
  return s;
}

CreatorSignals SignalsOf(const model::Account& a) {
  CreatorSignals s;
  s.platform = a.platform;
  s.followers = a.followers;
  s.engagement_rate = a.engagement_rate;
  s.profile = ProfileOf(a);
  return s;
}

Result<CreatorSignals> SignalsFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return InvalidArgument("an account must be a JSON object");
  CreatorSignals s;
  AccountSignals profile;
  SEEDCAST_RETURN_IF_ERROR(ReadSignals(j, &profile));
  if (j.contains("platform")) {
    SEEDCAST_RETURN_IF_ERROR(Expect(j["platform"].is_string(), "platform", "a string"));
    s.platform = text::AsciiLower(j["platform"].get<std::string>());
  }
  // Export-format fields stand in for the counts they imply.
  if (j.contains("bio") && j["bio"].is_string()) {
    profile.bio_length = static_cast<double>(text::CodePointCount(j["bio"].get<std::string>()));
  }
  if (j.contains("external_url") && j["external_url"].is_string()) {
    profile.has_external_url = !j["external_url"].get<std::string>().empty();
  }
  if (j.contains("handle") && j["handle"].is_string()) {
    UsernameSignals(j["handle"].get<std::string>(), &profile);
  }
  if (profile.followers) s.followers = std::llround(*profile.followers);
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "engagement_rate", &s.engagement_rate));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "avg_likes", &s.avg_likes));
  SEEDCAST_RETURN_IF_ERROR(ReadCount(j, "avg_comments", &s.avg_comments));
  s.profile = profile;

  if (j.contains("follower_sample")) {
    SEEDCAST_RETURN_IF_ERROR(
        Expect(j["follower_sample"].is_array(), "follower_sample", "a list of accounts"));
    for (const nlohmann::json& f : j["follower_sample"]) {
      AccountSignals follower;
      Status read = ReadSignals(f, &follower);
      if (!read.ok()) return read.WithContext("follower_sample");
      s.follower_sample.push_back(follower);
    }
  }
  if (j.contains("follower_history")) {
    SEEDCAST_RETURN_IF_ERROR(Expect(j["follower_history"].is_array(), "follower_history",
                                    "a list of {\"at\", \"followers\"}"));
    for (const nlohmann::json& p : j["follower_history"]) {
      SEEDCAST_RETURN_IF_ERROR(Expect(p.is_object() && p.contains("at") &&
                                          p.contains("followers") &&
                                          p["followers"].is_number_integer(),
                                      "follower_history", "a list of {\"at\", \"followers\"}"));
      SEEDCAST_ASSIGN_OR_RETURN(int64_t at, Time(p["at"], "follower_history.at"));
      s.follower_history.push_back({at, p["followers"].get<int64_t>()});
    }
  }
  if (j.contains("post_times")) {
    SEEDCAST_RETURN_IF_ERROR(Expect(j["post_times"].is_array(), "post_times", "a list of times"));
    for (const nlohmann::json& t : j["post_times"]) {
      SEEDCAST_ASSIGN_OR_RETURN(int64_t at, Time(t, "post_times"));
      s.post_times_ms.push_back(at);
    }
  }
  if (j.contains("comments")) {
    SEEDCAST_RETURN_IF_ERROR(
        Expect(j["comments"].is_array(), "comments", "a list of {\"author\", \"text\"}"));
    for (const nlohmann::json& c : j["comments"]) {
      if (c.is_string()) {
        s.comments.push_back({"", c.get<std::string>()});
        continue;
      }
      SEEDCAST_RETURN_IF_ERROR(Expect(c.is_object() && c.contains("text") && c["text"].is_string(),
                                      "comments", "a list of {\"author\", \"text\"}"));
      const bool author = c.contains("author") && !c["author"].is_null();
      SEEDCAST_RETURN_IF_ERROR(
          Expect(!author || c["author"].is_string(), "comments[].author", "a string"));
      s.comments.push_back(
          {author ? c["author"].get<std::string>() : "", c["text"].get<std::string>()});
    }
  }
  return s;
}

void AddScoreJson(const QualityScore& score, nlohmann::ordered_json* out_ptr) {
  nlohmann::ordered_json& out = *out_ptr;
  out["score"] = score.score ? nlohmann::ordered_json(*score.score) : nullptr;
  out["passes_gate"] = score.passes_gate;
  out["components"] = nlohmann::ordered_json::array();
  for (const Component& c : score.components) {
    out["components"].push_back({{"name", c.name},
                                 {"score", std::round(c.score * 10) / 10},
                                 {"weight", c.weight},
                                 {"reasons", c.reasons}});
  }
  out["not_scored"] = score.not_scored;
}

}  // namespace seedcast::quality
