#include "measure/discount_codes.h"

#include <fmt/format.h>
#include <sodium.h>

#include "common/text.h"
#include "ingest/table_reader.h"
#include "model/platform.h"

namespace seedcast::measure {

using storage::Row;

namespace {

constexpr std::string_view kDigits = "0123456789";
// Letters and digits without those read as one another (0/O, 1/I).
constexpr std::string_view kUnambiguous = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr size_t kMaxHandleChars = 12;
constexpr int kRandomTries = 20;

bool CodeChar(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

uint32_t Draw(const RandomBelow& random, uint32_t bound) {
  return random ? random(bound) : randombytes_uniform(bound);
}

// Whether `pattern` has a random token (a retry can give another code).
bool HasRandomToken(std::string_view pattern) {
  return pattern.find("{N") != std::string_view::npos ||
         pattern.find("{X") != std::string_view::npos;
}

Status CheckCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 40 || !std::all_of(code.begin(), code.end(), CodeChar)) {
    return InvalidArgument(fmt::format("the code '{}' is not 3 to 40 characters of A-Z, 0-9, - "
                                       "and _",
                                       code))
        .WithField("code_pattern");
  }
  return Status::Ok();
}

Result<bool> Taken(storage::Database& db, int64_t brand_id, const std::string& key) {
  SEEDCAST_ASSIGN_OR_RETURN(
      int64_t n, db.QueryInt("SELECT COUNT(*) FROM discount_codes WHERE brand_id = ? AND "
                             "code_key = ?",
                             {brand_id, std::string_view(key)}));
  return n > 0;
}

storage::Value OrNull(int64_t id) { return id == 0 ? storage::Value(nullptr) : storage::Value(id); }

Status InsertCode(storage::Database& db, const DiscountCode& c, int64_t org_id, int64_t now_ms) {
  const std::string key = CodeKey(c.code);
  return db.Execute(
      "INSERT INTO discount_codes (org_id, brand_id, code, code_key, creator_id, assignment_id, "
      "source, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {OrNull(org_id), c.brand_id, std::string_view(c.code), std::string_view(key), c.creator_id,
       OrNull(c.assignment_id), std::string_view(c.source), now_ms});
}

// The creator with that handle (on any platform), and their newest assignment in the brand's
// campaigns (0: none).
struct Owner {
  int64_t creator_id = 0;
  int64_t assignment_id = 0;
};
Result<std::optional<Owner>> OwnerOf(storage::Database& db, int64_t brand_id,
                                     const std::string& handle) {
  std::optional<Owner> out;
  SEEDCAST_RETURN_IF_ERROR(db.Query(
      "SELECT ac.creator_id, COALESCE((SELECT MAX(a.id) FROM assignments a JOIN campaigns c ON "
      "c.id = a.campaign_id WHERE a.creator_id = ac.creator_id AND c.brand_id = ?), 0) AS a_id "
      "FROM accounts ac WHERE ac.handle = ? ORDER BY a_id DESC, ac.id LIMIT 1",
      {brand_id, std::string_view(handle)}, [&out](const Row& r) {
        out = Owner{r.Int(0), r.Int(1)};
        return Status::Ok();
      }));
  return out;
}

}  // namespace

std::string CodeKey(std::string_view code) {
  std::string out(text::Trim(code));
  for (char& ch : out) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return out;
}

Result<std::string> ExpandCodePattern(std::string_view pattern, std::string_view handle,
                                      const RandomBelow& random) {
  std::string out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const size_t close = pattern.find('}', i);
    if (close == std::string_view::npos) {
      return InvalidArgument(fmt::format("code pattern '{}': a '{{' without its '}}'", pattern))
          .WithField("code_pattern");
    }
    const std::string_view token = pattern.substr(i + 1, close - i - 1);
    i = close + 1;
    if (token == "HANDLE") {
      std::string h;
      for (char ch : handle) {
        const std::string up = CodeKey(std::string_view(&ch, 1));
        if (h.size() < kMaxHandleChars && CodeChar(up[0]) && up[0] != '-' && up[0] != '_') {
          h += up;
        }
      }
      out += h;
      continue;
    }
    const bool digits = !token.empty() && token.find_first_not_of('N') == std::string_view::npos;
    const bool chars = !token.empty() && token.find_first_not_of('X') == std::string_view::npos;
    if (!digits && !chars) {
      return InvalidArgument(fmt::format("code pattern '{}': unknown token {{{}}} (HANDLE, N..., "
                                         "X...)",
                                         pattern, token))
          .WithField("code_pattern");
    }
    const std::string_view alphabet = digits ? kDigits : kUnambiguous;
    for (size_t k = 0; k < token.size(); ++k) {
      out += alphabet[Draw(random, static_cast<uint32_t>(alphabet.size()))];
    }
  }
  out = CodeKey(out);
  SEEDCAST_RETURN_IF_ERROR(CheckCode(out));
  return out;
}

Result<DiscountCode> IssueCode(storage::Database& db, const NewCode& request, int64_t now_ms,
                               const RandomBelow& random) {
  SEEDCAST_ASSIGN_OR_RETURN(std::optional<DiscountCode> existing,
                            CodeOfAssignment(db, request.assignment_id));
  if (existing) {
    return AlreadyExists(fmt::format("assignment {} has the code {} already", request.assignment_id,
                                     existing->code))
        .WithReason("code_exists");
  }
  const bool random_token = HasRandomToken(request.pattern);
  DiscountCode c{.brand_id = request.brand_id,
                 .creator_id = request.creator_id,
                 .assignment_id = request.assignment_id,
                 .source = "generated"};
  SEEDCAST_ASSIGN_OR_RETURN(const std::string first,
                            ExpandCodePattern(request.pattern, request.handle, random));
  for (int attempt = 0; attempt < kRandomTries; ++attempt) {
    std::string candidate = first;
    if (attempt > 0 && random_token) {
      SEEDCAST_ASSIGN_OR_RETURN(candidate,
                                ExpandCodePattern(request.pattern, request.handle, random));
    } else if (attempt > 0) {
      candidate += std::to_string(attempt + 1);
    }
    SEEDCAST_ASSIGN_OR_RETURN(bool taken, Taken(db, request.brand_id, candidate));
    if (!taken) {
      c.code = std::move(candidate);
      break;
    }
  }
  if (c.code.empty()) {
    return FailedPrecondition("code_pattern_exhausted",
                              fmt::format("the code pattern '{}' gave only codes already taken; "
                                          "use a pattern with more random characters",
                                          request.pattern));
  }
  SEEDCAST_RETURN_IF_ERROR(CheckCode(c.code));
  SEEDCAST_RETURN_IF_ERROR(InsertCode(db, c, request.org_id, now_ms));
  SEEDCAST_ASSIGN_OR_RETURN(c.id, db.QueryInt("SELECT id FROM discount_codes WHERE brand_id = ? "
                                              "AND code_key = ?",
                                              {c.brand_id, std::string_view(c.code)}));
  return c;
}

Result<std::optional<DiscountCode>> CodeOfAssignment(storage::Database& db, int64_t assignment_id) {
  std::optional<DiscountCode> out;
  SEEDCAST_RETURN_IF_ERROR(
      db.Query("SELECT id, brand_id, code, creator_id, COALESCE(assignment_id, 0), source FROM "
               "discount_codes WHERE assignment_id = ?",
               {assignment_id}, [&out](const Row& r) {
                 out = DiscountCode{r.Int(0), r.Int(1), std::string(r.Text(2)),
                                    r.Int(3), r.Int(4), std::string(r.Text(5))};
                 return Status::Ok();
               }));
  return out;
}

Result<CodeImportReport> ImportCodes(storage::Database& db, int64_t brand_id, int64_t org_id,
                                     const std::string& path, int64_t now_ms) {
  SEEDCAST_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                            ingest::OpenRecordReader(path, ingest::FileFormat::kCsv));
  CodeImportReport report;
  ingest::Record r;
  Status done = storage::InTransaction(db, [&]() -> Status {
    while (reader->Next(&r)) {
      auto reject = [&](std::string reason) {
        report.rejects.push_back({r.line, std::move(reason)});
      };
      const std::string code = r.cells.empty() ? "" : CodeKey(r.cells[0]);
      // The header row: "code", or a title naming one ("Discount Code") that no code can be. A
      // well-formed code that contains the word ("MYCODE10") is data.
      const bool names_code = code == "CODE" || code == "CODES" ||
                              (code.find("CODE") != std::string::npos && !CheckCode(code).ok());
      if (r.line == 1 && names_code) continue;
      ++report.rows;
      if (!r.error.empty()) {
        reject(r.error);
        continue;
      }
      if (r.cells.size() < 2) {
        reject("needs two columns: code and creator handle");
        continue;
      }
      if (Status s = CheckCode(code); !s.ok()) {
        reject(s.message());
        continue;
      }
      auto handle = model::NormalizeHandle(r.cells[1]);
      if (!handle.ok()) {
        reject("handle: " + handle.status().message());
        continue;
      }
      SEEDCAST_ASSIGN_OR_RETURN(std::optional<Owner> owner, OwnerOf(db, brand_id, *handle));
      if (!owner) {
        reject(fmt::format("no creator has the handle '{}'", *handle));
        continue;
      }
      SEEDCAST_ASSIGN_OR_RETURN(
          int64_t holder,
          db.QueryInt("SELECT COALESCE(MAX(creator_id), 0) FROM discount_codes WHERE brand_id = ? "
                      "AND code_key = ?",
                      {brand_id, std::string_view(code)}));
      if (holder == owner->creator_id) {
        ++report.unchanged;
        continue;
      }
      if (holder != 0) {
        reject(fmt::format("the code {} belongs to another creator of this brand", code));
        continue;
      }
      // An assignment has one code: a second one imported for it stays tied to the creator only.
      SEEDCAST_ASSIGN_OR_RETURN(std::optional<DiscountCode> has,
                                CodeOfAssignment(db, owner->assignment_id));
      DiscountCode c{.brand_id = brand_id,
                     .code = code,
                     .creator_id = owner->creator_id,
                     .assignment_id = has ? 0 : owner->assignment_id,
                     .source = "imported"};
      SEEDCAST_RETURN_IF_ERROR(InsertCode(db, c, org_id, now_ms));
      ++report.registered;
    }
    return reader->status();
  });
  if (!done.ok()) return done;
  return report;
}

}  // namespace seedcast::measure
