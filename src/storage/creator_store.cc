#include "storage/creator_store.h"

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "model/creator_json.h"
#include "storage/account_values.h"

namespace seedcast::storage {
namespace {

using model::Account;
using model::Creator;

constexpr std::string_view kAccountColumns =
    "a.id, a.creator_id, a.platform, a.handle, a.followers, a.following, a.posts, "
    "a.engagement_rate, a.avg_views, a.bio, a.niches, a.country, a.language, a.audience, "
    "a.rates_cents, a.has_profile_pic, a.is_private, a.external_url, a.extra, a.updated_at_ms, "
    "a.captions, a.quality_score";

std::optional<int64_t> OptInt(const Row& r, int c) {
  return r.IsNull(c) ? std::nullopt : std::optional<int64_t>(r.Int(c));
}

Status DecodeAccount(const Row& r, int base, Account* a) {
  a->id = r.Int(base + 0);
  a->creator_id = r.Int(base + 1);
  a->platform = r.Text(base + 2);
  a->handle = r.Text(base + 3);
  a->followers = OptInt(r, base + 4);
  a->following = OptInt(r, base + 5);
  a->posts = OptInt(r, base + 6);
  a->engagement_rate = r.IsNull(base + 7) ? std::nullopt : std::optional(r.Real(base + 7));
  a->avg_views = OptInt(r, base + 8);
  a->bio = r.Text(base + 9);
  a->niches.clear();
  for (std::string_view n : text::Split(r.Text(base + 10), ",")) a->niches.emplace_back(n);
  a->country = r.Text(base + 11);
  a->language = r.Text(base + 12);
  a->audience = {};
  if (std::string_view aud = r.Text(base + 13); aud.size() > 2) {
    auto parsed = model::AudienceFromJson(nlohmann::json::parse(aud, nullptr, false));
    if (!parsed.ok())
      return parsed.status().WithContext("stored audience of account " + std::to_string(a->id));
    a->audience = std::move(parsed).value();
  }
  a->rates_cents.clear();
  if (std::string_view rates = r.Text(base + 14); rates.size() > 2) {
    auto parsed = model::RatesFromJson(nlohmann::json::parse(rates, nullptr, false));
    if (!parsed.ok()) return parsed.status();
    a->rates_cents = std::move(parsed).value();
  }
  a->has_profile_pic = r.IsNull(base + 15) ? std::nullopt : std::optional(r.Int(base + 15) != 0);
  a->is_private = r.IsNull(base + 16) ? std::nullopt : std::optional(r.Int(base + 16) != 0);
  a->external_url = r.Text(base + 17);
  a->extra.clear();
  if (std::string_view extra = r.Text(base + 18); extra.size() > 2) {
    nlohmann::json j = nlohmann::json::parse(extra, nullptr, false);
    if (j.is_object()) {
      for (const auto& [k, v] : j.items())
        a->extra[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  a->updated_at_ms = r.Int(base + 19);
  a->captions.clear();
  if (std::string_view captions = r.Text(base + 20); captions.size() > 2) {
    nlohmann::json j = nlohmann::json::parse(captions, nullptr, false);
    if (!j.is_array()) {
      return Internal("stored captions of account " + std::to_string(a->id) +
                      " are not a JSON array");
    }
    for (const nlohmann::json& c : j) {
      if (c.is_string()) a->captions.push_back(c.get<std::string>());
    }
  }
  a->quality_score = r.IsNull(base + 21) ? std::nullopt : std::optional(r.Real(base + 21));
  return Status::Ok();
}

const std::string& CreatorQuery() {
  static const std::string kSql = "SELECT c.id, c.ref, c.name, c.country, c.language, " +
                                  std::string(kAccountColumns) +
                                  " FROM creators c LEFT JOIN accounts a ON a.creator_id = c.id "
                                  "AND a.review_status = 'approved'";
  return kSql;
}

// Groups the rows of CreatorQuery() (ordered by creator, then account) into creators.
class CreatorAssembler {
 public:
  explicit CreatorAssembler(std::function<Status(const Creator&)> emit) : emit_(std::move(emit)) {}
  Status Add(const Row& r) {
    int64_t id = r.Int(0);
    if (current_ && current_->id != id) SEEDCAST_RETURN_IF_ERROR(Flush());
    if (!current_) {
      current_.emplace();
      current_->id = id;
      current_->ref = r.Text(1);
      current_->name = r.Text(2);
      current_->country = r.Text(3);
      current_->language = r.Text(4);
    }
    if (!r.IsNull(5)) {
      Account a;
      SEEDCAST_RETURN_IF_ERROR(DecodeAccount(r, 5, &a));
      current_->accounts.push_back(std::move(a));
    }
    return Status::Ok();
  }
  Status Flush() {
    if (!current_) return Status::Ok();
    Status s = emit_(*current_);
    current_.reset();
    return s;
  }

 private:
  std::function<Status(const Creator&)> emit_;
  std::optional<Creator> current_;
};

}  // namespace

Result<int64_t> CreatorStore::CreatorIdForNewAccount(const CreatorFields& c, int64_t now_ms) {
  if (c.creator_id != 0) return c.creator_id;
  if (!c.ref.empty()) {
    std::optional<int64_t> existing;
    SEEDCAST_RETURN_IF_ERROR(db_.Query("SELECT id FROM creators WHERE ref = ?",
                                       {std::string_view(c.ref)}, [&existing](const Row& r) {
                                         existing = r.Int(0);
                                         return Status::Ok();
                                       }));
    if (existing) {
      SEEDCAST_RETURN_IF_ERROR(UpdateCreatorFields(*existing, c, now_ms));
      return *existing;
    }
  }
  return InsertCreatorRow(c, now_ms);
}

Status CreatorStore::UpdateCreatorFields(int64_t creator_id, const CreatorFields& c,
                                         int64_t now_ms) {
  if (c.name.empty() && c.country.empty() && c.language.empty()) return Status::Ok();
  return db_.Execute(
      "UPDATE creators SET name = COALESCE(?, name), country = COALESCE(?, country), "
      "language = COALESCE(?, language), updated_at_ms = ? WHERE id = ?",
      {OptText(c.name), OptText(c.country), OptText(c.language), now_ms, creator_id});
}

Result<int64_t> CreatorStore::InsertCreatorRow(const CreatorFields& c, int64_t now_ms) {
  return db_.Insert(
      "INSERT INTO creators (ref, name, country, language, created_at_ms, updated_at_ms) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {OptText(c.ref), std::string_view(c.name), std::string_view(c.country),
       std::string_view(c.language), now_ms, now_ms});
}

Status CreatorStore::InsertAccount(int64_t creator_id, const Account& a, int64_t now_ms,
                                   int64_t* account_id) {
  EncodedAccount enc(a);
  std::vector<Value> params;
  AppendInsertValues(creator_id, a, enc, now_ms, &params);
  static const std::string kSql = "INSERT INTO accounts (" + std::string(kAccountInsertColumns) +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                  "?, ?, ?, ?, ?)";
  SEEDCAST_ASSIGN_OR_RETURN(*account_id, db_.Insert(kSql, params));
  return Status::Ok();
}

Result<UpsertOutcome> CreatorStore::UpsertAccount(const CreatorFields& creator,
                                                  const Account& account) {
  SEEDCAST_RETURN_IF_ERROR(model::ValidateAccount(account));
  const int64_t now_ms = clock_.NowMs();
  UpsertOutcome out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      "SELECT id, creator_id FROM accounts WHERE platform = ? AND handle = ?",
      {std::string_view(account.platform), std::string_view(account.handle)}, [&out](const Row& r) {
        out.account_id = r.Int(0);
        out.creator_id = r.Int(1);
        return Status::Ok();
      }));
  if (out.account_id == 0) {
    if (!account.followers) return InvalidArgument("followers is missing (a new account needs it)");
    SEEDCAST_ASSIGN_OR_RETURN(out.creator_id, CreatorIdForNewAccount(creator, now_ms));
    SEEDCAST_RETURN_IF_ERROR(InsertAccount(out.creator_id, account, now_ms, &out.account_id));
    out.created = true;
    return out;
  }
  EncodedAccount enc(account);
  std::vector<Value> params;
  AppendUpdateValues(account, enc, &params);
  params.emplace_back(now_ms);
  params.emplace_back(out.account_id);
  static const std::string kUpdate = "UPDATE accounts SET " + AccountUpdateAssignments("", "") +
                                     ", updated_at_ms = ? WHERE id = ?";
  SEEDCAST_RETURN_IF_ERROR(db_.Execute(kUpdate, params));
  SEEDCAST_RETURN_IF_ERROR(UpdateCreatorFields(out.creator_id, creator, now_ms));
  return out;
}

Status CreatorStore::InsertCreator(Creator& creator) {
  const int64_t now_ms = clock_.NowMs();
  for (const Account& a : creator.accounts) {
    SEEDCAST_RETURN_IF_ERROR(model::ValidateAccount(a));
    if (!a.followers) return InvalidArgument("followers is missing (a new account needs it)");
  }
  SEEDCAST_ASSIGN_OR_RETURN(creator.id, InsertCreatorRow({.ref = creator.ref,
                                                          .name = creator.name,
                                                          .country = creator.country,
                                                          .language = creator.language},
                                                         now_ms));
  for (Account& a : creator.accounts) {
    a.creator_id = creator.id;
    a.updated_at_ms = now_ms;
    SEEDCAST_RETURN_IF_ERROR(InsertAccount(creator.id, a, now_ms, &a.id));
  }
  return Status::Ok();
}

Result<std::optional<Creator>> CreatorStore::GetCreator(int64_t creator_id) {
  std::optional<Creator> found;
  CreatorAssembler assembler([&found](const Creator& c) {
    found = c;
    return Status::Ok();
  });
  SEEDCAST_RETURN_IF_ERROR(db_.Query(CreatorQuery() + " WHERE c.id = ? ORDER BY a.id", {creator_id},
                                     [&assembler](const Row& r) { return assembler.Add(r); }));
  SEEDCAST_RETURN_IF_ERROR(assembler.Flush());
  return found;
}

Result<std::vector<Creator>> CreatorStore::FindByHandle(std::string_view handle,
                                                        std::string_view platform) {
  std::vector<int64_t> ids;
  auto collect = [&ids](const Row& r) {
    ids.push_back(r.Int(0));
    return Status::Ok();
  };
  if (platform.empty()) {
    SEEDCAST_RETURN_IF_ERROR(
        db_.Query("SELECT DISTINCT creator_id FROM accounts WHERE handle = ? ORDER BY creator_id",
                  {handle}, collect));
  } else {
    SEEDCAST_RETURN_IF_ERROR(
        db_.Query("SELECT creator_id FROM accounts WHERE handle = ? AND platform = ?",
                  {handle, platform}, collect));
  }
  std::vector<Creator> out;
  for (int64_t id : ids) {
    SEEDCAST_ASSIGN_OR_RETURN(std::optional<Creator> c, GetCreator(id));
    if (c) out.push_back(std::move(*c));
  }
  return out;
}

Status CreatorStore::ForEachCreator(const std::function<Status(const Creator&)>& on_creator) {
  CreatorAssembler assembler(on_creator);
  SEEDCAST_RETURN_IF_ERROR(db_.Query(CreatorQuery() + " ORDER BY c.id, a.id", {},
                                     [&assembler](const Row& r) { return assembler.Add(r); }));
  return assembler.Flush();
}

Result<std::vector<Creator>> CreatorStore::CreatorsAfter(int64_t after_id, int limit) {
  std::vector<Creator> out;
  CreatorAssembler assembler([&out](const Creator& c) {
    out.push_back(c);
    return Status::Ok();
  });
  // The page's creator ids first, so LIMIT counts creators rather than account rows.
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      CreatorQuery() +
          " WHERE c.id IN (SELECT id FROM creators WHERE id > ? AND EXISTS (SELECT 1 FROM "
          "accounts x WHERE x.creator_id = creators.id AND x.review_status = 'approved') "
          "ORDER BY id LIMIT ?) ORDER BY c.id, a.id",
      {after_id, static_cast<int64_t>(limit)},
      [&assembler](const Row& r) { return assembler.Add(r); }));
  SEEDCAST_RETURN_IF_ERROR(assembler.Flush());
  return out;
}

Result<std::optional<Account>> CreatorStore::GetAccount(int64_t account_id) {
  std::optional<Account> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts a WHERE a.id = ?",
                {account_id}, [&out](const Row& r) {
                  Account a;
                  Status decoded = DecodeAccount(r, 0, &a);
                  if (!decoded.ok()) return decoded;
                  out = std::move(a);
                  return Status::Ok();
                }));
  return out;
}

Status CreatorStore::ForEachAccount(const std::function<Status(const Account&)>& on_account) {
  Account a;
  return db_.Query("SELECT " + std::string(kAccountColumns) + " FROM accounts a ORDER BY a.id", {},
                   [&](const Row& r) {
                     SEEDCAST_RETURN_IF_ERROR(DecodeAccount(r, 0, &a));
                     return on_account(a);
                   });
}

Result<int64_t> CreatorStore::DeleteCreatorsByRefPrefix(std::string_view prefix) {
  if (prefix.empty()) return InvalidArgument("refusing to delete with an empty ref prefix");
  // LIKE treats _ and % as wildcards; compare the prefix itself instead.
  std::string sql_prefix_len = std::to_string(prefix.size());
  const std::string where = "substr(ref, 1, " + sql_prefix_len + ") = ?";
  SEEDCAST_ASSIGN_OR_RETURN(int64_t n,
                            db_.QueryInt("SELECT COUNT(*) FROM creators WHERE " + where, {prefix}));
  SEEDCAST_RETURN_IF_ERROR(db_.Execute(
      "DELETE FROM accounts WHERE creator_id IN (SELECT id FROM creators WHERE " + where + ")",
      {prefix}));
  SEEDCAST_RETURN_IF_ERROR(db_.Execute("DELETE FROM creators WHERE " + where, {prefix}));
  return n;
}

Status CreatorStore::SetQualityScore(int64_t account_id, double score) {
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t found, db_.QueryInt("SELECT COUNT(*) FROM accounts WHERE id = ?", {account_id}));
  if (found == 0) return NotFound("no account " + std::to_string(account_id));
  return db_.Execute("UPDATE accounts SET quality_score = ?, updated_at_ms = ? WHERE id = ?",
                     {score, clock_.NowMs(), account_id});
}

Result<int64_t> CreatorStore::CountCreators() {
  return db_.QueryInt("SELECT COUNT(*) FROM creators");
}
Result<int64_t> CreatorStore::CountAccounts() {
  return db_.QueryInt("SELECT COUNT(*) FROM accounts");
}

}  // namespace seedcast::storage
