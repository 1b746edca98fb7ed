// Config: Seedcast's settings, merged from (lowest to highest precedence) built-in defaults, a TOML
// file, the environment, then command-line flags.
//
// The file is the one named by --config, else $SEEDCAST_CONFIG, else ./seedcast.toml when it
// exists. Environment: SEEDCAST_DB, SEEDCAST_DATA_DIR. A plain value type; thread-compatible.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/tiers.h"

namespace seedcast::config {

// [accounts]: sign-in, sessions and personal data.
struct AccountSettings {
  std::string key_file;  // the key file of personal data (default: data_dir/seedcast.key)
  std::string mail_dir;  // where the default mail sender writes messages (data_dir/mail)
  int64_t session_idle_ms = int64_t{30} * 60'000;  // a session unused this long ends
  int64_t session_lifetime_ms =
      int64_t{12} * 3'600'000;  // and every session ends this long after sign-in
  // Origins that cookie-authenticated requests may come from ("https://app.example.com"); empty:
  // the request's own Host, over http or https.
  std::vector<std::string> origins;
  // Addresses of reverse proxies whose X-Forwarded-For names the client (throttling, the log).
  std::vector<std::string> trusted_proxies;
  // SMTP instead of the mail directory: "smtp://host:587" (STARTTLS when offered) or "smtps://".
  std::string smtp_url;
  std::string smtp_from = "no-reply@seedcast.invalid";
  std::string smtp_user;         // "" for no login; the password is $SEEDCAST_SMTP_PASSWORD
  bool smtp_require_tls = true;  // smtp_tls = "require" (default) or "try"
  std::string smtp_password;     // from the environment only, never the file
};

// [onboarding]: how the accounts creators add are reviewed (app/onboarding.h).
struct OnboardingSettings {
  int64_t min_followers = 100;
  bool gate_decides = false;  // review = "gate": no operator review
};

// [server]: `seedcast serve`.
struct ServerSettings {
  // The built web app's directory (web/dist); "" = the default next to the executable.
  std::string web_root;
  // Whether webhooks may be delivered to loopback and private-network addresses (a single-host
  // set-up or a test); off by default (app/webhooks.h).
  bool webhook_private_addresses = false;
};

// [kpi]: the values and assumptions of the campaign KPIs (measure/kpis.h, docs/outcomes.md).
struct KpiSettings {
  std::string emv_method = "per_action";  // or "cpm": EMV = impressions / 1,000 x emv_cpm_cents
  int64_t emv_like_cents = 30;            // per_action: the value of each like, comment, ...
  int64_t emv_comment_cents = 50;
  int64_t emv_share_cents = 0;
  int64_t emv_save_cents = 0;
  int64_t emv_vpm_cents = 5;  // per_action: the value of 1,000 impressions
  int64_t emv_cpm_cents = 650;
  double impressions_per_reach = 1.5;  // estimated impressions = reach x this
  double impressions_per_like = 10;    // or, without reach, likes x this
  // The base of the engagement rate by platform: "followers", "views", "reach" or "impressions".
  std::map<std::string, std::string> engagement_base = {
      {"instagram", "followers"}, {"tiktok", "views"}, {"youtube", "views"}};
  std::vector<std::string> usable_asset_kinds = {"photo", "video"};  // cost per asset counts these
  std::string roi_value = "revenue";  // or "emv": the value ROI weighs against the cost
};

struct Config {
  std::string data_dir;  // where the default SQLite file and import rejects go
  std::string db_url;    // "sqlite:PATH" or "postgresql://..."
  model::TierScheme tiers = model::TierScheme::Default();
  int import_batch_rows = 20'000;  // rows per import transaction
  double quality_gate = 60;        // [quality] gate: creators scoring below get no product
  std::string config_file;         // the file that was read, if any
  AccountSettings accounts;
  OnboardingSettings onboarding;
  ServerSettings server;
  KpiSettings kpi;
};

// What the command line said; unset fields fall through to the environment, file and defaults.
struct ConfigFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> db_url;
  std::optional<std::string> data_dir;
  std::optional<std::string> key_file;
};

// Returns the value of an environment variable, or nullopt. Injected so tests control it.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup ProcessEnv();

Result<Config> LoadConfig(const ConfigFlags& flags, const EnvLookup& env);

// Parses TOML text over `base`; `origin` names the source in error messages.
Result<Config> ApplyToml(Config base, const std::string& toml_text, const std::string& origin);

}  // namespace seedcast::config
