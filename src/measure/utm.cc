#include "measure/utm.h"

#include <boost/url.hpp>

namespace seedcast::measure {
namespace {

constexpr std::string_view kPrefix = "utm_";

}  // namespace

Status CheckLandingUrl(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    return InvalidArgument("the URL \"" + std::string(url) + "\" is not an absolute URL")
        .WithReason("bad_url");
  }
  if (parsed->scheme_id() != boost::urls::scheme::http &&
      parsed->scheme_id() != boost::urls::scheme::https) {
    return InvalidArgument("the URL \"" + std::string(url) + "\" is not http or https")
        .WithReason("bad_url");
  }
  if (parsed->encoded_host().empty()) {
    return InvalidArgument("the URL \"" + std::string(url) + "\" has no host")
        .WithReason("bad_url");
  }
  return Status::Ok();
}

Result<std::string> AddUtm(std::string_view url, const Utm& utm) {
  SEEDCAST_RETURN_IF_ERROR(CheckLandingUrl(url));
  boost::urls::url out(url);
  auto params = out.params();
  for (const auto& [name, value] : utm) {
    const std::string key = std::string(kPrefix) + name;
    if (value.empty() || params.contains(key)) continue;
    params.append({key, value});
  }
  return std::string(out.buffer());
}

Utm UtmOfUrl(std::string_view url) {
  Utm out;
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed) return out;
  for (auto param : parsed->params()) {
    std::string_view key = param.key;
    if (!key.starts_with(kPrefix) || !param.has_value || param.value.empty()) continue;
    out.emplace(std::string(key.substr(kPrefix.size())), std::string(param.value));
  }
  return out;
}

}  // namespace seedcast::measure
