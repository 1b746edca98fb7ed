#include "measure/report_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace seedcast::measure {
namespace {

using nlohmann::ordered_json;

struct Bar {
  std::string label;
  double value = 0;
  std::string text;  // the value as shown
};

std::string Text(const ordered_json& v) {
  if (v.is_null()) return "—";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// At most `n` code points of UTF-8 `s`, never cut inside one.
std::string_view FirstCodePoints(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t seen = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (seen++ == n) break;
  }
  return s.substr(0, i);
}

std::string Percent(const ordered_json& v) {
  if (!v.is_number()) return "—";
  return fmt::format("{:.2f}%", v.get<double>() * 100);
}

// A horizontal bar chart as inline SVG; bars scale to the largest value.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars) {
  if (bars.empty()) return "";
  double top = 0;
  for (const Bar& b : bars) top = std::max(top, b.value);
  const int row = 26;
  const int height = row * static_cast<int>(bars.size()) + 30;
  std::string out = fmt::format(
      "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{}\" "
      "role=\"img\" aria-label=\"{}\"><text x=\"0\" y=\"16\" class=\"t\">{}</text>",
      height, EscapeHtml(title), EscapeHtml(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = 26 + row * static_cast<int>(i);
    const double width = top > 0 ? 360 * bars[i].value / top : 0;
    out += fmt::format(
        "<text x=\"0\" y=\"{}\">{}</text><rect x=\"200\" y=\"{}\" width=\"{:.1f}\" "
        "height=\"18\" fill=\"#1f6f5c\"/><text x=\"{:.1f}\" y=\"{}\">{}</text>",
        y + 14, EscapeHtml(FirstCodePoints(bars[i].label, 28)), y, width, 206 + width, y + 14,
        EscapeHtml(bars[i].text));
  }
  return out + "</svg></figure>";
}

std::string Table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table><tr>";
  for (const std::string& h : head) out += "<th>" + EscapeHtml(h) + "</th>";
  out += "</tr>";
  for (const auto& r : rows) {
    out += "<tr>";
    for (const std::string& c : r) out += "<td>" + EscapeHtml(c) + "</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

std::string KpiSection(const ordered_json& kpis) {
  std::vector<std::vector<std::string>> rows;
  for (const ordered_json& f : kpis) {
    rows.push_back({Text(f["id"]), Text(f["value"]), Text(f["unit"]), Text(f["formula"])});
  }
  return "<h2>KPIs</h2>" + Table({"formula id", "value", "unit", "formula"}, rows);
}

std::string PaidSection(const ordered_json& paid) {
  const ordered_json& t = paid["totals"];
  std::string out = "<h2>Paid reuse</h2>";
  out += Table({"ads", "impressions", "clicks", "spend (cents)", "results", "thumbstop", "CTR",
                "CPC (cents)", "CPA (cents)", "ROAS"},
               {{Text(t["ads"]), Text(t["impressions"]), Text(t["clicks"]), Text(t["spend_cents"]),
                 Text(t["results"]), Percent(t["thumbstop_rate"]), Percent(t["ctr"]),
                 Text(t["cpc_cents"]), Text(t["cpa_cents"]), Text(t["roas"])}});
  out += "<p>Thumbstop basis: " + EscapeHtml(Text(t["thumbstop_basis"])) + "; currency " +
         EscapeHtml(Text(t["currency"])) +
         "; ads linked to an asset: " + EscapeHtml(Text(paid["linked_ads"])) +
         ", not linked: " + EscapeHtml(Text(paid["unlinked_ads"])) + ".</p>";
  std::vector<Bar> thumbstop;
  std::vector<Bar> ctr;
  for (const ordered_json& g : paid["by_asset"]) {
    const std::string label = Text(g["key"]) + " " + Text(g["label"]);
    if (g["thumbstop_rate"].is_number()) {
      thumbstop.push_back({label, g["thumbstop_rate"].get<double>(), Percent(g["thumbstop_rate"])});
    }
    if (g["ctr"].is_number()) ctr.push_back({label, g["ctr"].get<double>(), Percent(g["ctr"])});
  }
  out += BarChart("Thumbstop rate by asset", thumbstop) + BarChart("CTR by asset", ctr);
  return out;
}

std::string TrackingSection(const ordered_json& tracking) {
  if (!tracking.value("tracked", false)) return "";
  std::vector<Bar> clicks;
  for (const ordered_json& c : tracking["by_creator"]) {
    clicks.push_back({"creator " + Text(c["creator_id"]), c["clicks"].get<double>(),
                      Text(c["clicks"]) + " clicks, " + Text(c["orders"]) + " orders"});
  }
  return "<h2>Tracked links and codes</h2>" +
         Table({"clicks", "unique clicks", "orders", "revenue (cents)"},
               {{Text(tracking["clicks"]), Text(tracking["unique_clicks"]),
                 Text(tracking["orders"]), Text(tracking["revenue_cents"])}}) +
         BarChart("Clicks by creator", clicks);
}

std::string LiftSection(const ordered_json& lift) {
  if (!lift.is_object()) return "";
  const ordered_json& r = lift["result"];
  const ordered_json& d = r["difference"];
  std::vector<Bar> rates;
  for (const char* w : {"baseline", "campaign"}) {
    if (r[w]["conversion_rate"].is_number()) {
      rates.push_back({w, r[w]["conversion_rate"].get<double>(), Percent(r[w]["conversion_rate"])});
    }
  }
  return "<h2>Listing conversion lift</h2><p class=\"v\">" + EscapeHtml(Text(r["verdict"])) +
         "</p>" +
         Table({"difference", "lower", "upper", "relative lift", "confidence"},
               {{Percent(d["value"]), Percent(d["lower"]), Percent(d["upper"]),
                 Percent(r["relative_lift"]["value"]), Text(r["confidence"])}}) +
         BarChart("Conversion rate", rates);
}

std::string CampaignBody(const ordered_json& c) {
  std::string out = "<h1>" + EscapeHtml(Text(c["name"])) + "</h1>";
  out += Table({"completed", "target", "guarantee held", "invoiced (cents)",
                "cost per completed post (cents)"},
               {{Text(c["completed"]), Text(c["target_posts"]), Text(c["guarantee_held"]),
                 Text(c["invoiced_cents"]), Text(c["cost_per_completed_post_cents"])}});
  const ordered_json& m = c["measurement"];
  return out + KpiSection(m["kpis"]) + PaidSection(m["paid"]) + TrackingSection(m["tracking"]) +
         LiftSection(m["lift"]);
}

constexpr std::string_view kStyle =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:.25em "
    ".6em;text-align:left}th{background:#f2f2f2}svg text{font-size:12px}.t{font-weight:bold}"
    ".v{font-size:1.2em;font-weight:bold}";

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ReportToHtml(const ordered_json& report) {
  const bool brand = report.value("kind", "") == "brand";
  std::string body;
  if (brand) {
    body = "<h1>" + EscapeHtml(Text(report["name"])) + " (brand report)</h1>" +
           PaidSection(report["paid"]);
    for (const ordered_json& c : report["campaigns"]) body += "<hr>" + CampaignBody(c);
  } else {
    body = CampaignBody(report);
  }
  return fmt::format(
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
      "name=\"viewport\" content=\"width=device-width\"><title>{}</title><style>{}</style>"
      "</head><body>{}</body></html>\n",
      EscapeHtml(Text(report["name"])), kStyle, body);
}

}  // namespace seedcast::measure
