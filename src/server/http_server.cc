#include "server/http_server.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url.hpp>
#include <chrono>

#include "app/errors.h"
#include "server/problem.h"

namespace seedcast::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// One connection: its stream, and whether a request is being answered on it.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {
    beast::error_code ec;
    const tcp::endpoint peer = stream.socket().remote_endpoint(ec);
    if (!ec) client = peer.address().to_string();
  }
  beast::tcp_stream stream;
  std::string client;  // the peer's address
  bool busy = false;   // read and written only on the connection's strand
};

// Acknowledges what arrives at once instead of delaying the ACK: a client that sends a request in
// two writes with Nagle's algorithm on would otherwise wait for the delayed ACK (40 ms) before
// sending the second. Linux resets the flag after use, so it is set before every read.
void QuickAck(tcp::socket& socket) {
  const int one = 1;
  (void)setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

Request ToRequest(const http::request<http::string_body>& raw) {
  Request r;
  r.method = std::string(raw.method_string());
  const std::string_view target = raw.target();
  boost::system::result<boost::urls::url_view> url = boost::urls::parse_origin_form(target);
  if (url) {
    r.path = url->path();
    for (const auto& param : url->params()) {
      r.query[param.key] = param.value;
      r.query_list.emplace_back(param.key, param.value);
    }
  } else {
    r.path = std::string(target.substr(0, target.find('?')));
    r.query["\x01malformed"] = "1";
  }
  for (const auto& field : raw) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = raw.body();
  return r;
}

// Writes a response (only its header for HEAD, with the GET's Content-Length); true when written.
template <typename Body>
asio::awaitable<bool> Write(Connection& conn, http::response<Body>& res, bool head) {
  res.prepare_payload();
  if (head) {
    http::response_serializer<Body> sr{res};
    auto [ec, n] = co_await http::async_write_header(conn.stream, sr, kTuple);
    co_return !ec;
  }
  auto [ec, n] = co_await http::async_write(conn.stream, res, kTuple);
  co_return !ec;
}

template <typename Body>
void SetHeaders(const Response& response, bool keep_alive, http::response<Body>* out) {
  out->result(static_cast<unsigned>(response.status));
  out->set(http::field::server, "seedcast");
  if (!response.content_type.empty()) out->set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out->insert(name, value);
  out->keep_alive(keep_alive);
}

}  // namespace

struct HttpServer::Impl {
  Impl(Dispatcher& d, ServerOptions o)
      : dispatcher(d),
        options(std::move(o)),
        ioc(options.threads),
        acceptor(ioc),
        signals(ioc),
        slow_pool(static_cast<size_t>(std::max(1, options.slow_threads))) {}

  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn);
  asio::awaitable<bool> Answer(Connection& conn, const http::request<http::string_body>& raw);
  asio::awaitable<void> Refuse(Connection& conn, const Status& status, unsigned version);
  void Shutdown();

  Dispatcher& dispatcher;
  const ServerOptions options;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  Mutex mu;
  std::set<std::shared_ptr<Connection>> connections ABSL_GUARDED_BY(mu);
  std::thread reaper;  // cuts what is left after the grace period
  asio::thread_pool slow_pool;
  std::atomic<int> slow_in_pool{0};
};

asio::awaitable<void> HttpServer::Impl::Accept() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec == asio::error::operation_aborted || stopping) break;
    if (ec) {
      // Out of descriptors, a connection reset before accept: wait a moment and go on.
      asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    // Answers go out at once: with Nagle's algorithm a keep-alive client waits for delayed ACKs.
    beast::error_code nodelay_error;
    socket.set_option(tcp::no_delay(true), nodelay_error);
    auto conn = std::make_shared<Connection>(std::move(socket));
    {
      MutexLock lock(&mu);
      connections.insert(conn);
    }
    // Whatever a connection's coroutine throws ends that connection only; it is unregistered.
    asio::co_spawn(conn->stream.get_executor(), Serve(conn),
                   [this, conn](const std::exception_ptr& e) {
                     if (!e) return;
                     beast::error_code ignored;
                     conn->stream.socket().close(ignored);
                     MutexLock lock(&mu);
                     connections.erase(conn);
                   });
  }
}

asio::awaitable<void> HttpServer::Impl::Refuse(Connection& conn, const Status& status,
                                               unsigned version) {
  Response r = Problem(status, "", "");
  conn.stream.expires_after(std::chrono::milliseconds(options.request_timeout_ms));
  http::response<http::string_body> res{http::status::ok, version};
  SetHeaders(r, false, &res);
  res.body() = r.body;
  res.prepare_payload();
  co_await http::async_write(conn.stream, res, kTuple);
}

asio::awaitable<bool> HttpServer::Impl::Answer(Connection& conn,
                                               const http::request<http::string_body>& raw) {
  Request request = ToRequest(raw);
  request.client = conn.client;
  // The route is found once: to know whether it is slow, and for the dispatcher.
  const Match match = dispatcher.router().Find(request.method, request.path);
  Response response;
  if (request.query.contains("\x01malformed")) {
    response = Problem(InvalidArgument("the request target is not a valid URL path and query")
                           .WithReason("malformed_request"),
                       request.path, "");
  } else if (match.route == nullptr || !match.route->slow) {
    response = dispatcher.Handle(request, match);
  } else if (slow_in_pool.fetch_add(1) >= options.slow_queue_limit) {
    --slow_in_pool;
    response = Problem(Unavailable("too many sign-ins at once; try again in a moment")
                           .WithReason("slow_queue_full"),
                       request.path, "");
  } else {
    // Runs on the slow pool; this coroutine resumes on its own strand with the answer.
    response = co_await asio::co_spawn(
        slow_pool,
        [&]() -> asio::awaitable<Response> { co_return dispatcher.Handle(request, match); },
        asio::use_awaitable);
    --slow_in_pool;
  }
  const bool keep_alive = raw.keep_alive() && !stopping;
  const bool head = raw.method() == http::verb::head;
  conn.stream.expires_after(std::chrono::milliseconds(options.request_timeout_ms));
  if (!response.file_path.empty()) {
    http::response<http::file_body> res{http::status::ok, raw.version()};
    beast::error_code ec;
    res.body().open(response.file_path.c_str(), beast::file_mode::scan, ec);
    if (ec) {
      co_await Refuse(conn, IoError("the result file is gone: " + ec.message()), raw.version());
      co_return false;
    }
    SetHeaders(response, keep_alive, &res);
    co_return co_await Write(conn, res, head) && keep_alive;
  }
  http::response<http::string_body> res{http::status::ok, raw.version()};
  SetHeaders(response, keep_alive, &res);
  res.body() = std::move(response.body);
  co_return co_await Write(conn, res, head) && keep_alive;
}

asio::awaitable<void> HttpServer::Impl::Serve(std::shared_ptr<Connection> conn) {
  beast::flat_buffer buffer;
  while (!stopping) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.body_limit_bytes);
    parser.header_limit(64 * 1024);
    // The request must arrive whole in time. The deadline cancels the read and leaves the socket
    // open (a stream timeout would close it), so that the 408 can still be written.
    auto timed_out = std::make_shared<bool>(false);
    asio::steady_timer deadline(conn->stream.get_executor(),
                                std::chrono::milliseconds(options.request_timeout_ms));
    deadline.async_wait(
        [timed_out, weak = std::weak_ptr<Connection>(conn)](const beast::error_code& e) {
          std::shared_ptr<Connection> c = weak.lock();
          if (e || !c) return;
          *timed_out = true;
          beast::error_code ignored;
          c->stream.socket().cancel(ignored);
        });
    conn->stream.expires_never();
    QuickAck(conn->stream.socket());
    auto [ec, n] = co_await http::async_read(conn->stream, buffer, parser, kTuple);
    deadline.cancel();
    if (ec) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      if (ec == http::error::body_limit) {
        co_await Refuse(
            *conn,
            Status(StatusCode::kResourceExhausted,
                   fmt::format("the body is larger than {} bytes", options.body_limit_bytes))
                .WithReason("body_too_large"),
            version);
      } else if (*timed_out && parser.got_some()) {
        co_await Refuse(*conn,
                        Status(StatusCode::kDeadlineExceeded,
                               fmt::format("the request did not arrive whole within {} ms",
                                           options.request_timeout_ms))
                            .WithReason("request_timeout"),
                        version);
      } else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted &&
                 parser.got_some()) {
        co_await Refuse(*conn,
                        InvalidArgument("malformed HTTP request: " + ec.message())
                            .WithReason("malformed_request"),
                        version);
      }
      break;
    }
    conn->busy = true;
    const bool again = co_await Answer(*conn, parser.get());
    conn->busy = false;
    if (!again) break;
  }
  beast::error_code ignored;
  conn->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  // Read what the client still sends (a refused body) for a moment before closing: closing with
  // unread data resets the connection, and the client might lose the answer.
  std::array<char, 16384> sink{};
  conn->stream.expires_after(std::chrono::milliseconds(500));
  for (uint64_t drained = 0; drained < options.body_limit_bytes;) {
    auto [rec, n] = co_await conn->stream.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    drained += n;
  }
  MutexLock lock(&mu);
  connections.erase(conn);
}

void HttpServer::Impl::Shutdown() {
  if (stopping.exchange(true)) return;
  asio::post(ioc, [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
  });
  std::vector<std::shared_ptr<Connection>> open;
  {
    MutexLock lock(&mu);
    open.assign(connections.begin(), connections.end());
  }
  // Idle connections (waiting for a request) close now; busy ones after their answer.
  for (const std::shared_ptr<Connection>& c : open) {
    asio::post(c->stream.get_executor(), [c] {
      if (!c->busy) c->stream.cancel();
    });
  }
  reaper = std::thread([this] {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.shutdown_grace_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        MutexLock lock(&mu);
        if (connections.empty()) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ioc.stop();
  });
}

HttpServer::HttpServer(Dispatcher& dispatcher, ServerOptions options)
    : impl_(std::make_unique<Impl>(dispatcher, std::move(options))) {}

HttpServer::~HttpServer() {
  Shutdown();
  Wait();
}

Status HttpServer::Start() {
  Impl& s = *impl_;
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(s.options.host, ec);
  if (ec) {
    return InvalidArgument("--listen: '" + s.options.host + "' is not an IP address")
        .WithField("listen");
  }
  const tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable(
        fmt::format("cannot listen on {}:{}: {}", s.options.host, s.options.port, ec.message()));
  }
  port_ = s.acceptor.local_endpoint().port();
  if (s.options.handle_signals) {
    s.signals.add(SIGTERM);
    s.signals.add(SIGINT);
    s.signals.async_wait([this](const beast::error_code& e, int) {
      if (!e) Shutdown();
    });
  }
  asio::co_spawn(s.ioc, s.Accept(), asio::detached);
  for (int i = 0; i < std::max(1, s.options.threads); ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  return Status::Ok();
}

void HttpServer::Shutdown() { impl_->Shutdown(); }

bool HttpServer::stopping() const { return impl_->stopping; }

void HttpServer::Wait() {
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
  if (impl_->reaper.joinable()) impl_->reaper.join();
  impl_->slow_pool.join();
}

}  // namespace seedcast::server
