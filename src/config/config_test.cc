#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace seedcast::config {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// A file in the temporary directory, removed when the test ends (also on a failed assertion).
struct TempFile {
  TempFile(const std::string& name, const std::string& text)
      : path((std::filesystem::temp_directory_path() / (std::to_string(getpid()) + "-" + name))
                 .string()) {
    std::ofstream(path) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
  std::string path;
};

TEST(ConfigTest, DefaultIsSqliteInTheDataDirectory) {
  auto c = LoadConfig({}, FakeEnv({{"HOME", "/home/ana"}}));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->data_dir, "/home/ana/.local/share/seedcast");
  EXPECT_EQ(c->db_url, "sqlite:/home/ana/.local/share/seedcast/seedcast.db");
  EXPECT_EQ(c->tiers.TierFor(500), "emerging");
}

TEST(ConfigTest, FileThenEnvironmentThenFlags) {
  TempFile temp("seedcast-config-test.toml", R"(
[database]
url = "sqlite:/from/file.db"
data_dir = "/file/dir"

[tiers]
small = 0
medium = 5000
large = 50000

[import]
batch_rows = 500
)");
  const std::string& file = temp.path;
  auto from_file = LoadConfig({.config_file = file}, FakeEnv({}));
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(from_file->db_url, "sqlite:/from/file.db");
  EXPECT_EQ(from_file->tiers.TierFor(6'000), "medium");
  EXPECT_EQ(from_file->import_batch_rows, 500);

  auto env_wins =
      LoadConfig({.config_file = file}, FakeEnv({{"SEEDCAST_DB", "postgresql://db/x"}}));
  ASSERT_TRUE(env_wins.ok());
  EXPECT_EQ(env_wins->db_url, "postgresql://db/x");
  EXPECT_EQ(env_wins->data_dir, "/file/dir");

  auto flag_wins = LoadConfig({.config_file = file, .db_url = "sqlite:/flag.db"},
                              FakeEnv({{"SEEDCAST_DB", "postgresql://db/x"}}));
  ASSERT_TRUE(flag_wins.ok());
  EXPECT_EQ(flag_wins->db_url, "sqlite:/flag.db");

  auto via_env_file = LoadConfig({}, FakeEnv({{"SEEDCAST_CONFIG", file}}));
  ASSERT_TRUE(via_env_file.ok());
  EXPECT_EQ(via_env_file->config_file, file);
}

TEST(ConfigTest, BadFilesNameTheProblem) {
  auto syntax = ApplyToml({}, "[database\nurl = 1", "bad.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("bad.toml"), std::string::npos);

  auto section = ApplyToml({}, "[databse]\nurl = \"x\"", "typo.toml");
  ASSERT_FALSE(section.ok());
  EXPECT_NE(section.status().message().find("databse"), std::string::npos);

  auto tiers = ApplyToml({}, "[tiers]\nnano = 1000", "t.toml");
  ASSERT_FALSE(tiers.ok());
  EXPECT_NE(tiers.status().message().find("0 followers"), std::string::npos);

  EXPECT_FALSE(LoadConfig({.config_file = "/nonexistent/seedcast.toml"}, FakeEnv({})).ok());

  auto web_root = ApplyToml({}, "[server]\nweb_root = 3", "w.toml");
  ASSERT_FALSE(web_root.ok());
  EXPECT_NE(web_root.status().message().find("server.web_root"), std::string::npos);
}

TEST(ConfigTest, ServerWebRootIsReadAndUnsetByDefault) {
  auto unset = ApplyToml({}, "", "empty.toml");
  ASSERT_TRUE(unset.ok());
  EXPECT_EQ(unset->server.web_root, "");
  auto set = ApplyToml({}, "[server]\nweb_root = \"/srv/seedcast/web\"", "s.toml");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->server.web_root, "/srv/seedcast/web");
}

TEST(ConfigTest, WebhooksStayOffPrivateAddressesUnlessAllowed) {
  auto unset = ApplyToml({}, "", "empty.toml");
  ASSERT_TRUE(unset.ok());
  EXPECT_FALSE(unset->server.webhook_private_addresses);
  auto set = ApplyToml({}, "[server]\nwebhook_private_addresses = true", "s.toml");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_TRUE(set->server.webhook_private_addresses);
  auto bad = ApplyToml({}, "[server]\nwebhook_private_addresses = \"yes\"", "b.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("server.webhook_private_addresses"), std::string::npos);
}

}  // namespace
}  // namespace seedcast::config
