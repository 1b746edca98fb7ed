// WebFiles: the built web app (web/dist: index.html and content-hashed files under assets/),
// served from one root directory for the GET and HEAD requests that no API route takes.
//
// - A path naming a regular file under the root is that file, with its Content-Type; any other
//   path without a file extension is index.html (the app routes /login, /campaigns/12 ... in the
//   browser); a missing path with an extension is a 404 problem.
// - Nothing outside the root is ever served: a path with a "." or ".." segment, a hidden segment,
//   a backslash, a NUL or a '%' (the server has decoded the path already: a '%' left is an
//   encoding twice over) is refused before the file system is asked, and what the file system
//   finds must still lie under the canonical root once symbolic links are resolved.
// - Files under /assets/ are cached for a year (their names change with their content); the rest
//   (index.html) is revalidated on every use, by an ETag made of its size and modification time.
// - FILE.gz beside FILE is sent instead, with Content-Encoding: gzip, when the request accepts it.
// - HTML carries the security headers (a Content-Security-Policy that allows only this origin,
//   no framing, no sniffing, the referrer kept to this origin).
//
// Without a root (the web app was not built), `/` answers 404 web_app_not_built, naming the
// setting; the API is unaffected. Immutable once made: thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"
#include "server/router.h"

namespace seedcast::server {

class WebFiles {
 public:
  // No web app.
  WebFiles() = default;
  // The web app in the directory `root`; kInvalidArgument (field web_root) when it is not one.
  static Result<WebFiles> Open(const std::filesystem::path& root);

  bool built() const { return !root_.empty(); }
  // The canonical root; empty without a web app.
  const std::filesystem::path& root() const { return root_; }

  // Whether a request no API route took is the web app's: a GET or HEAD outside the API's paths
  // (/v1/..., /healthz, /readyz, /metrics, /openapi.json keep their problem answers). Without a
  // web app, only `/` (which says how to build it).
  bool Handles(std::string_view method, std::string_view path) const;

  // The answer to a GET or HEAD of request.path (decoded), honouring Accept-Encoding and
  // If-None-Match. Failures (kNotFound) are for the caller to turn into problem documents.
  Result<Response> Serve(const Request& request) const;

 private:
  explicit WebFiles(std::filesystem::path root) : root_(std::move(root)) {}
  // The file under the root that `rel` names, canonical, if it is a regular file there.
  std::filesystem::path FileUnderRoot(const std::filesystem::path& rel) const;

  std::filesystem::path root_;
};

// Where the web app is by default, given the running executable: the first existing directory of
// <its dir>/../web/dist (a build tree beside the sources) and <its dir>/../share/seedcast/web (an
// installation); empty when there is none.
std::filesystem::path FindWebRoot(const std::filesystem::path& executable);

// The running executable (/proc/self/exe); empty when it cannot be read.
std::filesystem::path RunningExecutable();

}  // namespace seedcast::server
