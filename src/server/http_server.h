// HttpServer: HTTP/1.1 over Boost.Beast and Asio (C++20 coroutines). A fixed pool of threads runs
// one io_context; each connection is a coroutine on a strand of its own, and its requests go to
// the Dispatcher on that thread (no thread is started per request or per connection).
//
// Slow routes (Route::slow: sign-in hashes a password for tens of milliseconds) are handed to a
// bounded pool of their own and the connection's coroutine waits for the answer without holding
// its thread, so a flood of sign-ins queues (then gets 503) instead of stalling other routes.
//
// Limits: a request's body above `body_limit_bytes` gets 413; a request that has not arrived whole
// within `request_timeout_ms` gets 408 and its connection is closed (a timer cancels the read and
// leaves the socket open for the answer); an idle keep-alive connection is closed after that time.
//
// Shutdown() is graceful: the listener closes, idle connections close, requests in flight finish
// and are answered (with Connection: close), then the threads end; after `shutdown_grace_ms` the
// rest is cut. TLS ends at a reverse proxy in front (docs/deploy.md).
//
// Thread-safe: Shutdown may be called from any thread (or by SIGTERM, when handled).
#pragma once

#include <absl/base/thread_annotations.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/mutex.h"
#include "common/status.h"
#include "server/dispatcher.h"

namespace seedcast::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see port())
  int threads = 2;
  uint64_t body_limit_bytes = 64ull << 20;
  int64_t request_timeout_ms = 30'000;
  int64_t shutdown_grace_ms = 30'000;
  bool handle_signals = false;  // SIGTERM and SIGINT call Shutdown()
  // Slow routes (password hashing) run on a pool of their own, this many threads, with at most
  // `slow_queue_limit` requests in it; more get 503 with Retry-After at once.
  int slow_threads = 1;
  int slow_queue_limit = 64;
};

class HttpServer {
 public:
  HttpServer(Dispatcher& dispatcher, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving; returns once the listener is open.
  Status Start();
  uint16_t port() const { return port_; }
  void Shutdown();
  // True once Shutdown has begun (a signal, or a call).
  bool stopping() const;
  // Blocks until the server has stopped.
  void Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<uint16_t> port_{0};
};

}  // namespace seedcast::server
