// Accounts on SQLite and on a real PostgreSQL, with a fake clock: sessions (tokens, expiry, idle
// timeout, revocation, password changes), the sign-in throttle, email tokens (single use,
// expiry), bad input changing nothing, personal data absent from a dump of the database, and key
// rotation.
#include "app/accounts.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/audit.h"
#include "app/creators.h"
#include "app/keys.h"
#include "app/onboarding.h"
#include "app/private_data.h"
#include "app/secrets.h"
#include "storage/testing/temp_postgres.h"
#include "storage/testing/test_database.h"

namespace seedcast::app {
namespace {

constexpr const char* kPassword = "a long enough passphrase 42";
constexpr int64_t kMinute = 60'000;

class AccountsTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    auto db = storage::testing::TestDatabase::Create(GetParam(), clock_);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    dir_ = fmt::format("{}/seedcast-accounts-{}-{}", ::testing::TempDir(), getpid(), GetParam());
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

  User MakeUser(const std::string& email, const std::string& role = "creator", int64_t org = 0) {
    auto u = CreateUser(*ctx_, {.email = email, .password = kPassword, .role = role, .org_id = org},
                        "test");
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : User{};
  }
  int64_t Count(const std::string& sql) {
    auto db = ctx_->pool().Acquire();
    EXPECT_TRUE(db.ok());
    auto n = (*db)->QueryInt(sql);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }
  // The token in the newest mail whose body has "NAME-token: ..." (the tests read the mail
  // directory, as a user reads their inbox).
  std::string TokenFromMail(const std::string& name) {
    std::string newest;
    for (const auto& f : std::filesystem::directory_iterator(config_.accounts.mail_dir)) {
      const std::string p = f.path().string();
      if (p.ends_with(".eml") && p > newest) newest = p;
    }
    std::ifstream in(newest);
    std::stringstream text;
    text << in.rdbuf();
    const std::string body = text.str();
    const std::string marker = name + "-token: ";
    const size_t at = body.find(marker);
    if (at == std::string::npos) return "";
    const size_t start = at + marker.size();
    return body.substr(start, body.find_first_of("\r\n", start) - start);
  }

  FakeClock clock_{1'790'000'000'000};
  config::Config config_;
  std::string dir_;
  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<AppContext> ctx_;
  const ClientInfo client_{.address = "192.0.2.7", .user_agent = "test"};
};

TEST_P(AccountsTest, SessionsAreFreshOpaqueAndStoredHashed) {
  MakeUser("Ann@Example.org");
  auto a = SignIn(*ctx_, "ann@example.org", kPassword, client_);
  auto b = SignIn(*ctx_, "  ANN@example.org ", kPassword, client_);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString();
  EXPECT_NE(a->token, b->token);
  EXPECT_NE(a->csrf_token, b->csrf_token);
  EXPECT_GE(a->token.size(), 4u + 43u);  // "scs_" + 256 bits in base64url
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM sessions WHERE token_hash = '{}'",
                              HashHex(a->token))),
            1);
  EXPECT_EQ(Count(fmt::format("SELECT COUNT(*) FROM sessions WHERE token_hash = '{}'", a->token)),
            0);
  auto p = AuthenticateSession(*ctx_, a->token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->role, "creator");
  EXPECT_NE(p->creator_id, 0);
  EXPECT_EQ(p->csrf_token, a->csrf_token);
  EXPECT_EQ(AuthenticateSession(*ctx_, "scs_forged").status().reason(), "bad_session");
}

TEST_P(AccountsTest, SessionsEndWhenIdleOrOldOrRevoked) {
  MakeUser("idle@example.org");
  auto in = SignIn(*ctx_, "idle@example.org", kPassword, client_);
  ASSERT_TRUE(in.ok());
  // Used every 20 minutes, it lives until its absolute lifetime (12 hours) ends.
  for (int i = 0; i < 35; ++i) {
    clock_.AdvanceMs(20 * kMinute);
    ASSERT_TRUE(AuthenticateSession(*ctx_, in->token).ok()) << "after " << (i + 1) * 20 << " min";
  }
  clock_.AdvanceMs(20 * kMinute);
  EXPECT_EQ(AuthenticateSession(*ctx_, in->token).status().reason(), "session_expired");

  auto idle = SignIn(*ctx_, "idle@example.org", kPassword, client_);
  ASSERT_TRUE(idle.ok());
  clock_.AdvanceMs(31 * kMinute);
  EXPECT_EQ(AuthenticateSession(*ctx_, idle->token).status().reason(), "session_idle");

  auto revoked = SignIn(*ctx_, "idle@example.org", kPassword, client_);
  ASSERT_TRUE(revoked.ok());
  auto p = AuthenticateSession(*ctx_, revoked->token);
  ASSERT_TRUE(p.ok());
  auto listed = ListSessions(*ctx_, *p);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);  // the expired and idle ones are not listed
  EXPECT_TRUE((*listed)[0].current);
  ASSERT_TRUE(SignOut(*ctx_, *p, client_).ok());
  EXPECT_EQ(AuthenticateSession(*ctx_, revoked->token).status().reason(), "session_revoked");
}

TEST_P(AccountsTest, APasswordChangeEndsTheOtherSessionsWhenAsked) {
  MakeUser("pw@example.org");
  auto one = SignIn(*ctx_, "pw@example.org", kPassword, client_);
  auto two = SignIn(*ctx_, "pw@example.org", kPassword, client_);
  auto three = SignIn(*ctx_, "pw@example.org", kPassword, client_);
  ASSERT_TRUE(one.ok() && two.ok() && three.ok());
  auto p = AuthenticateSession(*ctx_, one->token);
  ASSERT_TRUE(p.ok());
  const std::string next = "an entirely new passphrase";
  EXPECT_EQ(ChangePassword(*ctx_, *p,
                           {.current_password = "wrong wrong wrong", .new_password = next}, client_)
                .status()
                .field(),
            "current_password");
  auto kept = ChangePassword(
      *ctx_, *p, {.current_password = kPassword, .new_password = next, .end_other_sessions = false},
      client_);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(*kept, 0);
  EXPECT_TRUE(AuthenticateSession(*ctx_, two->token).ok());
  auto ended =
      ChangePassword(*ctx_, *p, {.current_password = next, .new_password = kPassword}, client_);
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(*ended, 2);
  EXPECT_TRUE(AuthenticateSession(*ctx_, one->token).ok());
  EXPECT_FALSE(AuthenticateSession(*ctx_, two->token).ok());
  EXPECT_FALSE(AuthenticateSession(*ctx_, three->token).ok());
  EXPECT_TRUE(SignIn(*ctx_, "pw@example.org", kPassword, client_).ok());
}

TEST_P(AccountsTest, TenFailuresPerAccountThrottleItForFifteenMinutes) {
  MakeUser("target@example.org");
  for (int i = 0; i < 10; ++i) {
    clock_.AdvanceMs(1000);
    EXPECT_EQ(SignIn(*ctx_, "target@example.org", "not the password!", client_).status().code(),
              StatusCode::kUnauthenticated);
  }
  // The right password is not even checked now.
  auto throttled = SignIn(*ctx_, "target@example.org", kPassword, client_);
  ASSERT_EQ(throttled.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(throttled.status().reason(), "sign_in_throttled");
  EXPECT_GT(throttled.status().retry_after_ms(), 14 * kMinute);
  EXPECT_LE(throttled.status().retry_after_ms(), 15 * kMinute);
  // From another address too: the account's count is its own.
  EXPECT_EQ(
      SignIn(*ctx_, "target@example.org", kPassword, {.address = "198.51.100.1"}).status().code(),
      StatusCode::kResourceExhausted);
  auto events = ListEvents(*ctx_, storage::Scope::Everything(), {.kind = "sign_in_throttled"});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].detail["failures"], 10);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events WHERE kind = 'sign_in_failed'"), 10);
  clock_.AdvanceMs(15 * kMinute);
  EXPECT_TRUE(SignIn(*ctx_, "target@example.org", kPassword, client_).ok());
}

TEST_P(AccountsTest, TenFailuresFromOneAddressThrottleIt) {
  MakeUser("victim@example.org");
  for (int i = 0; i < 10; ++i) {
    (void)SignIn(*ctx_, fmt::format("guess{}@example.org", i), "not the password!", client_);
  }
  EXPECT_EQ(SignIn(*ctx_, "victim@example.org", kPassword, client_).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(SignIn(*ctx_, "victim@example.org", kPassword, {.address = "203.0.113.9"}).ok());
}

TEST_P(AccountsTest, VerificationAndResetTokensWorkOnceAndExpire) {
  const User u = MakeUser("mail@example.org");
  const std::string verify = TokenFromMail("verify-email");
  ASSERT_FALSE(verify.empty());
  ASSERT_TRUE(VerifyEmail(*ctx_, verify, client_).ok());
  EXPECT_EQ(VerifyEmail(*ctx_, verify, client_).reason(), "bad_token");  // single use
  auto after = GetUser(*ctx_, u.id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->email_verified);

  auto session = SignIn(*ctx_, "mail@example.org", kPassword, client_);
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "mail@example.org", client_).ok());
  const std::string reset = TokenFromMail("reset-password");
  ASSERT_FALSE(reset.empty());
  EXPECT_EQ(ResetPassword(*ctx_, reset, "password1234", client_).status().reason(),
            "password_common");  // the rules hold, and the token is not spent on a refusal
  auto done = ResetPassword(*ctx_, reset, "the reset passphrase 7", client_);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(*done, 1);  // the session it had is ended
  EXPECT_FALSE(AuthenticateSession(*ctx_, session->token).ok());
  EXPECT_EQ(ResetPassword(*ctx_, reset, "yet another passphrase", client_).status().reason(),
            "bad_token");
  EXPECT_TRUE(SignIn(*ctx_, "mail@example.org", "the reset passphrase 7", client_).ok());

  ASSERT_TRUE(RequestPasswordReset(*ctx_, "mail@example.org", client_).ok());
  const std::string late = TokenFromMail("reset-password");
  clock_.AdvanceMs(61 * kMinute);
  EXPECT_EQ(ResetPassword(*ctx_, late, "a late reset passphrase", client_).status().reason(),
            "bad_token");
  // An unknown email gets the same answer and no mail.
  const int64_t mails = Count("SELECT COUNT(*) FROM outbox");
  EXPECT_TRUE(RequestPasswordReset(*ctx_, "nobody@example.org", client_).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), mails);
}

TEST_P(AccountsTest, ResetMailsAreCappedAndPasswordGuessesThrottled) {
  MakeUser("cap@example.org");
  const int64_t before = Count("SELECT COUNT(*) FROM outbox");
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(RequestPasswordReset(*ctx_, "cap@example.org", client_).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), before + 3);  // at most 3 an hour
  clock_.AdvanceMs(61 * kMinute);
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "cap@example.org", client_).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), before + 4);

  auto p = AuthenticateSession(*ctx_, SignIn(*ctx_, "cap@example.org", kPassword, client_)->token);
  ASSERT_TRUE(p.ok());
  const PasswordChange guess{.current_password = "a wrong guess here",
                             .new_password = "a fresh unusual phrase 93"};
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(ChangePassword(*ctx_, *p, guess, client_).status().code(),
              StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(ChangePassword(*ctx_, *p, guess, client_).status().reason(), "sign_in_throttled");
  // The account's sign-in is throttled too: the guesses were at its password.
  EXPECT_EQ(
      SignIn(*ctx_, "cap@example.org", kPassword, {.address = "198.51.100.2"}).status().code(),
      StatusCode::kResourceExhausted);
}

TEST_P(AccountsTest, TenSignUpsAnHourFromOneAddress) {
  for (int i = 0; i < 10; ++i) {
    auto in = SignUp(
        *ctx_,
        {.email = fmt::format("new{}@example.org", i), .password = kPassword, .kind = "creator"},
        client_);
    ASSERT_TRUE(in.ok()) << i << ": " << in.status().ToString();
  }
  auto refused = SignUp(
      *ctx_, {.email = "new10@example.org", .password = kPassword, .kind = "creator"}, client_);
  ASSERT_EQ(refused.status().reason(), "sign_up_throttled");
  EXPECT_GT(refused.status().retry_after_ms(), 59 * kMinute);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE email_index IS NOT NULL"), 10);
  EXPECT_TRUE(SignUp(*ctx_,
                     {.email = "new11@example.org", .password = kPassword, .kind = "creator"},
                     {.address = "203.0.113.50"})
                  .ok());
  clock_.AdvanceMs(61 * kMinute);
  EXPECT_TRUE(SignUp(*ctx_,
                     {.email = "new12@example.org", .password = kPassword, .kind = "creator"},
                     client_)
                  .ok());
}

TEST_P(AccountsTest, BadInputNamesItsFieldAndChangesNothing) {
  auto org = CreateOrg(*ctx_, "Org", "test");
  ASSERT_TRUE(org.ok());
  struct Case {
    NewUser user;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{.email = "not-an-email", .password = kPassword, .role = "creator"}, "email"},
      {{.email = "a@b", .password = kPassword, .role = "creator"}, "email"},
      {{.email = std::string(300, 'a') + "@x.org", .password = kPassword, .role = "creator"},
       "email"},
      {{.email = "x@example.org", .password = kPassword, .role = "superuser"}, "role"},
      {{.email = "x@example.org", .password = kPassword, .role = "creator", .org_id = *org}, "org"},
      {{.email = "x@example.org", .password = kPassword, .role = "member"}, "org"},
      {{.email = "x@example.org", .password = "too short", .role = "creator"}, "password"},
      {{.email = "x@example.org", .password = std::string(300, 'z') + "q", .role = "creator"},
       "password"},
      {{.email = "x@example.org",
        .password = kPassword,
        .role = "creator",
        .creator_name = std::string(300, 'n')},
       "name"},
  };
  for (const Case& c : cases) {
    auto u = CreateUser(*ctx_, c.user, "test");
    ASSERT_FALSE(u.ok()) << c.field;
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_EQ(u.status().field(), c.field) << u.status().ToString();
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM creators"), 0);
  // A 128-character passphrase is taken whole.
  const std::string long_one = std::string(100, 'k') + " and twenty-seven more chars!";
  ASSERT_TRUE(CreateUser(*ctx_,
                         {.email = "long@example.org", .password = long_one, .role = "creator"},
                         "test")
                  .ok());
  EXPECT_FALSE(SignIn(*ctx_, "long@example.org", long_one.substr(0, 72), client_).ok());
  EXPECT_TRUE(SignIn(*ctx_, "long@example.org", long_one, client_).ok());
  EXPECT_EQ(
      CreateUser(*ctx_, {.email = "LONG@example.org", .password = long_one, .role = "creator"},
                 "test")
          .status()
          .code(),
      StatusCode::kAlreadyExists);
}

// Reads the whole database as another program would: SQLite's files, or pg_dump's output.
std::string DumpOf(const storage::testing::TestDatabase& db, const std::string& backend) {
  std::string out;
  if (backend == "sqlite") {
    const std::string path = db.url().substr(std::string("sqlite:").size());
    for (const std::string& p : {path, path + "-wal"}) {
      std::ifstream in(p, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      out += text.str();
    }
    return out;
  }
  const std::string command =
      fmt::format("{}/pg_dump '{}'", storage::testing::SharedTempPostgres().bin_dir(), db.url());
  FILE* pipe = popen(command.c_str(), "r");  // NOLINT(cert-env33-c): the test's own pg_dump
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

TEST_P(AccountsTest, ADumpOfTheDatabaseHoldsNoEmailPhoneOrAddress) {
  for (int i = 0; i < 5; ++i) MakeUser(fmt::format("dump.secret.{}@private-example.org", i));
  ASSERT_TRUE(RequestPasswordReset(*ctx_, "dump.secret.3@private-example.org", client_).ok());
  // Creators' contacts, from an import (one row's email is malformed: that row alone is refused)
  // and from a creator adding their shipping address.
  const std::string csv = dir_ + "/contacts.csv";
  {
    std::ofstream out(csv);
    out << "handle,followers,email,phone,shipping address\n"
        << "alpha_one,1200,alpha.secret@hidden-mail.org,+44 20 7946 0001,\"77 Secretive Road, "
           "Leeds\"\n"
        << "beta_two,3400,not-an-email,+44 20 7946 0002,1 Nowhere Street\n"
        << "gamma_three,5600,gamma.secret@hidden-mail.org,,\n";
  }
  ingest::ImportOptions options;
  options.path = csv;
  options.platform = "instagram";
  auto summary = ImportCreators(*ctx_, options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->created, 2);
  EXPECT_EQ(summary->rejected, 1);
  const User creator = MakeUser("own.address@private-example.org");
  auto p = AuthenticateSession(
      *ctx_, SignIn(*ctx_, "own.address@private-example.org", kPassword, client_)->token);
  ASSERT_TRUE(p.ok());
  auto mine = UpdateMyContact(*ctx_, *p, {{"address", "9 Quietplace Avenue"}});
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(MyContact(*ctx_, *p)->address, "9 Quietplace Avenue");
  EXPECT_EQ(UpdateMyContact(*ctx_, *p, {{"phone", "call me maybe"}}).status().field(), "phone");
  Principal op{.kind = "session", .role = "operator"};
  auto found = FindCreators(*ctx_, "alpha_one", "instagram");
  ASSERT_TRUE(found.ok() && found->size() == 1);
  auto alpha = ReadContact(*ctx_, op, found->front().id, client_);
  ASSERT_TRUE(alpha.ok()) << alpha.status().ToString();
  EXPECT_EQ(alpha->email, "alpha.secret@hidden-mail.org");
  EXPECT_EQ(alpha->address, "77 Secretive Road, Leeds");

  const std::string dump = DumpOf(*db_, GetParam());
  ASSERT_GT(dump.size(), 1000u);
  EXPECT_NE(dump.find("email_sealed"), std::string::npos);  // it is a dump of these tables
  EXPECT_NE(dump.find("alpha_one"), std::string::npos);     // public data is there in clear
  for (const char* secret : {"private-example", "dump.secret", "hidden-mail", "Secretive",
                             "Quietplace", "7946", "own.address"}) {
    EXPECT_EQ(dump.find(secret), std::string::npos) << secret;
  }
}

TEST_P(AccountsTest, RotationSealsEverythingAgainAndSignInStillWorks) {
  std::vector<int64_t> ids(3);
  for (int i = 0; i < 3; ++i) ids[i] = MakeUser(fmt::format("rot{}@example.org", i)).id;
  // Another server, running on the old key ring through the rotation.
  auto other = AppContext::Open(config_, clock_, {.pool_size = 2, .follow_changes = false});
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(GetUser(**other, ids[0])->email, "rot0@example.org");
  auto report = RotateKeys(*ctx_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->key_id, 2);
  EXPECT_EQ(report->resealed, 3 + 3 * 2);  // emails, and each verification mail's to and body
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users WHERE email_sealed LIKE 'sc1:2:%'"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox WHERE to_sealed LIKE 'sc1:1:%'"), 0);
  auto ring = KeyRing::Load(config_.accounts.key_file);
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(ring->BlindIndexes("x").size(), 1u);  // the old key is retired
  EXPECT_TRUE(SignIn(*ctx_, "rot1@example.org", kPassword, client_).ok());
  EXPECT_EQ(MakeUser("rot3@example.org").email, "rot3@example.org");
  // The other server meets values under a key it never loaded: it reads the key file again.
  auto after = GetUser(**other, ids[2]);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->email, "rot2@example.org");
  EXPECT_TRUE(SignIn(**other, "rot2@example.org", kPassword, client_).ok());
}

TEST_P(AccountsTest, AddedAccountsWaitForReviewAndOnlyApprovedOnesAreListed) {
  MakeUser("maker@example.org");
  auto p =
      AuthenticateSession(*ctx_, SignIn(*ctx_, "maker@example.org", kPassword, client_)->token);
  ASSERT_TRUE(p.ok());
  model::Account small{.platform = "Instagram", .handle = "@Tiny_Start", .followers = 40};
  auto tiny = AddMyAccount(*ctx_, *p, small, client_);
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ(tiny->status, "pending");
  EXPECT_EQ(tiny->handle, "tiny_start");
  EXPECT_FALSE(tiny->gate_passed);
  ASSERT_FALSE(tiny->reasons.empty());
  EXPECT_NE(tiny->reasons[0].find("below the minimum of 100"), std::string::npos)
      << tiny->reasons[0];
  model::Account solid{.platform = "tiktok",
                       .handle = "solid_maker",
                       .followers = 24'000,
                       .following = 310,
                       .posts = 420,
                       .engagement_rate = 0.045,
                       .has_profile_pic = true};
  auto good = AddMyAccount(*ctx_, *p, solid, client_);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->status, "pending");
  EXPECT_TRUE(good->gate_passed) << fmt::format("{}", fmt::join(good->reasons, "; "));
  EXPECT_EQ(AddMyAccount(*ctx_, *p, solid, client_).status().code(), StatusCode::kAlreadyExists);
  model::Account bad{.platform = "tiktok", .handle = "bad_one", .followers = -5};
  EXPECT_EQ(AddMyAccount(*ctx_, *p, bad, client_).status().code(), StatusCode::kInvalidArgument);

  const Principal op{.kind = "session", .role = "operator"};
  auto pending = PendingReviews(*ctx_, op, 10);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);
  EXPECT_EQ(PendingReviews(*ctx_, *p, 10).status().code(), StatusCode::kPermissionDenied);
  auto approved = ReviewAccount(*ctx_, op, good->account_id, "approve", "looks real", client_);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, "approved");
  EXPECT_EQ(ReviewAccount(*ctx_, op, good->account_id, "reject", "", client_).status().reason(),
            "not_pending");
  ASSERT_TRUE(ReviewAccount(*ctx_, op, tiny->account_id, "reject", "too small", client_).ok());
  ASSERT_TRUE(ctx_->LoadIndex().ok());
  auto index = ctx_->Index();
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE((*index)->CreatorOf(good->account_id).has_value());
  EXPECT_FALSE((*index)->CreatorOf(tiny->account_id).has_value());
  auto mine = MyAccounts(*ctx_, *p);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].status, "rejected");
  EXPECT_EQ(ListEvents(*ctx_, storage::Scope::Everything(), {.kind = "account_reviewed"})->size(),
            2u);
}

TEST_P(AccountsTest, WhereConfiguredTheGateDecidesAlone) {
  config_.onboarding.gate_decides = true;
  ctx_.reset();
  auto ctx = AppContext::Open(config_, clock_, {.pool_size = 4, .follow_changes = false});
  ASSERT_TRUE(ctx.ok());
  ctx_ = std::move(ctx).value();
  MakeUser("auto@example.org");
  auto p = AuthenticateSession(*ctx_, SignIn(*ctx_, "auto@example.org", kPassword, client_)->token);
  ASSERT_TRUE(p.ok());
  auto tiny = AddMyAccount(
      *ctx_, *p, {.platform = "instagram", .handle = "auto_tiny", .followers = 12}, client_);
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(tiny->status, "rejected");
  auto good = AddMyAccount(*ctx_, *p,
                           {.platform = "instagram",
                            .handle = "auto_good",
                            .followers = 8'000,
                            .following = 400,
                            .posts = 300,
                            .engagement_rate = 0.05,
                            .has_profile_pic = true},
                           client_);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->status, good->gate_passed ? "approved" : "rejected");
  EXPECT_TRUE(good->gate_passed) << fmt::format("{}", fmt::join(good->reasons, "; "));
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace seedcast::app
