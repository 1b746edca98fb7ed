// The storage suite: every test runs against SQLite and against a real PostgreSQL server.
#include "storage/creator_store.h"

#include <gtest/gtest.h>

#include "storage/migrations.h"
#include "storage/postgres/postgres_database.h"
#include "storage/testing/test_database.h"

namespace seedcast::storage {
namespace {

using model::Account;
using model::Creator;

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto created = testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    test_db_ = std::move(created).value();
    db_ = &test_db_->db();
    url_ = test_db_->url();
    store_ = std::make_unique<CreatorStore>(*db_, clock_);
  }

  static Account MakeAccount(const std::string& platform, const std::string& handle,
                             int64_t followers) {
    Account a;
    a.platform = platform;
    a.handle = handle;
    a.followers = followers;
    a.following = 500;
    a.posts = 120;
    a.engagement_rate = 0.031;
    a.bio = "Skincare & travel ✈️";
    a.niches = {"beauty", "travel"};
    a.country = "US";
    a.language = "en";
    a.audience.countries = {{"US", 0.55}, {"GB", 0.1}};
    a.audience.genders = {{"female", 0.8}, {"male", 0.2}};
    a.audience.ages = {{"18-24", 0.45}, {"25-34", 0.35}};
    a.rates_cents = {{"post", 25'000}};
    a.has_profile_pic = true;
    return a;
  }

  FakeClock clock_{1'700'000'000'000};
  std::unique_ptr<testing::TestDatabase> test_db_;
  Database* db_ = nullptr;
  std::string url_;
  std::unique_ptr<CreatorStore> store_;
};

TEST_P(StoreTest, MigrationsApplyOnceAndRecordTheirVersion) {
  auto version = SchemaVersion(*db_);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());
  auto again = Migrate(*db_, clock_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  // A second connection sees the same schema and has nothing to do either.
  auto other = OpenDatabase(url_);
  ASSERT_TRUE(other.ok());
  auto from_other = Migrate(**other, clock_);
  ASSERT_TRUE(from_other.ok());
  EXPECT_EQ(*from_other, 0);
  auto tables = db_->QueryInt("SELECT COUNT(*) FROM ledger_entries");
  EXPECT_TRUE(tables.ok()) << "the commerce schema exists: " << tables.status().ToString();
}

TEST_P(StoreTest, UpsertCreatesThenUpdatesWithoutDuplicating) {
  CreatorFields who{.ref = "", .name = "Ana Lima 🌸", .country = "BR", .language = "pt"};
  auto first = store_->UpsertAccount(who, MakeAccount("instagram", "ana.lima", 12'000));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);

  Account update;
  update.platform = "instagram";
  update.handle = "ana.lima";
  update.followers = 13'500;
  clock_.AdvanceMs(1'000);
  auto second = store_->UpsertAccount({}, update);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->account_id, first->account_id);
  EXPECT_EQ(*store_->CountAccounts(), 1);
  EXPECT_EQ(*store_->CountCreators(), 1);

  auto got = store_->GetCreator(first->creator_id);
  ASSERT_TRUE(got.ok() && got->has_value());
  const Creator& c = **got;
  EXPECT_EQ(c.name, "Ana Lima 🌸");
  ASSERT_EQ(c.accounts.size(), 1U);
  const Account& a = c.accounts[0];
  EXPECT_EQ(a.followers, 13'500);
  EXPECT_EQ(a.following, 500) << "fields absent from the update are kept";
  EXPECT_EQ(a.bio, "Skincare & travel ✈️");
  EXPECT_EQ(a.niches, (std::vector<std::string>{"beauty", "travel"}));
  EXPECT_EQ(a.audience, MakeAccount("x", "y", 1).audience);
  EXPECT_EQ(a.rates_cents.at("post"), 25'000);
  EXPECT_EQ(a.has_profile_pic, true);
  EXPECT_FALSE(a.is_private.has_value());
  EXPECT_DOUBLE_EQ(*a.engagement_rate, 0.031);
  EXPECT_EQ(a.updated_at_ms, clock_.NowMs());
}

TEST_P(StoreTest, RefGroupsAccountsIntoOneCreator) {
  CreatorFields who{.ref = "crm-42", .name = "李小龍", .country = "", .language = ""};
  auto ig = store_->UpsertAccount(who, MakeAccount("instagram", "lee", 50'000));
  auto tt = store_->UpsertAccount(who, MakeAccount("tiktok", "lee", 900'000));
  ASSERT_TRUE(ig.ok() && tt.ok());
  EXPECT_EQ(ig->creator_id, tt->creator_id);
  EXPECT_EQ(*store_->CountCreators(), 1);
  auto found = store_->FindByHandle("lee", "");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1U);
  EXPECT_EQ((*found)[0].accounts.size(), 2U);
  EXPECT_EQ((*found)[0].MaxFollowers(), 900'000);
  auto only_tt = store_->FindByHandle("lee", "tiktok");
  ASSERT_TRUE(only_tt.ok());
  EXPECT_EQ(only_tt->size(), 1U);
  EXPECT_TRUE(store_->FindByHandle("nobody", "")->empty());
}

TEST_P(StoreTest, FailedTransactionLeavesNothingBehind) {
  Status s = InTransaction(*db_, [&]() -> Status {
    Creator c;
    c.name = "first";
    c.accounts = {MakeAccount("youtube", "dup", 100)};
    SEEDCAST_RETURN_IF_ERROR(store_->InsertCreator(c));
    Creator again;
    again.name = "second";
    again.accounts = {MakeAccount("youtube", "dup", 200)};
    return store_->InsertCreator(again);  // same (platform, handle): conflict
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(*store_->CountCreators(), 0);
  EXPECT_EQ(*store_->CountAccounts(), 0);
}

TEST_P(StoreTest, CommittedTransactionIsVisibleToAnotherConnection) {
  ASSERT_TRUE(InTransaction(*db_, [&]() -> Status {
                Creator c;
                c.accounts = {MakeAccount("instagram", "visible", 1'000)};
                return store_->InsertCreator(c);
              }).ok());
  auto other = OpenDatabase(url_);
  ASSERT_TRUE(other.ok());
  CreatorStore other_store(**other, clock_);
  EXPECT_EQ(*other_store.CountAccounts(), 1);
}

TEST_P(StoreTest, InvalidAccountIsRefusedWithTheFieldNamed) {
  Account bad = MakeAccount("instagram", "bad", 10);
  bad.engagement_rate = 3.0;
  auto r = store_->UpsertAccount({}, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("engagement_rate"), std::string::npos);
  EXPECT_EQ(*store_->CountAccounts(), 0);
}

TEST_P(StoreTest, ForEachCreatorStreamsInIdOrderWithAccountsGrouped) {
  ASSERT_TRUE(InTransaction(*db_, [&]() -> Status {
                for (int i = 0; i < 50; ++i) {
                  Creator c;
                  c.ref = "r" + std::to_string(i);
                  c.accounts = {MakeAccount("instagram", "h" + std::to_string(i), 1'000 + i)};
                  if (i % 2 == 0)
                    c.accounts.push_back(MakeAccount("tiktok", "t" + std::to_string(i), 7));
                  SEEDCAST_RETURN_IF_ERROR(store_->InsertCreator(c));
                }
                return Status::Ok();
              }).ok());
  int64_t last_id = 0;
  int creators = 0;
  int accounts = 0;
  ASSERT_TRUE(store_
                  ->ForEachCreator([&](const Creator& c) {
                    EXPECT_GT(c.id, last_id);
                    last_id = c.id;
                    EXPECT_EQ(c.accounts.size(), creators % 2 == 0 ? 2U : 1U);
                    ++creators;
                    accounts += static_cast<int>(c.accounts.size());
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(creators, 50);
  EXPECT_EQ(accounts, 75);
  int streamed = 0;
  ASSERT_TRUE(store_
                  ->ForEachAccount([&](const Account&) {
                    ++streamed;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(streamed, 75);
}

TEST_P(StoreTest, CallbackFailureStopsTheStream) {
  ASSERT_TRUE(InTransaction(*db_, [&]() -> Status {
                for (int i = 0; i < 5; ++i) {
                  Creator c;
                  c.accounts = {MakeAccount("instagram", "s" + std::to_string(i), 10)};
                  SEEDCAST_RETURN_IF_ERROR(store_->InsertCreator(c));
                }
                return Status::Ok();
              }).ok());
  int seen = 0;
  Status s = store_->ForEachCreator(
      [&](const Creator&) { return ++seen == 2 ? InvalidArgument("stop") : Status::Ok(); });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(*store_->CountCreators(), 5) << "the connection is still usable";
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(DatabaseUrlTest, UnknownSchemesAreRefused) {
  auto r = OpenDatabase("mysql://localhost/x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("sqlite:"), std::string::npos);
  EXPECT_FALSE(OpenDatabase("sqlite:").ok());
}

TEST(DatabaseUrlTest, PlaceholdersAreRewrittenOutsideQuotes) {
  EXPECT_EQ(PostgresDatabase::RewritePlaceholders("SELECT ?, '?' WHERE a = ?"),
            "SELECT $1, '?' WHERE a = $2");
}

}  // namespace
}  // namespace seedcast::storage
