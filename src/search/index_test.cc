// The discovery engine against a SQL peer on the same population, and its freshness.
#include "search/index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <span>
#include <thread>

#include "demo/population.h"
#include "demo/random.h"
#include "search/loader.h"
#include "search/sql_peer.h"
#include "storage/creator_store.h"
#include "storage/testing/test_database.h"

namespace seedcast::search {
namespace {

using storage::testing::TestDatabase;
using ::testing::Contains;
using ::testing::HasSubstr;

std::unique_ptr<TestDatabase> Populated(std::string_view backend, const Clock& clock,
                                        int64_t creators) {
  auto db = TestDatabase::Create(backend, clock);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  storage::CreatorStore store((*db)->db(), clock);
  demo::PopulationGenerator gen({.creators = creators, .seed = 7});
  Status s = storage::InTransaction((*db)->db(), [&]() -> Status {
    model::Creator c;
    while (gen.Next(&c)) SEEDCAST_RETURN_IF_ERROR(store.InsertCreator(c));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return std::move(*db);
}

// k hundredths as a user would type it: 0.35, not 0.05 * 7 (0.35000000000000003).
double Hundredths(uint64_t k) { return static_cast<double>(k) / 100.0; }

// A random query over the filters that have a SQL peer.
std::string RandomQuery(demo::Random& r) {
  nlohmann::json q = nlohmann::json::object();
  auto pick = [&r](std::initializer_list<const char*> items) {
    return std::vector<const char*>(items)[r.Below(items.size())];
  };
  if (r.Chance(0.5)) q["platforms"] = {pick({"instagram", "tiktok", "youtube"})};
  if (r.Chance(0.4)) q["tiers"] = {pick({"nano", "micro", "macro", "emerging"})};
  if (r.Chance(0.5)) {
    q["niches"] = {pick({"fashion", "beauty", "food", "travel", "fitness"})};
    if (r.Chance(0.3)) q["niches"].push_back(pick({"family", "pet", "interior"}));
    if (r.Chance(0.3)) q["niches_match"] = "all";
  }
  if (r.Chance(0.4)) q["countries"] = {pick({"US", "GB", "BR", "DE", "JP"})};
  if (r.Chance(0.2)) q["languages"] = {pick({"en", "es", "pt"})};
  if (r.Chance(0.3)) q["followers"] = {{"min", 1000 * r.Below(50)}};
  if (r.Chance(0.3)) q["engagement_rate"] = {{"min", Hundredths(r.Below(5))}};
  if (r.Chance(0.2)) q["engagement_rate"]["max"] = 0.05 + Hundredths(r.Below(5));
  if (r.Chance(0.3)) q["quality"] = {{"min", Hundredths(10 * r.Below(9))}};
  if (r.Chance(0.2)) q["rate_cents"] = {{"max", 10000 * (1 + r.Below(50))}};
  if (r.Chance(0.3))
    q["audience"]["countries"][pick({"US", "GB", "BR"})] = Hundredths(5 * r.Below(12));
  if (r.Chance(0.3)) q["audience"]["genders"]["female"] = Hundredths(10 * r.Below(9));
  if (r.Chance(0.2)) q["audience"]["ages"]["18-24"] = Hundredths(5 * r.Below(8));
  q["sort"] = r.Chance(0.5) ? "followers" : "engagement_rate";
  if (r.Chance(0.3)) q["order"] = "asc";
  q["limit"] = 1 + r.Below(40);
  if (r.Chance(0.3)) q["offset"] = r.Below(30);
  return q.dump();
}

class IndexAgreementTest : public ::testing::TestWithParam<const char*> {};

TEST_P(IndexAgreementTest, TotalsTopResultsAndFacetsMatchSql) {
  FakeClock clock(1'700'000'000'000);
  auto store = Populated(GetParam(), clock, 2500);
  CreatorIndex index;
  auto stats = LoadIndex(store->url(), &store->db(), 2, {}, &index);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_GT(stats->accounts, 3000);
  // The same index with every filtered scan split across two threads: the merge must not change
  // any answer.
  CreatorIndex split({.parallel_scan_min = 1});
  ASSERT_TRUE(LoadIndex(store->url(), &store->db(), 2, {}, &split).ok());
  // The same accounts upserted one by one, each first with other values (followers, engagement,
  // quality, rate and audience shares moved), so the range bitmaps are kept current by single
  // updates rather than rebuilt after a bulk load.
  CreatorIndex incremental;
  {
    storage::CreatorStore creators(store->db(), clock);
    Analyzer analyzer;
    auto count = creators.CountCreators();
    ASSERT_TRUE(count.ok());
    for (int64_t id = 1; id <= *count; ++id) {
      auto c = creators.GetCreator(id);
      ASSERT_TRUE(c.ok() && c->has_value()) << id;
      for (const model::Account& a : (*c)->accounts) {
        AccountDoc doc = DocFromAccount(a, analyzer);
        AccountDoc moved = doc;
        moved.followers = doc.followers * 3 + 1000;
        moved.engagement_rate = doc.engagement_rate ? std::optional(*doc.engagement_rate / 2 + 0.02)
                                                    : std::optional(0.04);
        moved.quality_score = std::nullopt;
        moved.rate_cents = doc.rate_cents.value_or(0) + 25'000;
        for (auto& [key, share] : moved.audience.countries) share = 1 - share;
        for (auto& [key, share] : moved.audience.genders) share = 1 - share;
        for (auto& [key, share] : moved.audience.ages) share = 1 - share;
        moved.audience.countries["GB"] = 0.5;
        incremental.Upsert(moved);
        incremental.Upsert(doc);
      }
    }
  }
  ASSERT_EQ(incremental.size(), index.size());
  auto peer = storage::OpenDatabase("sqlite::memory:");
  ASSERT_TRUE(peer.ok());
  ASSERT_TRUE(FillPeerDatabase(store->db(), **peer, index.tiers()).ok());

  demo::Random r(11);
  int nonempty = 0;
  for (int i = 0; i < 150; ++i) {
    const std::string text = RandomQuery(r);
    SCOPED_TRACE(text);
    auto q = ParseQueryText(text, index.tiers());
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    auto got = index.Search(*q);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    auto sql = QueryToSql(*q);
    ASSERT_TRUE(sql.ok());
    auto total = (*peer)->QueryInt(sql->count);
    ASSERT_TRUE(total.ok()) << total.status().ToString() << "\n" << sql->count;
    EXPECT_EQ(got->total, *total);
    nonempty += got->total > 0;
    std::vector<int64_t> want_ids;
    ASSERT_TRUE((*peer)
                    ->Query(sql->top, {},
                            [&](const storage::Row& row) {
                              want_ids.push_back(row.Int(0));
                              return Status::Ok();
                            })
                    .ok());
    std::vector<int64_t> got_ids;
    for (const Hit& h : got->hits) got_ids.push_back(h.account_id);
    EXPECT_EQ(got_ids, want_ids);
    // The split-scan and the incrementally built index give the same answer.
    for (const CreatorIndex* other : {&split, &incremental}) {
      auto same = other->Search(*q);
      ASSERT_TRUE(same.ok());
      EXPECT_EQ(same->total, got->total);
      std::vector<int64_t> same_ids;
      for (const Hit& h : same->hits) same_ids.push_back(h.account_id);
      EXPECT_EQ(same_ids, got_ids);
      EXPECT_EQ(same->facets, got->facets);
    }
    for (size_t f = 0; f < sql->facets.size(); ++f) {
      std::map<std::string, int64_t> want;
      ASSERT_TRUE((*peer)
                      ->Query(sql->facets[f].second, {},
                              [&](const storage::Row& row) {
                                want[std::string(row.Text(0))] = row.Int(1);
                                return Status::Ok();
                              })
                      .ok());
      std::map<std::string, int64_t> have(got->facets[f].second.begin(),
                                          got->facets[f].second.end());
      EXPECT_EQ(have, want) << sql->facets[f].first;
    }
  }
  EXPECT_GT(nonempty, 100);  // the random queries are not all trivially empty
}

INSTANTIATE_TEST_SUITE_P(Backends, IndexAgreementTest, ::testing::Values("sqlite", "postgres"));

class FreshnessTest : public ::testing::TestWithParam<const char*> {};

// Waits until `found` holds, polling every 5 ms, and returns how long it took (or 10 s).
template <typename Predicate>
double SecondsUntil(Predicate found) {
  const auto start = std::chrono::steady_clock::now();
  while (!found()) {
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(10)) return 10;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_P(FreshnessTest, WritesThroughTheStoreShowWithinOneSecond) {
  SystemClock clock;
  auto store = Populated(GetParam(), clock, 300);
  CreatorIndex index;
  auto stats = LoadIndex(store->url(), &store->db(), 1, {}, &index);
  ASSERT_TRUE(stats.ok());
  auto follower_db = storage::OpenDatabase(store->url());
  ASSERT_TRUE(follower_db.ok());
  IndexFollower follower(**follower_db, index, stats->cursor, {});
  follower.Start(std::chrono::milliseconds(100),
                 [](const Status& s) { ADD_FAILURE() << s.ToString(); });

  auto search = [&index](const std::string& text) {
    auto q = ParseQueryText(text, index.tiers());
    EXPECT_TRUE(q.ok());
    auto r = index.Search(*q);
    EXPECT_TRUE(r.ok());
    return *r;
  };
  // A new account, written by another connection (as another process would).
  auto writer = storage::OpenDatabase(store->url());
  ASSERT_TRUE(writer.ok());
  storage::CreatorStore store_api(**writer, clock);
  model::Account a;
  a.platform = "instagram";
  a.handle = "fresh_one";
  a.followers = 42'000;
  a.engagement_rate = 0.051;
  a.niches = {"pet"};
  a.country = "NZ";
  a.captions = {"Our axolotl learned a trick #axolotl"};
  auto created = store_api.UpsertAccount({.ref = "fresh-1"}, a);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const double seen = SecondsUntil([&] {
    return search(R"({"countries":["NZ"],"niches":["pet"]})").total == 1 &&
           search(R"({"text":"axolotl"})").total == 1;
  });
  EXPECT_LE(seen, 1.0);

  // An update that moves it to another tier, and a text change.
  a.followers = 120'000;
  a.captions = {"Now a newt #newt"};
  ASSERT_TRUE(store_api.UpsertAccount({}, a).ok());
  const double updated = SecondsUntil([&] {
    auto r = search(R"({"countries":["NZ"],"tiers":["macro"]})");
    return r.total == 1 && search(R"({"text":"#newt"})").total == 1 &&
           search(R"({"text":"axolotl"})").total == 0 && r.hits[0].followers == 120'000;
  });
  EXPECT_LE(updated, 1.0);
  EXPECT_EQ(search(R"({"countries":["NZ"],"tiers":["micro"]})").total, 0);

  // A delete.
  ASSERT_TRUE(store_api.DeleteCreatorsByRefPrefix("fresh-").ok());
  const double deleted = SecondsUntil([&] { return search(R"({"countries":["NZ"]})").total == 0; });
  EXPECT_LE(deleted, 1.0);

  // A booking: an assignment in a December campaign makes the creator unavailable then.
  const int64_t creator = search(R"({"sort":"followers","limit":1})").hits[0].creator_id;
  auto& w = **writer;
  auto brand = w.Insert("INSERT INTO brands (name, created_at_ms) VALUES ('Acme', 0)", {});
  ASSERT_TRUE(brand.ok());
  auto campaign = w.Insert(
      "INSERT INTO campaigns (brand_id, name, goal, compensation, target_completions, status, "
      "starts_at_ms, ends_at_ms, created_at_ms) VALUES (?, 'Winter', 'posts', 'gifted', 10, "
      "'active', 1796083200000, 1798761599999, 0)",
      {*brand});
  ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
  ASSERT_TRUE(w.Execute("INSERT INTO assignments (campaign_id, creator_id, state, created_at_ms, "
                        "updated_at_ms) VALUES (?, ?, 'accepted', 0, 0)",
                        {*campaign, creator})
                  .ok());
  auto has_creator = [&](const std::string& text) {
    for (const Hit& h : search(text).hits) {
      if (h.creator_id == creator) return true;
    }
    return false;
  };
  const std::string december =
      R"({"available":{"from":"2026-12-10","to":"2026-12-20"},"limit":1000,"facets":false})";
  const std::string january =
      R"({"available":{"from":"2027-01-10","to":"2027-01-20"},"limit":1000,"facets":false})";
  const double booked = SecondsUntil([&] { return !has_creator(december); });
  EXPECT_LE(booked, 1.0);
  EXPECT_TRUE(has_creator(january));
  follower.Stop();
}

// What the follower tells a cache of answers about creators: creators it knows before their
// accounts are reloaded, new accounts' creators after, and "everything" for an account that came
// and went between two polls (no creator can be named for it).
TEST_P(FreshnessTest, TheFollowerNamesTheCreatorsThatChanged) {
  SystemClock clock;
  auto store = Populated(GetParam(), clock, 20);
  CreatorIndex index;
  auto stats = LoadIndex(store->url(), &store->db(), 1, {}, &index);
  ASSERT_TRUE(stats.ok());
  IndexFollower follower(store->db(), index, stats->cursor, {});
  std::set<int64_t> told;
  int everything = 0;
  follower.OnCreatorsChanged([&](std::span<const int64_t> ids, bool all) {
    told.insert(ids.begin(), ids.end());
    everything += all ? 1 : 0;
  });
  storage::CreatorStore writer(store->db(), clock);
  model::Account a;
  a.platform = "tiktok";
  a.handle = "came_and_stayed";
  a.followers = 900;
  auto stayed = writer.UpsertAccount({.ref = "told-1"}, a);
  ASSERT_TRUE(stayed.ok());
  ASSERT_TRUE(follower.PollOnce().ok());
  EXPECT_EQ(told, std::set<int64_t>{stayed->creator_id}) << "a new account's creator";
  EXPECT_EQ(everything, 0);

  told.clear();
  a.followers = 950;
  ASSERT_TRUE(writer.UpsertAccount({}, a).ok());
  ASSERT_TRUE(follower.PollOnce().ok());
  EXPECT_TRUE(told.contains(stayed->creator_id)) << "an updated account's creator";

  told.clear();
  a.handle = "came_and_went";
  auto went = writer.UpsertAccount({.ref = "told-2"}, a);
  ASSERT_TRUE(went.ok());
  ASSERT_TRUE(store->db().Execute("DELETE FROM accounts WHERE id = ?", {went->account_id}).ok());
  ASSERT_TRUE(follower.PollOnce().ok());
  EXPECT_EQ(everything, 1) << "an account the index never held cannot be traced to a creator";
}

INSTANTIATE_TEST_SUITE_P(Backends, FreshnessTest, ::testing::Values("sqlite", "postgres"));

TEST(IndexTest, TextSearchRanksAndExplains) {
  FakeClock clock(1'700'000'000'000);
  CreatorIndex index;
  Analyzer analyzer;
  auto add = [&](int64_t id, std::string handle, std::vector<std::string> captions) {
    model::Account a;
    a.id = id;
    a.creator_id = id;
    a.platform = "instagram";
    a.handle = std::move(handle);
    a.followers = 5000 + id;
    a.captions = std::move(captions);
    index.Upsert(DocFromAccount(a, analyzer));
  };
  add(1, "vegan_cook", {"Vegan recipes every week #vegan", "More vegan cooking"});
  add(2, "baker", {"A cake recipe"});
  add(3, "runner", {"Marathon training"});
  add(4, "vegan_once", {"Tried a vegan recipe once, mostly I run"});
  auto q = ParseQueryText(R"({"text":"vegan recipe"})", index.tiers());
  ASSERT_TRUE(q.ok());
  auto r = index.Search(*q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->total, 2);                      // both words required
  EXPECT_EQ(r->hits[0].handle, "vegan_cook");  // more mentions rank first
  EXPECT_THAT(r->hits[0].reasons, Contains("text matched 'vegan', 'recipe'"));
  q = ParseQueryText(R"({"text":"vegan recipe","text_match":"any"})", index.tiers());
  EXPECT_EQ(index.Search(*q)->total, 3);
  index.Remove(1);
  EXPECT_EQ(index.Search(*q)->total, 2);
  q = ParseQueryText(R"({"lookalike":"@nobody"})", index.tiers());
  auto missing = index.Search(*q);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("@nobody"));

  // A renamed account is found by its new handle only, and shown with it.
  add(2, "pastry_chef", {"A cake recipe"});
  q = ParseQueryText(R"({"lookalike":"@pastry_chef"})", index.tiers());
  ASSERT_TRUE(index.Search(*q).ok());
  q = ParseQueryText(R"({"lookalike":"@baker"})", index.tiers());
  EXPECT_FALSE(index.Search(*q).ok());
  q = ParseQueryText(R"({"text":"cake"})", index.tiers());
  r = index.Search(*q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->total, 1);
  EXPECT_EQ(r->hits[0].handle, "pastry_chef");
}

TEST(IndexTest, LookalikeGraphRecallAgainstExactSearch) {
  CreatorIndex index;
  Analyzer analyzer;
  demo::PopulationGenerator gen({.creators = 6000, .seed = 3});
  model::Creator c;
  int64_t id = 0;
  while (gen.Next(&c)) {
    for (model::Account& a : c.accounts) {
      a.id = ++id;
      a.creator_id = id;
      index.Upsert(DocFromAccount(a, analyzer));
    }
  }
  index.BuildLookalikeGraph(2);
  double hits = 0;
  double total = 0;
  for (int64_t probe = 1; probe <= id; probe += id / 100) {
    auto exact = index.ExactLookalikes(probe, 50);
    auto approx = index.ApproximateLookalikes(probe, 50);
    std::set<int64_t> truth(exact.begin(), exact.end());
    for (int64_t a : approx) hits += truth.count(a) > 0 ? 1.0 : 0.0;
    total += static_cast<double>(exact.size());
  }
  // Near-duplicate vectors tie at the 50th place, so exact overlap is a lower bound on quality.
  EXPECT_GE(hits / total, 0.9);
  auto exact = index.ExactLookalikes(1, 50);
  ASSERT_EQ(exact.size(), 50U);
  EXPECT_GE(*index.LookalikeSimilarity(1, exact.front()),
            *index.LookalikeSimilarity(1, exact.back()));
  EXPECT_NEAR(*index.LookalikeSimilarity(1, 1), 1.0F, 1e-5F);
  EXPECT_FALSE(index.LookalikeSimilarity(1, id + 1).has_value());
}

}  // namespace
}  // namespace seedcast::search
