#include "config/config.h"

#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace seedcast::config {
namespace {

std::string DefaultDataDir(const EnvLookup& env) {
  if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty()) return *xdg + "/seedcast";
  if (auto home = env("HOME"); home && !home->empty()) return *home + "/.local/share/seedcast";
  return ".seedcast";
}

// [kpi]: EMV values per action (whole cents, not negative), the impression assumptions, the
// engagement-rate base per platform, the asset kinds cost per asset counts, and ROI's value.
Status ApplyKpi(KpiSettings& k, const toml::table& root, const std::string& origin) {
  const toml::node_view<const toml::node> kpi = root["kpi"];
  if (auto v = kpi["emv_method"].value<std::string>()) {
    if (*v != "per_action" && *v != "cpm") {
      return InvalidArgument(origin + ": kpi.emv_method is \"per_action\" or \"cpm\"");
    }
    k.emv_method = *v;
  }
  const std::pair<const char*, int64_t*> cents[] = {
      {"emv_like_cents", &k.emv_like_cents},   {"emv_comment_cents", &k.emv_comment_cents},
      {"emv_share_cents", &k.emv_share_cents}, {"emv_save_cents", &k.emv_save_cents},
      {"emv_vpm_cents", &k.emv_vpm_cents},     {"emv_cpm_cents", &k.emv_cpm_cents}};
  for (const auto& [name, out] : cents) {
    if (!kpi[name]) continue;
    auto v = kpi[name].value<int64_t>();
    if (!v || *v < 0) return InvalidArgument(origin + ": kpi." + name + " is whole cents >= 0");
    *out = *v;
  }
  const std::pair<const char*, double*> ratios[] = {
      {"impressions_per_reach", &k.impressions_per_reach},
      {"impressions_per_like", &k.impressions_per_like}};
  for (const auto& [name, out] : ratios) {
    if (!kpi[name]) continue;
    auto v = kpi[name].value<double>();
    if (!v || !(*v > 0)) return InvalidArgument(origin + ": kpi." + name + " is a number > 0");
    *out = *v;
  }
  if (const toml::table* bases = kpi["engagement_base"].as_table()) {
    for (const auto& [platform, base] : *bases) {
      auto v = base.value<std::string>();
      if (!v || (*v != "followers" && *v != "views" && *v != "reach" && *v != "impressions")) {
        return InvalidArgument(origin + ": kpi.engagement_base." + std::string(platform.str()) +
                               " is followers, views, reach or impressions");
      }
      k.engagement_base[std::string(platform.str())] = *v;
    }
  }
  if (const toml::array* kinds = kpi["usable_asset_kinds"].as_array()) {
    k.usable_asset_kinds.clear();
    for (const toml::node& kind : *kinds) {
      auto v = kind.value<std::string>();
      if (!v) return InvalidArgument(origin + ": kpi.usable_asset_kinds is a list of kinds");
      k.usable_asset_kinds.push_back(*v);
    }
  }
  if (auto v = kpi["roi_value"].value<std::string>()) {
    if (*v != "revenue" && *v != "emv") {
      return InvalidArgument(origin + ": kpi.roi_value is \"revenue\" or \"emv\"");
    }
    k.roi_value = *v;
  }
  return Status::Ok();
}

Result<Config> ApplyAccounts(Config base, const toml::table& root, const std::string& origin) {
  const toml::node_view<const toml::node> accounts = root["accounts"];
  AccountSettings& a = base.accounts;
  if (auto v = accounts["key_file"].value<std::string>()) a.key_file = *v;
  if (auto v = accounts["mail_dir"].value<std::string>()) a.mail_dir = *v;
  if (auto v = accounts["smtp_url"].value<std::string>()) {
    if (!v->starts_with("smtp://") && !v->starts_with("smtps://")) {
      return InvalidArgument(origin +
                             ": accounts.smtp_url is smtp://HOST:PORT or smtps://HOST:PORT");
    }
    a.smtp_url = *v;
  }
  if (auto v = accounts["smtp_from"].value<std::string>()) a.smtp_from = *v;
  if (auto v = accounts["smtp_user"].value<std::string>()) a.smtp_user = *v;
  if (auto node = accounts["smtp_tls"]) {
    auto v = node.value<std::string>();
    if (!v || (*v != "require" && *v != "try")) {
      return InvalidArgument(origin + ": accounts.smtp_tls is \"require\" or \"try\"");
    }
    a.smtp_require_tls = *v == "require";
  }
  auto minutes = [&](const char* name, int64_t scale, int64_t* out) -> Status {
    if (auto node = accounts[name]) {
      auto v = node.value<int64_t>();
      if (!v || *v < 1 || *v > 10'000) {
        return InvalidArgument(origin + ": accounts." + name + " must be a number from 1 to 10000");
      }
      *out = *v * scale;
    }
    return Status::Ok();
  };
  SEEDCAST_RETURN_IF_ERROR(minutes("session_idle_minutes", 60'000, &a.session_idle_ms));
  SEEDCAST_RETURN_IF_ERROR(minutes("session_lifetime_hours", 3'600'000, &a.session_lifetime_ms));
  if (auto node = accounts["trusted_proxies"]) {
    const toml::array* list = node.as_array();
    if (list == nullptr)
      return InvalidArgument(origin + ": accounts.trusted_proxies must be a list");
    for (const toml::node& o : *list) {
      auto v = o.value<std::string>();
      if (!v) return InvalidArgument(origin + ": accounts.trusted_proxies holds addresses");
      a.trusted_proxies.push_back(*v);
    }
  }
  if (auto node = accounts["origins"]) {
    const toml::array* list = node.as_array();
    if (list == nullptr) return InvalidArgument(origin + ": accounts.origins must be a list");
    a.origins.clear();
    for (const toml::node& o : *list) {
      auto v = o.value<std::string>();
      if (!v || !(v->starts_with("https://") || v->starts_with("http://"))) {
        return InvalidArgument(origin + ": accounts.origins holds URLs like https://host");
      }
      a.origins.push_back(*v);
    }
  }
  return base;
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read at start-up
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<Config> ApplyToml(Config base, const std::string& toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return InvalidArgument(origin + ": " + std::string(e.description()) + " at " + where.str());
  }
  for (const auto& [key, value] : root) {
    if (key != "database" && key != "tiers" && key != "import" && key != "quality" &&
        key != "accounts" && key != "onboarding" && key != "server" && key != "kpi") {
      return InvalidArgument(
          origin + ": unknown section [" + std::string(key.str()) +
          "] (expected database, tiers, import, quality, accounts, onboarding, server, kpi)");
    }
  }
  if (auto url = root["database"]["url"].value<std::string>()) base.db_url = *url;
  if (auto dir = root["database"]["data_dir"].value<std::string>()) base.data_dir = *dir;
  if (const toml::table* tiers = root["tiers"].as_table()) {
    std::vector<model::Tier> list;
    for (const auto& [name, bound] : *tiers) {
      auto v = bound.value<int64_t>();
      if (!v) {
        return InvalidArgument(origin + ": tiers." + std::string(name.str()) +
                               " must be a whole number of followers");
      }
      list.push_back({std::string(name.str()), *v});
    }
    auto scheme = model::TierScheme::Create(std::move(list));
    if (!scheme.ok()) return scheme.status().WithContext(origin + ": [tiers]");
    base.tiers = std::move(scheme).value();
  }
  if (auto node = root["import"]["batch_rows"]) {
    auto rows = node.value<int64_t>();
    if (!rows || *rows < 1 || *rows > 10'000'000) {
      return InvalidArgument(origin + ": import.batch_rows must be a number from 1 to 10000000");
    }
    base.import_batch_rows = static_cast<int>(*rows);
  }
  if (auto node = root["quality"]["gate"]) {
    auto gate = node.value<double>();
    if (!gate || *gate < 0 || *gate > 100) {
      return InvalidArgument(origin + ": quality.gate must be a number from 0 to 100");
    }
    base.quality_gate = *gate;
  }
  if (auto node = root["onboarding"]["min_followers"]) {
    auto v = node.value<int64_t>();
    if (!v || *v < 0) return InvalidArgument(origin + ": onboarding.min_followers must be >= 0");
    base.onboarding.min_followers = *v;
  }
  if (auto node = root["onboarding"]["review"]) {
    auto v = node.value<std::string>();
    if (!v || (*v != "operator" && *v != "gate")) {
      return InvalidArgument(origin + ": onboarding.review is \"operator\" or \"gate\"");
    }
    base.onboarding.gate_decides = *v == "gate";
  }
  if (auto node = root["server"]["web_root"]) {
    auto v = node.value<std::string>();
    if (!v || v->empty()) {
      return InvalidArgument(origin + ": server.web_root is the web app's directory");
    }
    base.server.web_root = *v;
  }
  if (auto node = root["server"]["webhook_private_addresses"]) {
    auto v = node.value<bool>();
    if (!v) return InvalidArgument(origin + ": server.webhook_private_addresses is true or false");
    base.server.webhook_private_addresses = *v;
  }
  SEEDCAST_RETURN_IF_ERROR(ApplyKpi(base.kpi, root, origin));
  return ApplyAccounts(std::move(base), root, origin);
}

Result<Config> LoadConfig(const ConfigFlags& flags, const EnvLookup& env) {
  Config config;
  std::optional<std::string> file = flags.config_file;
  if (!file) file = env("SEEDCAST_CONFIG");
  if (!file && std::filesystem::exists("seedcast.toml")) file = "seedcast.toml";
  if (file) {
    std::ifstream in(*file);
    if (!in) return IoError("cannot read config file '" + *file + "'");
    std::stringstream text;
    text << in.rdbuf();
    SEEDCAST_ASSIGN_OR_RETURN(config, ApplyToml(std::move(config), text.str(), *file));
    config.config_file = *file;
  }
  if (auto v = env("SEEDCAST_DATA_DIR"); v && !v->empty()) config.data_dir = *v;
  if (auto v = env("SEEDCAST_DB"); v && !v->empty()) config.db_url = *v;
  if (flags.data_dir) config.data_dir = *flags.data_dir;
  if (flags.db_url) config.db_url = *flags.db_url;
  if (config.data_dir.empty()) config.data_dir = DefaultDataDir(env);
  if (config.db_url.empty()) config.db_url = "sqlite:" + config.data_dir + "/seedcast.db";
  if (auto v = env("SEEDCAST_KEY_FILE"); v && !v->empty()) config.accounts.key_file = *v;
  if (auto v = env("SEEDCAST_SMTP_PASSWORD"); v) config.accounts.smtp_password = *v;
  if (flags.key_file) config.accounts.key_file = *flags.key_file;
  if (config.accounts.key_file.empty())
    config.accounts.key_file = config.data_dir + "/seedcast.key";
  if (config.accounts.mail_dir.empty()) config.accounts.mail_dir = config.data_dir + "/mail";
  return config;
}

}  // namespace seedcast::config
