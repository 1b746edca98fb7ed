// An open-loop HTTP load generator for the redirect benchmark (bench/redirect_bench.sh): GETs of
// the paths in a file, cycled, at a fixed rate for a fixed time, over keep-alive connections.
//
// Connection c owns every CONNECTIONS-th slot of the schedule (slot i is due at start + i/RATE).
// A request's latency runs from its due time to the end of its answer, so a slow answer also
// delays, and is charged to, the requests queued behind it on that connection (no coordinated
// omission). One thread, Boost.Asio coroutines; answers are parsed by Boost.Beast. Prints one JSON
// line: counts, the share of answers with the expected status, and latency percentiles.
//
//   redirect_load HOST PORT PATHS_FILE RATE SECONDS CONNECTIONS EXPECTED_STATUS
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kAgent =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

struct Plan {
  tcp::endpoint endpoint;
  std::string host;
  std::vector<std::string> paths;
  double rate = 0;
  size_t total = 0;
  size_t connections = 0;
  unsigned expected = 302;
  Clock::time_point start;
};

struct Tally {
  std::vector<double> latencies_ms;
  size_t unexpected = 0;  // answers with another status
  size_t errors = 0;      // connections lost or refused: their slots are not answered
};

asio::awaitable<void> Drive(const Plan& plan, size_t first, Tally& tally) {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor);
  tcp::socket socket(executor);
  bool connected = false;
  beast::flat_buffer buffer;
  for (size_t slot = first; slot < plan.total; slot += plan.connections) {
    const auto due =
        plan.start +
        std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(slot) * 1e9 / plan.rate));
    if (due > Clock::now()) {
      timer.expires_at(due);
      co_await timer.async_wait(asio::use_awaitable);
    }
    try {
      if (!connected) {
        socket = tcp::socket(executor);
        co_await socket.async_connect(plan.endpoint, asio::use_awaitable);
        socket.set_option(tcp::no_delay(true));
        buffer.clear();
        connected = true;
      }
      http::request<http::empty_body> req{http::verb::get, plan.paths[slot % plan.paths.size()],
                                          11};
      req.set(http::field::host, plan.host);
      req.set(http::field::user_agent, kAgent);
      req.set(http::field::referer, "https://l.instagram.com/");
      co_await http::async_write(socket, req, asio::use_awaitable);
      http::response<http::string_body> res;
      co_await http::async_read(socket, buffer, res, asio::use_awaitable);
      tally.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - due).count());
      if (res.result_int() != plan.expected) ++tally.unexpected;
      if (!res.keep_alive()) connected = false;
    } catch (const std::exception&) {
      ++tally.errors;
      connected = false;
    }
  }
}

double Pick(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const size_t at =
      std::min(sorted.size() - 1, static_cast<size_t>(q * static_cast<double>(sorted.size())));
  return sorted[at];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::cerr << "usage: redirect_load HOST PORT PATHS_FILE RATE SECONDS CONNECTIONS "
                 "EXPECTED_STATUS\n";
    return 2;
  }
  Plan plan;
  plan.host = argv[1];
  plan.endpoint = tcp::endpoint(asio::ip::make_address(argv[1]),
                                static_cast<unsigned short>(std::stoi(argv[2])));
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) plan.paths.push_back(line);
  }
  if (plan.paths.empty()) {
    std::cerr << "redirect_load: no paths in " << argv[3] << "\n";
    return 2;
  }
  plan.rate = std::stod(argv[4]);
  plan.total = static_cast<size_t>(plan.rate * std::stod(argv[5]));
  plan.connections = static_cast<size_t>(std::stoi(argv[6]));
  plan.expected = static_cast<unsigned>(std::stoi(argv[7]));
  asio::io_context ioc(1);
  std::vector<Tally> tallies(plan.connections);
  plan.start = Clock::now() + std::chrono::milliseconds(200);
  for (size_t c = 0; c < plan.connections; ++c) {
    asio::co_spawn(ioc, Drive(plan, c, tallies[c]), asio::detached);
  }
  ioc.run();
  const double elapsed = std::chrono::duration<double>(Clock::now() - plan.start).count();
  Tally all;
  for (const Tally& t : tallies) {
    all.latencies_ms.insert(all.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    all.unexpected += t.unexpected;
    all.errors += t.errors;
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  const auto& l = all.latencies_ms;
  std::printf(
      "{\"scheduled\": %zu, \"answered\": %zu, \"rate_per_s\": %.1f, \"unexpected_status\": %zu, "
      "\"errors\": %zu, \"latency_ms\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p999\": "
      "%.3f, \"max\": %.3f}}\n",
      plan.total, l.size(), static_cast<double>(l.size()) / elapsed, all.unexpected, all.errors,
      Pick(l, 0.5), Pick(l, 0.9), Pick(l, 0.99), Pick(l, 0.999), l.empty() ? 0.0 : l.back());
  return 0;
}
