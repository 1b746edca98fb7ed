#include "server/problem.h"

#include <nlohmann/json.hpp>

#include "app/errors.h"

namespace seedcast::server {

Response Problem(const Status& status, const std::string& instance, const std::string& request_id) {
  const int http = app::HttpStatusOf(status);
  const std::string code = StatusCodeSlug(status.code());
  nlohmann::ordered_json j = {
      {"type", "urn:seedcast:problem:" + (status.reason().empty() ? code : status.reason())},
      {"title", app::MappingOf(status.code()).title},
      {"status", http},
      {"detail", status.message()},
      {"code", code},
  };
  if (!status.reason().empty()) j["reason"] = status.reason();
  if (!status.field().empty()) j["field"] = status.field();
  j["instance"] = instance;
  j["request_id"] = request_id;
  Response r;
  r.status = http;
  r.content_type = "application/problem+json";
  // Replace, not throw: the detail may quote input that is not valid UTF-8.
  r.body = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (status.retry_after_ms() > 0) {
    r.headers.emplace_back("Retry-After", std::to_string((status.retry_after_ms() + 999) / 1000));
  } else if (status.retryable() || status.code() == StatusCode::kUnavailable) {
    r.headers.emplace_back("Retry-After", "1");
  }
  return r;
}

}  // namespace seedcast::server
