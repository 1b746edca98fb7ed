// The one table from Status codes to what each edge shows: the CLI's exit code, the HTTP status
// and the problem title of the API (RFC 9457). Adapters map through it and nowhere else.
#pragma once

#include "common/status.h"

namespace seedcast::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct EdgeMapping {
  StatusCode code;
  int exit_code;
  int http_status;
  const char* title;  // the problem document's title
};

const EdgeMapping& MappingOf(StatusCode code);

// The HTTP status of a failure: the code's row, refined by a few reasons the protocol names
// (malformed_json 400, method_not_allowed 405, body_too_large 413, request_timeout 408,
// idempotency_key_reused 422).
int HttpStatusOf(const Status& status);
int ExitCodeOf(const Status& status);

}  // namespace seedcast::app
