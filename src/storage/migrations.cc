#include "storage/migrations.h"

#include <string_view>

#include "storage/schema_library.h"
#include "storage/schema_outcomes.h"
#include "storage/schema_tracking.h"
#include "storage/schema_webhooks.h"

namespace seedcast::storage {
namespace {

struct Migration {
  MigrationInfo info;
  std::string_view sql;  // with {{pk}}, {{int}}, {{real}} type tokens
  // Run after `sql` on one backend only (triggers, whose syntax differs).
  std::string_view sqlite_sql = {};
  std::string_view postgres_sql = {};
};

// Creators and their platform accounts. Lists and maps that are read and written whole (niches,
// audience, rates) are stored as text; the search index keeps them in decoded form.
constexpr std::string_view kCreators = R"sql(
CREATE TABLE creators (
  id {{pk}},
  ref TEXT,
  name TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL
);
CREATE TABLE accounts (
  id {{pk}},
  creator_id {{int}} NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform TEXT NOT NULL,
  handle TEXT NOT NULL,
  followers {{int}} CHECK (followers >= 0),
  following {{int}} CHECK (following >= 0),
  posts {{int}} CHECK (posts >= 0),
  engagement_rate {{real}} CHECK (engagement_rate >= 0 AND engagement_rate <= 1),
  avg_views {{int}} CHECK (avg_views >= 0),
  bio TEXT NOT NULL DEFAULT '',
  niches TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  audience TEXT NOT NULL DEFAULT '{}',
  rates_cents TEXT NOT NULL DEFAULT '{}',
  has_profile_pic {{int}},
  is_private {{int}},
  external_url TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL DEFAULT '{}',
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL,
  UNIQUE (platform, handle)
);
CREATE UNIQUE INDEX creators_by_ref ON creators (ref) WHERE ref IS NOT NULL;
CREATE INDEX accounts_by_creator ON accounts (creator_id);
CREATE INDEX accounts_by_updated ON accounts (updated_at_ms);
)sql";

// The campaign side of the product: brands, products, campaigns, assignments with their audit log,
// posts, assets, a double-entry ledger in integer cents, and encrypted personal data.
constexpr std::string_view kCommerce = R"sql(
CREATE TABLE brands (
  id {{pk}},
  name TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE products (
  id {{pk}},
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  name TEXT NOT NULL,
  sku TEXT,
  asin TEXT,
  price_cents {{int}} NOT NULL CHECK (price_cents >= 0),
  units_available {{int}} NOT NULL DEFAULT 0 CHECK (units_available >= 0),
  niche TEXT NOT NULL DEFAULT '',
  image_urls TEXT NOT NULL DEFAULT '[]',
  created_at_ms {{int}} NOT NULL,
  UNIQUE (brand_id, sku)
);
CREATE TABLE campaigns (
  id {{pk}},
  brand_id {{int}} NOT NULL REFERENCES brands(id),
  name TEXT NOT NULL,
  goal TEXT NOT NULL,
  compensation TEXT NOT NULL,
  spec TEXT NOT NULL DEFAULT '{}',
  target_completions {{int}} NOT NULL CHECK (target_completions > 0),
  confidence {{real}} NOT NULL DEFAULT 0.95,
  budget_cents {{int}},
  status TEXT NOT NULL DEFAULT 'draft',
  starts_at_ms {{int}},
  ends_at_ms {{int}},
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE campaign_products (
  campaign_id {{int}} NOT NULL REFERENCES campaigns(id),
  product_id {{int}} NOT NULL REFERENCES products(id),
  PRIMARY KEY (campaign_id, product_id)
);
CREATE TABLE assignments (
  id {{pk}},
  campaign_id {{int}} NOT NULL REFERENCES campaigns(id),
  creator_id {{int}} NOT NULL REFERENCES creators(id),
  account_id {{int}} REFERENCES accounts(id),
  product_id {{int}} REFERENCES products(id),
  state TEXT NOT NULL,
  p_complete {{real}},
  due_at_ms {{int}},
  version {{int}} NOT NULL DEFAULT 0,
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL,
  UNIQUE (campaign_id, creator_id)
);
CREATE TABLE assignment_events (
  id {{pk}},
  assignment_id {{int}} NOT NULL REFERENCES assignments(id),
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  at_ms {{int}} NOT NULL
);
CREATE INDEX assignment_events_by_assignment ON assignment_events (assignment_id);
CREATE TABLE posts (
  id {{pk}},
  assignment_id {{int}} REFERENCES assignments(id),
  account_id {{int}} REFERENCES accounts(id),
  url TEXT NOT NULL DEFAULT '',
  caption TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  posted_at_ms {{int}},
  verified_at_ms {{int}},
  removed_at_ms {{int}},
  metrics TEXT NOT NULL DEFAULT '{}',
  verdict TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE assets (
  id {{pk}},
  post_id {{int}} REFERENCES posts(id),
  campaign_id {{int}} REFERENCES campaigns(id),
  creator_id {{int}} REFERENCES creators(id),
  kind TEXT NOT NULL,
  uri TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  usage_rights TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE ledger_transactions (
  id {{pk}},
  idempotency_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  campaign_id {{int}} REFERENCES campaigns(id),
  assignment_id {{int}} REFERENCES assignments(id),
  memo TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE ledger_entries (
  id {{pk}},
  transaction_id {{int}} NOT NULL REFERENCES ledger_transactions(id),
  ledger_account TEXT NOT NULL,
  amount_cents {{int}} NOT NULL
);
CREATE INDEX ledger_entries_by_account ON ledger_entries (ledger_account);
CREATE TABLE creator_private (
  creator_id {{int}} PRIMARY KEY REFERENCES creators(id) ON DELETE CASCADE,
  sealed TEXT NOT NULL,
  updated_at_ms {{int}} NOT NULL
);
)sql";

// Search fields (recent captions, the audience quality score) and the change feed the search index
// follows: every insert, update or delete of an account, and every change to a booking, appends a
// row to index_changes in the writer's own transaction, whichever process or path wrote it.
constexpr std::string_view kSearch = R"sql(
ALTER TABLE accounts ADD COLUMN captions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE accounts ADD COLUMN quality_score {{real}}
  CHECK (quality_score >= 0 AND quality_score <= 1);
CREATE TABLE index_changes (
  seq {{pk}},
  kind TEXT NOT NULL,
  ref_id {{int}} NOT NULL
);
CREATE INDEX assignments_by_creator ON assignments (creator_id);
)sql";

constexpr std::string_view kSearchSqlite = R"sql(
CREATE TRIGGER accounts_inserted AFTER INSERT ON accounts
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('account', NEW.id); END;
CREATE TRIGGER accounts_updated AFTER UPDATE ON accounts
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('account', NEW.id); END;
CREATE TRIGGER accounts_deleted AFTER DELETE ON accounts
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('account', OLD.id); END;
CREATE TRIGGER assignments_inserted AFTER INSERT ON assignments
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('creator', NEW.creator_id); END;
CREATE TRIGGER assignments_updated AFTER UPDATE ON assignments
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('creator', NEW.creator_id); END;
CREATE TRIGGER assignments_deleted AFTER DELETE ON assignments
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('creator', OLD.creator_id); END;
CREATE TRIGGER campaigns_updated AFTER UPDATE ON campaigns
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('campaign', NEW.id); END;
)sql";

constexpr std::string_view kSearchPostgres = R"sql(
CREATE FUNCTION seedcast_index_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  IF TG_TABLE_NAME = 'accounts' THEN
    INSERT INTO index_changes (kind, ref_id) VALUES ('account', r.id);
  ELSIF TG_TABLE_NAME = 'assignments' THEN
    INSERT INTO index_changes (kind, ref_id) VALUES ('creator', r.creator_id);
  ELSE
    INSERT INTO index_changes (kind, ref_id) VALUES ('campaign', r.id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_changed AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION seedcast_index_change();
CREATE TRIGGER assignments_changed AFTER INSERT OR UPDATE OR DELETE ON assignments
  FOR EACH ROW EXECUTE FUNCTION seedcast_index_change();
CREATE TRIGGER campaigns_changed AFTER UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION seedcast_index_change();
)sql";

// Campaign operations: the post as submitted (media, links, times) for re-verification, and the
// lookups campaign commands make.
constexpr std::string_view kCampaignOps = R"sql(
ALTER TABLE posts ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';
CREATE INDEX posts_by_assignment ON posts (assignment_id);
CREATE INDEX ledger_transactions_by_campaign ON ledger_transactions (campaign_id, kind);
CREATE INDEX ledger_entries_by_transaction ON ledger_entries (transaction_id);
)sql";

// The server: API keys (only a hash of each is kept), the first response to each idempotency key,
// and long operations run as jobs.
constexpr std::string_view kServer = R"sql(
CREATE TABLE api_keys (
  id {{pk}},
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL,
  last_used_at_ms {{int}},
  revoked_at_ms {{int}}
);
CREATE TABLE idempotency_records (
  principal TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status {{int}},
  content_type TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL,
  PRIMARY KEY (principal, idempotency_key)
);
CREATE TABLE jobs (
  id {{pk}},
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  done {{int}} NOT NULL DEFAULT 0,
  total {{int}} NOT NULL DEFAULT 0,
  result TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL
);
)sql";

// A replayed idempotent response carries the first one's headers (Location), as a JSON list of
// [name, value] pairs.
constexpr std::string_view kIdempotentHeaders = R"sql(
ALTER TABLE idempotency_records ADD COLUMN headers TEXT NOT NULL DEFAULT '[]';
)sql";

constexpr std::string_view kIdempotencyByAge = R"sql(
CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at_ms);
)sql";

// Accounts and tenancy: organisations (brands and agencies) and their members, creators' and
// operators' sign-ins, sessions (only a hash of each token is kept), failed sign-ins for
// throttling, single-use email tokens, the mail outbox, and one security event log. Emails are
// stored sealed (XChaCha20-Poly1305) with a keyed blind index for lookup; the key is in a key file,
// never here. Every row an organisation owns carries its org_id (NULL: the instance's own, seen by
// operators only).
constexpr std::string_view kAccounts = R"sql(
CREATE TABLE orgs (
  id {{pk}},
  name TEXT NOT NULL UNIQUE,
  created_at_ms {{int}} NOT NULL
);
CREATE TABLE users (
  id {{pk}},
  email_index TEXT NOT NULL UNIQUE,
  email_sealed TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('operator', 'creator', 'owner', 'admin', 'member')),
  org_id {{int}} REFERENCES orgs(id),
  creator_id {{int}} REFERENCES creators(id),
  email_verified_at_ms {{int}},
  created_at_ms {{int}} NOT NULL,
  updated_at_ms {{int}} NOT NULL
);
CREATE INDEX users_by_org ON users (org_id);
CREATE TABLE sessions (
  id {{pk}},
  user_id {{int}} NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  csrf_token TEXT NOT NULL,
  client TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  created_at_ms {{int}} NOT NULL,
  last_seen_at_ms {{int}} NOT NULL,
  expires_at_ms {{int}} NOT NULL,
  revoked_at_ms {{int}}
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE sign_in_failures (
  id {{pk}},
  account TEXT NOT NULL,
  client TEXT NOT NULL,
  at_ms {{int}} NOT NULL
);
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at_ms);
CREATE INDEX sign_in_failures_by_client ON sign_in_failures (client, at_ms);
CREATE TABLE email_tokens (
  id {{pk}},
  user_id {{int}} NOT NULL REFERENCES users(id),
  purpose TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms {{int}} NOT NULL,
  expires_at_ms {{int}} NOT NULL,
  used_at_ms {{int}}
);
CREATE TABLE outbox (
  id {{pk}},
  to_sealed TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_sealed TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL,
  sent_at_ms {{int}},
  attempts {{int}} NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE security_events (
  id {{pk}},
  at_ms {{int}} NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  user_id {{int}},
  org_id {{int}},
  client TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX security_events_by_kind ON security_events (kind, at_ms);
ALTER TABLE brands ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE products ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE campaigns ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE assignments ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE ledger_transactions ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE jobs ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE api_keys ADD COLUMN org_id {{int}} REFERENCES orgs(id);
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
CREATE INDEX campaigns_by_org ON campaigns (org_id);
CREATE INDEX products_by_org ON products (org_id);
)sql";

// Creator onboarding: an account a creator adds is reviewed (the quality gate's verdict and its
// reasons, then an operator's decision, or the gate's alone); only approved accounts are listed
// to brands. Accounts already stored were imported by an operator: approved.
constexpr std::string_view kReviews = R"sql(
ALTER TABLE accounts ADD COLUMN review_status TEXT NOT NULL DEFAULT 'approved'
  CHECK (review_status IN ('pending', 'approved', 'rejected'));
ALTER TABLE accounts ADD COLUMN review_reasons TEXT NOT NULL DEFAULT '[]';
ALTER TABLE accounts ADD COLUMN reviewed_at_ms {{int}};
ALTER TABLE accounts ADD COLUMN reviewed_by TEXT NOT NULL DEFAULT '';
CREATE INDEX accounts_by_review ON accounts (review_status);
)sql";

// A message being sent is claimed until a time, so two senders never send it twice.
constexpr std::string_view kOutboxClaims = R"sql(
ALTER TABLE outbox ADD COLUMN claimed_until_ms {{int}};
)sql";

// A creator's own row (name, country, language) joins the change feed as 'profile', so a server
// that keeps finished answers learns of an edit made by any process. Inserts need no entry: no
// answer about a creator exists before the creator does.
constexpr std::string_view kProfileFeedSqlite = R"sql(
CREATE TRIGGER creators_updated AFTER UPDATE ON creators
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('profile', NEW.id); END;
CREATE TRIGGER creators_deleted AFTER DELETE ON creators
BEGIN INSERT INTO index_changes (kind, ref_id) VALUES ('profile', OLD.id); END;
)sql";

constexpr std::string_view kProfileFeedPostgres = R"sql(
CREATE FUNCTION seedcast_profile_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO index_changes (kind, ref_id) VALUES ('profile', r.id);
  RETURN NULL;
END $$;
CREATE TRIGGER creators_changed AFTER UPDATE OR DELETE ON creators
  FOR EACH ROW EXECUTE FUNCTION seedcast_profile_change();
)sql";

// The web app's campaign work: assignment notes that are not transitions (reminders) in the
// audit log, shipments with their carrier and tracking, a post's own URL and format, brands'
// shortlists of creators, creators' media kits, and operators' checks of flagged accounts
// (cleared, or suspended: a review status that takes the account out of search and the
// catalogue).
constexpr std::string_view kWorkspace = R"sql(
ALTER TABLE assignment_events ADD COLUMN kind TEXT NOT NULL DEFAULT 'transition';
CREATE TABLE shipments (
  assignment_id {{int}} PRIMARY KEY REFERENCES assignments(id),
  carrier TEXT,
  tracking TEXT,
  at_ms {{int}} NOT NULL
);
CREATE INDEX assets_by_campaign ON assets (campaign_id);
CREATE TABLE shortlists (
  id {{pk}},
  org_id {{int}} NOT NULL REFERENCES orgs(id),
  name TEXT NOT NULL,
  created_at_ms {{int}} NOT NULL,
  UNIQUE (org_id, name)
);
CREATE TABLE shortlist_creators (
  shortlist_id {{int}} NOT NULL REFERENCES shortlists(id) ON DELETE CASCADE,
  creator_id {{int}} NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  added_at_ms {{int}} NOT NULL,
  PRIMARY KEY (shortlist_id, creator_id)
);
CREATE TABLE media_kits (
  account_id {{int}} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  creator_id {{int}} NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  headline TEXT NOT NULL DEFAULT '',
  about TEXT NOT NULL DEFAULT '',
  published {{int}} NOT NULL DEFAULT 0,
  updated_at_ms {{int}} NOT NULL
);
ALTER TABLE accounts ADD COLUMN flag_cleared_at_ms {{int}};
)sql";

// 'suspended' joins the review statuses. SQLite cannot alter a CHECK: its stored table text is
// edited (the documented writable_schema procedure for constraint changes that leave the file
// format alone), this connection's schema reloaded, and a throw-away table made and dropped so
// that every other connection's schema cookie changes and it reloads too.
constexpr std::string_view kSuspendedSqlite = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''rejected'')', '''rejected'', ''suspended'')')
  WHERE type = 'table' AND name = 'accounts';
PRAGMA writable_schema = RESET;
CREATE TABLE seedcast_schema_bump (x INTEGER);
DROP TABLE seedcast_schema_bump;
)sql";

constexpr std::string_view kSuspendedPostgres = R"sql(
ALTER TABLE accounts DROP CONSTRAINT accounts_review_status_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_review_status_check
  CHECK (review_status IN ('pending', 'approved', 'rejected', 'suspended'));
)sql";

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = {
      {{1, "creators and accounts"}, kCreators},
      {{2, "brands, products, campaigns, assignments, posts, assets, ledger"}, kCommerce},
      {{3, "captions, quality score, search change feed"}, kSearch, kSearchSqlite, kSearchPostgres},
      {{4, "post payloads, campaign lookups"}, kCampaignOps},
      {{5, "API keys, idempotency records, jobs"}, kServer},
      {{6, "creator rows in the change feed"}, {}, kProfileFeedSqlite, kProfileFeedPostgres},
      {{7, "headers of stored idempotent responses"}, kIdempotentHeaders},
      {{8, "idempotency records by age, for their purge"}, kIdempotencyByAge},
      {{9, "organisations, users, sessions, tokens, outbox, security events"}, kAccounts},
      {{10, "reviews of the accounts creators add"}, kReviews},
      {{11, "claims on outbox messages"}, kOutboxClaims},
      {{12, "reminders, shipments, shortlists, media kits, fraud checks"},
       kWorkspace,
       kSuspendedSqlite,
       kSuspendedPostgres},
      {{13, "tracked links, clicks, discount codes, orders"}, kTrackingSchema},
      {{14, "webhook subscriptions, event outbox, deliveries"}, kWebhookSchema},
      {{15, "ad reports, listing sessions"}, kOutcomeSchema},
      {{16, "asset codes, formats and usage rights"}, kLibrarySchema},
  };
  return kAll;
}

std::string ForBackend(std::string_view sql, Backend backend) {
  const bool pg = backend == Backend::kPostgres;
  std::string out(sql);
  auto replace_all = [&out](std::string_view from, std::string_view to) {
    for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos)) {
      out.replace(pos, from.size(), to);
      pos += to.size();
    }
  };
  replace_all("{{pk}}",
              pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY");
  replace_all("{{int}}", pg ? "BIGINT" : "INTEGER");
  replace_all("{{real}}", pg ? "DOUBLE PRECISION" : "REAL");
  return out;
}

constexpr std::string_view kVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at_ms BIGINT NOT NULL)";

}  // namespace

const std::vector<MigrationInfo>& Migrations() {
  static const std::vector<MigrationInfo> kInfos = [] {
    std::vector<MigrationInfo> infos;
    for (const Migration& m : AllMigrations()) infos.push_back(m.info);
    return infos;
  }();
  return kInfos;
}

int LatestSchemaVersion() { return AllMigrations().back().info.version; }

Result<int> SchemaVersion(Database& db) {
  SEEDCAST_RETURN_IF_ERROR(db.ExecuteScript(kVersionTable));
  SEEDCAST_ASSIGN_OR_RETURN(int64_t v,
                            db.QueryInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  return static_cast<int>(v);
}

Result<int> Migrate(Database& db, const Clock& clock) {
  SEEDCAST_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
  if (current > LatestSchemaVersion()) {
    return FailedPrecondition("schema_too_new", "the database is at schema version " +
                                                    std::to_string(current) +
                                                    ", newer than this binary's " +
                                                    std::to_string(LatestSchemaVersion()));
  }
  int applied = 0;
  for (const Migration& m : AllMigrations()) {
    if (m.info.version <= current) continue;
    Status s = InTransaction(db, [&]() -> Status {
      if (db.backend() == Backend::kPostgres) {
        SEEDCAST_RETURN_IF_ERROR(db.ExecuteScript("SELECT pg_advisory_xact_lock(7274002)"));
      }
      // Another process may have applied it while this one waited for the lock.
      SEEDCAST_ASSIGN_OR_RETURN(
          int64_t done, db.QueryInt("SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                                    {static_cast<int64_t>(m.info.version)}));
      if (done > 0) return Status::Ok();
      if (!m.sql.empty()) {
        SEEDCAST_RETURN_IF_ERROR(db.ExecuteScript(ForBackend(m.sql, db.backend())));
      }
      std::string_view extra = db.backend() == Backend::kPostgres ? m.postgres_sql : m.sqlite_sql;
      if (!extra.empty()) SEEDCAST_RETURN_IF_ERROR(db.ExecuteScript(extra));
      SEEDCAST_RETURN_IF_ERROR(db.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)",
          {static_cast<int64_t>(m.info.version), std::string_view(m.info.name), clock.NowMs()}));
      ++applied;
      return Status::Ok();
    });
    if (!s.ok()) return s.WithContext("migration " + std::to_string(m.info.version));
  }
  return applied;
}

}  // namespace seedcast::storage
