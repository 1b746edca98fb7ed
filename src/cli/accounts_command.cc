// `seedcast keys|orgs|users|audit`: the scripted set-up of an instance (its key file, API keys,
// organisations and users) and the security log. Adapters over app/accounts.h and app/keys.h; the
// command line acts as the machine's operator.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/keys.h"
#include "app/secrets.h"
#include "cli/commands.h"
#include "common/clock.h"

namespace seedcast::cli {
namespace {

constexpr std::string_view kActor = "cli";

void AddKeys(CLI::App& app, AccountsOptions& o) {
  CLI::App* keys = app.add_subcommand("keys", "API keys of the HTTP API, and the key file");
  keys->require_subcommand(1);
  auto on = [&o](const char* action) {
    return [&o, action] {
      o.command = "keys";
      o.action = action;
    };
  };
  CLI::App* create = keys->add_subcommand("create", "create an API key; it is printed once");
  create->add_option("--org", o.org, "the organisation whose key it is (by name)");
  create->add_option("--role", o.role, "operator: an operator's key (the default without --org)");
  create->add_option("--scope", o.access, "read or write (default write)")
      ->check(CLI::IsMember({"read", "write"}));
  create->add_option("--name", o.name, "what the key is for");
  create->callback(on("create"));
  keys->add_subcommand("list", "list keys (never the keys themselves)")->callback(on("list"));
  CLI::App* revoke = keys->add_subcommand("revoke", "revoke an API key");
  revoke->add_option("id", o.id, "the key's id")->required();
  revoke->callback(on("revoke"));
  keys->add_subcommand("init", "make the key file of personal data (--key-file)")
      ->callback(on("init"));
  keys->add_subcommand("rotate",
                       "add a new key to the key file and re-encrypt all personal data with it")
      ->callback(on("rotate"));
}

void AddPeople(CLI::App& app, AccountsOptions& o) {
  CLI::App* orgs = app.add_subcommand("orgs", "organisations (brands and agencies)");
  orgs->require_subcommand(1);
  CLI::App* org_create = orgs->add_subcommand("create", "create an organisation; prints its id");
  org_create->add_option("name", o.name, "its name")->required();
  org_create->callback([&o] {
    o.command = "orgs";
    o.action = "create";
  });
  CLI::App* users = app.add_subcommand("users", "users: operators, brand members, creators");
  users->require_subcommand(1);
  CLI::App* user_create =
      users->add_subcommand("create", "create a user; the password is read from standard input");
  user_create->add_option("--email", o.email, "their email")->required();
  user_create->add_option("--role", o.role, "operator, creator, owner, admin or member")
      ->required();
  user_create->add_option("--org", o.org, "the organisation of an owner, admin or member");
  user_create->add_option("--name", o.name, "a creator's name");
  user_create->callback([&o] {
    o.command = "users";
    o.action = "create";
  });
  CLI::App* audit = app.add_subcommand("audit", "the security event log, newest first");
  audit->add_option("--kind", o.kind,
                    "only events of this kind (sign_in_failed, key_created, ...)");
  audit->add_option("--limit", o.limit, "at most this many (default 100)")
      ->check(CLI::Range(1, 10'000));
  audit->callback([&o] {
    o.command = "audit";
    o.action = "list";
  });
}

int Print(const nlohmann::ordered_json& j) {
  std::cout << j.dump() << "\n";
  return kExitOk;
}

int RunKeyFile(const config::Config& config, const AccountsOptions& o, app::AppContext* ctx) {
  SystemClock clock;
  if (o.action == "init") {
    const Status s = MakeKeyFile(config, clock);
    if (!s.ok()) return Fail(s);
    std::cerr << "key file " << config.accounts.key_file
              << " made; keep a copy: personal data cannot be read without it\n";
    return kExitOk;
  }
  auto report = app::RotateKeys(*ctx);
  if (!report.ok()) return Fail(report.status());
  return Print({{"key_id", report->key_id}, {"values_resealed", report->resealed}});
}

int RunKeys(const config::Config& config, const AccountsOptions& o, app::AppContext& ctx) {
  const storage::Scope everything = storage::Scope::Everything();
  if (o.action == "init" || o.action == "rotate") return RunKeyFile(config, o, &ctx);
  if (o.action == "list") {
    auto keys = app::ListKeys(ctx, everything);
    if (!keys.ok()) return Fail(keys.status());
    for (const app::KeyInfo& k : *keys) Print(app::KeyToJson(k));
    return kExitOk;
  }
  if (o.action == "revoke") {
    const Status revoked = app::RevokeKey(ctx, everything, o.id, std::string(kActor));
    if (!revoked.ok()) return Fail(revoked);
    std::cout << "API key " << o.id << " revoked\n";
    return kExitOk;
  }
  if (!o.org.empty() && !o.role.empty()) return Usage("give --org or --role operator, not both");
  if (!o.role.empty() && o.role != "operator") {
    return Usage("--role of a key is operator; an organisation's key takes --org NAME");
  }
  app::KeySpec spec{.access = o.access, .name = o.name};
  if (!o.org.empty()) {
    auto org = app::FindOrg(ctx, o.org);
    if (!org.ok()) return Fail(org.status());
    spec.org_id = *org;
  }
  auto key = app::CreateKey(ctx, spec, std::string(kActor));
  if (!key.ok()) return Fail(key.status());
  std::cerr << fmt::format(
      "API key {} ({}, {}, scope {}) created; it is shown only once:\n", key->id, key->prefix,
      key->org_id == 0 ? "operator" : fmt::format("org {}", key->org_id), key->access);
  std::cout << key->secret << "\n";
  return kExitOk;
}

int RunUsers(const AccountsOptions& o, app::AppContext& ctx) {
  app::NewUser user{.email = o.email, .role = o.role, .creator_name = o.name};
  if (!o.org.empty()) {
    auto org = app::FindOrg(ctx, o.org);
    if (!org.ok()) return Fail(org.status());
    user.org_id = *org;
  }
  std::getline(std::cin, user.password);
  if (!user.password.empty() && user.password.back() == '\r') user.password.pop_back();
  auto created = app::CreateUser(ctx, user, std::string(kActor));
  if (!created.ok()) return Fail(created.status());
  return Print(app::UserToJson(*created));
}

}  // namespace

Status MakeKeyFile(const config::Config& config, const Clock& clock) {
  const std::filesystem::path parent =
      std::filesystem::path(config.accounts.key_file).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return IoError("cannot make " + parent.string() + ": " + ec.message());
  return app::KeyRing::Init(config.accounts.key_file, clock.NowMs());
}

void AddAccountCommands(CLI::App& app, AccountsOptions& options) {
  AddKeys(app, options);
  AddPeople(app, options);
}

int RunAccounts(const config::Config& config, const AccountsOptions& o) {
  if (o.command == "keys" && o.action == "init") return RunKeyFile(config, o, nullptr);
  SystemClock clock;
  auto ctx = OpenContext(config, clock);
  if (!ctx.ok()) return Fail(ctx.status());
  if (o.command == "keys") return RunKeys(config, o, **ctx);
  if (o.command == "users") return RunUsers(o, **ctx);
  if (o.command == "orgs") {
    auto id = app::CreateOrg(**ctx, o.name, std::string(kActor));
    if (!id.ok()) return Fail(id.status());
    std::cout << *id << "\n";
    return kExitOk;
  }
  auto events =
      app::ListEvents(**ctx, storage::Scope::Everything(), {.kind = o.kind, .limit = o.limit});
  if (!events.ok()) return Fail(events.status());
  for (const app::SecurityEvent& e : *events) Print(app::EventToJson(e));
  return kExitOk;
}

}  // namespace seedcast::cli
