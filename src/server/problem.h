// Failures as RFC 9457 problem documents (application/problem+json), mapped through the one
// table in app/errors.h. The document carries the stable code ("failed_precondition"), the
// reason ("transition_not_allowed") and the field ("limit") where they apply.
#pragma once

#include <string>

#include "common/status.h"
#include "server/router.h"

namespace seedcast::server {

Response Problem(const Status& status, const std::string& instance, const std::string& request_id);

}  // namespace seedcast::server
