// UTM parameters (utm_source, utm_medium, utm_campaign, utm_content, utm_term): added to a brand's
// landing URL by tracked links, and read back from orders' landing sites and note attributes for
// attribution. Parsing and encoding are Boost.URL's.
//
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace seedcast::measure {

// UTM names without their "utm_" prefix ("source", "campaign", ...) to values.
using Utm = std::map<std::string, std::string>;

// Checks that `url` is an absolute http or https URL with a host; the error names what is wrong.
Status CheckLandingUrl(std::string_view url);

// `url` with each parameter of `utm` set as utm_NAME, unless the URL already carries that
// parameter (a brand's own tagging wins). The rest of the URL is kept as it was.
Result<std::string> AddUtm(std::string_view url, const Utm& utm);

// The utm_* parameters of a URL's query ("" or a URL without them: none).
Utm UtmOfUrl(std::string_view url);

}  // namespace seedcast::measure
