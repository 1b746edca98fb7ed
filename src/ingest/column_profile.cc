#include "ingest/column_profile.h"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

#include "common/text.h"
#include "fmt/format.h"
#include "ingest/numbers.h"
#include "model/platform.h"

namespace seedcast::ingest {
namespace {

constexpr size_t kDistinctSample = 1000;
// A column holds handles when nearly all its values are handle-shaped and most are in lower case
// (exports write handles as the platform shows them: "karolg", "kimkardashian"); it holds names
// when fewer than this share are handle-shaped ("Karol G", "Kim Kardashian", "李小龍").
constexpr double kHandleShare = 0.8;
constexpr double kLowercaseShare = 0.6;
constexpr double kNameColumnHandleShare = 0.6;

bool IsHandleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// Whether a value is shaped like a handle, and whether it is written in lower case.
std::pair<bool, bool> HandleShape(std::string_view v) {
  if (v.find("://") != std::string_view::npos || v.find(".com/") != std::string_view::npos) {
    auto h = model::NormalizeHandle(v);
    return {h.ok(), h.ok()};
  }
  while (v.starts_with('@')) v.remove_prefix(1);
  if (v.empty() || v.size() > 40) return {false, false};
  bool letter = false;
  bool upper = false;
  for (char c : v) {
    if (!IsHandleChar(c)) return {false, false};
    letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    upper = upper || (c >= 'A' && c <= 'Z');
  }
  return {letter, letter && !upper};
}

std::string Column(const std::vector<ColumnSpec>& specs, size_t i) {
  return fmt::format("column {} \"{}\"", i + 1, specs[i].label);
}

bool IsTextField(Field f) {
  return f == Field::kName || f == Field::kUnmapped || f == Field::kHandle;
}

// The column that holds handles best, among text columns not yet used; npos when none does.
size_t BestHandleColumn(const std::vector<ColumnProfile>& profiles,
                        const std::vector<ColumnSpec>& specs, const std::vector<bool>& mapped,
                        int min_values) {
  size_t best = std::string::npos;
  for (size_t i = 0; i < specs.size(); ++i) {
    const ColumnProfile& p = profiles[i];
    if (mapped[i] || !IsTextField(specs[i].field) || specs[i].field == Field::kHandle) continue;
    if (p.values == 0 || p.values < min_values) continue;
    if (p.Share(p.handle_shaped) < kHandleShare || p.Share(p.lowercase) < kLowercaseShare) continue;
    if (p.Share(p.counts) > 0.5 ||
        p.distinct < static_cast<int>(0.9 * std::min<double>(p.values, kDistinctSample))) {
      continue;
    }
    if (best == std::string::npos ||
        p.Share(p.handle_shaped) > profiles[best].Share(profiles[best].handle_shaped)) {
      best = i;
    }
  }
  return best;
}

bool HasNameColumn(const std::vector<ColumnSpec>& specs, size_t except) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (i != except && specs[i].field == Field::kName) return true;
  }
  return false;
}

std::string PlatformOf(const std::vector<ColumnSpec>& specs, size_t handle,
                       const std::string& default_platform) {
  if (!specs[handle].platform.empty()) return specs[handle].platform;
  return default_platform;
}

// Engagement columns whose values are counts ("1.2M", "35000") hold engagements per post.
void ReconcileEngagement(const std::vector<ColumnProfile>& profiles,
                         const std::vector<bool>& mapped, std::vector<ColumnSpec>* specs,
                         std::vector<std::string>* notes) {
  for (size_t i = 0; i < specs->size(); ++i) {
    ColumnSpec& spec = (*specs)[i];
    const ColumnProfile& p = profiles[i];
    if (mapped[i] || spec.field != Field::kEngagementRate || p.values == 0) continue;
    if (p.percent_signs > 0 || p.counts < p.values) continue;
    if (p.suffixed == 0 && p.max_number <= 100) continue;
    spec.field = Field::kAvgEngagements;
    notes->push_back(fmt::format(
        "{} holds counts (up to {:.0f}), not a rate: read as engagements per post, and the "
        "engagement rate derived from it (engagements / followers; / average views off "
        "Instagram, where given)",
        Column(*specs, i), p.max_number));
  }
}

}  // namespace

bool IsCountryFilter(std::string_view value) {
  value = text::Trim(value);
  if (value.size() < 3 || value.size() > 15) return false;  // "any" .. "all countries"
  if (std::string_view("aAwWgGiI").find(value.front()) == std::string_view::npos) return false;
  std::string v = text::NormalizeLabel(value);
  static constexpr std::array<std::string_view, 7> kFilters = {
      "all", "worldwide", "global", "international", "any", "all countries", "world"};
  return std::find(kFilters.begin(), kFilters.end(), v) != kFilters.end();
}

std::vector<ColumnProfile> ProfileColumns(const std::vector<Record>& sample, size_t columns) {
  std::vector<ColumnProfile> profiles(columns);
  std::vector<std::unordered_set<std::string_view>> seen(columns);
  for (const Record& r : sample) {
    if (!r.keys.empty()) continue;
    for (size_t i = 0; i < columns && i < r.cells.size(); ++i) {
      std::string_view v = text::Trim(r.cells[i]);
      if (v.empty() || IsMissingValue(v)) continue;
      ColumnProfile& p = profiles[i];
      ++p.values;
      if (seen[i].size() < kDistinctSample) seen[i].insert(v);
      auto [handle, lower] = HandleShape(v);
      p.handle_shaped += handle ? 1 : 0;
      p.lowercase += lower ? 1 : 0;
      if (auto n = ParseNumber(v, NumberKind::kDecimal); n.ok()) {
        if (n->percent) {
          ++p.percent_signs;
        } else if (n->value >= 0 && ParseCount(v).ok()) {
          ++p.counts;
          const char last = v.back();
          p.suffixed += std::string_view("kKmMbB").find(last) != std::string_view::npos ? 1 : 0;
        }
        p.max_number = std::max(p.max_number, n->value);
      }
    }
  }
  for (size_t i = 0; i < columns; ++i) profiles[i].distinct = static_cast<int>(seen[i].size());
  return profiles;
}

std::vector<std::string> ReconcileColumns(const std::vector<Record>& sample,
                                          const std::string& default_platform,
                                          const std::vector<bool>& mapped,
                                          std::vector<ColumnSpec>* specs) {
  std::vector<std::string> notes;
  const std::vector<ColumnProfile> profiles = ProfileColumns(sample, specs->size());
  ReconcileEngagement(profiles, mapped, specs, &notes);
  // A handle column named by --map replaces those the headers guessed, on its platform (on every
  // platform when it names none); their platform words still name the file's platform.
  for (size_t m = 0; m < specs->size(); ++m) {
    if (!mapped[m] || (*specs)[m].field != Field::kHandle) continue;
    for (size_t i = 0; i < specs->size(); ++i) {
      ColumnSpec& other = (*specs)[i];
      const std::string& platform = (*specs)[m].platform;
      if (mapped[i] || other.field != Field::kHandle ||
          (!platform.empty() && other.platform != platform)) {
        continue;
      }
      other.field = HasNameColumn(*specs, i) ? Field::kUnmapped : Field::kName;
      notes.push_back(fmt::format("--map names {} as the handle; {} read as {}", Column(*specs, m),
                                  Column(*specs, i), FieldName(other)));
    }
  }

  // Handle columns holding display names: another column with the handles takes their place.
  bool any_handle = false;
  for (size_t i = 0; i < specs->size(); ++i) {
    const ColumnProfile& p = profiles[i];
    if ((*specs)[i].field != Field::kHandle) continue;
    any_handle = true;
    if (mapped[i] || p.values == 0 || p.Share(p.handle_shaped) >= kNameColumnHandleShare) continue;
    const size_t better = BestHandleColumn(profiles, *specs, mapped, p.values / 2);
    const int names = 100 - static_cast<int>(100 * p.Share(p.handle_shaped));
    if (better == std::string::npos) {
      if (PlatformOf(*specs, i, default_platform) == model::kYouTube) {
        notes.push_back(fmt::format(
            "{} holds channel titles ({}% are not handles): each channel is identified by its "
            "title",
            Column(*specs, i), names));
      } else {
        notes.push_back(fmt::format(
            "{} looks like display names ({}% are not handles), and no other column holds "
            "handles: name the handle column with --map handle=COLUMN",
            Column(*specs, i), names));
      }
      continue;
    }
    ColumnSpec& from = (*specs)[i];
    ColumnSpec& to = (*specs)[better];
    notes.push_back(
        fmt::format("{} looks like display names ({}% are not handles); {} used as "
                    "the handle",
                    Column(*specs, i), names, Column(*specs, better)));
    to.field = Field::kHandle;
    if (to.platform.empty()) to.platform = from.platform;
    from.field = HasNameColumn(*specs, better) ? Field::kUnmapped : Field::kName;
    from.platform.clear();
  }
  if (any_handle) return notes;

  // No column headed as a handle: the one whose values are handles is used; failing that, on
  // YouTube, the channel's name.
  size_t chosen = BestHandleColumn(profiles, *specs, mapped, 1);
  std::string why = "holds handle-shaped values";
  if (chosen == std::string::npos &&
      (default_platform == model::kYouTube ||
       std::any_of(specs->begin(), specs->end(),
                   [](const ColumnSpec& s) { return s.platform == model::kYouTube; }))) {
    for (size_t i = 0; i < specs->size() && chosen == std::string::npos; ++i) {
      if (!mapped[i] && (*specs)[i].field == Field::kName && profiles[i].values > 0) chosen = i;
    }
    why = "names the channels: each channel is identified by its title";
  }
  if (chosen == std::string::npos) return notes;
  notes.push_back(fmt::format("no column is headed as a handle; {} {}, and is used as the handle",
                              Column(*specs, chosen), why));
  (*specs)[chosen].field = Field::kHandle;
  return notes;
}

}  // namespace seedcast::ingest
