// Pieces the webhook files share (webhooks.cc, webhook_log.cc); not a public interface.
#pragma once

#include "common/status.h"
#include "storage/scope.h"

namespace seedcast::app::internal {

// Webhooks are an organisation's: kPermissionDenied for scopes that are neither an organisation
// nor everything (creators, nobody).
inline Status NeedsOrgScope(const storage::Scope& scope) {
  if (!scope.everything() && scope.org_id() == 0) {
    return PermissionDenied("webhooks are an organisation's");
  }
  return Status::Ok();
}

}  // namespace seedcast::app::internal
