// Status and Result<T>: the one error vocabulary of Seedcast.
//
// Expected failures (bad input, not found, conflict, an unavailable backend) are returned as
// values. Programmer errors are assertions. Exceptions are used only where a library forces them,
// and are turned into a Status at the boundary where they are caught. Both types are plain values:
// thread-compatible.
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace seedcast {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // the caller's input is wrong; the message (and field) names what
  kNotFound,
  kAlreadyExists,       // a unique key is taken
  kAborted,             // lost a race with a concurrent writer: retrying may succeed
  kFailedPrecondition,  // the state does not allow it now (a forbidden transition, no stock, a
                        // gate): retrying the same request will not help
  kUnauthenticated,     // no credentials, or wrong ones
  kPermissionDenied,    // known caller, not allowed
  kResourceExhausted,   // a limit was reached (size, rate, a full pool)
  kDeadlineExceeded,    // it took longer than allowed
  kUnavailable,         // a backend could not be reached
  kIoError,             // a file or socket failed
  kInternal,            // a backend reported something unexpected
};

// "invalid argument", ...: for messages.
const char* StatusCodeName(StatusCode code);
// "invalid_argument", ...: the stable, machine-readable spelling (API error codes).
const char* StatusCodeSlug(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // A stable reason code ("transition_not_allowed", "out_of_stock"), for programs to branch on;
  // empty when the code says it all.
  const std::string& reason() const { return reason_; }
  // The input field the failure is about, as a JSON path ("spec.brief.benefits[1]"); empty
  // when it is about no one field.
  const std::string& field() const { return field_; }
  // "invalid argument: followers: '12x' is not a number"
  std::string ToString() const;

  // Returns a copy whose message is "context: message".
  Status WithContext(const std::string& context) const;
  Status WithReason(std::string reason) const;
  Status WithField(std::string field) const;
  // How long the caller should wait before trying again (a throttle); 0 when not said.
  int64_t retry_after_ms() const { return retry_after_ms_; }
  Status WithRetryAfterMs(int64_t ms) const {
    Status s = *this;
    s.retry_after_ms_ = ms;
    return s;
  }
  // True for failures a caller may retry unchanged (a lost race, a busy backend).
  bool retryable() const { return code_ == StatusCode::kAborted; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
  std::string field_;
  int64_t retry_after_ms_ = 0;
};

inline Status InvalidArgument(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}
inline Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }
inline Status IoError(std::string message) { return {StatusCode::kIoError, std::move(message)}; }
inline Status Unavailable(std::string message) {
  return {StatusCode::kUnavailable, std::move(message)};
}
inline Status Aborted(std::string message) { return {StatusCode::kAborted, std::move(message)}; }
inline Status AlreadyExists(std::string message) {
  return {StatusCode::kAlreadyExists, std::move(message)};
}
// Not allowed now; `reason` is the stable reason code.
inline Status FailedPrecondition(std::string reason, std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message)).WithReason(std::move(reason));
}
inline Status Unauthenticated(std::string message) {
  return {StatusCode::kUnauthenticated, std::move(message)};
}
inline Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "a Result needs a value or a failed Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace seedcast

// Returns early from the enclosing function when `expr` yields a failed Status.
#define SEEDCAST_RETURN_IF_ERROR(expr)                   \
  do {                                                   \
    ::seedcast::Status seedcast_status_ = (expr);        \
    if (!seedcast_status_.ok()) return seedcast_status_; \
  } while (false)

#define SEEDCAST_CONCAT_INNER(a, b) a##b
#define SEEDCAST_CONCAT(a, b) SEEDCAST_CONCAT_INNER(a, b)
// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` is a declaration and cannot be parenthesised.
#define SEEDCAST_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
// `SEEDCAST_ASSIGN_OR_RETURN(auto x, Compute());` assigns the value or returns the failure.
#define SEEDCAST_ASSIGN_OR_RETURN(lhs, expr) \
  SEEDCAST_ASSIGN_OR_RETURN_IMPL(SEEDCAST_CONCAT(seedcast_result_, __LINE__), lhs, expr)
// NOLINTEND(bugprone-macro-parentheses)
