// For the server's tests: a server over a throw-away database. StartServer makes the database (a
// backend of storage::testing::TestDatabase), a fresh temporary directory holding the key file
// and the mail directory, the context, a job runner and the dispatcher; StopServer (or the
// destructor) takes them down in reverse and removes the directory. A fixture inherits it beside
// its gtest base and keeps its own clock.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string_view>

#include "app/context.h"
#include "app/jobs.h"
#include "app/secrets.h"
#include "common/clock.h"
#include "config/config.h"
#include "server/dispatcher.h"
#include "storage/testing/test_database.h"

namespace seedcast::server {

class TestServer {
 protected:
  ~TestServer() { StopServer(); }

  void StartServer(const char* backend, Clock& clock, std::string_view name,
                   DispatchOptions options = {.access_log = false}) {
    auto db = storage::testing::TestDatabase::Create(backend, clock);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    dir_ = fmt::format("{}/seedcast-{}-{}-{}", ::testing::TempDir(), name, getpid(), backend);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_.db_url = db_->url();
    config_.accounts.key_file = (dir_ / "seedcast.key").string();
    config_.accounts.mail_dir = (dir_ / "mail").string();
    ASSERT_TRUE(app::KeyRing::Init(config_.accounts.key_file, clock.NowMs()).ok());
    auto ctx = app::AppContext::Open(config_, clock, {.pool_size = 4, .follow_changes = false});
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    ctx_ = std::move(ctx).value();
    jobs_ = std::make_unique<app::JobRunner>(*ctx_, 1);
    dispatcher_ = std::make_unique<Dispatcher>(*ctx_, *jobs_, options);
  }

  void StopServer() {
    dispatcher_.reset();
    jobs_.reset();
    ctx_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    dir_.clear();
  }

  config::Config config_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::testing::TestDatabase> db_;
  std::unique_ptr<app::AppContext> ctx_;
  std::unique_ptr<app::JobRunner> jobs_;
  std::unique_ptr<Dispatcher> dispatcher_;
};

}  // namespace seedcast::server
