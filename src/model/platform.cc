#include "model/platform.h"

#include <array>
#include <utility>

#include "common/text.h"

namespace seedcast::model {

Result<std::string> NormalizePlatform(std::string_view raw) {
  std::string label = text::NormalizeLabel(raw);
  if (label.empty()) return InvalidArgument("platform is empty");
  if (label.size() > 40) return InvalidArgument("platform name is longer than 40 bytes");
  static const std::array<std::pair<std::string_view, std::string_view>, 12> kAliases = {{
      {"instagram", kInstagram},
      {"ig", kInstagram},
      {"insta", kInstagram},
      {"instagram com", kInstagram},
      {"tiktok", kTikTok},
      {"tik tok", kTikTok},
      {"tt", kTikTok},
      {"tiktok com", kTikTok},
      {"youtube", kYouTube},
      {"you tube", kYouTube},
      {"yt", kYouTube},
      {"youtube com", kYouTube},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (label == alias) return std::string(canonical);
  }
  std::string compact;
  for (char c : label) {
    if (c != ' ') compact.push_back(c);
  }
  return compact;
}

Result<std::string> NormalizeHandle(std::string_view raw) {
  std::string_view h = text::Trim(raw);
  for (std::string_view prefix : {"https://", "http://", "www.", "m."}) {
    if (h.starts_with(prefix)) h.remove_prefix(prefix.size());
  }
  // A profile URL: keep the first path segment after the host.
  for (std::string_view host : {"instagram.com/", "tiktok.com/", "youtube.com/", "youtu.be/"}) {
    if (h.starts_with(host)) {
      h.remove_prefix(host.size());
      if (h.starts_with("c/") || h.starts_with("user/")) h.remove_prefix(h.find('/') + 1);
      h = h.substr(0, h.find_first_of("/?#"));
      break;
    }
  }
  while (h.starts_with('@')) h.remove_prefix(1);
  h = text::Trim(h);
  if (h.empty()) return InvalidArgument("handle is empty");
  if (!text::IsValidUtf8(h)) return InvalidArgument("handle is not valid UTF-8");
  if (h.size() > 100) return InvalidArgument("handle is longer than 100 bytes");
  for (char c : h) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '"') {
      return InvalidArgument("handle '" + std::string(h) + "' contains a space, comma or quote");
    }
  }
  std::optional<std::string> folded = text::FoldCase(h);
  if (!folded) return InvalidArgument("handle is not valid UTF-8");
  return *folded;
}

Result<std::string> ChannelTitleKey(std::string_view title) {
  std::string_view t = text::Trim(title);
  if (t.empty()) return InvalidArgument("channel title is empty");
  if (!text::IsValidUtf8(t)) return InvalidArgument("channel title is not valid UTF-8");
  if (t.size() > 200) return InvalidArgument("channel title is longer than 200 bytes");
  std::string key;
  for (char c : text::NormalizeLabel(t)) {
    if (c != ' ') key.push_back(c);
  }
  if (key.empty()) {
    const std::string folded = text::FoldCase(t).value_or(std::string());
    for (char c : folded) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != '"') key.push_back(c);
    }
  }
  if (key.size() > 100) key.resize(100);
  while (!key.empty() && !text::IsValidUtf8(key)) key.pop_back();  // a cut code point
  return key;
}

}  // namespace seedcast::model
