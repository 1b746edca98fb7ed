#include "server/web_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace seedcast::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
constexpr size_t kMaxPathBytes = 2048;
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src "
    "'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

std::string_view ContentTypeOf(const fs::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [e, type] : kTypes) {
    if (ext == e) return type;
  }
  return "application/octet-stream";
}

// The path below the root that a request's (decoded) path names, or nullopt when it could name
// anything outside it: refused before the file system is asked.
std::optional<fs::path> RelativePath(std::string_view path) {
  if (path.empty() || path.front() != '/' || path.size() > kMaxPathBytes) return std::nullopt;
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '%' || u < 0x20 || u == 0x7f) return std::nullopt;
  }
  fs::path rel;
  while (!path.empty()) {
    const size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash + 1);
    if (segment.empty()) continue;
    // ".", ".." and hidden files (.git, .env) alike.
    if (segment.front() == '.') return std::nullopt;
    rel /= std::string(segment);
  }
  rel = rel.lexically_normal();
  if (rel.is_absolute() || (!rel.empty() && *rel.begin() == "..")) return std::nullopt;
  return rel;
}

// Whether `path` lies strictly below `root` (both canonical), component by component.
bool IsUnder(const fs::path& path, const fs::path& root) {
  auto [root_end, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end() && path_at != path.end();
}

// Whether Accept-Encoding takes gzip: "gzip" or "*", without q=0.
bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string coding(header.substr(0, comma));
    header.remove_prefix(comma == std::string_view::npos ? header.size() : comma + 1);
    coding.erase(std::remove(coding.begin(), coding.end(), ' '), coding.end());
    for (char& c : coding) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t semi = coding.find(';');
    const std::string name = coding.substr(0, semi);
    if (name != "gzip" && name != "*") continue;
    const std::string params = semi == std::string::npos ? "" : coding.substr(semi + 1);
    const bool refused =
        params.starts_with("q=0") && params.find_first_not_of("0.", 2) == std::string::npos;
    return !refused;
  }
  return false;
}

// Whether If-None-Match names `etag` (or is "*"); weak comparison, as for a GET.
bool Matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    header.remove_prefix(comma == std::string_view::npos ? header.size() : comma + 1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
  }
  return false;
}

// A validator from the file's size and modification time: it changes whenever the build does.
std::string ETagOf(const fs::path& file, bool gzipped) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(file, ec);
  // The file clock's epoch is not the Unix one: its count may be negative.
  const auto mtime =
      static_cast<uint64_t>(fs::last_write_time(file, ec).time_since_epoch().count());
  return fmt::format("\"{:x}-{:x}{}\"", ec ? 0 : size, ec ? 0 : mtime, gzipped ? "-gz" : "");
}

Status NotBuilt(std::string_view why) {
  return NotFound(
             fmt::format("the web app is not built ({}): build it (cd web && npm run build, into "
                         "web/dist), or name its directory with [server] web_root in the config "
                         "file or serve --web-root DIR; the API is served under /v1/",
                         why))
      .WithReason("web_app_not_built");
}

}  // namespace

Result<WebFiles> WebFiles::Open(const fs::path& root) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return InvalidArgument(fmt::format("web root '{}' is not a directory", root.string()))
        .WithField("web_root");
  }
  return WebFiles(canonical);
}

bool WebFiles::Handles(std::string_view method, std::string_view path) const {
  if (method != "GET" && method != "HEAD") return false;
  if (path == "/v1" || path.starts_with("/v1/") || path == "/healthz" || path == "/readyz" ||
      path == "/metrics" || path == "/openapi.json") {
    return false;
  }
  // Without a web app only `/` says so; other paths keep the API's 404.
  return built() || path == "/";
}

fs::path WebFiles::FileUnderRoot(const fs::path& rel) const {
  std::error_code ec;
  const fs::path candidate = root_ / rel;
  if (!fs::is_regular_file(candidate, ec)) return {};
  fs::path canonical = fs::canonical(candidate, ec);
  if (ec || !IsUnder(canonical, root_)) return {};
  return canonical;
}

Result<Response> WebFiles::Serve(const Request& request) const {
  if (!built()) return NotBuilt("no web root was found");
  const std::optional<fs::path> rel = RelativePath(request.path);
  if (!rel) {
    return NotFound("no file " + request.path).WithReason("no_web_file");
  }
  fs::path served = *rel;
  fs::path file = rel->empty() ? fs::path() : FileUnderRoot(*rel);
  if (file.empty()) {
    // A missing file under assets/ or of a type the app ships is a 404; any other path is a page
    // of the app, dots and all (/kit/instagram/ana.lima).
    const bool names_file = !rel->empty() && (*rel->begin() == "assets" ||
                                              ContentTypeOf(*rel) != "application/octet-stream");
    if (names_file) {
      return NotFound("no file " + request.path).WithReason("no_web_file");
    }
    served = "index.html";
    file = FileUnderRoot(served);
    if (file.empty()) return NotBuilt(fmt::format("{} has no index.html", root_.string()));
  }
  Response r;
  r.content_type = std::string(ContentTypeOf(served));
  const bool assets = served.begin() != served.end() && *served.begin() == "assets";
  r.headers.emplace_back("Cache-Control", std::string(assets ? kImmutable : kRevalidate));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (r.content_type.starts_with("text/html")) {
    r.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
    r.headers.emplace_back("Referrer-Policy", "same-origin");
    r.headers.emplace_back("X-Frame-Options", "DENY");
  }
  fs::path gzipped = FileUnderRoot(served.string() + ".gz");
  const bool gzip = !gzipped.empty() && AcceptsGzip(request.Header("accept-encoding"));
  if (!gzipped.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  if (gzip) file = std::move(gzipped);
  const std::string etag = ETagOf(file, gzip);
  r.headers.emplace_back("ETag", etag);
  const std::string if_none_match = request.Header("if-none-match");
  if (!if_none_match.empty() && Matches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.file_path = file.string();
  return r;
}

fs::path FindWebRoot(const fs::path& executable) {
  const fs::path dir = executable.parent_path();
  for (const fs::path& candidate :
       {dir / ".." / "web" / "dist", dir / ".." / "share" / "seedcast" / "web"}) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate.lexically_normal();
  }
  return {};
}

fs::path RunningExecutable() {
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  return ec ? fs::path() : exe;
}

}  // namespace seedcast::server
