// The web app's files, through the Dispatcher and through a real server on 127.0.0.1: index.html
// for the app's pages, assets with their types and caching, the gzip variant only when asked for,
// traversal attempts (plain, percent-encoded, backslashes, NUL, a symbolic link) that never reach
// the secret beside the root, the API's paths untouched, and the answer without a web app.
#include "server/web_files.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "app/jobs.h"
#include "server/dispatcher.h"
#include "server/http_server.h"
#include "server/test_server.h"
#include "storage/testing/test_database.h"

namespace seedcast::server {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr std::string_view kSecret = "TOP SECRET beside the root";
constexpr std::string_view kIndex = "<!doctype html><title>Seedcast</title><div id=root></div>";

void Write(const fs::path& path, std::string_view text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One request with a raw target (sent as is, not encoded again) on a fresh connection.
Reply Send(uint16_t port, http::verb method, const std::string& target,
           const std::map<std::string, std::string>& headers = {}) {
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  if (method == http::verb::head) parser.skip(true);
  http::read(stream, buffer, parser);
  Reply r;
  r.status = static_cast<int>(parser.get().result_int());
  for (const auto& f : parser.get()) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = parser.get().body();
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return r;
}

class WebFilesTest : public ::testing::Test, protected TestServer {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer("sqlite", clock_, "web-files"));
    root_ = dir_ / "dist";
    Write(root_ / "index.html", kIndex);
    Write(root_ / "index.html.gz", "gzipped index");
    Write(root_ / "assets" / "app-abc.js", "console.log('app');");
    Write(root_ / "assets" / "app-abc.js.gz", "gzipped app");
    Write(root_ / "assets" / "app-abc.css", "body{}");
    Write(root_ / "favicon.ico", "ico");
    Write(root_ / ".env", std::string(kSecret));
    Write(dir_ / "secret", std::string(kSecret));
    Write(dir_ / "dist-secret", std::string(kSecret));
    fs::create_symlink(dir_ / "secret", root_ / "assets" / "escape.js");
    auto web = WebFiles::Open(root_);
    ASSERT_TRUE(web.ok()) << web.status().ToString();
    web_ = std::move(web).value();
    // The server's dispatcher again, now with the web root made above.
    dispatcher_ = std::make_unique<Dispatcher>(
        *ctx_, *jobs_, DispatchOptions{.access_log = false, .web_files = &web_});
  }
  void TearDown() override { StopServer(); }

  Response Get(const std::string& path,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    return GetFrom(*dispatcher_, path, std::move(headers));
  }
  static Response GetFrom(Dispatcher& d, const std::string& path,
                          std::vector<std::pair<std::string, std::string>> headers = {},
                          const std::string& method = "GET") {
    Request r;
    r.method = method;
    r.path = path;
    r.client = "127.0.0.1";
    r.headers = std::move(headers);
    return d.Handle(r);
  }
  std::string Served(const std::string& name) const { return fs::canonical(root_ / name).string(); }

  SystemClock clock_;
  fs::path root_;
  WebFiles web_;
};

TEST_F(WebFilesTest, TheAppsPagesAreIndexHtmlWithTheSecurityHeaders) {
  // A handle with a dot is a page too (a media kit), not a file.
  for (const std::string path :
       {"/", "/login", "/search", "/campaigns/3", "/index.html", "/kit/instagram/ana.lima_2"}) {
    SCOPED_TRACE(path);
    const Response r = Get(path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.file_path, Served("index.html"));
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
    EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"),
              "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
    EXPECT_EQ(HeaderOf(r, "Content-Encoding"), "");
    EXPECT_EQ(HeaderOf(r, "Vary"), "Accept-Encoding");  // a .gz exists: caches must key on it
  }
}

TEST_F(WebFilesTest, AssetsHaveTheirTypeAndAreCachedForAYear) {
  const Response js = Get("/assets/app-abc.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.file_path, Served("assets/app-abc.js"));
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(js, "Content-Security-Policy"), "");
  EXPECT_EQ(HeaderOf(js, "X-Content-Type-Options"), "nosniff");
  const Response css = Get("/assets/app-abc.css");
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(HeaderOf(css, "Vary"), "");  // no .gz beside it
  const Response ico = Get("/favicon.ico");
  EXPECT_EQ(ico.content_type, "image/x-icon");
  EXPECT_EQ(HeaderOf(ico, "Cache-Control"), "no-cache");  // not under /assets/
}

TEST_F(WebFilesTest, TheGzipVariantOnlyWhenTheRequestAcceptsIt) {
  const Response gz = Get("/assets/app-abc.js", {{"accept-encoding", "br, gzip, deflate"}});
  EXPECT_EQ(gz.file_path, Served("assets/app-abc.js.gz"));
  EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(HeaderOf(gz, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  for (const std::string refused : {"br", "gzip;q=0", "identity", ""}) {
    SCOPED_TRACE(refused);
    const Response plain = Get("/assets/app-abc.js", {{"accept-encoding", refused}});
    EXPECT_EQ(plain.file_path, Served("assets/app-abc.js"));
    EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), "");
  }
  const Response page = Get("/campaigns/3", {{"accept-encoding", "gzip"}});
  EXPECT_EQ(page.file_path, Served("index.html.gz"));
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
}

TEST_F(WebFilesTest, TraversalNeverReachesAFileOutsideTheRoot) {
  const std::string secret = fs::canonical(dir_ / "secret").string();
  for (const std::string& path : std::vector<std::string>{
           "/../secret", "/../etc/passwd", "/assets/../../secret", "/assets/%2e%2e/%2e%2e/secret",
           "/assets/..%2f..%2fsecret", "/assets\\..\\..\\secret", "/..\\secret",
           "/assets/./../x.js", "//../secret", "/.env", "/assets/escape.js", "/../dist-secret",
           std::string("/assets/\0/../../secret", 22)}) {
    SCOPED_TRACE(path);
    const Response r = Get(path);
    EXPECT_EQ(r.status, 404) << r.file_path;
    EXPECT_EQ(r.file_path, "");
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos);
  }
  // Absolute-looking paths stay below the root.
  EXPECT_NE(Get("//etc/passwd").file_path, "/etc/passwd");
}

TEST_F(WebFilesTest, TheApiKeepsItsAnswersAndMissingFilesAre404) {
  const Response nope = Get("/v1/nope");
  EXPECT_EQ(nope.status, 404);
  EXPECT_EQ(nope.content_type, "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(nope.body).value("reason", ""), "no_route");
  const Response health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.file_path, "");
  EXPECT_EQ(health.content_type, "application/json");
  EXPECT_EQ(Get("/openapi.json").content_type, "application/json");
  EXPECT_EQ(GetFrom(*dispatcher_, "/login", {}, "POST").status, 404);

  for (const std::string path : {"/assets/x.js", "/favicon.png", "/assets/font.bin"}) {
    SCOPED_TRACE(path);
    const Response missing = Get(path);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.content_type, "application/problem+json");
    EXPECT_EQ(nlohmann::json::parse(missing.body).value("reason", ""), "no_web_file");
  }
}

TEST_F(WebFilesTest, RevalidationByETag) {
  const Response first = Get("/");
  const std::string etag = HeaderOf(first, "ETag");
  ASSERT_FALSE(etag.empty());
  const Response again = Get("/login", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.file_path, "");
  EXPECT_EQ(HeaderOf(again, "ETag"), etag);
  const Response gz = Get("/", {{"if-none-match", etag}, {"accept-encoding", "gzip"}});
  EXPECT_EQ(gz.status, 200);  // the gzip variant has a tag of its own
  EXPECT_NE(HeaderOf(gz, "ETag"), etag);
}

TEST_F(WebFilesTest, WithoutAWebAppTheRootSaysHowToBuildIt) {
  const WebFiles none;
  Dispatcher bare(*ctx_, *jobs_, {.access_log = false, .web_files = &none});
  const Response root = GetFrom(bare, "/");
  EXPECT_EQ(root.status, 404);
  const auto problem = nlohmann::json::parse(root.body);
  EXPECT_EQ(problem.value("reason", ""), "web_app_not_built");
  const std::string detail = problem.value("detail", "");
  EXPECT_NE(detail.find("[server] web_root"), std::string::npos) << detail;
  EXPECT_NE(detail.find("--web-root"), std::string::npos) << detail;
  EXPECT_EQ(nlohmann::json::parse(GetFrom(bare, "/login").body).value("reason", ""), "no_route");
  EXPECT_EQ(GetFrom(bare, "/healthz").status, 200);

  EXPECT_EQ(WebFiles::Open(dir_ / "missing").status().field(), "web_root");
  EXPECT_FALSE(WebFiles::Open(dir_ / "secret").ok());  // a file, not a directory
}

TEST_F(WebFilesTest, TheDefaultRootIsFoundBesideTheExecutable) {
  const fs::path install = dir_ / "install";
  const fs::path exe = install / "bin" / "seedcast";
  Write(exe, "");
  EXPECT_EQ(FindWebRoot(exe), fs::path());
  fs::create_directories(install / "share" / "seedcast" / "web");
  EXPECT_EQ(FindWebRoot(exe), (install / "share" / "seedcast" / "web").lexically_normal());
  fs::create_directories(install / "web" / "dist");
  EXPECT_EQ(FindWebRoot(exe), (install / "web" / "dist").lexically_normal());
  EXPECT_FALSE(RunningExecutable().empty());
}

// Over real HTTP: the server decodes the target before the web app sees it, and passes the
// web app's headers through.
TEST_F(WebFilesTest, OverHttpEncodedTraversalFailsAndHeadersPassThrough) {
  HttpServer server(*dispatcher_, {.host = "127.0.0.1", .port = 0, .request_timeout_ms = 2000});
  ASSERT_TRUE(server.Start().ok());
  for (const std::string target :
       {"/../secret", "/%2e%2e/secret", "/assets/%2e%2e/%2e%2e/secret", "/assets/..%2f..%2fsecret",
        "/assets/%2E%2E%2F%2E%2E%2Fsecret", "/assets/%5c..%5c..%5csecret",
        "/assets/%00/../../secret", "/assets/%252e%252e/%252e%252e/secret", "/assets/escape.js",
        "/%2e%2e/dist-secret"}) {
    SCOPED_TRACE(target);
    const Reply r = Send(server.port(), http::verb::get, target);
    EXPECT_NE(r.status, 200);
    EXPECT_EQ(r.body.find("TOP SECRET"), std::string::npos);
  }
  Reply gz =
      Send(server.port(), http::verb::get, "/assets/app-abc.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.status, 200);
  EXPECT_EQ(gz.body, "gzipped app");
  EXPECT_EQ(gz.headers["content-encoding"], "gzip");
  EXPECT_EQ(gz.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(gz.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(gz.headers["cache-control"], "public, max-age=31536000, immutable");
  Reply page = Send(server.port(), http::verb::get, "/campaigns/12?tab=posts");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, kIndex);
  EXPECT_EQ(page.headers["x-frame-options"], "DENY");
  Reply head = Send(server.port(), http::verb::head, "/");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], std::to_string(kIndex.size()));
  server.Shutdown();
  server.Wait();
  const std::string metrics = dispatcher_->metrics().Render({});
  EXPECT_NE(metrics.find("method=\"GET\",route=\"web\",status=\"200\""), std::string::npos)
      << metrics;
}

}  // namespace
}  // namespace seedcast::server
