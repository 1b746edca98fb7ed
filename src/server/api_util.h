// Helpers the API handlers share: reading JSON bodies strictly (types checked, unknown fields
// refused, each failure naming its field), JSON responses, and spooling a body to a temporary
// file for the file-based importers.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts.h"
#include "common/status.h"
#include "server/router.h"

namespace seedcast::server {

// The body as a JSON object; malformed_json (400) when it is not JSON, invalid_argument when it
// is not an object.
Result<nlohmann::json> JsonObjectBody(const Request& r);

// An operator's decision on a review or a flag: {"decision", "reason"?}, the reason at most 1000
// bytes.
struct Decision {
  std::string decision;
  std::string reason;
};
Result<Decision> DecisionBody(const Request& r);
// Refuses fields of `j` not in `allowed`, naming the first one.
Status OnlyFields(const nlohmann::json& j, std::initializer_list<std::string_view> allowed,
                  std::string_view where = "");
// j[name] as a string (absent: `fallback`); a value of another type is an error naming it.
Result<std::string> StringField(const nlohmann::json& j, const std::string& name,
                                const std::string& fallback = "");

Response Ok(const nlohmann::ordered_json& j, int status = 200);

// A list answer, {"items": [...]}, each item rendered by `to_json`.
template <typename T, typename ToJson>
Response Items(const std::vector<T>& all, ToJson to_json) {
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  for (const T& item : all) items.push_back(to_json(item));
  return Ok({{"items", items}});
}

// The campaign board's routes (api_board.cc). AddCampaignRoutes adds them first, so that
// /v1/assignments/{id}/remind is found before the workflow's /v1/assignments/{id}/{action}.
void AddBoardRoutes(Router& router);
// Shortlists (api_shortlists.cc), media kits (api_kits.cc), and the operators' and brands'
// libraries: fraud flags, the ledger, content assets (api_library.cc); AddCampaignRoutes adds
// them too.
void AddShortlistRoutes(Router& router);
void AddKitRoutes(Router& router);
void AddLibraryRoutes(Router& router);
// Webhook subscriptions, the delivery log and replays (api_webhooks.cc); AddCampaignRoutes adds
// them too.
void AddWebhookRoutes(Router& router);
// Ad reports, listing sessions, lift, and the campaign and brand reports (api_outcomes.cc);
// AddCampaignRoutes adds them too.
void AddOutcomeRoutes(Router& router);
// Tracked links' redirect (GET /r/{code}, with the queue of its clicks), a campaign's links and
// codes, and orders (api_tracking.cc); AddCampaignRoutes adds them too.
void AddTrackingRoutes(Router& router);

// Where a request came from, for throttling and the security log.
app::ClientInfo ClientOf(const Request& r);

// A body written to a temporary file, removed when this goes out of scope.
class SpooledBody {
 public:
  static Result<SpooledBody> Write(const std::string& body, const std::string& extension);
  SpooledBody(SpooledBody&& other) noexcept;
  SpooledBody& operator=(SpooledBody&&) = delete;
  SpooledBody(const SpooledBody&) = delete;
  SpooledBody& operator=(const SpooledBody&) = delete;
  ~SpooledBody();
  const std::string& path() const { return path_; }

 private:
  explicit SpooledBody(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace seedcast::server
