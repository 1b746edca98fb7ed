#include "app/errors.h"

#include <array>
#include <string_view>

namespace seedcast::app {
namespace {

constexpr std::array<EdgeMapping, 13> kTable = {{
    {StatusCode::kOk, kExitOk, 200, "OK"},
    {StatusCode::kInvalidArgument, kExitUsage, 422, "Invalid input"},
    {StatusCode::kNotFound, kExitFailure, 404, "Not found"},
    {StatusCode::kAlreadyExists, kExitFailure, 409, "Already exists"},
    {StatusCode::kAborted, kExitFailure, 409, "Lost a race with a concurrent change; retry"},
    {StatusCode::kFailedPrecondition, kExitFailure, 409, "Not allowed in the current state"},
    {StatusCode::kUnauthenticated, kExitFailure, 401, "Authentication required"},
    {StatusCode::kPermissionDenied, kExitFailure, 403, "Permission denied"},
    {StatusCode::kResourceExhausted, kExitFailure, 429, "Limit reached"},
    {StatusCode::kDeadlineExceeded, kExitFailure, 504, "Took too long"},
    {StatusCode::kUnavailable, kExitFailure, 503, "Unavailable"},
    {StatusCode::kIoError, kExitFailure, 500, "I/O error"},
    {StatusCode::kInternal, kExitFailure, 500, "Internal error"},
}};

constexpr bool InCodeOrder() {
  for (size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<size_t>(kTable[i].code) != i) return false;
  }
  return true;
}
static_assert(InCodeOrder(), "the edge table has one row per StatusCode, in enum order");
static_assert(kTable.size() == static_cast<size_t>(StatusCode::kInternal) + 1,
              "every StatusCode has a row");

struct ReasonStatus {
  std::string_view reason;
  int http_status;
};
constexpr std::array<ReasonStatus, 7> kReasonStatus = {{
    {"no_route", 404},
    {"method_not_allowed", 405},
    {"malformed_json", 400},
    {"malformed_request", 400},
    {"body_too_large", 413},
    {"request_timeout", 408},
    {"idempotency_key_reused", 422},
}};

}  // namespace

int HttpStatusOf(const Status& status) {
  for (const ReasonStatus& r : kReasonStatus) {
    if (r.reason == status.reason()) return r.http_status;
  }
  return MappingOf(status.code()).http_status;
}

int ExitCodeOf(const Status& status) { return MappingOf(status.code()).exit_code; }

const EdgeMapping& MappingOf(StatusCode code) {
  const auto i = static_cast<size_t>(code);
  return i < kTable.size() ? kTable[i] : kTable.back();
}

}  // namespace seedcast::app
