#include "campaign/assignment_records.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace seedcast::campaign {

using storage::Row;
using storage::Value;

namespace {
Value OptionalText(const std::optional<std::string>& s) {
  return s ? Value(std::string_view(*s)) : Value(nullptr);
}
}  // namespace

Status CheckShipmentLabel(const std::optional<std::string>& value, std::string_view field) {
  if (!value) return Status::Ok();
  bool printable = text::IsValidUtf8(*value) && !value->empty();
  for (const char ch : *value) {
    const auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7f) printable = false;
  }
  if (!printable || text::CodePointCount(*value) > 100) {
    return InvalidArgument(fmt::format("{}: 1 to 100 characters of printable text", field))
        .WithField(std::string(field));
  }
  return Status::Ok();
}

std::string ShippedReason(const std::optional<std::string>& carrier,
                          const std::optional<std::string>& tracking) {
  std::string out = "unit shipped";
  if (carrier) out += " by " + *carrier;
  if (tracking) out += ", tracking " + *tracking;
  return out;
}

std::string PostFormat(const compliance::Post& post) {
  if (post.media.empty()) return "";
  if (post.media.size() > 1) return "carousel";
  return post.media[0] == compliance::MediaType::kVideo ? "video" : "photo";
}

std::vector<NewAsset> AssetsOf(const compliance::Post& post, const std::string& url,
                               int64_t campaign_id, int64_t creator_id,
                               const std::string& usage_rights) {
  std::vector<NewAsset> out;
  const NewAsset base{.campaign_id = campaign_id,
                      .creator_id = creator_id,
                      .uri = url,
                      .usage_rights = usage_rights};
  for (const compliance::MediaType m : post.media) {
    NewAsset a = base;
    a.kind = m == compliance::MediaType::kVideo ? "video" : "photo";
    out.push_back(std::move(a));
  }
  if (post.media.empty() && !url.empty()) {
    NewAsset a = base;
    a.kind = "post";
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::map<int64_t, AssignmentPerson>> AssignmentRecords::People(std::string_view column,
                                                                      int64_t id) {
  std::map<int64_t, AssignmentPerson> out;
  SEEDCAST_RETURN_IF_ERROR(db_.Query(
      fmt::format("SELECT a.id, COALESCE(ac.handle, ''), COALESCE(ac.platform, ''), "
                  "COALESCE(c.name, '') FROM assignments a LEFT JOIN accounts ac ON ac.id = "
                  "a.account_id LEFT JOIN creators c ON c.id = a.creator_id WHERE a.{} = ?",
                  column),
      {id}, [&out](const Row& r) {
        out[r.Int(0)] = {std::string(r.Text(1)), std::string(r.Text(2)), std::string(r.Text(3))};
        return Status::Ok();
      }));
  return out;
}

Result<std::map<int64_t, AssignmentPerson>> AssignmentRecords::PeopleOfCampaign(
    int64_t campaign_id) {
  return People("campaign_id", campaign_id);
}

Result<AssignmentPerson> AssignmentRecords::PersonOf(int64_t assignment_id) {
  SEEDCAST_ASSIGN_OR_RETURN(auto people, People("id", assignment_id));
  if (people.empty()) return NotFound(fmt::format("no assignment {}", assignment_id));
  return people.begin()->second;
}

Status AssignmentRecords::SaveShipment(int64_t assignment_id, const Shipment& s) {
  return db_.Execute(
      "INSERT INTO shipments (assignment_id, carrier, tracking, at_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (assignment_id) DO UPDATE SET carrier = excluded.carrier, "
      "tracking = excluded.tracking, at_ms = excluded.at_ms",
      {assignment_id, OptionalText(s.carrier), OptionalText(s.tracking), s.at_ms});
}

Result<std::optional<Shipment>> AssignmentRecords::ShipmentOf(int64_t assignment_id) {
  std::optional<Shipment> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT carrier, tracking, at_ms FROM shipments WHERE assignment_id = ?",
                {assignment_id}, [&out](const Row& r) {
                  Shipment s;
                  if (!r.IsNull(0)) s.carrier = std::string(r.Text(0));
                  if (!r.IsNull(1)) s.tracking = std::string(r.Text(1));
                  s.at_ms = r.Int(2);
                  out = std::move(s);
                  return Status::Ok();
                }));
  return out;
}

Status AssignmentRecords::AddNote(int64_t assignment_id, State state, const std::string& kind,
                                  const std::string& actor, const std::string& reason) {
  return db_.Execute(
      "INSERT INTO assignment_events (assignment_id, from_state, to_state, actor, reason, at_ms, "
      "kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {assignment_id, StateName(state), StateName(state), std::string_view(actor),
       std::string_view(reason), clock_.NowMs(), std::string_view(kind)});
}

Result<std::optional<int64_t>> AssignmentRecords::LastNoteAt(int64_t assignment_id,
                                                             const std::string& kind) {
  std::optional<int64_t> out;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT MAX(at_ms) FROM assignment_events WHERE assignment_id = ? AND kind = ?",
                {assignment_id, std::string_view(kind)}, [&out](const Row& r) {
                  if (!r.IsNull(0)) out = r.Int(0);
                  return Status::Ok();
                }));
  return out;
}

Result<AssetDetails> AssetDetailsOf(std::string_view post_json, std::string_view post_format) {
  AssetDetails out{.format = std::string(post_format)};
  const nlohmann::json j = nlohmann::json::parse(post_json, nullptr, false);
  if (!j.is_object()) return out;
  for (const char* name : {"format", "hook"}) {
    if (!j.contains(name) || j[name].is_null()) continue;
    const std::string field = fmt::format("post.{}", name);
    if (!j[name].is_string()) return InvalidArgument(field + ": expected text").WithField(field);
    const std::string value = text::AsciiLower(text::Trim(j[name].get<std::string>()));
    const Status label = CheckShipmentLabel(value, field);
    if (!value.empty() && (!label.ok() || text::CodePointCount(value) > 64)) {
      return InvalidArgument(field + ": at most 64 characters of printable text").WithField(field);
    }
    if (!value.empty()) (std::string_view(name) == "format" ? out.format : out.hook) = value;
  }
  if (j.contains("duration_s") && !j["duration_s"].is_null()) {
    const nlohmann::json& d = j["duration_s"];
    if (!d.is_number() || d.get<double>() < 0 || d.get<double>() > 86'400) {
      return InvalidArgument("post.duration_s: expected seconds from 0 to 86400")
          .WithField("post.duration_s");
    }
    out.duration_s = d.get<double>();
  }
  return out;
}

Status AssignmentRecords::ReplaceAssets(int64_t assignment_id, int64_t post_id,
                                        const std::vector<NewAsset>& assets) {
  SEEDCAST_RETURN_IF_ERROR(
      db_.Execute("DELETE FROM assets WHERE post_id IN (SELECT id FROM posts WHERE assignment_id "
                  "= ? AND id <> ?)",
                  {assignment_id, post_id}));
  std::string payload;
  std::string post_format;
  SEEDCAST_RETURN_IF_ERROR(
      db_.Query("SELECT payload, format FROM posts WHERE id = ?", {post_id}, [&](const Row& r) {
        payload = r.Text(0);
        post_format = r.Text(1);
        return Status::Ok();
      }));
  SEEDCAST_ASSIGN_OR_RETURN(const AssetDetails details, AssetDetailsOf(payload, post_format));
  for (const NewAsset& a : assets) {
    // Perpetual rights are paid rights without an end date (measure/usage_rights.h).
    const std::string_view scope =
        a.usage_rights == "perpetual" ? std::string_view("paid") : std::string_view(a.usage_rights);
    const std::string& format = details.format.empty() ? a.kind : details.format;
    SEEDCAST_RETURN_IF_ERROR(db_.Execute(
        "INSERT INTO assets (post_id, campaign_id, creator_id, kind, uri, usage_rights, "
        "created_at_ms, org_id, format, hook, duration_s, rights_scope) VALUES (?, ?, ?, ?, ?, ?, "
        "?, (SELECT org_id FROM campaigns WHERE id = ?), ?, ?, ?, ?)",
        {post_id, a.campaign_id, a.creator_id, std::string_view(a.kind), std::string_view(a.uri),
         std::string_view(a.usage_rights), clock_.NowMs(), a.campaign_id, std::string_view(format),
         std::string_view(details.hook),
         details.duration_s ? Value(*details.duration_s) : Value(nullptr), scope}));
  }
  // The code brands put in ad names: "SCA-" and the id, known once the row is written.
  return db_.Execute("UPDATE assets SET code = 'SCA-' || id WHERE post_id = ? AND code IS NULL",
                     {post_id});
}

}  // namespace seedcast::campaign
