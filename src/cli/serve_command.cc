// `seedcast serve` (the HTTP API): an adapter over src/server
// and src/app.
#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <thread>

#include "app/accounts.h"
#include "app/jobs.h"
#include "app/keys.h"
#include "app/webhooks.h"
#include "cli/commands.h"
#include "common/iso_time.h"
#include "server/dispatcher.h"
#include "server/http_server.h"
#include "server/web_files.h"

namespace seedcast::cli {
namespace {

// "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback).
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen must be HOST:PORT");
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "127.0.0.1";
  const std::string port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return InvalidArgument("--listen: '" + port_text + "' is not a port");
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

// The web app of --web-root, else [server] web_root (either must exist), else the first built
// one beside the executable, else none.
Result<server::WebFiles> OpenWebFiles(const config::Config& config, const ServeOptions& o) {
  const std::string& named = o.web_root.empty() ? config.server.web_root : o.web_root;
  if (!named.empty()) {
    Result<server::WebFiles> web = server::WebFiles::Open(named);
    if (!web.ok()) {
      return web.status().WithContext(o.web_root.empty() ? "[server] web_root" : "--web-root");
    }
    return web;
  }
  const std::filesystem::path found = server::FindWebRoot(server::RunningExecutable());
  if (found.empty()) return server::WebFiles();
  return server::WebFiles::Open(found);
}

}  // namespace

int RunServe(const config::Config& config, const ServeOptions& o) {
  auto listen = ParseListen(o.listen);
  if (!listen.ok()) return Usage(listen.status().message());
  auto web = OpenWebFiles(config, o);
  if (!web.ok()) return Fail(web.status());
  SystemClock clock;
  auto ctx = app::AppContext::Open(config, clock,
                                   {.pool_size = o.threads * 2 + 4,
                                    .load_threads = 2,
                                    .lookalikes = o.lookalikes,
                                    .load_index_on_demand = false,
                                    .deliver_mail_inline = false});
  if (!ctx.ok()) return Fail(ctx.status());
  app::JobRunner jobs(**ctx, 1);
  server::Dispatcher dispatcher(**ctx, jobs, {.access_log = o.access_log, .web_files = &*web});
  server::HttpServer http(dispatcher, {.host = listen->first,
                                       .port = listen->second,
                                       .threads = o.threads,
                                       .body_limit_bytes = o.body_limit_mb << 20,
                                       .request_timeout_ms = o.request_timeout_ms,
                                       .handle_signals = true});
  const Status started = http.Start();
  if (!started.ok()) return Fail(started);
  const bool v6 = listen->first.find(':') != std::string::npos;
  const std::string web_note =
      web->built() ? "web app from " + web->root().string()
                   : "no web app (not built; see [server] web_root or --web-root): API only";
  std::cout << fmt::format("seedcast serve: listening on http://{}{}{}:{}/ ({} threads, {}; {})\n",
                           v6 ? "[" : "", listen->first, v6 ? "]" : "", http.port(), o.threads,
                           config.db_url, web_note)
            << std::flush;
  // The index loads while the server already answers (/readyz says when it is ready; searches
  // get 503 index_loading until then), then the lookalike graph is built (lookalike queries are
  // exact meanwhile).
  // A load that fails (the store unreachable) is tried again every 5 s; /readyz names the error.
  std::thread loader([&ctx, &http, graph = o.lookalike_graph] {
    for (;;) {
      const Status loaded = (*ctx)->LoadIndex();
      if (loaded.ok()) break;
      std::cerr << "error: loading the search index (retrying in 5 s): " << loaded.ToString()
                << "\n";
      for (int i = 0; i < 50; ++i) {
        if (http.stopping()) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    if (graph) (*ctx)->EnsureLookalikeGraph();
  });
  // The outbox, every second: messages queued by requests (or left by a failed attempt).
  std::thread mailer([&ctx, &http] {
    while (!http.stopping()) {
      if (auto sent = app::DeliverMail(**ctx); !sent.ok()) {
        std::cerr << "error: delivering mail: " << sent.status().ToString() << "\n";
      }
      for (int i = 0; i < 10 && !http.stopping(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  // Webhook deliveries, every second (at once again after a full batch): events recorded by
  // requests, and retries come due. Asked to stop, it ends the request in flight (bounded by its
  // timeout) and gives back the deliveries it had claimed but not sent.
  std::atomic<bool> stop_webhooks{false};
  const app::WebhookSender sender =
      app::CurlSender({.allow_private_addresses = config.server.webhook_private_addresses});
  std::thread webhooks([&ctx, &stop_webhooks, &sender] {
    const app::DeliveryOptions options{.stop = &stop_webhooks};
    while (!stop_webhooks) {
      auto run = app::DeliverWebhooks(**ctx, sender, options);
      if (!run.ok()) std::cerr << "error: delivering webhooks: " << run.status().ToString() << "\n";
      if (run.ok() && run->attempted == options.batch) continue;
      for (int i = 0; i < 10 && !stop_webhooks; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  http.Wait();
  stop_webhooks = true;
  (*ctx)->CancelBackgroundWork();  // a graph still being built is abandoned
  loader.join();
  mailer.join();
  webhooks.join();
  std::cerr << "seedcast serve: stopped\n";
  return kExitOk;
}

}  // namespace seedcast::cli
