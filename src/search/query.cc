#include "search/query.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "model/creator.h"
#include "model/geo.h"
#include "model/niches.h"
#include "model/platform.h"

namespace seedcast::search {
namespace {

using nlohmann::json;

Status FieldError(std::string_view field, std::string_view message) {
  return InvalidArgument("query field '" + std::string(field) + "': " + std::string(message));
}

Result<std::vector<std::string>> Strings(const json& v, std::string_view field) {
  std::vector<std::string> out;
  if (v.is_string()) {
    out.push_back(v.get<std::string>());
    return out;
  }
  if (!v.is_array()) return FieldError(field, "expected a string or a list of strings");
  for (const json& e : v) {
    if (!e.is_string()) return FieldError(field, "expected a list of strings, found " + e.dump());
    out.push_back(e.get<std::string>());
  }
  return out;
}

Result<double> Number(const json& v, std::string_view field) {
  if (!v.is_number()) return FieldError(field, "expected a number, found " + v.dump());
  double d = v.get<double>();
  if (!std::isfinite(d)) return FieldError(field, "not a finite number");
  return d;
}

Result<double> Share(const json& v, std::string_view field) {
  SEEDCAST_ASSIGN_OR_RETURN(double d, Number(v, field));
  if (d < 0 || d > 1) {
    return FieldError(field, "a share is a fraction from 0 to 1 (40% is 0.4), found " + v.dump());
  }
  return d;
}

Result<Range> ParseRange(const json& v, std::string_view field, bool share) {
  if (!v.is_object()) return FieldError(field, "expected {\"min\": ..., \"max\": ...}");
  Range r;
  for (const auto& [key, value] : v.items()) {
    const std::string sub = std::string(field) + "." + key;
    if (key != "min" && key != "max") return FieldError(field, "unknown key '" + key + "'");
    if (value.is_null()) continue;
    SEEDCAST_ASSIGN_OR_RETURN(double d, share ? Share(value, sub) : Number(value, sub));
    if (!share && d < 0) return FieldError(sub, "must not be negative");
    (key == "min" ? r.min : r.max) = d;
  }
  if (r.min && r.max && *r.min > *r.max) return FieldError(field, "min is greater than max");
  return r;
}

// A date ("2026-12-01", start of day UTC) or milliseconds since the epoch.
Result<int64_t> Instant(const json& v, std::string_view field, bool end_of_day) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (!v.is_string()) return FieldError(field, "expected a date such as \"2026-12-01\"");
  const std::string s = v.get<std::string>();
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%d-%u-%u%c", &y, &m, &d, &tail) != 3) {
    return FieldError(field, "expected a date such as \"2026-12-01\", found \"" + s + "\"");
  }
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return FieldError(field, "\"" + s + "\" is not a calendar date");
  int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::sys_days(ymd).time_since_epoch())
                   .count();
  return end_of_day ? ms + 86'400'000 - 1 : ms;
}

Result<int> Count(const json& v, std::string_view field, int max) {
  if (!v.is_number_integer()) return FieldError(field, "expected a whole number");
  int64_t n = v.get<int64_t>();
  if (n < 0 || n > max) {
    return FieldError(field, "must be from 0 to " + std::to_string(max) + ", found " + v.dump());
  }
  return static_cast<int>(n);
}

Result<bool> MatchMode(const json& v, std::string_view field) {
  if (v == "all") return true;
  if (v == "any") return false;
  return FieldError(field, "expected \"any\" or \"all\"");
}

Status ParseAudience(const json& v, Query* q) {
  if (!v.is_object()) {
    return FieldError("audience",
                      "expected {\"countries\": {\"US\": 0.4}, \"genders\": {\"female\": 0.6}, "
                      "\"ages\": {\"18-24\": 0.3}}");
  }
  const model::Geo& geo = model::Geo::Default();
  for (const auto& [group, shares] : v.items()) {
    AudienceKind kind = AudienceKind::kCountry;
    if (group == "genders") {
      kind = AudienceKind::kGender;
    } else if (group == "ages") {
      kind = AudienceKind::kAge;
    } else if (group != "countries") {
      return FieldError("audience",
                        "unknown group '" + group + "' (known: countries, genders, ages)");
    }
    if (!shares.is_object()) return FieldError("audience." + group, "expected an object");
    for (const auto& [key, share] : shares.items()) {
      std::string field = "audience.";
      field += group;
      field += ".";
      field += key;
      AudienceMin m{kind, key, 0};
      SEEDCAST_ASSIGN_OR_RETURN(m.min, Share(share, field));
      if (kind == AudienceKind::kCountry) {
        auto code = geo.CountryCode(key);
        if (!code) return FieldError(field, "unknown country");
        m.key = *code;
      } else if (kind == AudienceKind::kGender) {
        if (key != "female" && key != "male" && key != "other") {
          return FieldError(field, "gender is one of female, male, other");
        }
      } else {
        const auto& bands = model::AgeBands();
        if (std::find(bands.begin(), bands.end(), key) == bands.end()) {
          return FieldError(field, "age band is one of 13-17, 18-24, 25-34, 35-44, 45-54, 55+");
        }
      }
      q->audience.push_back(std::move(m));
    }
  }
  return Status::Ok();
}

Status ParseFitWeights(const json& v, FitWeights* w) {
  if (!v.is_object()) return FieldError("fit_weights", "expected an object");
  for (const auto& [key, value] : v.items()) {
    double* target = key == "engagement" ? &w->engagement
                     : key == "quality"  ? &w->quality
                     : key == "audience" ? &w->audience
                     : key == "niche"    ? &w->niche
                                         : nullptr;
    if (target == nullptr) {
      return FieldError("fit_weights", "unknown weight '" + key +
                                           "' (known: engagement, quality, audience, niche)");
    }
    SEEDCAST_ASSIGN_OR_RETURN(*target, Number(value, "fit_weights." + key));
    if (*target < 0) return FieldError("fit_weights." + key, "must not be negative");
  }
  double sum = w->engagement + w->quality + w->audience + w->niche;
  if (sum <= 0) return FieldError("fit_weights", "at least one weight must be positive");
  w->engagement /= sum;
  w->quality /= sum;
  w->audience /= sum;
  w->niche /= sum;
  return Status::Ok();
}

}  // namespace

const char* FacetName(Facet f) {
  switch (f) {
    case Facet::kTier:
      return "tier";
    case Facet::kNiche:
      return "niche";
    case Facet::kCountry:
      return "country";
    case Facet::kPlatform:
      return "platform";
  }
  return "";
}

const char* SortName(SortBy s) {
  switch (s) {
    case SortBy::kRelevance:
      return "relevance";
    case SortBy::kFollowers:
      return "followers";
    case SortBy::kEngagementRate:
      return "engagement_rate";
    case SortBy::kFit:
      return "fit";
  }
  return "";
}

Result<Query> ParseQuery(const json& j, const model::TierScheme& tiers) {
  if (!j.is_object()) return InvalidArgument("a query is a JSON object, found " + j.dump());
  Query q;
  bool sort_given = false;
  const model::Geo& geo = model::Geo::Default();
  for (const auto& [key, v] : j.items()) {
    if (key == "platforms") {
      SEEDCAST_ASSIGN_OR_RETURN(auto names, Strings(v, key));
      for (const std::string& n : names) {
        auto p = model::NormalizePlatform(n);
        if (!p.ok()) return FieldError(key, p.status().message());
        q.platforms.push_back(*p);
      }
    } else if (key == "tiers") {
      SEEDCAST_ASSIGN_OR_RETURN(q.tiers, Strings(v, key));
      for (std::string& t : q.tiers) {
        std::transform(t.begin(), t.end(), t.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        const auto& all = tiers.tiers();
        if (std::none_of(all.begin(), all.end(),
                         [&t](const model::Tier& x) { return x.name == t; })) {
          std::string known;
          for (const model::Tier& x : all) known += (known.empty() ? "" : ", ") + x.name;
          std::string message = "unknown tier '";
          message += t;
          message += "' (known: " + known + ")";
          return FieldError(key, message);
        }
      }
    } else if (key == "followers") {
      SEEDCAST_ASSIGN_OR_RETURN(q.followers, ParseRange(v, key, false));
    } else if (key == "engagement_rate") {
      SEEDCAST_ASSIGN_OR_RETURN(q.engagement_rate, ParseRange(v, key, true));
    } else if (key == "rate_cents") {
      SEEDCAST_ASSIGN_OR_RETURN(q.rate_cents, ParseRange(v, key, false));
    } else if (key == "quality") {
      SEEDCAST_ASSIGN_OR_RETURN(Range r, ParseRange(v, key, true));
      if (r.max) return FieldError(key, "only a minimum quality is supported");
      q.quality_min = r.min;
    } else if (key == "niches") {
      SEEDCAST_ASSIGN_OR_RETURN(auto names, Strings(v, key));
      for (const std::string& n : names) {
        model::NicheMatch m = model::NicheTaxonomy::Default().Resolve(n);
        if (m.kind == model::NicheMatchKind::kUnknown) {
          return FieldError(key, "unknown niche '" + n + "'");
        }
        q.niches.push_back(m.niche);
      }
    } else if (key == "niches_match") {
      SEEDCAST_ASSIGN_OR_RETURN(q.all_niches, MatchMode(v, key));
    } else if (key == "countries" || key == "languages") {
      SEEDCAST_ASSIGN_OR_RETURN(auto names, Strings(v, key));
      for (const std::string& n : names) {
        auto code = key == "countries" ? geo.CountryCode(n) : geo.LanguageCode(n);
        if (!code)
          return FieldError(key, "unknown " + key.substr(0, key.size() - 1) + " '" + n + "'");
        (key == "countries" ? q.countries : q.languages).push_back(*code);
      }
    } else if (key == "audience") {
      SEEDCAST_RETURN_IF_ERROR(ParseAudience(v, &q));
    } else if (key == "available") {
      if (!v.is_object() || !v.contains("from") || !v.contains("to")) {
        return FieldError(key, "expected {\"from\": \"2026-12-01\", \"to\": \"2026-12-31\"}");
      }
      SEEDCAST_ASSIGN_OR_RETURN(int64_t from, Instant(v["from"], "available.from", false));
      SEEDCAST_ASSIGN_OR_RETURN(int64_t to, Instant(v["to"], "available.to", true));
      if (from > to) return FieldError(key, "from is after to");
      q.available = {from, to};
    } else if (key == "text") {
      if (!v.is_string()) return FieldError(key, "expected a string");
      q.text = v.get<std::string>();
    } else if (key == "text_match") {
      SEEDCAST_ASSIGN_OR_RETURN(q.all_words, MatchMode(v, key));
    } else if (key == "lookalike") {
      json handle = v.is_object() ? v.value("handle", json()) : v;
      if (!handle.is_string()) {
        return FieldError(key, "expected \"@handle\" or {\"handle\": ..., \"platform\": ...}");
      }
      auto h = model::NormalizeHandle(handle.get<std::string>());
      if (!h.ok()) return FieldError(key, h.status().message());
      q.lookalike_handle = *h;
      if (v.is_object() && v.contains("platform")) {
        if (!v["platform"].is_string())
          return FieldError("lookalike.platform", "expected a string");
        auto p = model::NormalizePlatform(v["platform"].get<std::string>());
        if (!p.ok()) return FieldError("lookalike.platform", p.status().message());
        q.lookalike_platform = *p;
      }
    } else if (key == "sort") {
      sort_given = true;
      if (v == "relevance") {
        q.sort = SortBy::kRelevance;
      } else if (v == "followers") {
        q.sort = SortBy::kFollowers;
      } else if (v == "engagement_rate") {
        q.sort = SortBy::kEngagementRate;
      } else if (v == "fit") {
        q.sort = SortBy::kFit;
      } else {
        return FieldError(key, "expected relevance, followers, engagement_rate or fit");
      }
    } else if (key == "order") {
      if (v != "asc" && v != "desc") return FieldError(key, "expected \"asc\" or \"desc\"");
      q.ascending = v == "asc";
    } else if (key == "limit") {
      SEEDCAST_ASSIGN_OR_RETURN(q.limit, Count(v, key, kMaxLimit));
    } else if (key == "offset") {
      SEEDCAST_ASSIGN_OR_RETURN(q.offset, Count(v, key, kMaxOffset));
    } else if (key == "facets") {
      if (v.is_boolean()) {
        if (!v.get<bool>()) q.facets.clear();
        continue;
      }
      SEEDCAST_ASSIGN_OR_RETURN(auto names, Strings(v, key));
      q.facets.clear();
      for (const std::string& n : names) {
        const std::array all = {Facet::kTier, Facet::kNiche, Facet::kCountry, Facet::kPlatform};
        auto it = std::find_if(all.begin(), all.end(), [&n](Facet f) { return n == FacetName(f); });
        if (it == all.end()) {
          return FieldError(key,
                            "unknown facet '" + n + "' (known: tier, niche, country, platform)");
        }
        q.facets.push_back(*it);
      }
    } else if (key == "fit_weights") {
      SEEDCAST_RETURN_IF_ERROR(ParseFitWeights(v, &q.weights));
    } else {
      return InvalidArgument(
          "unknown query field '" + key +
          "' (known: platforms, tiers, followers, engagement_rate, niches, niches_match, "
          "countries, languages, audience, quality, rate_cents, available, text, text_match, "
          "lookalike, sort, order, limit, offset, facets, fit_weights)");
    }
  }
  if (!sort_given) {
    q.sort =
        (!q.text.empty() || !q.lookalike_handle.empty()) ? SortBy::kRelevance : SortBy::kFollowers;
  }
  if (q.sort == SortBy::kRelevance && q.text.empty() && q.lookalike_handle.empty()) {
    return FieldError("sort", "relevance needs \"text\" or \"lookalike\"");
  }
  return q;
}

Result<Query> ParseQueryText(std::string_view text, const model::TierScheme& tiers) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("the query is not valid JSON");
  return ParseQuery(j, tiers);
}

}  // namespace seedcast::search
