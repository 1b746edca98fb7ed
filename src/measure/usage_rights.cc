#include "measure/usage_rights.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/iso_time.h"
#include "common/text.h"

namespace seedcast::measure {

using nlohmann::ordered_json;

std::string_view RightsStateName(RightsState s) {
  switch (s) {
    case RightsState::kNone:
      return "none";
    case RightsState::kNotStarted:
      return "not_started";
    case RightsState::kActive:
      return "active";
    case RightsState::kExpiring:
      return "expiring";
    case RightsState::kExpired:
      return "expired";
  }
  return "none";
}

RightsStatus EvaluateRights(const UsageRights& rights, int64_t now_ms,
                            const RightsOptions& options) {
  RightsStatus out;
  if (rights.expires_at_ms) {
    const int64_t left = *rights.expires_at_ms - now_ms;
    out.days_left = left > 0 ? (left + kRightsDayMs - 1) / kRightsDayMs : 0;
  }
  if (rights.scope.empty()) return out;
  if (rights.starts_at_ms && *rights.starts_at_ms > now_ms) {
    out.state = RightsState::kNotStarted;
    return out;
  }
  // The term ends at its expiry: from that instant on the asset may not be used.
  if (rights.expires_at_ms && *rights.expires_at_ms <= now_ms) {
    out.state = RightsState::kExpired;
    return out;
  }
  out.expiring =
      rights.expires_at_ms && *rights.expires_at_ms - now_ms <= options.expiring_within_ms;
  out.state = out.expiring ? RightsState::kExpiring : RightsState::kActive;
  out.usable_for_organic = true;
  out.usable_for_paid = rights.scope == "paid";
  return out;
}

const std::vector<std::string_view>& KnownChannels() {
  static const std::vector<std::string_view> kChannels = {
      "amazon", "email",    "facebook", "instagram", "linkedin", "meta",   "pinterest",
      "retail", "snapchat", "tiktok",   "website",   "x",        "youtube"};
  return kChannels;
}

Result<std::vector<std::string>> ParseChannels(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& name : names) {
    const std::string channel = text::AsciiLower(text::Trim(name));
    if (channel.empty()) continue;
    const auto& known = KnownChannels();
    if (std::find(known.begin(), known.end(), channel) == known.end()) {
      return InvalidArgument(
                 fmt::format("unknown channel '{}' (known: {})", channel, fmt::join(known, ", ")))
          .WithField("channels");
    }
    out.push_back(channel);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status CheckRights(const UsageRights& rights) {
  if (rights.scope != "organic" && rights.scope != "paid" && !rights.scope.empty()) {
    return InvalidArgument(fmt::format("scope '{}': expected organic or paid", rights.scope))
        .WithField("scope");
  }
  if (rights.scope.empty() && (!rights.channels.empty() || rights.expires_at_ms ||
                               rights.starts_at_ms || !rights.authorization_code.empty())) {
    return InvalidArgument("rights without a scope grant nothing: give organic or paid")
        .WithField("scope");
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> channels, ParseChannels(rights.channels));
  if (channels != rights.channels) {
    return InvalidArgument("channels must be known, lower-case, sorted and unique")
        .WithField("channels");
  }
  if (rights.starts_at_ms && rights.expires_at_ms &&
      *rights.expires_at_ms <= *rights.starts_at_ms) {
    return InvalidArgument(fmt::format("the term ends ({}) before it starts ({})",
                                       FormatIsoTime(*rights.expires_at_ms),
                                       FormatIsoTime(*rights.starts_at_ms)))
        .WithField("expires_at");
  }
  const std::string& code = rights.authorization_code;
  const bool printable =
      text::IsValidUtf8(code) && std::none_of(code.begin(), code.end(), [](char ch) {
        const auto u = static_cast<unsigned char>(ch);
        return u < 0x20 || u == 0x7f;
      });
  if (!printable || text::CodePointCount(code) > 128) {
    return InvalidArgument("an authorisation code is at most 128 printable characters")
        .WithField("authorization_code");
  }
  return Status::Ok();
}

std::string ChannelsToJsonText(const std::vector<std::string>& channels) {
  return nlohmann::json(channels).dump();
}

std::vector<std::string> ChannelsFromJsonText(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const nlohmann::json& c : j) {
    if (c.is_string()) out.push_back(c.get<std::string>());
  }
  return out;
}

ordered_json RightsToJson(const UsageRights& rights, const RightsStatus& status) {
  auto time = [](const std::optional<int64_t>& ms) {
    return ms ? ordered_json(FormatIsoTime(*ms)) : ordered_json(nullptr);
  };
  return {{"scope", rights.scope},
          {"channels", rights.channels},
          {"starts_at", time(rights.starts_at_ms)},
          {"expires_at", time(rights.expires_at_ms)},
          {"authorization_code", rights.authorization_code},
          {"state", RightsStateName(status.state)},
          {"expiring", status.expiring},
          {"days_left", status.days_left ? ordered_json(*status.days_left) : ordered_json(nullptr)},
          {"usable_for_organic", status.usable_for_organic},
          {"usable_for_paid", status.usable_for_paid}};
}

}  // namespace seedcast::measure
