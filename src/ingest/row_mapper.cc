#include "ingest/row_mapper.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "ingest/column_profile.h"
#include "ingest/encoding.h"
#include "ingest/numbers.h"
#include "model/creator_json.h"
#include "model/geo.h"
#include "model/niches.h"
#include "model/platform.h"

namespace seedcast::ingest {
namespace {

using model::Account;

struct Group {
  std::string platform_hint;  // "" for the columns that name no platform
  Account account;
  std::optional<int64_t> avg_engagements;
  // Fields already set, as (field, key): the first non-empty column of a field wins.
  std::vector<std::pair<Field, const std::string*>> filled;
  bool Fill(const ColumnSpec& spec) {
    for (const auto& [field, key] : filled) {
      if (field == spec.field && *key == spec.key) return false;
    }
    filled.emplace_back(spec.field, &spec.key);
    return true;
  }
};

Status FieldError(const ColumnSpec& spec, const Status& s) {
  return InvalidArgument(FieldName(spec) + " (column \"" + spec.label + "\"): " + s.message());
}

bool AppliesToEveryAccount(Field f) {
  return f == Field::kNiches || f == Field::kCountry || f == Field::kLanguage;
}

// Fields whose cells are kept as written, so that "None" or "-" stays a value.
bool IsFreeTextField(Field f) {
  return f == Field::kCreatorRef || f == Field::kName || f == Field::kBio ||
         f == Field::kCaptions || f == Field::kUnmapped;
}

// "-", "N/A", an em dash: no handle. Words ("none", "null") can be handles.
bool IsMissingHandle(std::string_view v) {
  return IsMissingValue(v) && std::none_of(v.begin(), v.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
         });
}

// The rate from engagements per post: by followers on Instagram, by average views elsewhere where
// given (the platforms' own definitions), else by followers.
void DeriveEngagementRate(Group* g, std::vector<std::string>* corrections) {
  Account& a = g->account;
  if (!g->avg_engagements || a.engagement_rate) return;
  const bool by_views = a.platform != model::kInstagram && a.avg_views && *a.avg_views > 0;
  const std::optional<int64_t> base = by_views ? a.avg_views : a.followers;
  if (!base || *base <= 0) return;
  const double rate = static_cast<double>(*g->avg_engagements) / static_cast<double>(*base);
  if (rate > 1) {
    corrections->emplace_back("engagements per post exceed the base: no rate derived");
    return;
  }
  a.engagement_rate = rate;
  corrections->emplace_back(by_views ? "engagement rate derived: engagements / average views"
                                     : "engagement rate derived: engagements / followers");
}

bool IsCreatorField(Field f) {
  return f == Field::kCreatorRef || f == Field::kName || f == Field::kCreatorCountry ||
         f == Field::kCreatorLanguage;
}

// A list cell: a JSON array of strings, or items split on any of `separators` (trimmed, blanks
// dropped). The caller has checked the cell is valid UTF-8, and JSON escapes decode to valid UTF-8.
Result<std::vector<std::string>> ParseTextList(std::string_view value,
                                               std::string_view separators) {
  std::vector<std::string> out;
  if (value.front() == '[') {
    nlohmann::json j = nlohmann::json::parse(value, nullptr, false);
    if (!j.is_array()) return InvalidArgument("not a JSON array");
    for (const nlohmann::json& item : j) {
      if (!item.is_string()) return InvalidArgument("an item of the list is not a string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }
  for (std::string_view item : text::Split(value, separators)) {
    item = text::Trim(item);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

}  // namespace

bool IsShareField(Field field) {
  return field == Field::kEngagementRate || field == Field::kQualityScore ||
         field == Field::kAudienceGender || field == Field::kAudienceAge ||
         field == Field::kAudienceCountry;
}

Result<MappedRow> RowMapper::Map(const std::vector<ColumnSpec>& specs,
                                 const std::vector<std::string>& cells) const {
  MappedRow row;
  std::vector<Group> groups;
  std::string platform_cell;
  std::string title_name;  // a YouTube channel's title, the creator's name when no column has one
  auto cell = [&cells](size_t i) -> std::string_view {
    return i < cells.size() ? text::Trim(cells[i]) : std::string_view();
  };

  // Pass 1: one account per platform that has a handle.
  for (size_t i = 0; i < specs.size() && platform_cell.empty(); ++i) {
    std::string_view value = cell(i);
    if (specs[i].field != Field::kPlatform || value.empty() || IsMissingValue(value)) continue;
    auto p = model::NormalizePlatform(value);
    if (!p.ok()) return FieldError(specs[i], p.status());
    platform_cell = *p;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    const ColumnSpec& spec = specs[i];
    std::string_view value = cell(i);
    if (spec.field != Field::kHandle || value.empty() || IsMissingHandle(value)) continue;
    bool seen = std::any_of(groups.begin(), groups.end(),
                            [&spec](const Group& g) { return g.platform_hint == spec.platform; });
    if (seen) continue;
    Group g;
    g.platform_hint = spec.platform;
    g.account.platform = !spec.platform.empty()   ? spec.platform
                         : !platform_cell.empty() ? platform_cell
                                                  : default_platform_;
    if (g.account.platform.empty()) {
      return InvalidArgument("platform is empty: add a platform column or pass --platform");
    }
    if (CountReplacements(value) > 0) {
      return FieldError(spec, InvalidArgument("the handle holds bytes that are invalid in the "
                                              "file's encoding (read as U+FFFD)"));
    }
    auto handle = model::NormalizeHandle(value);
    if (!handle.ok() && g.account.platform == model::kYouTube) {
      // A YouTube channel named by its title ("Kids Diana Show"): keyed by the title.
      handle = model::ChannelTitleKey(value);
      if (handle.ok()) {
        g.account.extra["channel_title"] = *text::Nfc(value);
        if (title_name.empty()) title_name = *text::Nfc(value);
        row.corrections.emplace_back("YouTube channel identified by its title");
      }
    }
    if (!handle.ok()) return FieldError(spec, handle.status());
    g.account.handle = *handle;
    groups.push_back(std::move(g));
  }
  if (groups.empty()) return InvalidArgument("handle is missing");
  Group* primary = &groups.front();
  for (Group& g : groups) {
    if (g.platform_hint.empty()) primary = &g;
  }

  // Pass 2: every other field.
  const model::Geo& geo = model::Geo::Default();
  for (size_t i = 0; i < specs.size(); ++i) {
    const ColumnSpec& spec = specs[i];
    std::string_view value = cell(i);
    if (spec.field == Field::kPersonal && !spec.key.empty() && !value.empty()) {
      row.personal[spec.key] = std::string(text::Trim(value));
      continue;
    }
    if (value.empty() || spec.field == Field::kHandle || spec.field == Field::kPlatform ||
        spec.field == Field::kIgnored || spec.field == Field::kPersonal ||
        (!IsFreeTextField(spec.field) && IsMissingValue(value))) {
      continue;
    }
    // Numbers, flags and JSON fail on their own; text is checked here.
    const bool text_field = IsFreeTextField(spec.field) || spec.field == Field::kExternalUrl ||
                            spec.field == Field::kNiches || spec.field == Field::kCountry ||
                            spec.field == Field::kLanguage ||
                            spec.field == Field::kCreatorCountry ||
                            spec.field == Field::kCreatorLanguage;
    if (text_field && !text::IsValidUtf8(value)) {
      return FieldError(spec, InvalidArgument("the text is not valid UTF-8"));
    }
    if (IsCreatorField(spec.field)) {
      storage::CreatorFields& c = row.creator;
      if (spec.field == Field::kCreatorRef && c.ref.empty()) c.ref = value;
      if (spec.field == Field::kName && c.name.empty()) c.name = *text::Nfc(value);
      if (spec.field == Field::kCreatorCountry && c.country.empty() && !IsCountryFilter(value)) {
        if (auto code = geo.CountryCode(value)) c.country = *code;
      }
      if (spec.field == Field::kCreatorLanguage && c.language.empty()) {
        if (auto code = geo.LanguageCode(value)) c.language = *code;
      }
      continue;
    }
    const bool percent = spec.percent;
    for (Group& g : groups) {
      const bool applies = !spec.platform.empty()
                               ? g.platform_hint == spec.platform
                               : (AppliesToEveryAccount(spec.field) || &g == primary);
      // Several niche columns ("Category_1", "Category_2") add up; other fields take the first.
      const bool adds_up = spec.field == Field::kUnmapped || spec.field == Field::kNiches;
      if (!applies || (!adds_up && !g.Fill(spec))) continue;
      Account& a = g.account;
      switch (spec.field) {
        case Field::kFollowers:
        case Field::kFollowing:
        case Field::kPosts:
        case Field::kAvgViews: {
          auto n = ParseCount(value);
          if (!n.ok()) return FieldError(spec, n.status());
          (spec.field == Field::kFollowers   ? a.followers
           : spec.field == Field::kFollowing ? a.following
           : spec.field == Field::kPosts     ? a.posts
                                             : a.avg_views) = *n;
          break;
        }
        case Field::kAvgEngagements: {
          auto n = ParseCount(value);
          if (!n.ok()) return FieldError(spec, n.status());
          g.avg_engagements = *n;
          a.extra["avg_engagements"] = std::to_string(*n);
          break;
        }
        case Field::kEngagementRate:
        case Field::kQualityScore: {
          auto f = ParseFraction(value, percent);
          if (!f.ok()) return FieldError(spec, f.status());
          (spec.field == Field::kEngagementRate ? a.engagement_rate : a.quality_score) = *f;
          break;
        }
        case Field::kCaptions: {
          auto captions = ParseTextList(value, "\n");
          if (!captions.ok()) return FieldError(spec, captions.status());
          for (std::string& c : *captions) a.captions.push_back(*text::Nfc(c));
          break;
        }
        case Field::kAudienceGender:
        case Field::kAudienceAge:
        case Field::kAudienceCountry: {
          auto f = ParseFraction(value, percent);
          if (!f.ok()) return FieldError(spec, f.status());
          auto& shares = spec.field == Field::kAudienceGender ? a.audience.genders
                         : spec.field == Field::kAudienceAge  ? a.audience.ages
                                                              : a.audience.countries;
          shares[spec.key] = *f;
          break;
        }
        case Field::kBio:
          a.bio = *text::Nfc(value);
          break;
        case Field::kNiches: {
          auto labels = ParseTextList(value, ",;|/");
          if (!labels.ok()) return FieldError(spec, labels.status());
          for (const std::string& label : *labels) {
            model::NicheMatch m = model::NicheTaxonomy::Default().Resolve(label);
            if (m.kind == model::NicheMatchKind::kUnknown) {
              row.corrections.push_back("unknown niche '" + std::string(label) +
                                        "' kept in extra.niche_raw");
              a.extra["niche_raw"] = value;
              continue;
            }
            if (m.kind == model::NicheMatchKind::kCorrected) {
              row.corrections.push_back("niche '" + std::string(label) + "' read as " + m.niche);
            }
            if (std::find(a.niches.begin(), a.niches.end(), m.niche) == a.niches.end()) {
              a.niches.push_back(m.niche);
            }
          }
          break;
        }
        case Field::kCountry:
          if (IsCountryFilter(value)) {
            row.corrections.push_back("country '" + std::string(value) +
                                      "' is a filter, not a country: left empty");
          } else if (auto code = geo.CountryCode(value)) {
            a.country = *code;
          } else {
            a.extra["country_raw"] = value;
            row.corrections.push_back("unknown country '" + std::string(value) +
                                      "' kept in extra.country_raw");
          }
          break;
        case Field::kLanguage:
          if (auto code = geo.LanguageCode(value)) {
            a.language = *code;
          } else {
            a.extra["language_raw"] = value;
            row.corrections.push_back("unknown language '" + std::string(value) +
                                      "' kept in extra.language_raw");
          }
          break;
        case Field::kAudienceJson: {
          auto j = nlohmann::json::parse(value, nullptr, false);
          auto audience = model::AudienceFromJson(j);
          if (!audience.ok()) return FieldError(spec, audience.status());
          for (auto& [k, v] : audience->countries) a.audience.countries.emplace(k, v);
          for (auto& [k, v] : audience->genders) a.audience.genders.emplace(k, v);
          for (auto& [k, v] : audience->ages) a.audience.ages.emplace(k, v);
          break;
        }
        case Field::kRate: {
          auto cents = ParseMoneyCents(value);
          if (!cents.ok()) return FieldError(spec, cents.status());
          a.rates_cents[spec.key] = *cents;
          break;
        }
        case Field::kRatesJson: {
          auto rates = model::RatesFromJson(nlohmann::json::parse(value, nullptr, false));
          if (!rates.ok()) return FieldError(spec, rates.status());
          for (auto& [k, v] : *rates) a.rates_cents.emplace(k, v);
          break;
        }
        case Field::kHasProfilePic:
        case Field::kIsPrivate: {
          auto b = ParseBool(value);
          if (!b.ok()) return FieldError(spec, b.status());
          (spec.field == Field::kHasProfilePic ? a.has_profile_pic : a.is_private) = *b;
          break;
        }
        case Field::kExternalUrl:
          a.external_url = value;
          break;
        case Field::kExtraJson: {
          auto j = nlohmann::json::parse(value, nullptr, false);
          if (!j.is_object()) return FieldError(spec, InvalidArgument("not a JSON object"));
          for (const auto& [k, v] : j.items()) {
            a.extra.emplace(k, v.is_string() ? v.get<std::string>() : v.dump());
          }
          break;
        }
        case Field::kUnmapped:
          if (!spec.label.empty()) a.extra.emplace(spec.label, value);
          break;
        default:
          break;
      }
    }
  }
  if (row.creator.name.empty()) row.creator.name = title_name;
  for (Group& g : groups) {
    DeriveEngagementRate(&g, &row.corrections);
    Status s = model::ValidateAccount(g.account);
    if (!s.ok()) return s;
    row.accounts.push_back(std::move(g.account));
  }
  if (row.creator.country.empty()) row.creator.country = row.accounts.front().country;
  if (row.creator.language.empty()) row.creator.language = row.accounts.front().language;
  return row;
}

}  // namespace seedcast::ingest
