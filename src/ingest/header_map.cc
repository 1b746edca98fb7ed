#include "ingest/header_map.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "common/text.h"
#include "model/creator.h"
#include "model/geo.h"
#include "model/platform.h"

namespace seedcast::ingest {
namespace {

struct Synonym {
  std::string_view label;  // normalised (NormalizeLabel) form
  Field field;
  std::string_view key;
};

// Normalised header text -> field. Platform words in front ("instagram followers") are stripped
// before this lookup and kept as the column's platform.
constexpr std::array kSynonyms = {
    Synonym{"handle", Field::kHandle, ""},
    Synonym{"username", Field::kHandle, ""},
    Synonym{"user name", Field::kHandle, ""},
    Synonym{"user", Field::kHandle, ""},
    Synonym{"account", Field::kHandle, ""},
    Synonym{"account name", Field::kHandle, ""},
    Synonym{"screen name", Field::kHandle, ""},
    Synonym{"profile", Field::kHandle, ""},
    Synonym{"profile url", Field::kHandle, ""},
    Synonym{"profile link", Field::kHandle, ""},
    Synonym{"channel", Field::kHandle, ""},
    Synonym{"channel name", Field::kHandle, ""},
    Synonym{"instagram", Field::kHandle, ""},
    Synonym{"tiktok", Field::kHandle, ""},
    Synonym{"youtube", Field::kHandle, ""},
    Synonym{"ig", Field::kHandle, ""},
    Synonym{"platform", Field::kPlatform, ""},
    Synonym{"network", Field::kPlatform, ""},
    Synonym{"social network", Field::kPlatform, ""},
    Synonym{"social media", Field::kPlatform, ""},
    Synonym{"creator ref", Field::kCreatorRef, ""},
    Synonym{"ref", Field::kCreatorRef, ""},
    Synonym{"influencer id", Field::kCreatorRef, ""},
    Synonym{"external id", Field::kCreatorRef, ""},
    Synonym{"crm id", Field::kCreatorRef, ""},
    Synonym{"creator key", Field::kCreatorRef, ""},
    Synonym{"name", Field::kName, ""},
    Synonym{"full name", Field::kName, ""},
    Synonym{"display name", Field::kName, ""},
    Synonym{"creator name", Field::kName, ""},
    Synonym{"influencer name", Field::kName, ""},
    Synonym{"influencer", Field::kName, ""},
    Synonym{"creator", Field::kName, ""},
    Synonym{"nickname", Field::kName, ""},
    Synonym{"creator country", Field::kCreatorCountry, ""},
    Synonym{"creator language", Field::kCreatorLanguage, ""},
    Synonym{"followers", Field::kFollowers, ""},
    Synonym{"follower", Field::kFollowers, ""},
    Synonym{"followers count", Field::kFollowers, ""},
    Synonym{"follower count", Field::kFollowers, ""},
    Synonym{"number of followers", Field::kFollowers, ""},
    Synonym{"no of followers", Field::kFollowers, ""},
    Synonym{"total followers", Field::kFollowers, ""},
    Synonym{"fans", Field::kFollowers, ""},
    Synonym{"subscribers", Field::kFollowers, ""},
    Synonym{"subs", Field::kFollowers, ""},
    Synonym{"subscriber count", Field::kFollowers, ""},
    Synonym{"audience size", Field::kFollowers, ""},
    Synonym{"following", Field::kFollowing, ""},
    Synonym{"followings", Field::kFollowing, ""},
    Synonym{"follows", Field::kFollowing, ""},
    Synonym{"following count", Field::kFollowing, ""},
    Synonym{"followees", Field::kFollowing, ""},
    Synonym{"posts", Field::kPosts, ""},
    Synonym{"post", Field::kPosts, ""},
    Synonym{"posts count", Field::kPosts, ""},
    Synonym{"post count", Field::kPosts, ""},
    Synonym{"number of posts", Field::kPosts, ""},
    Synonym{"media", Field::kPosts, ""},
    Synonym{"media count", Field::kPosts, ""},
    Synonym{"uploads", Field::kPosts, ""},
    Synonym{"videos", Field::kPosts, ""},
    Synonym{"video count", Field::kPosts, ""},
    Synonym{"total posts", Field::kPosts, ""},
    Synonym{"engagement rate", Field::kEngagementRate, ""},
    Synonym{"er", Field::kEngagementRate, ""},
    Synonym{"eng rate", Field::kEngagementRate, ""},
    Synonym{"engagement", Field::kEngagementRate, ""},
    Synonym{"avg engagement rate", Field::kEngagementRate, ""},
    Synonym{"average engagement rate", Field::kEngagementRate, ""},
    Synonym{"avg er", Field::kEngagementRate, ""},
    Synonym{"engagement rate avg", Field::kEngagementRate, ""},
    Synonym{"avg engagements", Field::kAvgEngagements, ""},
    Synonym{"average engagements", Field::kAvgEngagements, ""},
    Synonym{"engagements per post", Field::kAvgEngagements, ""},
    Synonym{"engagements", Field::kAvgEngagements, ""},
    Synonym{"avg interactions", Field::kAvgEngagements, ""},
    Synonym{"interactions per post", Field::kAvgEngagements, ""},
    Synonym{"avg views", Field::kAvgViews, ""},
    Synonym{"average views", Field::kAvgViews, ""},
    Synonym{"views", Field::kAvgViews, ""},
    Synonym{"avg video views", Field::kAvgViews, ""},
    Synonym{"average video views", Field::kAvgViews, ""},
    Synonym{"views per video", Field::kAvgViews, ""},
    Synonym{"mean views", Field::kAvgViews, ""},
    Synonym{"bio", Field::kBio, ""},
    Synonym{"biography", Field::kBio, ""},
    Synonym{"description", Field::kBio, ""},
    Synonym{"about", Field::kBio, ""},
    Synonym{"profile description", Field::kBio, ""},
    Synonym{"captions", Field::kCaptions, ""},
    Synonym{"recent captions", Field::kCaptions, ""},
    Synonym{"latest captions", Field::kCaptions, ""},
    Synonym{"post captions", Field::kCaptions, ""},
    Synonym{"quality score", Field::kQualityScore, ""},
    Synonym{"audience quality", Field::kQualityScore, ""},
    Synonym{"audience quality score", Field::kQualityScore, ""},
    Synonym{"niche", Field::kNiches, ""},
    Synonym{"niches", Field::kNiches, ""},
    Synonym{"category", Field::kNiches, ""},
    Synonym{"categories", Field::kNiches, ""},
    Synonym{"topic", Field::kNiches, ""},
    Synonym{"topics", Field::kNiches, ""},
    Synonym{"vertical", Field::kNiches, ""},
    Synonym{"interests", Field::kNiches, ""},
    Synonym{"country", Field::kCountry, ""},
    Synonym{"location", Field::kCountry, ""},
    Synonym{"country code", Field::kCountry, ""},
    Synonym{"audience country", Field::kCountry, ""},
    Synonym{"top audience country", Field::kCountry, ""},
    Synonym{"main audience country", Field::kCountry, ""},
    Synonym{"based in", Field::kCountry, ""},
    Synonym{"language", Field::kLanguage, ""},
    Synonym{"lang", Field::kLanguage, ""},
    Synonym{"primary language", Field::kLanguage, ""},
    Synonym{"audience", Field::kAudienceJson, ""},
    Synonym{"rates cents", Field::kRatesJson, ""},
    Synonym{"extra", Field::kExtraJson, ""},
    Synonym{"rate", Field::kRate, "post"},
    Synonym{"rates", Field::kRate, "post"},
    Synonym{"price", Field::kRate, "post"},
    Synonym{"fee", Field::kRate, "post"},
    Synonym{"cost", Field::kRate, "post"},
    Synonym{"cost per post", Field::kRate, "post"},
    Synonym{"price per post", Field::kRate, "post"},
    Synonym{"rate per post", Field::kRate, "post"},
    Synonym{"post rate", Field::kRate, "post"},
    Synonym{"post price", Field::kRate, "post"},
    Synonym{"story rate", Field::kRate, "story"},
    Synonym{"price per story", Field::kRate, "story"},
    Synonym{"video rate", Field::kRate, "video"},
    Synonym{"price per video", Field::kRate, "video"},
    Synonym{"reel rate", Field::kRate, "reel"},
    Synonym{"has profile pic", Field::kHasProfilePic, ""},
    Synonym{"profile pic", Field::kHasProfilePic, ""},
    Synonym{"has profile picture", Field::kHasProfilePic, ""},
    Synonym{"profile picture", Field::kHasProfilePic, ""},
    Synonym{"avatar", Field::kHasProfilePic, ""},
    Synonym{"is private", Field::kIsPrivate, ""},
    Synonym{"private", Field::kIsPrivate, ""},
    Synonym{"private account", Field::kIsPrivate, ""},
    Synonym{"external url", Field::kExternalUrl, ""},
    Synonym{"website", Field::kExternalUrl, ""},
    Synonym{"url", Field::kExternalUrl, ""},
    Synonym{"link in bio", Field::kExternalUrl, ""},
    Synonym{"website url", Field::kExternalUrl, ""},
    Synonym{"link", Field::kExternalUrl, ""},
    Synonym{"email", Field::kPersonal, "email"},
    Synonym{"e mail", Field::kPersonal, "email"},
    Synonym{"contact email", Field::kPersonal, "email"},
    Synonym{"phone", Field::kPersonal, "phone"},
    Synonym{"phone number", Field::kPersonal, "phone"},
    Synonym{"address", Field::kPersonal, "address"},
    Synonym{"shipping address", Field::kPersonal, "address"},
    Synonym{"tier", Field::kIgnored, ""},
    Synonym{"creator id", Field::kIgnored, ""},
    Synonym{"account id", Field::kIgnored, ""},
};

// Fields --map names by FieldName() alone; audience shares and rates add a key (see
// ParseFieldName).
constexpr std::array kPlainFields = {
    Field::kHandle,         Field::kPlatform,        Field::kCreatorRef,    Field::kName,
    Field::kCreatorCountry, Field::kCreatorLanguage, Field::kFollowers,     Field::kFollowing,
    Field::kPosts,          Field::kEngagementRate,  Field::kAvgViews,      Field::kBio,
    Field::kAvgEngagements, Field::kNiches,          Field::kCountry,       Field::kLanguage,
    Field::kAudienceJson,   Field::kRatesJson,       Field::kHasProfilePic, Field::kIsPrivate,
    Field::kExternalUrl,    Field::kCaptions,        Field::kQualityScore};

std::optional<Synonym> Lookup(std::string_view label) {
  for (const Synonym& s : kSynonyms) {
    if (s.label == label) return s;
  }
  return std::nullopt;
}

// "audience 18 24", "age 25 34 percent", "audience age 55" -> "18-24", "25-34", "55+".
std::optional<std::string> AgeBand(const std::vector<std::string_view>& words) {
  std::vector<std::string_view> digits;
  for (std::string_view w : words) {
    if (std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      digits.push_back(w);
    }
  }
  std::string band;
  if (digits.size() == 2) band = std::string(digits[0]) + "-" + std::string(digits[1]);
  if (digits.size() == 1) band = std::string(digits[0]) + "+";
  const auto& bands = model::AgeBands();
  if (std::find(bands.begin(), bands.end(), band) != bands.end()) return band;
  return std::nullopt;
}

std::optional<ColumnSpec> GuessAudience(const std::vector<std::string_view>& all_words) {
  std::vector<std::string_view> words;
  bool audience_word = false;
  for (std::string_view w : all_words) {
    if (w == "audience" || w == "aud") {
      audience_word = true;
      continue;
    }
    if (w == "percent" || w == "share" || w == "pct" || w == "of") continue;
    words.push_back(w);
  }
  if (words.empty()) return std::nullopt;
  ColumnSpec spec;
  std::string_view first = words[0];
  if (words.size() == 1 && (first == "female" || first == "women" || first == "male" ||
                            first == "men" || first == "other")) {
    spec.field = Field::kAudienceGender;
    spec.key = first == "women" ? "female" : first == "men" ? "male" : std::string(first);
    return spec;
  }
  if (first == "age" || (audience_word && AgeBand(words))) {
    if (auto band = AgeBand(words)) {
      spec.field = Field::kAudienceAge;
      spec.key = *band;
      return spec;
    }
  }
  if (audience_word) {
    std::string rest;
    for (std::string_view w : words) {
      if (w == "country") continue;
      if (!rest.empty()) rest.push_back(' ');
      rest.append(w);
    }
    if (auto code = model::Geo::Default().CountryCode(rest)) {
      spec.field = Field::kAudienceCountry;
      spec.key = *code;
      return spec;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string FieldName(const ColumnSpec& spec) {
  switch (spec.field) {
    case Field::kUnmapped:
      return "extra";
    case Field::kIgnored:
      return "ignore";
    case Field::kPersonal:
      return spec.key.empty() ? "personal" : spec.key;
    case Field::kHandle:
      return "handle";
    case Field::kPlatform:
      return "platform";
    case Field::kCreatorRef:
      return "creator_ref";
    case Field::kName:
      return "name";
    case Field::kCreatorCountry:
      return "creator_country";
    case Field::kCreatorLanguage:
      return "creator_language";
    case Field::kFollowers:
      return "followers";
    case Field::kFollowing:
      return "following";
    case Field::kPosts:
      return "posts";
    case Field::kEngagementRate:
      return "engagement_rate";
    case Field::kAvgEngagements:
      return "avg_engagements";
    case Field::kAvgViews:
      return "avg_views";
    case Field::kBio:
      return "bio";
    case Field::kCaptions:
      return "captions";
    case Field::kQualityScore:
      return "quality_score";
    case Field::kNiches:
      return "niches";
    case Field::kCountry:
      return "country";
    case Field::kLanguage:
      return "language";
    case Field::kAudienceJson:
      return "audience";
    case Field::kAudienceGender:
      return "audience_" + spec.key;
    case Field::kAudienceAge:
      return "audience_age_" + spec.key;
    case Field::kAudienceCountry:
      return "audience_country_" + spec.key;
    case Field::kRate:
      return "rate_" + spec.key;
    case Field::kRatesJson:
      return "rates_cents";
    case Field::kHasProfilePic:
      return "has_profile_pic";
    case Field::kIsPrivate:
      return "is_private";
    case Field::kExternalUrl:
      return "external_url";
    case Field::kExtraJson:
      return "extra_json";
  }
  return "extra";
}

namespace {

std::string JoinWords(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

bool IsPlatformWord(std::string_view w) {
  return w == "instagram" || w == "ig" || w == "insta" || w == "tiktok" || w == "youtube" ||
         w == "yt";
}

// "Tiktoker name", "YouTuber", "Instagrammer name": the person, on that platform.
std::optional<std::string_view> PersonPlatform(std::string_view w) {
  if (w == "instagrammer") return model::kInstagram;
  if (w == "tiktoker") return model::kTikTok;
  if (w == "youtuber") return model::kYouTube;
  return std::nullopt;
}

bool IsWindowUnit(std::string_view w) {
  static constexpr std::array<std::string_view, 16> kUnits = {
      "d",     "day",    "days", "w",    "wk",    "week",   "weeks", "m",
      "month", "months", "mo",   "post", "posts", "videos", "video", "reels"};
  return std::find(kUnits.begin(), kUnits.end(), w) != kUnits.end();
}

// Removes a time window ("30 days", "last 30 posts", "90d", "3 months") from a header's words and
// returns it as written; empty when there is none.
std::string StripWindow(std::vector<std::string_view>* words) {
  std::vector<std::string_view>& w = *words;
  for (size_t i = 0; i < w.size(); ++i) {
    size_t digits = 0;
    while (digits < w[i].size() && w[i][digits] >= '0' && w[i][digits] <= '9') ++digits;
    if (digits == 0) continue;
    size_t end = i + 1;
    if (digits == w[i].size()) {
      if (end >= w.size() || !IsWindowUnit(w[end])) continue;
      ++end;
    } else if (!IsWindowUnit(w[i].substr(digits))) {
      continue;
    }
    size_t begin = i;
    if (begin > 0 && (w[begin - 1] == "last" || w[begin - 1] == "past" || w[begin - 1] == "over" ||
                      w[begin - 1] == "in")) {
      --begin;
    }
    std::vector<std::string_view> window(w.begin() + static_cast<std::ptrdiff_t>(begin),
                                         w.begin() + static_cast<std::ptrdiff_t>(end));
    w.erase(w.begin() + static_cast<std::ptrdiff_t>(begin),
            w.begin() + static_cast<std::ptrdiff_t>(end));
    if (w.empty()) {
      w = window;  // the header is nothing but a window: keep it
      return {};
    }
    return JoinWords(window);
  }
  return {};
}

// The guess for a normalised label split into words; kUnmapped when nothing fits.
ColumnSpec GuessWords(std::vector<std::string_view> words) {
  ColumnSpec spec;
  std::string label = JoinWords(words);
  if (auto s = Lookup(label)) {
    spec.field = s->field;
    spec.key = s->key;
    if (s->field == Field::kHandle && IsPlatformWord(label)) {
      spec.platform = *model::NormalizePlatform(label);
    }
    return spec;
  }
  if (auto person = PersonPlatform(words[0]);
      person && (words.size() == 1 || JoinWords({words.begin() + 1, words.end()}) == "name")) {
    spec.field = Field::kName;
    spec.platform = *person;
    return spec;
  }
  // A platform word in front: "Instagram name", "TikTok followers", "YT subscribers".
  if (words.size() >= 2 && IsPlatformWord(words[0])) {
    std::string rest = JoinWords({words.begin() + 1, words.end()});
    if (rest == "name" || rest == "username" || rest == "handle" || rest == "account" ||
        rest == "url" || rest == "link" || rest == "profile" || rest == "channel") {
      spec.field = Field::kHandle;
    } else if (auto s = Lookup(rest)) {
      spec.field = s->field;
      spec.key = s->key;
    }
    if (spec.field != Field::kUnmapped) {
      spec.platform = *model::NormalizePlatform(words[0]);
      return spec;
    }
  }
  if (auto audience = GuessAudience(words)) return *audience;
  // Trailing noise words: "Followers (total)", "Engagement rate percent", "Posts number", and a
  // column's number.
  while (words.size() > 1) {
    std::string_view last = words.back();
    const bool numbered = std::all_of(last.begin(), last.end(),  // "Category_1", "Category 2"
                                      [](char c) { return c >= '0' && c <= '9'; });
    if (!numbered && last != "total" && last != "percent" && last != "pct" && last != "number" &&
        last != "usd" && last != "count" && last != "avg" && last != "eur" && last != "num") {
      break;
    }
    words.pop_back();
    if (auto s = Lookup(JoinWords(words))) {
      spec.field = s->field;
      spec.key = s->key;
      return spec;
    }
  }
  return spec;
}

}  // namespace

ColumnSpec GuessColumn(std::string_view header) {
  std::string label = text::NormalizeLabel(header);
  ColumnSpec spec;
  if (!label.empty()) {
    std::vector<std::string_view> words = text::Split(label, " ");
    spec = GuessWords(words);
    std::string window = StripWindow(&words);
    if (spec.field == Field::kUnmapped && !window.empty()) {
      spec = GuessWords(words);
      if (spec.field != Field::kUnmapped) spec.window = window;
    }
  }
  spec.label = std::string(text::Trim(header));
  return spec;
}

Result<ColumnSpec> ParseFieldName(std::string_view name) {
  std::string n = text::AsciiLower(text::Trim(name));
  ColumnSpec spec;
  auto with_key = [&spec](Field f, std::string key) {
    spec.field = f;
    spec.key = std::move(key);
    return spec;
  };
  if (n == "extra") return with_key(Field::kUnmapped, "");
  if (n == "ignore") return with_key(Field::kIgnored, "");
  if (n == "email" || n == "phone" || n == "address") return with_key(Field::kPersonal, n);
  if (n.starts_with("audience_age_")) {
    std::string band = n.substr(13);
    const auto& bands = model::AgeBands();
    if (std::find(bands.begin(), bands.end(), band) == bands.end()) {
      return InvalidArgument("unknown age band '" + band + "' (use 13-17 ... 55+)");
    }
    return with_key(Field::kAudienceAge, band);
  }
  if (n.starts_with("audience_country_")) {
    auto code = model::Geo::Default().CountryCode(n.substr(17));
    if (!code) return InvalidArgument("unknown country in '" + n + "'");
    return with_key(Field::kAudienceCountry, *code);
  }
  if (n == "audience_female" || n == "audience_male" || n == "audience_other") {
    return with_key(Field::kAudienceGender, n.substr(9));
  }
  if (n.starts_with("rate_") && n.size() > 5) return with_key(Field::kRate, n.substr(5));
  std::string known;
  for (Field f : kPlainFields) {
    ColumnSpec candidate;
    candidate.field = f;
    if (FieldName(candidate) == n) return candidate;
    known += FieldName(candidate) + ", ";
  }
  return InvalidArgument("unknown field '" + std::string(name) + "'; fields are " + known +
                         "audience_female, audience_male, audience_age_BAND (18-24, ...), "
                         "audience_country_CC, rate_DELIVERABLE (rate_post, ...), extra, ignore");
}

bool IsRecognisedHeader(const ColumnSpec& spec) { return spec.field != Field::kUnmapped; }

bool ColumnMatches(std::string_view column, std::string_view header, size_t index) {
  std::string_view col = text::Trim(column);
  if (col.starts_with('#')) col.remove_prefix(1);
  const bool numeric = !col.empty() && std::all_of(col.begin(), col.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) return index != std::string_view::npos && std::to_string(index + 1) == col;
  return text::NormalizeLabel(header) == text::NormalizeLabel(column);
}

}  // namespace seedcast::ingest
