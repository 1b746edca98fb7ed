#include "measure/ad_metrics.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "measure/json_number.h"

namespace seedcast::measure {
namespace {

using nlohmann::ordered_json;

void AddTo(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v) into = into.value_or(0) + *v;
}

// A ratio summed over the rows that report both parts.
struct Pair {
  int64_t numerator = 0;
  int64_t denominator = 0;
  void Add(const std::optional<int64_t>& n, const std::optional<int64_t>& d) {
    if (!n || !d) return;
    numerator += *n;
    denominator += *d;
  }
  std::optional<double> Ratio() const {
    if (denominator <= 0) return std::nullopt;
    return static_cast<double>(numerator) / static_cast<double>(denominator);
  }
};

// "" then the first value; another value makes it "mixed".
void Blend(std::string& into, const std::string& value) {
  if (value.empty() || into == value) return;
  into = into.empty() ? value : "mixed";
}

ordered_json Opt(const std::optional<int64_t>& v) { return v ? ordered_json(*v) : nullptr; }
ordered_json Opt(const std::optional<double>& v, double scale) {
  if (!v) return nullptr;
  return RoundedJson(*v, scale);
}

std::vector<AdGroup> GroupBy(std::span<const AdRow> rows,
                             const std::function<std::string(const AdRow&)>& key,
                             const std::function<std::string(const AdRow&)>& label) {
  std::map<std::string, std::vector<const AdRow*>> groups;
  std::map<std::string, std::string> labels;
  for (const AdRow& r : rows) {
    if (r.asset_id == 0) continue;
    const std::string k = key(r);
    groups[k].push_back(&r);
    if (!labels.contains(k)) labels[k] = label(r);
  }
  std::vector<AdGroup> out;
  out.reserve(groups.size());
  for (const auto& [k, members] : groups) out.push_back({k, labels[k], SumAds(members)});
  return out;
}

ordered_json GroupsToJson(const std::vector<AdGroup>& groups) {
  ordered_json out = ordered_json::array();
  for (const AdGroup& g : groups) {
    ordered_json j = {{"key", g.key}, {"label", g.label}};
    j.update(AdTotalsToJson(g.totals));
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

AdTotals SumAds(std::span<const AdRow* const> rows) {
  AdTotals t;
  Pair thumbstop;
  Pair ctr;
  Pair cpc;
  Pair cpa;
  Pair roas;
  std::string currency;
  // CPA counts conversions where any row reports them (purchases, conversions), else results.
  const bool by_conversions =
      std::any_of(rows.begin(), rows.end(), [](const AdRow* r) { return r->conversions; });
  t.conversion_basis = by_conversions ? "conversions" : "results";
  for (const AdRow* r : rows) {
    t.ads += 1;
    AddTo(t.impressions, r->impressions);
    AddTo(t.reach, r->reach);
    AddTo(t.plays_3s, r->plays_3s);
    AddTo(t.views_2s, r->views_2s);
    AddTo(t.clicks, r->clicks);
    AddTo(t.spend_cents, r->spend_cents);
    AddTo(t.results, r->results);
    AddTo(t.conversions, r->conversions);
    AddTo(t.conversion_value_cents, r->conversion_value_cents);
    Blend(currency, r->currency);
    const bool meta_plays = r->plays_3s.has_value();
    const std::optional<int64_t> hook = meta_plays ? r->plays_3s : r->views_2s;
    if (hook && r->impressions) {
      Blend(t.thumbstop_basis, meta_plays ? "3-second video plays" : "2-second video views");
    }
    thumbstop.Add(hook, r->impressions);
    ctr.Add(r->clicks, r->impressions);
    cpc.Add(r->spend_cents, r->clicks);
    cpa.Add(r->spend_cents, by_conversions ? r->conversions : r->results);
    roas.Add(r->conversion_value_cents, r->spend_cents);
  }
  t.currency = currency;
  t.thumbstop_rate = thumbstop.Ratio();
  t.ctr = ctr.Ratio();
  if (currency != "mixed") {
    t.cpc_cents = cpc.Ratio();
    t.cpa_cents = cpa.Ratio();
    t.roas = roas.Ratio();
  }
  return t;
}

AdBreakdown SummariseAds(std::span<const AdRow> rows) {
  AdBreakdown b;
  std::vector<const AdRow*> all;
  for (const AdRow& r : rows) {
    all.push_back(&r);
    (r.asset_id != 0 ? b.linked_ads : b.unlinked_ads) += 1;
  }
  b.totals = SumAds(all);
  b.by_asset = GroupBy(
      rows, [](const AdRow& r) { return r.asset_code; },
      [](const AdRow& r) { return r.creator_name; });
  b.by_creator = GroupBy(
      rows, [](const AdRow& r) { return r.creator_id == 0 ? "" : std::to_string(r.creator_id); },
      [](const AdRow& r) { return r.creator_name; });
  b.by_hook = GroupBy(
      rows, [](const AdRow& r) { return r.hook; }, [](const AdRow& r) { return r.hook; });
  b.by_format = GroupBy(
      rows, [](const AdRow& r) { return r.format; }, [](const AdRow& r) { return r.format; });
  return b;
}

ordered_json AdTotalsToJson(const AdTotals& t) {
  return {{"ads", t.ads},
          {"currency", t.currency},
          {"impressions", Opt(t.impressions)},
          {"reach", Opt(t.reach)},
          {"plays_3s", Opt(t.plays_3s)},
          {"views_2s", Opt(t.views_2s)},
          {"clicks", Opt(t.clicks)},
          {"spend_cents", Opt(t.spend_cents)},
          {"results", Opt(t.results)},
          {"conversions", Opt(t.conversions)},
          {"conversion_value_cents", Opt(t.conversion_value_cents)},
          {"thumbstop_rate", Opt(t.thumbstop_rate, 1e6)},
          {"thumbstop_basis", t.thumbstop_basis},
          {"ctr", Opt(t.ctr, 1e6)},
          {"cpc_cents", Opt(t.cpc_cents, 1e2)},
          {"cpa_cents", Opt(t.cpa_cents, 1e2)},
          {"conversion_basis", t.conversion_basis},
          {"roas", Opt(t.roas, 1e4)}};
}

ordered_json AdBreakdownToJson(const AdBreakdown& b) {
  return {{"totals", AdTotalsToJson(b.totals)},       {"linked_ads", b.linked_ads},
          {"unlinked_ads", b.unlinked_ads},           {"by_asset", GroupsToJson(b.by_asset)},
          {"by_creator", GroupsToJson(b.by_creator)}, {"by_hook", GroupsToJson(b.by_hook)},
          {"by_format", GroupsToJson(b.by_format)}};
}

ordered_json RejectsToJson(const std::vector<campaign::ImportReject>& rejects) {
  ordered_json out = ordered_json::array();
  for (const campaign::ImportReject& r : rejects) {
    out.push_back({{"line", r.line}, {"reason", r.reason}});
  }
  return out;
}

ordered_json AdImportToJson(const AdImportResult& r) {
  const AdReportRead& read = r.read;
  ordered_json j = {{"platform", AdPlatformName(read.platform)},
                    {"currency", read.currency},
                    {"columns", read.columns},
                    {"unread_columns", read.unread_columns},
                    {"records", read.records},
                    {"totals_rows_skipped", read.totals_rows},
                    {"ads", static_cast<int64_t>(read.rows.size())},
                    {"stored", r.stored},
                    {"replaced", r.replaced},
                    {"linked_by_mapping", r.linked_by_mapping},
                    {"linked_by_code", r.linked_by_code},
                    {"unlinked", r.unlinked},
                    {"rejected", static_cast<int64_t>(read.rejects.size())},
                    {"rejects", RejectsToJson(read.rejects)},
                    {"warnings", r.warnings}};
  j.update(AdBreakdownToJson(SummariseAds(read.rows)));
  return j;
}

}  // namespace seedcast::measure
