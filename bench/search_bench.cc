// The search benchmark's engine side: loads the index from a store made by `seedcast demo`, runs a
// deterministic mix of filtered, text and lookalike queries, checks and times the same filtered
// queries in a SQLite peer with indexes, measures lookalike recall@50, and writes what the DuckDB
// peer (duckdb/peer.mjs) needs to run and check the same queries.
//
//   search_bench DB_URL OUT_DIR [QUERIES] [SQLITE_QUERIES] [nograph]
//
// Writes OUT_DIR/engine.json (figures), OUT_DIR/filtered.ndjson (each filtered query's SQL and the
// engine's answer), and OUT_DIR/peer.db (the SQLite peer, also exported to CSV by the script).
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "common/stats.h"
#include "demo/random.h"
#include "search/index.h"
#include "search/loader.h"
#include "search/sql_peer.h"
#include "storage/database.h"

namespace {

using nlohmann::json;
using seedcast::Percentile;
using seedcast::Status;
using seedcast::demo::Random;
using seedcast::search::CreatorIndex;

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

json Latency(const std::vector<double>& ms) {
  return {{"count", ms.size()},
          {"p50_ms", Percentile(ms, 0.5)},
          {"p90_ms", Percentile(ms, 0.9)},
          {"p99_ms", Percentile(ms, 0.99)},
          {"max_ms", Percentile(ms, 1.0)}};
}

template <typename T>
T Pick(Random& r, const std::vector<T>& items) {
  return items[r.Below(items.size())];
}

// A brand's filtered query: a platform, one or two niches, a market, a size band, often an
// engagement floor, an audience requirement or a quality floor; facets and a page of 50.
json FilteredQuery(Random& r) {
  json q = json::object();
  if (r.Chance(0.7))
    q["platforms"] = {Pick<std::string>(r, {"instagram", "instagram", "tiktok", "youtube"})};
  if (r.Chance(0.8)) {
    q["niches"] = {Pick<std::string>(
        r, {"fashion", "beauty", "food", "travel", "fitness", "family", "pet", "interior"})};
    if (r.Chance(0.25))
      q["niches"].push_back(Pick<std::string>(r, {"beauty", "food", "travel", "fitness"}));
  }
  if (r.Chance(0.6))
    q["countries"] = {Pick<std::string>(r, {"US", "US", "GB", "BR", "DE", "FR", "IN", "MX", "ES"})};
  if (r.Chance(0.4)) {
    q["tiers"] = {Pick<std::string>(r, {"nano", "micro", "micro", "macro"})};
  } else if (r.Chance(0.5)) {
    q["followers"] = {{"min", Pick<int>(r, {1000, 5000, 10000, 20000})},
                      {"max", Pick<int>(r, {50000, 100000, 250000})}};
  }
  if (r.Chance(0.4)) q["engagement_rate"] = {{"min", Pick<double>(r, {0.01, 0.02, 0.03, 0.04})}};
  if (r.Chance(0.3))
    q["audience"]["countries"][Pick<std::string>(r, {"US", "GB", "BR"})] =
        Pick<double>(r, {0.2, 0.3, 0.4, 0.5});
  if (r.Chance(0.25)) q["audience"]["genders"]["female"] = Pick<double>(r, {0.5, 0.6, 0.7});
  if (r.Chance(0.15)) q["audience"]["ages"]["18-24"] = Pick<double>(r, {0.2, 0.3});
  if (r.Chance(0.4)) q["quality"] = {{"min", Pick<double>(r, {0.5, 0.6, 0.7})}};
  if (r.Chance(0.15)) q["rate_cents"] = {{"max", Pick<int>(r, {20000, 50000, 100000})}};
  q["sort"] = r.Chance(0.7) ? "followers" : "engagement_rate";
  q["limit"] = 50;
  if (r.Chance(0.2)) q["offset"] = 50;
  return q;
}

json TextQuery(Random& r) {
  static const std::vector<std::string> kTexts = {"vegan recipe",
                                                  "skincare routine",
                                                  "marathon training",
                                                  "#ootd",
                                                  "sourdough",
                                                  "dog training",
                                                  "#skincare",
                                                  "budget travel",
                                                  "home workout",
                                                  "#receitas",
                                                  "スキンケア",
                                                  "thrifted",
                                                  "kitchen cabinets",
                                                  "#momlife",
                                                  "serum",
                                                  "toddler sushi",
                                                  "#travelgram",
                                                  "yoga",
                                                  "#homedecor",
                                                  "rescue cat"};
  json q = {{"text", Pick(r, kTexts)}, {"limit", 50}};
  if (r.Chance(0.5)) q["platforms"] = {"instagram"};
  if (r.Chance(0.3)) q["countries"] = {Pick<std::string>(r, {"US", "GB", "BR", "JP"})};
  return q;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: search_bench DB_URL OUT_DIR [QUERIES]\n";
    return 2;
  }
  const std::string url = argv[1];
  const std::string out = argv[2];
  const int queries = argc > 3 ? std::stoi(argv[3]) : 300;
  json report;

  // "nograph" skips lookalikes (vectors, graph, queries): the graph takes minutes at 10M.
  const bool lookalikes = !(argc > 5 && std::string(argv[5]) == "nograph");
  // Build: the median of three loads (the machine is shared); the last index is queried.
  std::unique_ptr<CreatorIndex> built;
  std::optional<seedcast::search::LoadStats> loaded;
  std::vector<double> build_seconds;
  auto start = std::chrono::steady_clock::now();
  for (int run = 0; run < 3; ++run) {
    built.reset();
    built =
        std::make_unique<CreatorIndex>(seedcast::search::IndexOptions{.lookalikes = lookalikes});
    start = std::chrono::steady_clock::now();
    auto load = seedcast::search::LoadIndex(url, nullptr, 2, {}, built.get());
    if (!load.ok()) {
      std::cerr << load.status().ToString() << "\n";
      return 1;
    }
    build_seconds.push_back(Seconds(start));
    loaded = *load;
  }
  CreatorIndex& index = *built;
  report["accounts"] = loaded->accounts;
  report["build_seconds"] = Percentile(build_seconds, 0.5);
  report["build_seconds_runs"] = build_seconds;
  if (lookalikes) {
    start = std::chrono::steady_clock::now();
    index.BuildLookalikeGraph(2);
    report["lookalike_graph_seconds"] = Seconds(start);
  }
  const auto mem = index.Memory();
  const double n = static_cast<double>(mem.accounts);
  report["bytes_per_account"] = {{"columns", static_cast<double>(mem.columns_bytes) / n},
                                 {"text", static_cast<double>(mem.text_bytes) / n},
                                 {"lookalike", static_cast<double>(mem.lookalike_bytes) / n}};
  std::cerr << report.dump() << "\n";

  Random r(2026);
  const auto& tiers = index.tiers();
  // Runs a query three times; took_ms is the median of the three (the machine is shared).
  auto run = [&](const json& q) {
    auto parsed = seedcast::search::ParseQuery(q, tiers);
    if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
    std::vector<double> took;
    std::optional<seedcast::search::SearchResult> last;
    for (int i = 0; i < 3; ++i) {
      auto result = index.Search(*parsed);
      if (!result.ok()) throw std::runtime_error(result.status().ToString() + " for " + q.dump());
      took.push_back(result->took_ms);
      last = std::move(*result);
    }
    last->took_ms = Percentile(took, 0.5);
    return std::make_pair(*parsed, *last);
  };

  // Filtered queries, with what the peers need to check them.
  std::ofstream filtered(out + "/filtered.ndjson");
  std::vector<double> filtered_ms;
  std::vector<std::pair<seedcast::search::PeerSql, seedcast::search::SearchResult>> checks;
  for (int i = 0; i < queries; ++i) {
    const json q = FilteredQuery(r);
    auto [parsed, result] = run(q);
    filtered_ms.push_back(result.took_ms);
    auto sql = seedcast::search::QueryToSql(parsed);
    json line = {
        {"query", q}, {"count_sql", sql->count}, {"top_sql", sql->top}, {"total", result.total}};
    line["top"] = json::array();
    for (const auto& h : result.hits) line["top"].push_back(h.account_id);
    line["facets"] = json::array();
    for (size_t f = 0; f < sql->facets.size(); ++f) {
      json counts = json::object();
      for (const auto& [value, count] : result.facets[f].second) counts[value] = count;
      line["facets"].push_back(
          {{"name", sql->facets[f].first}, {"sql", sql->facets[f].second}, {"counts", counts}});
    }
    filtered << line.dump() << "\n";
    checks.emplace_back(*sql, std::move(result));
  }
  report["filtered"] = Latency(filtered_ms);

  std::vector<double> text_ms;
  text_ms.reserve(static_cast<size_t>(queries));
  for (int i = 0; i < queries; ++i) text_ms.push_back(run(TextQuery(r)).second.took_ms);
  report["text"] = Latency(text_ms);

  // Lookalikes of random accounts through the query interface, and recall@50 of the graph
  // against exact search.
  auto source = seedcast::storage::OpenDatabase(url);
  if (!source.ok()) return 1;
  std::vector<double> look_ms;
  double found = 0;
  double found_or_tied = 0;  // also counting a neighbour as similar as the 50th exact one
  double expected = 0;
  for (int i = 0; lookalikes && i < queries; ++i) {
    const int64_t id = 1 + static_cast<int64_t>(r.Below(static_cast<uint64_t>(loaded->accounts)));
    json q = {{"limit", 50}, {"facets", false}};
    (void)(*source)->Query("SELECT handle, platform FROM accounts WHERE id = ?", {id},
                           [&q](const seedcast::storage::Row& row) {
                             q["lookalike"] = {{"handle", std::string(row.Text(0))},
                                               {"platform", std::string(row.Text(1))}};
                             return Status::Ok();
                           });
    if (!q.contains("lookalike")) continue;
    if (r.Chance(0.5)) q["platforms"] = {"instagram"};
    look_ms.push_back(run(q).second.took_ms);
    if (i < 200) {
      auto exact = index.ExactLookalikes(id, 50);
      auto approx = index.ApproximateLookalikes(id, 50);
      std::set<int64_t> truth(exact.begin(), exact.end());
      const float last = exact.empty() ? 0.0F : *index.LookalikeSimilarity(id, exact.back());
      for (int64_t a : approx) {
        found += truth.count(a) > 0 ? 1.0 : 0.0;
        found_or_tied +=
            truth.count(a) > 0 || *index.LookalikeSimilarity(id, a) >= last - 1e-6F ? 1.0 : 0.0;
      }
      expected += static_cast<double>(exact.size());
    }
  }
  if (lookalikes) {
    report["lookalike"] = Latency(look_ms);
    report["lookalike_recall_at_50"] = expected > 0 ? found / expected : 0;
    report["lookalike_recall_at_50_with_ties"] = expected > 0 ? found_or_tied / expected : 0;
  }
  std::ofstream(out + "/engine.json") << report.dump(2) << "\n";
  std::cerr << report.dump() << "\n";

  // The SQLite peer with indexes, filled from the same store. A peer filled by an earlier run
  // from the same store is reused (at 10M the fill takes 10-20 minutes): `peer.done` records the
  // account count it was filled with.
  const std::string done_path = out + "/peer.done";
  int64_t done_accounts = -1;
  std::ifstream(done_path) >> done_accounts;
  const bool reuse = done_accounts == loaded->accounts;
  if (!reuse) {
    std::remove(done_path.c_str());
    std::remove((out + "/peer.db").c_str());
  }
  auto peer = seedcast::storage::OpenDatabase("sqlite:" + out + "/peer.db");
  if (!peer.ok()) return 1;
  if (!reuse) {
    start = std::chrono::steady_clock::now();
    Status filled = seedcast::search::FillPeerDatabase(**source, **peer, tiers);
    if (!filled.ok()) {
      std::cerr << filled.ToString() << "\n";
      return 1;
    }
    report["sqlite_peer_load_seconds"] = Seconds(start);
    (void)(*peer)->ExecuteScript("ANALYZE");
    std::ofstream(done_path) << loaded->accounts << "\n";
  }
  std::vector<double> sqlite_ms;
  int agree = 0;
  // SQLite needs seconds to minutes per query at this scale, so it runs the first few only.
  const size_t sqlite_queries =
      std::min<size_t>(checks.size(), argc > 4 ? std::stoul(argv[4]) : 20);
  for (size_t i = 0; i < sqlite_queries; ++i) {
    const auto& [sql, result] = checks[i];
    auto t0 = std::chrono::steady_clock::now();
    auto total = (*peer)->QueryInt(sql.count);
    std::vector<int64_t> top;
    (void)(*peer)->Query(sql.top, {}, [&top](const seedcast::storage::Row& row) {
      top.push_back(row.Int(0));
      return Status::Ok();
    });
    bool facets_agree = true;
    for (size_t f = 0; f < sql.facets.size(); ++f) {
      std::map<std::string, int64_t> counts;
      (void)(*peer)->Query(sql.facets[f].second, {}, [&counts](const seedcast::storage::Row& row) {
        counts[std::string(row.Text(0))] = row.Int(1);
        return Status::Ok();
      });
      std::map<std::string, int64_t> mine(result.facets[f].second.begin(),
                                          result.facets[f].second.end());
      facets_agree = facets_agree && counts == mine;
    }
    sqlite_ms.push_back(Seconds(t0) * 1000);
    std::vector<int64_t> mine;
    for (const auto& h : result.hits) mine.push_back(h.account_id);
    agree += total.ok() && *total == result.total && top == mine && facets_agree;
  }
  report["sqlite_filtered"] = Latency(sqlite_ms);
  report["sqlite_agreement"] = {{"agree", agree}, {"queries", sqlite_queries}};
  std::ofstream(out + "/engine.json") << report.dump(2) << "\n";
  std::cerr << report.dump() << "\n";
  return 0;
}
