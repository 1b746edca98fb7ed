#include "measure/links.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/url.hpp>
#include <map>

#include "measure/utm.h"

namespace seedcast::measure {

using storage::Row;

namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr size_t kSaltBytes = 32;
constexpr size_t kHashBytes = 16;
constexpr size_t kMaxReferrerBytes = 255;

constexpr std::string_view kLinkColumns =
    "SELECT id, code, COALESCE(org_id, 0), brand_id, campaign_id, assignment_id, creator_id, "
    "landing_url, target_url, created_at_ms FROM tracked_links";

Link ReadLink(const Row& r) {
  return {r.Int(0),
          std::string(r.Text(1)),
          r.Int(2),
          r.Int(3),
          r.Int(4),
          r.Int(5),
          r.Int(6),
          std::string(r.Text(7)),
          std::string(r.Text(8)),
          r.Int(9)};
}

storage::Value OrgValue(int64_t org_id) {
  return org_id == 0 ? storage::Value(nullptr) : storage::Value(org_id);
}

// The salt of `day`, made if there is none yet. Concurrent writers on one store agree: the first
// insert wins and everyone reads it back.
Result<std::array<unsigned char, kSaltBytes>> SaltOf(storage::Database& db, int64_t day,
                                                     int64_t now_ms) {
  std::array<unsigned char, kSaltBytes> fresh{};
  randombytes_buf(fresh.data(), fresh.size());
  std::array<char, kSaltBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), fresh.data(), fresh.size());
  SEEDCAST_RETURN_IF_ERROR(
      db.Execute("INSERT INTO click_salts (day, salt, created_at_ms) VALUES (?, ?, ?) "
                 "ON CONFLICT (day) DO NOTHING",
                 {day, std::string_view(hex.data(), kSaltBytes * 2), now_ms}));
  std::string stored;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT salt FROM click_salts WHERE day = ?", {day}, [&stored](const Row& r) {
        stored = r.Text(0);
        return Status::Ok();
      }));
  std::array<unsigned char, kSaltBytes> salt{};
  size_t length = 0;
  if (sodium_hex2bin(salt.data(), salt.size(), stored.data(), stored.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != kSaltBytes) {
    return Internal(fmt::format("the click salt of day {} is not 32 bytes of hex", day));
  }
  return salt;
}

}  // namespace

std::string NewLinkCode() {
  std::string code(8, '0');
  for (char& ch : code) {
    ch = kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return code;
}

bool PlausibleLinkCode(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
           ch == '_' || ch == '-';
  });
}

Result<Link> CreateLink(storage::Database& db, const campaign::Campaign& campaign,
                        const campaign::Assignment& assignment, std::string_view landing_url,
                        int64_t now_ms) {
  SEEDCAST_RETURN_IF_ERROR(CheckLandingUrl(landing_url).WithField("landing_url"));
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<Link> existing, LinkOfAssignment(db, assignment.id));
  if (existing) {
    return AlreadyExists(
               fmt::format("assignment {} has the link {} already", assignment.id, existing->code))
        .WithReason("link_exists");
  }
  Link link{.org_id = campaign.org_id,
            .brand_id = campaign.brand_id,
            .campaign_id = campaign.id,
            .assignment_id = assignment.id,
            .creator_id = assignment.creator_id,
            .landing_url = std::string(landing_url),
            .created_at_ms = now_ms};
  // 62^8 codes: a clash is rare; a few fresh tries make it vanishingly so.
  for (int attempt = 0; attempt < 5; ++attempt) {
    link.code = NewLinkCode();
    SEEDCAST_ASSIGN_OR_RETURN(int64_t taken,
                              db.QueryInt("SELECT COUNT(*) FROM tracked_links WHERE code = ?",
                                          {std::string_view(link.code)}));
    if (taken == 0) break;
  }
  SEEDCAST_ASSIGN_OR_RETURN(link.target_url, AddUtm(landing_url, {{"source", "seedcast"},
                                                                  {"medium", "creator"},
                                                                  {"campaign", campaign.spec.name},
                                                                  {"content", link.code}}));
  SEEDCAST_ASSIGN_OR_RETURN(
      link.id,
      db.Insert("INSERT INTO tracked_links (code, org_id, brand_id, campaign_id, assignment_id, "
                "creator_id, landing_url, target_url, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, "
                "?, ?)",
                {std::string_view(link.code), OrgValue(link.org_id), link.brand_id,
                 link.campaign_id, link.assignment_id, link.creator_id,
                 std::string_view(link.landing_url), std::string_view(link.target_url), now_ms}));
  return link;
}

Result<std::optional<Link>> LinkOfAssignment(storage::Database& db, int64_t assignment_id) {
  std::optional<Link> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(std::string(kLinkColumns) + " WHERE assignment_id = ?",
                                    {assignment_id}, [&out](const Row& r) {
                                      out = ReadLink(r);
                                      return Status::Ok();
                                    }));
  return out;
}

Result<std::vector<Link>> LinksOfCampaign(storage::Database& db, int64_t campaign_id) {
  std::vector<Link> out;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query(std::string(kLinkColumns) + " WHERE campaign_id = ? ORDER BY assignment_id",
               {campaign_id}, [&out](const Row& r) {
                 out.push_back(ReadLink(r));
                 return Status::Ok();
               }));
  return out;
}

Result<std::optional<RedirectTarget>> FindRedirect(storage::Database& db, std::string_view code) {
  std::optional<RedirectTarget> out;
  if (!PlausibleLinkCode(code)) return out;
  SEEDCAST_RETURN_IF_ERROR(db.Query("SELECT id, target_url FROM tracked_links WHERE code = ?",
                                    {code}, [&out](const Row& r) {
                                      out = RedirectTarget{r.Int(0), std::string(r.Text(1))};
                                      return Status::Ok();
                                    }));
  return out;
}

std::string ReferrerOrigin(std::string_view referrer) {
  auto parsed = boost::urls::parse_uri(referrer);
  if (!parsed || parsed->encoded_host().empty()) return "";
  std::string out = fmt::format("{}://{}", parsed->scheme(), parsed->encoded_host());
  if (parsed->has_port()) out += ":" + std::string(parsed->port());
  return out.size() > kMaxReferrerBytes ? "" : out;
}

std::string VisitorHash(std::span<const unsigned char> salt, std::string_view address,
                        std::string_view user_agent) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, salt.data(), salt.size(), kHashBytes);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(address.data()),
                            address.size());
  // A separator no address contains, so ("a", "bc") and ("ab", "c") differ.
  const unsigned char zero = 0;
  crypto_generichash_update(&state, &zero, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(user_agent.data()),
                            user_agent.size());
  std::array<unsigned char, kHashBytes> hash{};
  crypto_generichash_final(&state, hash.data(), hash.size());
  std::array<char, kHashBytes * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
  return {hex.data(), kHashBytes * 2};
}

Status WriteClicks(storage::Database& db, std::span<const Click> clicks,
                   const AgentClassifier& agents, int64_t now_ms) {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return storage::InTransaction(db, [&]() -> Status {
    std::map<int64_t, std::array<unsigned char, kSaltBytes>> salts;
    std::vector<std::string> text;  // owns what the values borrow
    text.reserve(clicks.size() * 3);
    std::vector<storage::Value> values;
    values.reserve(clicks.size() * 6);
    for (const Click& c : clicks) {
      const int64_t day = c.at_ms / kDayMs;
      auto salt = salts.find(day);
      if (salt == salts.end()) {
        SEEDCAST_ASSIGN_OR_RETURN(auto made, SaltOf(db, day, now_ms));
        salt = salts.emplace(day, made).first;
      }
      text.push_back(ReferrerOrigin(c.referrer));
      text.emplace_back(AgentClassName(agents.Classify(c.user_agent)));
      text.push_back(VisitorHash(salt->second, c.address, c.user_agent));
      const size_t n = text.size();
      values.insert(values.end(), {c.link_id, c.at_ms, day, std::string_view(text[n - 3]),
                                   std::string_view(text[n - 2]), std::string_view(text[n - 1])});
    }
    if (!values.empty()) {
      SEEDCAST_RETURN_IF_ERROR(db.CopyRows(
          "clicks", "link_id, at_ms, day, referrer, agent_class, visitor_hash", 6, values));
    }
    return db.Execute("DELETE FROM click_salts WHERE day <= ?", {now_ms / kDayMs - kSaltKeepDays});
  });
}

Result<std::vector<CreatorTracking>> CampaignTracking(storage::Database& db, int64_t campaign_id) {
  std::map<int64_t, CreatorTracking> by_creator;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT l.creator_id, l.assignment_id, l.code, "
               "(SELECT COUNT(*) FROM clicks c WHERE c.link_id = l.id AND c.agent_class <> 'bot'), "
               "(SELECT COUNT(*) FROM (SELECT DISTINCT c.day, c.visitor_hash FROM clicks c "
               "WHERE c.link_id = l.id AND c.agent_class <> 'bot') u), "
               "(SELECT COUNT(*) FROM clicks c WHERE c.link_id = l.id AND c.agent_class = 'bot') "
               "FROM tracked_links l WHERE l.campaign_id = ?",
               {campaign_id}, [&by_creator](const Row& r) {
                 CreatorTracking& t = by_creator[r.Int(0)];
                 t.creator_id = r.Int(0);
                 t.assignment_id = r.Int(1);
                 t.link_code = r.Text(2);
                 t.clicks = r.Int(3);
                 t.unique_clicks = r.Int(4);
                 t.bot_clicks = r.Int(5);
                 return Status::Ok();
               }));
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT creator_id, MAX(assignment_id), COUNT(*), SUM(units), "
      "SUM(total_cents - refunded_cents) FROM orders WHERE campaign_id = ? AND conversion = 1 "
      "AND rule <> '' AND creator_id IS NOT NULL GROUP BY creator_id",
      {campaign_id}, [&by_creator](const Row& r) {
        CreatorTracking& t = by_creator[r.Int(0)];
        t.creator_id = r.Int(0);
        if (t.assignment_id == 0) t.assignment_id = r.Int(1);
        t.orders = r.Int(2);
        t.units = r.Int(3);
        t.revenue_cents = r.Int(4);
        return Status::Ok();
      }));
  std::vector<CreatorTracking> out;
  out.reserve(by_creator.size());
  for (auto& [id, t] : by_creator) out.push_back(std::move(t));
  return out;
}

}  // namespace seedcast::measure
