#include "campaign/spec.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <set>
#include <sstream>

#include "common/iso_time.h"
#include "compliance/post_json.h"

namespace seedcast::campaign {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> kCompensations = {"gifted", "paid", "affiliate",
                                                            "hybrid"};
constexpr std::array<std::string_view, 4> kGoals = {"ugc_assets", "launch_awareness",
                                                    "listing_traffic", "testing_angles"};
// Keys passed to the discovery engine as they are.
const std::set<std::string, std::less<>> kTargetingKeys = {
    "platforms", "tiers",     "followers", "engagement_rate", "niches",
    "countries", "languages", "audience",  "quality",         "all_niches"};
const std::set<std::string, std::less<>> kOtherKeys = {"name",
                                                       "brand",
                                                       "goal",
                                                       "product",
                                                       "compensation",
                                                       "fulfilment",
                                                       "target_posts",
                                                       "confidence",
                                                       "fee_cents_per_post",
                                                       "payout_cents_per_post",
                                                       "budget_cents",
                                                       "reimbursement_cap",
                                                       "days_to_post",
                                                       "invite_response_days",
                                                       "jurisdiction",
                                                       "timeline",
                                                       "brief",
                                                       "deliverables",
                                                       "removal_window_days",
                                                       "usage_rights"};

Status Field(std::string_view field, std::string_view message) {
  return InvalidArgument(std::string(field) + ": " + std::string(message));
}

Result<std::string> Text(const json& j, std::string_view field, bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return Field(field, "is required");
    return std::string();
  }
  if (!it->is_string()) return Field(field, "expected a string");
  return it->get<std::string>();
}

Result<int64_t> Cents(const json& j, std::string_view field, int64_t fallback) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < 0) {
    return Field(field, "expected a whole number of cents, 0 or more");
  }
  return it->get<int64_t>();
}

Result<std::vector<std::string>> Strings(const json& j, std::string_view field, size_t max_count) {
  std::vector<std::string> out;
  auto it = j.find(field);
  if (it == j.end()) return out;
  if (!it->is_array()) return Field(field, "expected a list of strings");
  for (const json& v : *it) {
    if (!v.is_string()) return Field(field, "expected a list of strings");
    out.push_back(v.get<std::string>());
  }
  if (out.size() > max_count) {
    return Field(field, "at most " + std::to_string(max_count) + " entries");
  }
  return out;
}

Status ParseProduct(const json& p, ProductSpec* out) {
  if (!p.is_object()) return Field("product", "expected an object");
  if (p.contains("id")) {
    if (!p["id"].is_number_integer() || p["id"].get<int64_t>() <= 0) {
      return Field("product.id", "expected a product id");
    }
    out->product_id = p["id"].get<int64_t>();
  }
  const bool required = out->product_id == 0;
  SEEDCAST_ASSIGN_OR_RETURN(out->name, Text(p, "name", false));
  SEEDCAST_ASSIGN_OR_RETURN(out->sku, Text(p, "sku", false));
  SEEDCAST_ASSIGN_OR_RETURN(out->asin, Text(p, "asin", false));
  SEEDCAST_ASSIGN_OR_RETURN(out->niche, Text(p, "niche", false));
  if (required && !p.contains("price_cents")) return Field("product.price_cents", "is required");
  if (required && !p.contains("units_available")) {
    return Field("product.units_available", "is required");
  }
  auto price = Cents(p, "price_cents", 0);
  if (!price.ok()) return price.status().WithContext("product");
  out->price_cents = price.value();
  auto units = Cents(p, "units_available", 0);
  if (!units.ok()) return Field("product.units_available", "expected a whole number, 0 or more");
  out->units_available = units.value();
  if (out->name.empty()) out->name = !out->sku.empty() ? out->sku : out->asin;
  return Status::Ok();
}

Status ParseBrief(const json& b, Brief* out) {
  if (!b.is_object()) return Field("brief", "expected an object");
  for (const auto& [key, value] : b.items()) {
    if (key != "key_benefits" && key != "content_rules" && key != "call_to_action" &&
        key != "example_styles" && key != "claims_to_avoid") {
      return Field("brief." + key,
                   "unknown field (known: key_benefits, content_rules, call_to_action, "
                   "example_styles, claims_to_avoid)");
    }
  }
  auto with = [](Result<std::vector<std::string>> r, std::vector<std::string>* to) -> Status {
    if (!r.ok()) return r.status().WithContext("brief");
    *to = std::move(r.value());
    return Status::Ok();
  };
  SEEDCAST_RETURN_IF_ERROR(with(Strings(b, "key_benefits", 3), &out->key_benefits));
  SEEDCAST_RETURN_IF_ERROR(with(Strings(b, "content_rules", 2), &out->content_rules));
  SEEDCAST_RETURN_IF_ERROR(with(Strings(b, "example_styles", 3), &out->example_styles));
  SEEDCAST_RETURN_IF_ERROR(with(Strings(b, "claims_to_avoid", 50), &out->claims_to_avoid));
  auto cta = Text(b, "call_to_action", false);
  if (!cta.ok()) return cta.status().WithContext("brief");
  out->call_to_action = cta.value();
  return Status::Ok();
}

Result<int> Days(const json& j, std::string_view field, int fallback) {
  auto it = j.find(field);
  if (it == j.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 365) {
    return Field(field, "expected a whole number of days, 1 to 365");
  }
  return it->get<int>();
}

Result<double> Fraction(const json& j, std::string_view field, double fallback, double lo,
                        double hi) {
  auto it = j.find(field);
  if (it == j.end()) return fallback;
  if (!it->is_number() || it->get<double>() < lo || it->get<double>() > hi) {
    return Field(field, fmt::format("expected a number from {} to {}", lo, hi));
  }
  return it->get<double>();
}

Result<CampaignSpec> FromJson(json root) {
  if (!root.is_object()) return InvalidArgument("the campaign file is not an object");
  CampaignSpec spec;
  for (const auto& [key, value] : root.items()) {
    if (kTargetingKeys.contains(key)) {
      spec.targeting[key] = value;
    } else if (!kOtherKeys.contains(key)) {
      return Field(key, "unknown campaign field");
    }
  }
  SEEDCAST_ASSIGN_OR_RETURN(spec.name, Text(root, "name", false));
  SEEDCAST_ASSIGN_OR_RETURN(spec.brand, Text(root, "brand", false));
  if (spec.name.empty()) spec.name = "campaign";
  if (spec.brand.empty()) spec.brand = "brand";
  SEEDCAST_ASSIGN_OR_RETURN(std::string goal, Text(root, "goal", false));
  if (!goal.empty()) {
    if (std::find(kGoals.begin(), kGoals.end(), goal) == kGoals.end()) {
      return Field("goal",
                   "expected ugc_assets, launch_awareness, listing_traffic or testing_angles");
    }
    spec.goal = goal;
  }
  if (!root.contains("product")) return Field("product", "is required");
  SEEDCAST_RETURN_IF_ERROR(ParseProduct(root["product"], &spec.product));
  SEEDCAST_ASSIGN_OR_RETURN(std::string comp, Text(root, "compensation", false));
  if (!comp.empty()) {
    SEEDCAST_ASSIGN_OR_RETURN(spec.compensation, ParseCompensation(comp));
  }
  SEEDCAST_ASSIGN_OR_RETURN(std::string fulfilment, Text(root, "fulfilment", false));
  if (fulfilment == "buy_then_reimburse") {
    spec.fulfilment = Fulfilment::kBuyThenReimburse;
  } else if (!fulfilment.empty() && fulfilment != "ship") {
    return Field("fulfilment", "expected ship or buy_then_reimburse");
  }
  auto target = root.find("target_posts");
  if (target == root.end() || !target->is_number_integer() || target->get<int64_t>() < 1 ||
      target->get<int64_t>() > 100'000) {
    return Field("target_posts", "expected a whole number of posts, 1 to 100000");
  }
  spec.target_posts = target->get<int>();
  SEEDCAST_ASSIGN_OR_RETURN(spec.confidence, Fraction(root, "confidence", 0.95, 0.5, 0.999));
  SEEDCAST_ASSIGN_OR_RETURN(spec.fee_cents_per_post, Cents(root, "fee_cents_per_post", 0));
  const bool pays_cash =
      spec.compensation == Compensation::kPaid || spec.compensation == Compensation::kHybrid;
  // Paid work passes most of the fee to the creator unless the file says otherwise.
  SEEDCAST_ASSIGN_OR_RETURN(
      spec.payout_cents_per_post,
      Cents(root, "payout_cents_per_post", pays_cash ? spec.fee_cents_per_post * 4 / 5 : 0));
  if (root.contains("budget_cents")) {
    SEEDCAST_ASSIGN_OR_RETURN(spec.budget_cents, Cents(root, "budget_cents", 0));
  }
  SEEDCAST_ASSIGN_OR_RETURN(spec.reimbursement_cap,
                            Fraction(root, "reimbursement_cap", 0.15, 0, 10));
  SEEDCAST_ASSIGN_OR_RETURN(spec.days_to_post, Days(root, "days_to_post", 14));
  SEEDCAST_ASSIGN_OR_RETURN(spec.invite_response_days, Days(root, "invite_response_days", 3));
  SEEDCAST_ASSIGN_OR_RETURN(std::string jurisdiction, Text(root, "jurisdiction", false));
  if (!jurisdiction.empty()) spec.jurisdiction = jurisdiction;
  SEEDCAST_ASSIGN_OR_RETURN(std::string rights, Text(root, "usage_rights", false));
  if (!rights.empty()) {
    if (rights != "organic" && rights != "paid" && rights != "perpetual") {
      return Field("usage_rights", "expected organic, paid or perpetual");
    }
    spec.usage_rights = rights;
  }
  if (root.contains("brief")) SEEDCAST_RETURN_IF_ERROR(ParseBrief(root["brief"], &spec.brief));
  auto requirements = compliance::ParseRequirements(root.dump());
  if (!requirements.ok()) return requirements.status();
  spec.requirements = std::move(requirements.value());
  spec.starts_at_ms = spec.requirements.post_from_ms;
  spec.ends_at_ms = spec.requirements.post_until_ms;
  spec.raw = std::move(root);
  return spec;
}

}  // namespace

std::string_view CompensationName(Compensation c) { return kCompensations[static_cast<size_t>(c)]; }

Result<Compensation> ParseCompensation(std::string_view name) {
  for (size_t i = 0; i < kCompensations.size(); ++i) {
    if (kCompensations[i] == name) return static_cast<Compensation>(i);
  }
  return Field("compensation",
               "expected gifted, paid, affiliate or hybrid, not '" + std::string(name) + "'");
}

std::string_view FulfilmentName(Fulfilment f) {
  return f == Fulfilment::kShip ? "ship" : "buy_then_reimburse";
}

Result<CampaignSpec> ParseCampaignSpec(std::string_view text, bool toml) {
  if (!toml) {
    json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) return InvalidArgument("the campaign file is not valid JSON");
    return FromJson(std::move(root));
  }
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(fmt::format("the campaign file is not valid TOML: {} (line {})",
                                       e.description(), e.source().begin.line));
  }
  std::ostringstream out;
  out << toml::json_formatter{table};
  json root = json::parse(out.str(), nullptr, false);
  if (root.is_discarded()) return Internal("TOML did not convert to JSON");
  return FromJson(std::move(root));
}

Result<CampaignSpec> ReadCampaignSpec(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open campaign file " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const bool toml = path.size() >= 5 && path.compare(path.size() - 5, 5, ".toml") == 0;
  auto spec = ParseCampaignSpec(buffer.str(), toml);
  if (!spec.ok()) return spec.status().WithContext(path);
  return spec;
}

}  // namespace seedcast::campaign
