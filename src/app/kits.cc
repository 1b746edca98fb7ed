#include "app/kits.h"

#include <fmt/format.h>

#include <cmath>

#include "app/accounts_internal.h"
#include "app/rates.h"
#include "common/iso_time.h"
#include "common/text.h"
#include "model/benchmarks.h"
#include "model/creator_json.h"
#include "model/platform.h"
#include "storage/creator_store.h"

namespace seedcast::app {

using nlohmann::ordered_json;
using storage::ConnectionPool;
using storage::Row;

namespace {

struct KitRow {
  std::string headline;
  std::string about;
  bool published = false;
};

// The account of that platform and handle if it is approved.
Result<model::Account> ApprovedAccount(storage::Database& db, const Clock& clock,
                                       const std::string& platform, const std::string& handle) {
  const Status not_found =
      NotFound(fmt::format("no media kit for {} account '{}'", platform, handle));
  const Result<std::string> p = model::NormalizePlatform(platform);
  const Result<std::string> h = model::NormalizeHandle(handle);
  if (!p.ok() || !h.ok()) return not_found;
  std::optional<int64_t> id;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT id FROM accounts WHERE platform = ? AND handle = ? AND review_status = 'approved'",
      {std::string_view(*p), std::string_view(*h)}, [&id](const Row& r) {
        id = r.Int(0);
        return Status::Ok();
      }));
  if (!id) return not_found;
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<model::Account> a,
                            storage::CreatorStore(db, clock).GetAccount(*id));
  if (!a) return not_found;
  return std::move(*a);
}

Result<KitRow> ReadKitRow(storage::Database& db, int64_t account_id) {
  KitRow k;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT headline, about, published FROM media_kits WHERE account_id = ?",
               {account_id}, [&k](const Row& r) {
                 k = {std::string(r.Text(0)), std::string(r.Text(1)), r.Int(2) != 0};
                 return Status::Ok();
               }));
  return k;
}

// Campaigns the creator's posts were verified for, newest first, with the brand's name.
Result<std::vector<Collaboration>> Collaborations(storage::Database& db, int64_t creator_id) {
  std::vector<Collaboration> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT c.name, b.name, a.state, MIN(e.at_ms) FROM assignments a JOIN campaigns c ON c.id = "
      "a.campaign_id JOIN brands b ON b.id = c.brand_id JOIN assignment_events e ON "
      "e.assignment_id = a.id AND e.kind = 'transition' AND e.to_state IN ('verified', "
      "'completed') WHERE a.creator_id = ? GROUP BY a.id, c.name, b.name, a.state "
      "ORDER BY MIN(e.at_ms) DESC, a.id DESC",
      {creator_id}, [&out](const Row& r) {
        out.push_back(
            {std::string(r.Text(0)), std::string(r.Text(1)), std::string(r.Text(2)), r.Int(3)});
        return Status::Ok();
      }));
  return out;
}

Result<MediaKit> Assemble(AppContext& ctx, storage::Database& db, const Principal& p,
                          model::Account account) {
  MediaKit k;
  const int64_t followers = account.followers.value_or(0);
  k.mine = p.is_creator() && p.creator_id == account.creator_id;
  SEEDCAST_ASSIGN_OR_RETURN(KitRow row, ReadKitRow(db, account.id));
  const bool privileged = p.is_operator() || p.in_org() || k.mine;
  if (!privileged && !row.published) {
    return NotFound(
        fmt::format("no media kit for {} account '{}'", account.platform, account.handle));
  }
  SEEDCAST_ASSIGN_OR_RETURN(k.collaborations, Collaborations(db, account.creator_id));
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT name FROM creators WHERE id = ?", {account.creator_id}, [&k](const Row& r) {
        k.name = r.Text(0);
        return Status::Ok();
      }));
  k.tier = ctx.config().tiers.TierFor(followers);
  k.benchmark_engagement_rate = model::EngagementBenchmark(account.platform, followers);
  measure::RateQuery query{.platform = account.platform,
                           .followers = followers,
                           .engagement_rate = account.engagement_rate};
  if (!account.niches.empty()) query.niche = account.niches.front();
  SEEDCAST_ASSIGN_OR_RETURN(k.guidance.estimate, EstimateOn(db, ctx.config().tiers, query));
  const measure::RateEstimate& segment = k.guidance.estimate.by_segment;
  k.guidance.low_cents = segment.p25_cents;
  k.guidance.typical_cents = segment.p50_cents;
  k.guidance.high_cents = segment.p75_cents;
  k.guidance.basis = segment.basis;
  k.headline = std::move(row.headline);
  k.about = std::move(row.about);
  k.published = row.published;
  k.account = std::move(account);
  return k;
}

Status CheckLength(const std::optional<std::string>& value, const char* field, size_t max) {
  if (value && (!text::IsValidUtf8(*value) || text::CodePointCount(*value) > max)) {
    return InvalidArgument(fmt::format("'{}' is at most {} characters", field, max))
        .WithField(field);
  }
  return Status::Ok();
}

}  // namespace

Result<MediaKit> GetKit(AppContext& ctx, const Principal& p, const std::string& platform,
                        const std::string& handle) {
  SEEDCAST_ASSIGN_OR_RETURN(ConnectionPool::Lease db, ctx.pool().Acquire());
  SEEDCAST_ASSIGN_OR_RETURN(model::Account account,
                            ApprovedAccount(*db, ctx.clock(), platform, handle));
  return Assemble(ctx, *db, p, std::move(account));
}

Result<MediaKit> SaveMyKit(AppContext& ctx, const Principal& p, const std::string& platform,
                           const std::string& handle, const KitEdit& edit) {
  SEEDCAST_RETURN_IF_ERROR(CheckLength(edit.headline, "headline", 120));
  SEEDCAST_RETURN_IF_ERROR(CheckLength(edit.about, "about", 1000));
  std::optional<MediaKit> out;
  Status done = internal::InWriteTransaction(ctx, [&](storage::Database& db) -> Status {
    SEEDCAST_ASSIGN_OR_RETURN(model::Account account,
                              ApprovedAccount(db, ctx.clock(), platform, handle));
    if (!p.is_creator() || account.creator_id != p.creator_id) {
      return NotFound(fmt::format("no media kit for {} account '{}'", platform, handle));
    }
    SEEDCAST_ASSIGN_OR_RETURN(KitRow row, ReadKitRow(db, account.id));
    if (edit.headline) row.headline = *edit.headline;
    if (edit.about) row.about = *edit.about;
    if (edit.published) row.published = *edit.published;
    SEEDCAST_RETURN_IF_ERROR(db.Execute(
        "INSERT INTO media_kits (account_id, creator_id, headline, about, published, "
        "updated_at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
        "headline = excluded.headline, about = excluded.about, published = excluded.published, "
        "updated_at_ms = excluded.updated_at_ms",
        {account.id, account.creator_id, std::string_view(row.headline),
         std::string_view(row.about), int64_t{row.published ? 1 : 0}, ctx.clock().NowMs()}));
    SEEDCAST_ASSIGN_OR_RETURN(out, Assemble(ctx, db, p, std::move(account)));
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return std::move(*out);
}

ordered_json KitToJson(const MediaKit& k) {
  const model::Account& a = k.account;
  auto optional_number = [](const auto& v) { return v ? ordered_json(*v) : ordered_json(nullptr); };
  ordered_json collaborations = ordered_json::array();
  for (const Collaboration& c : k.collaborations) {
    collaborations.push_back({{"campaign", c.campaign},
                              {"brand", c.brand},
                              {"state", c.state},
                              {"at", FormatIsoTime(c.at_ms)}});
  }
  const ordered_json audience = a.audience.empty()
                                    ? ordered_json(nullptr)
                                    : ordered_json::parse(model::AudienceToJson(a.audience).dump());
  return {{"platform", a.platform},
          {"handle", a.handle},
          {"name", k.name},
          {"tier", k.tier},
          {"followers", optional_number(a.followers)},
          {"engagement_rate", optional_number(a.engagement_rate)},
          {"benchmark_engagement_rate", k.benchmark_engagement_rate},
          {"niches", a.niches},
          {"country", a.country},
          {"language", a.language},
          {"quality_score", a.quality_score ? ordered_json(std::round(*a.quality_score * 1000) / 10)
                                            : ordered_json(nullptr)},
          {"audience", audience},
          {"collaborations", std::move(collaborations)},
          {"rates",
           {{"listed_cents", a.rates_cents},
            {"guidance_cents",
             {{"low", k.guidance.low_cents},
              {"typical", k.guidance.typical_cents},
              {"high", optional_number(k.guidance.high_cents)}}},
            {"basis", k.guidance.basis},
            {"estimate", measure::RateEstimatesToJson(k.guidance.estimate)}}},
          {"headline", k.headline},
          {"about", k.about},
          {"published", k.published},
          {"mine", k.mine}};
}

}  // namespace seedcast::app
