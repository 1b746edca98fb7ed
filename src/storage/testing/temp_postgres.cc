#include "storage/testing/temp_postgres.h"

#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

#include "storage/database.h"

namespace seedcast::storage::testing {
namespace {

namespace fs = std::filesystem;

Result<std::string> FindBinDir() {
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) candidates.push_back(entry.path() / "bin");
  }
  if (candidates.empty()) {
    return Unavailable(
        "PostgreSQL server binaries not found under /usr/lib/postgresql "
        "(install the Debian package 'postgresql')");
  }
  std::sort(candidates.begin(), candidates.end());
  return candidates.back().string();
}

std::string AsServerUser(const std::string& command) {
  if (geteuid() != 0) return command;
  return "runuser -u postgres -- " + command;
}

Status Run(const std::string& command) {
  int rc = std::system(command.c_str());  // NOLINT(cert-env33-c): test-only, fixed arguments
  if (rc != 0) return Internal("command failed (" + std::to_string(rc) + "): " + command);
  return Status::Ok();
}

// Forks a watchdog that stops the server and removes its folder when this process ends in any way,
// including a crash that skips destructors. It waits for end-of-file on a pipe whose only writer is
// this process; the write end is close-on-exec, so the server and other children do not hold it.
Status StartWatchdog(const std::string& stop_command, const std::string& dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return IoError("pipe2 failed");
  // A small shell waits on the read end and then cleans up; built before fork, run after exec.
  const std::string script =
      "cat <&3 > /dev/null; " + stop_command + " > /dev/null 2>&1; rm -rf " + dir;
  pid_t pid = fork();
  if (pid < 0) return IoError("fork failed");
  if (pid == 0) {
    // The read end becomes fd 3 (sh names only one-digit fds), kept across exec.
    const bool ready = fds[0] == 3 ? fcntl(3, F_SETFD, 0) == 0 : dup2(fds[0], 3) == 3;
    if (ready) {
      execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  close(fds[0]);  // the write end stays open, unused, until this process exits
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<TempPostgres>> TempPostgres::Start() {
  SEEDCAST_ASSIGN_OR_RETURN(std::string bin, FindBinDir());
  // As root the server runs as `postgres`, which may not reach a private $TMPDIR; /tmp it can.
  fs::path base = geteuid() == 0 ? fs::path("/tmp") : fs::temp_directory_path();
  std::string pattern = (base / "seedcast-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) return IoError("mkdtemp failed");
  std::unique_ptr<TempPostgres> server(new TempPostgres(bin, pattern));
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (pw == nullptr) return Unavailable("running as root, but there is no 'postgres' user");
    if (chown(pattern.c_str(), pw->pw_uid, pw->pw_gid) != 0) return IoError("chown failed");
  }
  const std::string& d = server->dir_;
  SEEDCAST_RETURN_IF_ERROR(
      StartWatchdog(AsServerUser(bin + "/pg_ctl -D " + d + "/data -m immediate -w stop"), d));
  SEEDCAST_RETURN_IF_ERROR(Run(AsServerUser(bin + "/initdb -D " + d +
                                            "/data -A trust -U seedcast"
                                            " -E UTF8 --no-locale --no-sync > " +
                                            d + "/initdb.log 2>&1")));
  SEEDCAST_RETURN_IF_ERROR(Run(AsServerUser(
      bin + "/pg_ctl -D " + d + "/data -l " + d + "/server.log -w -t 60 -o \"-k " + d +
      " -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\""
      " start > /dev/null")));
  return server;
}

TempPostgres::~TempPostgres() {
  Status s = Run(AsServerUser(bin_dir_ + "/pg_ctl -D " + dir_ + "/data -m immediate -w stop" +
                              " > /dev/null 2>&1"));
  if (!s.ok()) std::cerr << s.ToString() << "\n";
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string TempPostgres::UrlFor(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + dir_ + "&user=seedcast";
}

Result<std::string> TempPostgres::CreateDatabase() {
  SEEDCAST_ASSIGN_OR_RETURN(auto admin, OpenDatabase(UrlFor("postgres")));
  std::string name = "test_" + std::to_string(++databases_);
  SEEDCAST_RETURN_IF_ERROR(admin->ExecuteScript("CREATE DATABASE " + name));
  return UrlFor(name);
}

TempPostgres& SharedTempPostgres() {
  static std::unique_ptr<TempPostgres> server = [] {
    auto started = TempPostgres::Start();
    if (!started.ok()) {
      std::cerr << "cannot start a temporary PostgreSQL server: " << started.status().ToString()
                << "\n";
      std::abort();
    }
    return std::move(started).value();
  }();
  return *server;
}

}  // namespace seedcast::storage::testing
