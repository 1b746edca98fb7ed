#include "server/api_util.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace seedcast::server {

Result<nlohmann::json> JsonObjectBody(const Request& r) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    return InvalidArgument("the body is not valid JSON").WithReason("malformed_json");
  }
  if (!j.is_object()) return InvalidArgument("the body must be a JSON object");
  return j;
}

Status OnlyFields(const nlohmann::json& j, std::initializer_list<std::string_view> allowed,
                  std::string_view where) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) known += (known.empty() ? "" : ", ") + std::string(a);
      const std::string path = where.empty() ? key : std::string(where) + "." + key;
      return InvalidArgument(fmt::format("unknown field '{}' (known: {})", path, known))
          .WithReason("unknown_field")
          .WithField(path);
    }
  }
  return Status::Ok();
}

Result<std::string> StringField(const nlohmann::json& j, const std::string& name,
                                const std::string& fallback) {
  if (!j.contains(name) || j[name].is_null()) return fallback;
  if (!j[name].is_string()) {
    return InvalidArgument(fmt::format("field '{}' must be a string", name)).WithField(name);
  }
  return j[name].get<std::string>();
}

Response Ok(const nlohmann::ordered_json& j, int status) { return Json(status, j.dump()); }

app::ClientInfo ClientOf(const Request& r) {
  return {.address = r.client, .user_agent = r.Header("user-agent")};
}

Result<SpooledBody> SpooledBody::Write(const std::string& body, const std::string& extension) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / ("seedcast-upload-XXXXXX" + extension)).string();
  const int fd = mkstemps(pattern.data(), static_cast<int>(extension.size()));
  if (fd < 0) return IoError("cannot create a temporary file for the upload");
  close(fd);
  SpooledBody spooled(pattern);
  std::ofstream out(pattern, std::ios::binary | std::ios::trunc);
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  if (!out) return IoError("cannot write the upload to " + pattern);
  return spooled;
}

SpooledBody::SpooledBody(SpooledBody&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

SpooledBody::~SpooledBody() {
  if (path_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
  std::filesystem::remove(path_ + ".rejects.tsv", ignored);
}

Result<Decision> DecisionBody(const Request& r) {
  SEEDCAST_ASSIGN_OR_RETURN(nlohmann::json b, JsonObjectBody(r));
  SEEDCAST_RETURN_IF_ERROR(OnlyFields(b, {"decision", "reason"}));
  Decision d;
  SEEDCAST_ASSIGN_OR_RETURN(d.decision, StringField(b, "decision"));
  SEEDCAST_ASSIGN_OR_RETURN(d.reason, StringField(b, "reason"));
  if (d.reason.size() > 1000) {
    return InvalidArgument("'reason' is at most 1000 bytes").WithField("reason");
  }
  return d;
}

}  // namespace seedcast::server
