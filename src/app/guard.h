// Guard: the catch-all every edge wraps its unit of work in (a request, an input line). Seedcast
// returns Status values, but a library may still throw (nlohmann::json on a type it did not
// expect, std::bad_alloc); whatever escapes becomes an internal error for that one unit, and
// the process and the other units go on.
#pragma once

#include <exception>
#include <functional>
#include <string>

#include "common/status.h"

namespace seedcast::app {

inline Status Guard(const std::function<Status()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Internal(std::string("unexpected failure: ") + e.what()).WithReason("uncaught");
  } catch (...) {
    return Internal("unexpected failure").WithReason("uncaught");
  }
}

}  // namespace seedcast::app
