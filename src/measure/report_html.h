// The HTML form of a campaign or brand report (measure/report.h): one self-contained page, with
// its styles inline and its charts as inline SVG. It loads nothing: no scripts, fonts, images or
// style sheets from anywhere, so it can be mailed or archived as one file. Every text from the
// report is escaped.
//
// Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace seedcast::measure {

// & < > " ' as character references.
std::string EscapeHtml(std::string_view text);

// The page of a report JSON (CampaignReportToJson or BrandReportToJson).
std::string ReportToHtml(const nlohmann::ordered_json& report);

}  // namespace seedcast::measure
