// The API's declarative tests: testdata/api_cases.json is a list of cases, each a request and the
// status, headers and JSON expected back, run in order by this one driver against a real server
// on 127.0.0.1 over real HTTP, once on SQLite and once on PostgreSQL.
//
// A case: {"name", "request": {"method", "path", "headers", "body" (JSON, or a string sent as
// is), "body_file" (a file of the source tree), "body_size" (that many bytes)}, "expect":
// {"status", "headers" ({name: value}; "*" = present), "absent_headers", "json" (a subset: objects
// need the keys given, arrays the elements given in order and the same length, "*" any value)},
// "capture": {"name": "/json/pointer" | "header:Name"}, "retry_ms"}.
// "{{name}}" in a request or expectation is a captured value; "{{#name}}" with its quotes is the
// value as a JSON number. {{key}} is an operator API key, {{other_key}} a revoked one.
//
// With SEEDCAST_API_RECORD set, every response is appended there (route, status, body) for the
// OpenAPI validation that tests/openapi_contract_test.sh runs.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "app/accounts.h"
#include "app/keys.h"
#include "app/secrets.h"
#include "server/http_server.h"
#include "server/openapi.h"
#include "storage/testing/test_database.h"

namespace seedcast::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using nlohmann::json;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// One HTTP/1.1 request on a fresh connection to 127.0.0.1:port.
Reply Send(uint16_t port, const std::string& method, const std::string& target,
           const std::map<std::string, std::string>& headers, const std::string& body) {
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  beast::error_code write_error;  // a refused body may be cut off; the answer still comes
  http::write(stream, req, write_error);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);
  if (method == "HEAD") parser.skip(true);
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

std::string Substitute(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [name, value] : vars) {
    const std::string number = "\"{{#" + name + "}}\"";
    for (size_t at; (at = text.find(number)) != std::string::npos;) {
      text.replace(at, number.size(), value);
    }
    const std::string plain = "{{" + name + "}}";
    for (size_t at; (at = text.find(plain)) != std::string::npos;) {
      text.replace(at, plain.size(), value);
    }
  }
  return text;
}

// Whether `got` holds `want` (see the file comment); `path` names the place for the message.
bool Holds(const json& want, const json& got, const std::string& path, std::string* why) {
  if (want.is_string() && want.get<std::string>() == "*") return true;
  if (want.is_object()) {
    if (!got.is_object()) {
      *why = path + ": expected an object, got " + got.dump();
      return false;
    }
    for (const auto& [key, value] : want.items()) {
      if (!got.contains(key)) {
        *why = fmt::format("{}/{}: missing in {}", path, key, got.dump().substr(0, 300));
        return false;
      }
      if (!Holds(value, got[key], fmt::format("{}/{}", path, key), why)) return false;
    }
    return true;
  }
  if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size()) {
      *why = path + ": expected " + std::to_string(want.size()) + " elements, got " +
             got.dump().substr(0, 300);
      return false;
    }
    for (size_t i = 0; i < want.size(); ++i) {
      if (!Holds(want[i], got[i], path + "/" + std::to_string(i), why)) return false;
    }
    return true;
  }
  if (want.is_number() && got.is_number()) {
    if (want.get<double>() == got.get<double>()) return true;
  } else if (want == got) {
    return true;
  }
  *why = path + ": expected " + want.dump() + ", got " + got.dump();
  return false;
}

// The route pattern of a path, for the OpenAPI record.
std::string RouteOf(const Router& router, const std::string& method, const std::string& path) {
  const Match m = router.Find(method, path.substr(0, path.find('?')));
  return m.route != nullptr ? m.route->pattern : "";
}

struct CaseResult {
  bool ok = false;
  std::string why;
  Reply reply;
};

CaseResult RunCase(uint16_t port, const json& c, const std::map<std::string, std::string>& vars) {
  const json& request = c["request"];
  std::map<std::string, std::string> headers;
  if (request.contains("headers")) {
    for (const auto& [k, v] : request["headers"].items()) {
      headers[k] = Substitute(v.get<std::string>(), vars);
    }
  }
  std::string body;
  if (request.contains("body")) {
    body =
        request["body"].is_string() ? request["body"].get<std::string>() : request["body"].dump();
    body = Substitute(body, vars);
  }
  if (request.contains("body_file")) {
    std::ifstream file(std::string(std::getenv("SEEDCAST_SOURCE_DIR")) + "/" +
                           request["body_file"].get<std::string>(),
                       std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    body = text.str();
  }
  if (request.contains("body_size")) body.assign(request["body_size"].get<size_t>(), 'x');
  CaseResult out;
  out.reply = Send(port, request["method"], Substitute(request["path"], vars), headers, body);
  const json expect = json::parse(Substitute(c["expect"].dump(), vars));
  if (out.reply.status != expect.value("status", 200)) {
    out.why =
        "status " + std::to_string(out.reply.status) + ", body " + out.reply.body.substr(0, 400);
    return out;
  }
  if (expect.contains("headers")) {
    for (const auto& [name, value] : expect["headers"].items()) {
      auto it = out.reply.headers.find(name);
      if (it == out.reply.headers.end() ||
          (value.get<std::string>() != "*" && it->second != value.get<std::string>())) {
        out.why = "header " + name + ": " +
                  (it == out.reply.headers.end() ? std::string("missing") : it->second);
        return out;
      }
    }
  }
  const json absent = expect.value("absent_headers", json::array());
  for (const json& name : absent) {
    if (out.reply.headers.contains(name.get<std::string>())) {
      out.why = "header " + name.get<std::string>() + " should be absent";
      return out;
    }
  }
  if (expect.contains("json")) {
    const json got = json::parse(out.reply.body, nullptr, false);
    if (got.is_discarded()) {
      out.why = "the body is not JSON: " + out.reply.body.substr(0, 200);
      return out;
    }
    if (!Holds(expect["json"], got, "", &out.why)) return out;
  }
  out.ok = true;
  return out;
}

class ApiCasesTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ApiCasesTest, EveryCaseAnswersAsWritten) {
  SystemClock clock;
  auto db = storage::testing::TestDatabase::Create(GetParam(), clock);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  config::Config config;
  config.db_url = (*db)->url();
  const std::string dir =
      fmt::format("{}/seedcast-api-cases-{}-{}", ::testing::TempDir(), getpid(), GetParam());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  config.accounts.key_file = dir + "/seedcast.key";
  config.accounts.mail_dir = dir + "/mail";
  ASSERT_TRUE(app::KeyRing::Init(config.accounts.key_file, clock.NowMs()).ok());
  auto ctx = app::AppContext::Open(config, clock, {.pool_size = 8, .follow_interval_ms = 50});
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  auto key = app::CreateKey(**ctx, {.name = "tests"}, "test");
  auto other = app::CreateKey(**ctx, {.name = "revoked"}, "test");
  ASSERT_TRUE(key.ok() && other.ok());
  ASSERT_TRUE(app::RevokeKey(**ctx, storage::Scope::Everything(), other->id, "test").ok());
  auto org = app::CreateOrg(**ctx, "Acme Cases", "test");
  ASSERT_TRUE(org.ok()) << org.status().ToString();
  auto org_key = app::CreateKey(**ctx, {.org_id = *org, .name = "acme"}, "test");
  auto read_key = app::CreateKey(**ctx, {.org_id = *org, .access = "read"}, "test");
  ASSERT_TRUE(org_key.ok() && read_key.ok());
  ASSERT_TRUE((*ctx)->LoadIndex().ok());
  app::JobRunner jobs(**ctx, 1);
  Dispatcher dispatcher(**ctx, jobs, {.access_log = false});
  HttpServer server(dispatcher, {.host = "127.0.0.1",
                                 .port = 0,
                                 .threads = 2,
                                 .body_limit_bytes = 1u << 20,
                                 .request_timeout_ms = 2000});
  ASSERT_TRUE(server.Start().ok());

  const char* source = std::getenv("SEEDCAST_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "SEEDCAST_SOURCE_DIR names the source tree";
  std::ifstream in(std::string(source) + "/src/server/testdata/api_cases.json");
  ASSERT_TRUE(in) << "cannot read api_cases.json";
  const json cases = json::parse(in);
  std::map<std::string, std::string> vars = {{"key", key->secret},
                                             {"other_key", other->secret},
                                             {"org_key", org_key->secret},
                                             {"read_key", read_key->secret},
                                             {"mail_dir", config.accounts.mail_dir}};
  std::ofstream record;
  if (const char* path = std::getenv("SEEDCAST_API_RECORD")) record.open(path, std::ios::app);
  int passed = 0;
  for (const json& c : cases) {
    const std::string name = c["name"];
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(c.value("retry_ms", 0));
    auto run = [&] {
      try {
        return RunCase(server.port(), c, vars);
      } catch (const std::exception& e) {
        return CaseResult{.ok = false, .why = std::string("the case threw: ") + e.what()};
      }
    };
    CaseResult r = run();
    while (!r.ok && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      r = run();
    }
    EXPECT_TRUE(r.ok) << GetParam() << ": case '" << name << "': " << r.why;
    if (!r.ok) continue;
    ++passed;
    const json got = json::parse(r.reply.body, nullptr, false);
    const json captures = c.value("capture", json::object());
    for (const auto& [var, where] : captures.items()) {
      const std::string w = where.get<std::string>();
      if (w.starts_with("header:")) {
        std::string h = w.substr(7);
        for (char& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        vars[var] = r.reply.headers[h];
      } else {
        const json& v = got.at(json::json_pointer(w));
        vars[var] = v.is_string() ? v.get<std::string>() : v.dump();
      }
    }
    if (record.is_open()) {
      const std::string method = c["request"]["method"];
      const std::string path = Substitute(c["request"]["path"], vars);
      record << json{{"case", name},
                     {"method", method},
                     {"route", RouteOf(dispatcher.router(), method, path)},
                     {"status", r.reply.status},
                     {"content_type", r.reply.headers["content-type"]},
                     {"body", r.reply.body}}
                    .dump()
             << "\n";
    }
  }
  EXPECT_EQ(passed, static_cast<int>(cases.size()));

  // A request that does not arrive whole within the request timeout (2 s here) gets 408.
  {
    boost::asio::io_context ioc;
    beast::tcp_stream slow(ioc);
    slow.connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), server.port()));
    const std::string part = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";  // no blank line
    boost::asio::write(slow, boost::asio::buffer(part));
    const auto sent = std::chrono::steady_clock::now();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    beast::error_code read_error;
    http::read(slow, buffer, res, read_error);
    ASSERT_FALSE(read_error) << read_error.message();
    EXPECT_EQ(res.result_int(), 408u);
    EXPECT_NE(res.body().find("request_timeout"), std::string::npos) << res.body();
    EXPECT_GE(std::chrono::steady_clock::now() - sent, std::chrono::milliseconds(1500));
  }
  server.Shutdown();
  server.Wait();
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiCasesTest, ::testing::Values("sqlite", "postgres"));

// Every route the server registers is in the OpenAPI document, with its method, and the
// document names no route the server lacks.
TEST(OpenApiTest, DocumentsEveryRouteAndNoOther) {
  const json doc = json::parse(OpenApiJson());
  Router router;
  AddServiceRoutes(router);
  AddCreatorRoutes(router);
  AddCampaignRoutes(router);
  AddAccountRoutes(router);
  AddOnboardingRoutes(router);
  std::set<std::string> registered;
  for (const Route& r : router.routes()) {
    std::string method = r.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    registered.insert(method + " " + r.pattern);
    EXPECT_TRUE(doc["paths"].contains(r.pattern) && doc["paths"][r.pattern].contains(method))
        << r.method << " " << r.pattern << " is not in docs/openapi.json";
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      EXPECT_TRUE(registered.contains(fmt::format("{} {}", method, path)))
          << method << " " << path << " is documented but not served";
    }
  }
}

}  // namespace
}  // namespace seedcast::server
