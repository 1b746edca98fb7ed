#include "server/router.h"

#include <fmt/format.h>

#include <charconv>

#include "common/text.h"

namespace seedcast::server {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  for (std::string_view s : text::Split(path, "/")) {
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

// Whether `path` fits `pattern`, filling `params` with the {named} segments.
bool Fits(std::string_view pattern, std::string_view path,
          std::map<std::string, std::string>* params) {
  const std::vector<std::string_view> want = Segments(pattern);
  const std::vector<std::string_view> got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      found.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(got[i]));
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

std::string Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

void Router::Add(Route route) { routes_.push_back(std::move(route)); }

Match Router::Find(std::string_view method, std::string_view path) const {
  Match m;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!Fits(r.pattern, path, &params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.allowed_methods.push_back(r.method);
  }
  return m;
}

Response Json(int status, const std::string& body) {
  Response r;
  r.status = status;
  r.body = body;
  return r;
}

Result<int64_t> IdParam(const Request& r, const std::string& name) {
  auto it = r.params.find(name);
  const std::string value = it == r.params.end() ? "" : it->second;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
  if (ec != std::errc() || end != value.data() + value.size() || id <= 0) {
    return InvalidArgument("'" + value + "' is not an id (a positive whole number)")
        .WithField(name);
  }
  return id;
}

Result<int64_t> IntQuery(const Request& r, const std::string& name, int64_t fallback, int64_t min,
                         int64_t max) {
  auto it = r.query.find(name);
  if (it == r.query.end() || it->second.empty()) return fallback;
  int64_t v = 0;
  const std::string& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    return InvalidArgument(fmt::format("'{}' must be a whole number from {} to {}", s, min, max))
        .WithField(name);
  }
  return v;
}

}  // namespace seedcast::server
