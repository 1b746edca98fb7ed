// The demo's sign-ins on SQLite and on a real PostgreSQL: the three users sign in with the
// passwords they were given, as who they should be; a second run refreshes the same users (new
// passwords, the old ones and their sessions ended, no duplicates) and follows the creator to a
// new row; the passwords meet the rules; no verification mail is queued.
#include "app/demo_accounts.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/passwords.h"
#include "app/secrets.h"
#include "storage/testing/test_database.h"

namespace seedcast::app {
namespace {

// "xxxxx-xxxxx-xxxxx-xxxxx" of lower-case letters and digits.
bool HasDemoShape(const std::string& password) {
  if (password.size() != 23) return false;
  for (size_t i = 0; i < password.size(); ++i) {
    const char c = password[i];
    const bool ok = i % 6 == 5 ? c == '-' : ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    if (!ok) return false;
  }
  return true;
}

class DemoAccountsTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    dir_ =
        fmt::format("{}/seedcast-demo-accounts-{}-{}", ::testing::TempDir(), getpid(), GetParam());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_.db_url = db_->url();
    config_.accounts.key_file = dir_ + "/seedcast.key";
    config_.accounts.mail_dir = dir_ + "/mail";
    ASSERT_TRUE(KeyRing::Init(config_.accounts.key_file, clock_.NowMs()).ok());
    auto ctx = AppContext::Open(config_, clock_, {.pool_size = 4, .follow_changes = false});
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(ctx).value();
  }
  void TearDown() override {
    ctx_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t Count(const std::string& sql) {
    auto n = db_->db().QueryInt(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  int64_t NewCreator(const std::string& name) {
    auto id = db_->db().Insert(
        "INSERT INTO creators (ref, name, created_at_ms, updated_at_ms) VALUES (?, ?, 0, 0)",
        {std::string_view("demo-" + name), std::string_view(name)});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  std::vector<DemoUser> Users(int64_t org, int64_t creator) const {
    return {{.email = "brand@demo.seedcast.test", .role = "owner", .org_id = org},
            {.email = "creator@demo.seedcast.test", .role = "creator", .creator_id = creator},
            {.email = "operator@demo.seedcast.test", .role = "operator"}};
  }
  Result<Principal> SignInAs(const DemoSignIn& in) {
    SEEDCAST_ASSIGN_OR_RETURN(SignedIn s, SignIn(*ctx_, in.user.email, in.password, client_));
    return AuthenticateSession(*ctx_, s.token);
  }

  FakeClock clock_{1'790'000'000'000};
  config::Config config_;
  std::string dir_;
  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<AppContext> ctx_;
  const ClientInfo client_{.address = "127.0.0.1", .user_agent = "test"};
};

TEST_P(DemoAccountsTest, EachUserSignsInWithItsPasswordAsWhoItShouldBe) {
  auto org = EnsureOrg(*ctx_, "Demo Brand", "demo");
  ASSERT_TRUE(org.ok()) << org.status().ToString();
  const int64_t creator = NewCreator("ana");
  auto made = RefreshDemoUsers(*ctx_, Users(*org, creator), "demo");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->size(), 3u);
  for (const DemoSignIn& in : *made) {
    SCOPED_TRACE(in.user.email);
    EXPECT_TRUE(HasDemoShape(in.password)) << in.password;
    EXPECT_TRUE(in.user.email_verified);
    auto p = SignInAs(in);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->role, in.user.role);
  }
  auto owner = SignInAs((*made)[0]);
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->org_id, *org);
  EXPECT_TRUE(owner->manages_org());
  auto as_creator = SignInAs((*made)[1]);
  ASSERT_TRUE(as_creator.ok());
  EXPECT_EQ(as_creator->creator_id, creator);
  EXPECT_TRUE(SignInAs((*made)[2])->is_operator());
  // No creator row of its own was made for the creator user, and no mail queued.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM creators"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
  // The passwords are nowhere in the security log.
  for (const DemoSignIn& in : *made) {
    EXPECT_EQ(
        Count("SELECT COUNT(*) FROM security_events WHERE detail LIKE '%" + in.password + "%'"), 0);
  }
}

TEST_P(DemoAccountsTest, ASecondRunRefreshesTheSameUsers) {
  auto org = EnsureOrg(*ctx_, "Demo Brand", "demo");
  ASSERT_TRUE(org.ok());
  auto first = RefreshDemoUsers(*ctx_, Users(*org, NewCreator("ana")), "demo");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto session = SignIn(*ctx_, (*first)[0].user.email, (*first)[0].password, client_);
  ASSERT_TRUE(session.ok());
  for (int i = 0; i < 3; ++i) {  // failures that would count towards the throttle
    EXPECT_FALSE(SignIn(*ctx_, (*first)[0].user.email, "wrong password here", client_).ok());
  }

  auto again_org = EnsureOrg(*ctx_, "Demo Brand", "demo");
  ASSERT_TRUE(again_org.ok());
  EXPECT_EQ(*again_org, *org);
  const int64_t next_creator = NewCreator("bruno");
  auto second = RefreshDemoUsers(*ctx_, Users(*org, next_creator), "demo");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM orgs"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sign_in_failures"), 0);
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE((*second)[i].user.email);
    EXPECT_EQ((*second)[i].user.id, (*first)[i].user.id);
    EXPECT_NE((*second)[i].password, (*first)[i].password);
    EXPECT_EQ(
        SignIn(*ctx_, (*first)[i].user.email, (*first)[i].password, client_).status().reason(),
        "bad_credentials");
    EXPECT_TRUE(SignInAs((*second)[i]).ok());
  }
  EXPECT_FALSE(AuthenticateSession(*ctx_, session->token).ok());  // ended with the old password
  EXPECT_EQ(SignInAs((*second)[1])->creator_id, next_creator);
}

TEST_P(DemoAccountsTest, PasswordsMeetTheRulesAndACreatorNeedsARow) {
  for (int i = 0; i < 50; ++i) {
    auto p = NewDemoPassword("brand@demo.seedcast.test");
    ASSERT_TRUE(p.ok());
    const std::vector<std::string> context = {"seedcast", "brand"};
    EXPECT_TRUE(CheckNewPassword(*p, context).ok()) << *p;
  }
  auto refused =
      RefreshDemoUsers(*ctx_, {{.email = "creator@demo.seedcast.test", .role = "creator"}}, "demo");
  EXPECT_EQ(refused.status().field(), "creator_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DemoAccountsTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::app
