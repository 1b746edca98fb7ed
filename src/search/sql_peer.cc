#include "search/sql_peer.h"

#include <fmt/format.h>

#include "storage/creator_store.h"

namespace seedcast::search {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string Number(double d) { return fmt::format("{:.17g}", d); }

std::string InList(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + Quote(v);
  return "(" + out + ")";
}

std::string AgeColumn(const std::string& band) {
  if (band == "55+") return "age_55";
  std::string out = "age_" + band;
  for (char& c : out) {
    if (c == '-') c = '_';
  }
  return out;
}

}  // namespace

Result<PeerSql> QueryToSql(const Query& q) {
  if (!q.text.empty()) return InvalidArgument("text search has no SQL peer here");
  if (!q.lookalike_handle.empty()) return InvalidArgument("lookalikes have no SQL peer");
  if (q.available) return InvalidArgument("availability has no SQL peer here");
  if (q.sort == SortBy::kFit || q.sort == SortBy::kRelevance) {
    return InvalidArgument("only the followers and engagement_rate sorts have a SQL peer");
  }
  std::vector<std::string> where;
  if (!q.platforms.empty()) where.push_back("a.platform IN " + InList(q.platforms));
  if (!q.tiers.empty()) where.push_back("a.tier IN " + InList(q.tiers));
  if (!q.countries.empty()) where.push_back("a.country IN " + InList(q.countries));
  if (!q.languages.empty()) where.push_back("a.language IN " + InList(q.languages));
  auto range = [&where](const char* column, const Range& r) {
    if (r.min) where.push_back(fmt::format("a.{} >= {}", column, Number(*r.min)));
    if (r.max) where.push_back(fmt::format("a.{} <= {}", column, Number(*r.max)));
  };
  range("followers", q.followers);
  range("er", q.engagement_rate);
  range("rate_cents", q.rate_cents);
  if (q.quality_min) where.push_back("a.quality >= " + Number(*q.quality_min));
  if (!q.niches.empty()) {
    if (q.all_niches) {
      for (const std::string& n : q.niches) {
        where.push_back(
            "EXISTS (SELECT 1 FROM peer_niches n WHERE n.account_id = a.account_id AND "
            "n.niche = " +
            Quote(n) + ")");
      }
    } else {
      where.push_back(
          "EXISTS (SELECT 1 FROM peer_niches n WHERE n.account_id = a.account_id AND n.niche IN " +
          InList(q.niches) + ")");
    }
  }
  for (const AudienceMin& m : q.audience) {
    if (m.min <= 0) continue;  // every account has at least 0%
    switch (m.kind) {
      case AudienceKind::kCountry:
        where.push_back(
            "EXISTS (SELECT 1 FROM peer_audience x WHERE x.account_id = a.account_id "
            "AND x.country = " +
            Quote(m.key) + " AND x.share >= " + Number(m.min) + ")");
        break;
      case AudienceKind::kGender:
        where.push_back("a." + m.key + " >= " + Number(m.min));
        break;
      case AudienceKind::kAge:
        where.push_back("a." + AgeColumn(m.key) + " >= " + Number(m.min));
        break;
    }
  }
  std::string filter;
  for (const std::string& w : where) filter += (filter.empty() ? " WHERE " : " AND ") + w;
  PeerSql out;
  out.count = "SELECT COUNT(*) FROM peer_accounts a" + filter;
  const char* dir = q.ascending ? "ASC" : "DESC";
  const std::string order = q.sort == SortBy::kFollowers
                                ? fmt::format("a.followers {}, a.account_id ASC", dir)
                                : fmt::format("a.er {} NULLS LAST, a.account_id ASC", dir);
  out.top = fmt::format("SELECT a.account_id FROM peer_accounts a{} ORDER BY {} LIMIT {} OFFSET {}",
                        filter, order, q.limit, q.offset);
  for (Facet f : q.facets) {
    std::string sql;
    switch (f) {
      case Facet::kTier:
      case Facet::kCountry:
      case Facet::kPlatform: {
        const std::string col = f == Facet::kTier      ? "tier"
                                : f == Facet::kCountry ? "country"
                                                       : "platform";
        sql = fmt::format("SELECT a.{0}, COUNT(*) FROM peer_accounts a{1} GROUP BY a.{0}", col,
                          filter);
        break;
      }
      case Facet::kNiche:
        sql =
            "SELECT n.niche, COUNT(*) FROM peer_niches n JOIN peer_accounts a ON a.account_id = "
            "n.account_id" +
            filter + " GROUP BY n.niche";
        break;
    }
    out.facets.emplace_back(FacetName(f), std::move(sql));
  }
  return out;
}

std::string PeerSchemaSql(bool with_indexes) {
  std::string sql =
      "CREATE TABLE peer_accounts (account_id BIGINT PRIMARY KEY, creator_id BIGINT, platform "
      "TEXT, "
      "handle TEXT, followers BIGINT, tier TEXT, er DOUBLE, quality DOUBLE, rate_cents BIGINT, "
      "country TEXT, language TEXT, female DOUBLE, male DOUBLE, other DOUBLE, age_13_17 DOUBLE, "
      "age_18_24 DOUBLE, age_25_34 DOUBLE, age_35_44 DOUBLE, age_45_54 DOUBLE, age_55 DOUBLE);\n"
      "CREATE TABLE peer_niches (account_id BIGINT, niche TEXT);\n"
      "CREATE TABLE peer_audience (account_id BIGINT, country TEXT, share DOUBLE);\n";
  if (with_indexes) {
    sql +=
        "CREATE INDEX peer_accounts_filters ON peer_accounts (platform, country, tier, "
        "followers);\n"
        "CREATE INDEX peer_accounts_followers ON peer_accounts (followers);\n"
        "CREATE INDEX peer_accounts_er ON peer_accounts (er);\n"
        "CREATE INDEX peer_niches_by_niche ON peer_niches (niche, account_id);\n"
        "CREATE INDEX peer_niches_by_account ON peer_niches (account_id, niche);\n"
        "CREATE INDEX peer_audience_by_account ON peer_audience (account_id, country, share);\n";
  }
  return sql;
}

Status FillPeerDatabase(storage::Database& source, storage::Database& peer,
                        const model::TierScheme& tiers) {
  SEEDCAST_RETURN_IF_ERROR(peer.ExecuteScript(PeerSchemaSql(true)));
  const FakeClock clock(0);  // the store only reads here
  storage::CreatorStore store(source, clock);
  return storage::InTransaction(peer, [&]() -> Status {
    return store.ForEachAccount([&](const model::Account& a) -> Status {
      const std::optional<int64_t> rate = model::LowestRate(a.rates_cents);
      auto share = [](const std::map<std::string, double>& m, const std::string& key) {
        auto it = m.find(key);
        return it == m.end() ? 0.0 : it->second;
      };
      const int64_t followers = a.followers.value_or(0);
      const std::string& tier = tiers.TierFor(followers);
      std::vector<storage::Value> values = {
          a.id,
          a.creator_id,
          std::string_view(a.platform),
          std::string_view(a.handle),
          followers,
          std::string_view(tier),
          a.engagement_rate ? storage::Value(*a.engagement_rate) : storage::Value(nullptr),
          a.quality_score ? storage::Value(*a.quality_score) : storage::Value(nullptr),
          rate ? storage::Value(*rate) : storage::Value(nullptr),
          std::string_view(a.country),
          std::string_view(a.language),
          share(a.audience.genders, "female"),
          share(a.audience.genders, "male"),
          share(a.audience.genders, "other")};
      for (const std::string& band : model::AgeBands())
        values.emplace_back(share(a.audience.ages, band));
      SEEDCAST_RETURN_IF_ERROR(
          peer.Execute("INSERT INTO peer_accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?)",
                       values));
      for (const std::string& n : a.niches) {
        SEEDCAST_RETURN_IF_ERROR(
            peer.Execute("INSERT INTO peer_niches VALUES (?, ?)", {a.id, std::string_view(n)}));
      }
      for (const auto& [country, s] : a.audience.countries) {
        SEEDCAST_RETURN_IF_ERROR(peer.Execute("INSERT INTO peer_audience VALUES (?, ?, ?)",
                                              {a.id, std::string_view(country), s}));
      }
      return Status::Ok();
    });
  });
}

}  // namespace seedcast::search
