#include "common/status.h"

namespace seedcast {
namespace {

struct CodeNames {
  const char* name;
  const char* slug;
};

CodeNames NamesOf(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {"ok", "ok"};
    case StatusCode::kInvalidArgument:
      return {"invalid argument", "invalid_argument"};
    case StatusCode::kNotFound:
      return {"not found", "not_found"};
    case StatusCode::kAlreadyExists:
      return {"already exists", "already_exists"};
    case StatusCode::kAborted:
      return {"aborted", "aborted"};
    case StatusCode::kFailedPrecondition:
      return {"not allowed now", "failed_precondition"};
    case StatusCode::kUnauthenticated:
      return {"unauthenticated", "unauthenticated"};
    case StatusCode::kPermissionDenied:
      return {"permission denied", "permission_denied"};
    case StatusCode::kResourceExhausted:
      return {"limit reached", "resource_exhausted"};
    case StatusCode::kDeadlineExceeded:
      return {"deadline exceeded", "deadline_exceeded"};
    case StatusCode::kUnavailable:
      return {"unavailable", "unavailable"};
    case StatusCode::kIoError:
      return {"i/o error", "io_error"};
    case StatusCode::kInternal:
      return {"internal error", "internal"};
  }
  return {"unknown", "unknown"};
}

}  // namespace

const char* StatusCodeName(StatusCode code) { return NamesOf(code).name; }
const char* StatusCodeSlug(StatusCode code) { return NamesOf(code).slug; }

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  Status out = *this;
  out.message_ = context + ": " + message_;
  return out;
}

Status Status::WithReason(std::string reason) const {
  Status out = *this;
  out.reason_ = std::move(reason);
  return out;
}

Status Status::WithField(std::string field) const {
  Status out = *this;
  out.field_ = std::move(field);
  return out;
}

}  // namespace seedcast
