// Platforms: Instagram, TikTok and YouTube are known by name and alias; any other platform is kept
// as free text, normalised to lower case. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::model {

inline constexpr std::string_view kInstagram = "instagram";
inline constexpr std::string_view kTikTok = "tiktok";
inline constexpr std::string_view kYouTube = "youtube";

// "IG", "Insta", "Tik Tok", "YT", "You Tube" -> canonical names; "Twitch" -> "twitch".
// Fails for an empty or over-long name.
Result<std::string> NormalizePlatform(std::string_view raw);

// Strips what people paste around a handle: "@name", "instagram.com/name/", "https://...".
// Returns the handle folded to lower case (handles are case-insensitive on the known platforms), or
// an error naming what is wrong (empty, whitespace inside, too long, invalid UTF-8).
Result<std::string> NormalizeHandle(std::string_view raw);

// The key of a YouTube channel known only by its title ("Kids Diana Show", "T-Series"): the
// title case-folded, keeping letters and digits of any script and dropping spaces and punctuation
// ("kidsdianashow", "tseries"). A title with no letter or digit (emoji only) keeps its folded
// characters without whitespace. Fails like NormalizeHandle for an empty, invalid or long title.
Result<std::string> ChannelTitleKey(std::string_view title);

}  // namespace seedcast::model
