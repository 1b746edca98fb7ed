// The JSON forms of the compliance checker: a post per NDJSON line in, a verdict per line out,
// and a campaign's requirements.
//
// Post fields: id (string or number), platform, caption, relationship, platform_paid_label,
// language (ISO 639-1; absent, null or "": detected from the caption); for deliverables media
// (["video", "photo", ...]), links, posted_at; for removal verified_at, removed_at (ISO 8601).
// Unknown fields are ignored, wrong types are errors naming the field.
//
// A PostReader reuses its parse buffers: one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "compliance/checker.h"

namespace seedcast::compliance {

class PostReader {
 public:
  PostReader();
  ~PostReader();
  PostReader(const PostReader&) = delete;
  PostReader& operator=(const PostReader&) = delete;

  // Reads one line into `post`. `id_json` receives the id as it was written (a JSON string or
  // number), or "null" when the line has none; it is set even when the post is rejected.
  Status Read(std::string_view line, Post* post, std::string* id_json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One verdict as a JSON line (without the newline) appended to `out`; `id_json` as Read gave it.
// {"id", "compliant", "findings": [...], "language": {...} or null}; docs/compliance.md.
void AppendVerdictJson(std::string_view id_json, const Verdict& verdict, std::string* out);

// Requirements from a campaign file's JSON: {"deliverables": {"video": 1, "photo": {"min": 1,
// "max": 3}, "mentions": [...], "hashtags": [...], "links": [...], "codes": [...]},
// "timeline": {"post_from": ISO, "post_until": ISO}, "brief": {"claims_to_avoid": [...]},
// "removal_window_days": 30}. Other fields of the campaign are ignored.
Result<Requirements> ParseRequirements(std::string_view json);

}  // namespace seedcast::compliance
