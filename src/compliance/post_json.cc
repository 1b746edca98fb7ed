#include "compliance/post_json.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/iso_time.h"
#include "common/text.h"

namespace seedcast::compliance {
namespace {

namespace od = simdjson::ondemand;

Status WrongType(std::string_view field, std::string_view wanted) {
  return InvalidArgument(fmt::format("field \"{}\" must be {}", field, wanted));
}

Status ReadString(od::value& v, std::string_view field, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s)) return WrongType(field, "a string");
  out->assign(s);
  return Status::Ok();
}

Status ReadTime(od::value& v, std::string_view field, std::optional<int64_t>* out) {
  std::string_view s;
  if (v.get_string().get(s)) return WrongType(field, "an ISO 8601 time string");
  Result<int64_t> ms = ParseIsoTimeMs(s);
  if (!ms.ok()) return ms.status().WithContext(std::string(field));
  *out = *ms;
  return Status::Ok();
}

template <typename Each>
Status ReadStrings(od::value& v, std::string_view field, Each each) {
  od::array items;
  if (v.get_array().get(items)) return WrongType(field, "a list of strings");
  for (auto item : items) {
    std::string_view s;
    if (item.get_string().get(s)) return WrongType(field, "a list of strings");
    SEEDCAST_RETURN_IF_ERROR(each(s));
  }
  return Status::Ok();
}

std::string_view TrimToken(std::string_view raw) {
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' || raw.back() == '\n')) {
    raw.remove_suffix(1);
  }
  return raw;
}

// The id of a line simdjson rejected, found by scanning for "id": so that the verdict of a
// malformed line still names its post when it can. "null" when there is none to find.
std::string ScanForId(std::string_view line) {
  for (size_t at = line.find("\"id\""); at != std::string_view::npos;
       at = line.find("\"id\"", at + 1)) {
    size_t k = at + 4;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    if (k >= line.size() || line[k] != ':') continue;
    ++k;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    const size_t begin = k;
    if (k < line.size() && line[k] == '"') {
      for (++k; k < line.size() && line[k] != '"'; ++k) {
        if (line[k] == '\\') ++k;
        if (static_cast<unsigned char>(line[k]) < 0x20) return "null";
      }
      if (k >= line.size()) return "null";
      std::string token(line.substr(begin, k + 1 - begin));
      return nlohmann::json::accept(token) ? token : "null";
    }
    while (k < line.size() && (std::isdigit(static_cast<unsigned char>(line[k])) != 0 ||
                               line[k] == '-' || line[k] == '.')) {
      ++k;
    }
    std::string token(line.substr(begin, k - begin));
    return !token.empty() && nlohmann::json::accept(token) ? token : "null";
  }
  return "null";
}

}  // namespace

struct PostReader::Impl {
  od::parser parser;
  std::string buffer;

  Status Field(std::string_view key, od::value& v, Post* post, std::string* id_json,
               bool* have_caption, bool* have_relationship) {
    if (key == "id") {
      od::json_type type;
      if (v.type().get(type)) return WrongType(key, "a string or a number");
      if (type != od::json_type::string && type != od::json_type::number) {
        return WrongType(key, "a string or a number");
      }
      *id_json = std::string(TrimToken(v.raw_json_token()));
      if (type == od::json_type::string) return ReadString(v, key, &post->id);
      post->id = *id_json;
      return Status::Ok();
    }
    if (v.is_null()) return Status::Ok();
    if (key == "caption") {
      *have_caption = true;
      return ReadString(v, key, &post->caption);
    }
    if (key == "platform") {
      SEEDCAST_RETURN_IF_ERROR(ReadString(v, key, &post->platform));
      post->platform = text::AsciiLower(post->platform);
      return Status::Ok();
    }
    if (key == "relationship") {
      std::string name;
      SEEDCAST_RETURN_IF_ERROR(ReadString(v, key, &name));
      SEEDCAST_ASSIGN_OR_RETURN(post->relationship, ParseRelationship(name));
      *have_relationship = true;
      return Status::Ok();
    }
    if (key == "platform_paid_label") {
      if (v.get_bool().get(post->platform_paid_label)) return WrongType(key, "true or false");
      return Status::Ok();
    }
    if (key == "language") {
      return ReadString(v, key, &post->language);  // "" like absent: detected
    }
    if (key == "media") {
      post->media_given = true;
      return ReadStrings(v, key, [&](std::string_view s) -> Status {
        SEEDCAST_ASSIGN_OR_RETURN(MediaType type, ParseMediaType(s));
        post->media.push_back(type);
        return Status::Ok();
      });
    }
    if (key == "links") {
      return ReadStrings(v, key, [&](std::string_view s) {
        post->links.emplace_back(s);
        return Status::Ok();
      });
    }
    if (key == "posted_at") return ReadTime(v, key, &post->posted_at_ms);
    if (key == "verified_at") return ReadTime(v, key, &post->verified_at_ms);
    if (key == "removed_at") return ReadTime(v, key, &post->removed_at_ms);
    return Status::Ok();
  }
};

PostReader::PostReader() : impl_(std::make_unique<Impl>()) {}
PostReader::~PostReader() = default;

Status PostReader::Read(std::string_view line, Post* post, std::string* id_json) {
  *post = Post{};
  *id_json = "null";
  impl_->buffer.assign(line);
  impl_->buffer.resize(line.size() + simdjson::SIMDJSON_PADDING);
  od::document doc;
  od::object object;
  if (impl_->parser.iterate(impl_->buffer.data(), line.size(), impl_->buffer.size()).get(doc) ||
      doc.get_object().get(object)) {
    *id_json = ScanForId(line);
    return InvalidArgument("the line is not a JSON object");
  }
  bool have_caption = false;
  bool have_relationship = false;
  for (auto field : object) {
    std::string_view key;
    od::value value;
    if (auto error = field.unescaped_key().get(key); error) {
      if (*id_json == "null") *id_json = ScanForId(line);
      return InvalidArgument(fmt::format("malformed JSON: {}", simdjson::error_message(error)));
    }
    if (auto error = field.value().get(value); error) {
      if (*id_json == "null") *id_json = ScanForId(line);
      return InvalidArgument(
          fmt::format("malformed JSON at \"{}\": {}", key, simdjson::error_message(error)));
    }
    Status status = impl_->Field(key, value, post, id_json, &have_caption, &have_relationship);
    if (!status.ok()) {
      if (*id_json == "null") *id_json = ScanForId(line);
      return status;
    }
  }
  // simdjson 3.0 has no document::at_end: past the last token, current_location is out of bounds.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
    return InvalidArgument("malformed JSON: characters after the object");
  if (!have_caption) return InvalidArgument("field \"caption\" is required");
  if (!have_relationship) {
    return InvalidArgument(
        "field \"relationship\" is required (none, paid, gifted_required, gifted_unsolicited, "
        "affiliate)");
  }
  return Status::Ok();
}

namespace {

// `s` as a JSON string: as it is when nothing in it needs escaping (language codes, the notes),
// else escaped by nlohmann. Saves building a JSON tree per verdict for a handful of short values.
void AppendJsonString(std::string_view s, std::string* out) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char ch) {
    return ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\';
  });
  if (!plain) {
    out->append(nlohmann::ordered_json(std::string(s))
                    .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return;
  }
  out->push_back('"');
  out->append(s);
  out->push_back('"');
}

// {"code", "source": "given" | "detected", "percent", "reliable" (detected), "accepted", "note"}
void AppendLanguageJson(const CaptionLanguage& l, std::string* out) {
  out->append(R"({"code":)");
  if (l.code.empty()) {
    out->append("null");
  } else {
    AppendJsonString(l.code, out);
  }
  if (l.detected) {
    fmt::format_to(std::back_inserter(*out), R"(,"source":"detected","percent":{},"reliable":{})",
                   l.percent, l.reliable);
  } else {
    out->append(R"(,"source":"given")");
  }
  out->append(R"(,"accepted":[)");
  for (size_t k = 0; k < l.accepted.size(); ++k) {
    if (k > 0) out->push_back(',');
    AppendJsonString(l.accepted[k], out);
  }
  out->push_back(']');
  if (!l.note.empty()) {
    out->append(R"(,"note":)");
    AppendJsonString(l.note, out);
  }
  out->push_back('}');
}

}  // namespace

void AppendVerdictJson(std::string_view id_json, const Verdict& verdict, std::string* out) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& f : verdict.findings) {
    nlohmann::ordered_json j = {{"code", f.code},
                                {"severity", f.severity == Severity::kError ? "error" : "warning"},
                                {"message", f.message},
                                {"span", nullptr},
                                {"fix", f.fix}};
    if (f.span)
      j["span"] = {{"start", f.span->start}, {"end", f.span->end}, {"text", f.span->text}};
    findings.push_back(std::move(j));
  }
  out->append(R"({"id":)");
  out->append(id_json);
  out->append(verdict.compliant ? R"(,"compliant":true,"findings":)"
                                : R"(,"compliant":false,"findings":)");
  out->append(findings.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  out->append(R"(,"language":)");
  if (verdict.language) {
    AppendLanguageJson(*verdict.language, out);
  } else {
    out->append("null");
  }
  out->push_back('}');
}

namespace {

Result<CountRange> ParseCount(const nlohmann::json& j, std::string_view name) {
  CountRange r;
  if (j.is_number_integer()) {
    r.min = j.get<int>();
    r.max = r.min;
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      if ((key != "min" && key != "max") || !value.is_number_integer()) {
        return InvalidArgument(
            fmt::format("deliverables.{}: expected a count or {{\"min\": n, \"max\": n}}", name));
      }
    }
    r.min = j.value("min", 0);
    r.max = j.value("max", -1);
  } else {
    return InvalidArgument(
        fmt::format("deliverables.{}: expected a count or {{\"min\": n, \"max\": n}}", name));
  }
  if (r.min < 0 || (r.max >= 0 && r.max < r.min)) {
    return InvalidArgument(fmt::format("deliverables.{}: min and max are out of order", name));
  }
  return r;
}

Result<std::vector<std::string>> StringList(const nlohmann::json& j, std::string_view name) {
  if (!j.is_array()) return InvalidArgument(fmt::format("{}: expected a list of strings", name));
  std::vector<std::string> out;
  out.reserve(j.size());
  for (const nlohmann::json& item : j) {
    if (!item.is_string())
      return InvalidArgument(fmt::format("{}: expected a list of strings", name));
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::optional<int64_t>> OptionalTime(const nlohmann::json& parent, const char* key) {
  if (!parent.contains(key) || parent[key].is_null()) return std::optional<int64_t>();
  if (!parent[key].is_string()) {
    return InvalidArgument(fmt::format("timeline.{}: expected an ISO 8601 time", key));
  }
  Result<int64_t> ms = ParseIsoTimeMs(parent[key].get<std::string>());
  if (!ms.ok()) return ms.status().WithContext(fmt::format("timeline.{}", key));
  return std::optional<int64_t>(*ms);
}

Status ParseDeliverables(const nlohmann::json& d, Requirements* r) {
  if (!d.is_object()) return InvalidArgument("deliverables: expected an object");
  for (const auto& [key, value] : d.items()) {
    if (key == "video") {
      SEEDCAST_ASSIGN_OR_RETURN(r->video, ParseCount(value, key));
    } else if (key == "photo") {
      SEEDCAST_ASSIGN_OR_RETURN(r->photo, ParseCount(value, key));
    } else if (key == "mentions") {
      SEEDCAST_ASSIGN_OR_RETURN(r->mentions, StringList(value, "deliverables.mentions"));
    } else if (key == "hashtags") {
      SEEDCAST_ASSIGN_OR_RETURN(r->hashtags, StringList(value, "deliverables.hashtags"));
    } else if (key == "links") {
      SEEDCAST_ASSIGN_OR_RETURN(r->links, StringList(value, "deliverables.links"));
    } else if (key == "codes") {
      SEEDCAST_ASSIGN_OR_RETURN(r->codes, StringList(value, "deliverables.codes"));
    } else if (key != "caption" && key != "notes") {
      return InvalidArgument(fmt::format(
          "deliverables: unknown field \"{}\" (video, photo, mentions, hashtags, links, codes, "
          "caption, notes)",
          key));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Requirements> ParseRequirements(std::string_view json) {
  nlohmann::json root = nlohmann::json::parse(json, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    return InvalidArgument("the campaign file is not a JSON object");
  }
  Requirements r;
  if (root.contains("deliverables")) {
    SEEDCAST_RETURN_IF_ERROR(ParseDeliverables(root["deliverables"], &r));
  }
  if (root.contains("timeline")) {
    const nlohmann::json& t = root["timeline"];
    if (!t.is_object()) return InvalidArgument("timeline: expected an object");
    SEEDCAST_ASSIGN_OR_RETURN(r.post_from_ms, OptionalTime(t, "post_from"));
    SEEDCAST_ASSIGN_OR_RETURN(r.post_until_ms, OptionalTime(t, "post_until"));
    if (r.post_from_ms && r.post_until_ms && *r.post_until_ms < *r.post_from_ms) {
      return InvalidArgument("timeline: post_until is before post_from");
    }
  }
  if (root.contains("brief")) {
    const nlohmann::json& b = root["brief"];
    if (!b.is_object()) return InvalidArgument("brief: expected an object");
    if (b.contains("claims_to_avoid")) {
      SEEDCAST_ASSIGN_OR_RETURN(r.claims_to_avoid,
                                StringList(b["claims_to_avoid"], "brief.claims_to_avoid"));
    }
  }
  if (root.contains("removal_window_days")) {
    const nlohmann::json& w = root["removal_window_days"];
    if (!w.is_number_integer() || w.get<int64_t>() < 0 || w.get<int64_t>() > 3650) {
      return InvalidArgument("removal_window_days: expected a whole number of days, 0 to 3650");
    }
    r.removal_window_days = w.get<int>();
  }
  return r;
}

}  // namespace seedcast::compliance
