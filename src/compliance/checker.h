// The compliance checker: is a post's sponsorship disclosure clear under a jurisdiction's rules,
// does the post meet its campaign's deliverables, and was a verified post removed?
//
// Every finding has a stable code, a message for people, the offending span of the caption (code
// points of the caption as given) and a suggested fix. A post is compliant when it has no finding
// of severity "error"; warnings explain without failing.
//
// Finding codes:
//   disclosure_missing         a relationship that needs disclosing, and no disclosure at all
//   disclosure_not_clear       a disclosure word the jurisdiction does not accept for this
//                              relationship ("sponsored" or "#gifted" alone in the UK)
//   disclosure_unclear_term    a word regulators call unclear ("spon", "collab", "ambassador")
//   disclosure_not_visible     the disclosure lies past the visible part of the caption
//   disclosure_buried          the disclosure hides in a block of hashtags
//   disclosure_wrong_language  the disclosure is not in the post's language (given, or detected
//                              from the caption when the post does not say; see CaptionLanguage)
//   disclosure_negated         the disclosure word is denied ("not an ad")
//   platform_label_only        only the platform's paid-partnership label discloses
//   language_not_supported     (warning) no vocabulary for the post's language (given, or
//                              reliably detected); English used
//   format_mismatch            media types or counts differ from the deliverables
//   mention_missing, hashtag_missing, tracking_missing
//   outside_window             posted before or after the campaign's posting window
//   posted_at_missing          the window cannot be checked without the time of posting
//   prohibited_claim           a claim the brief forbids ("cures", "FDA approved")
//   post_removed               a verified post was removed within the removal window (its
//                              invoice line is dropped), or (warning) after it
//   invalid_input              the post itself is malformed
//
// A Checker holds scratch buffers and stemmers: use one per thread. The RuleBook and Requirements
// it points to must outlive it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "compliance/rules.h"

namespace seedcast::compliance {

enum class Relationship { kNone, kPaid, kGiftedRequired, kGiftedUnsolicited, kAffiliate };
std::string_view RelationshipName(Relationship r);
Result<Relationship> ParseRelationship(std::string_view name);

enum class MediaType { kVideo, kPhoto };
Result<MediaType> ParseMediaType(std::string_view name);

struct Post {
  std::string id;
  std::string platform;  // lower case; "" when unknown
  std::string caption;
  Relationship relationship = Relationship::kNone;
  bool platform_paid_label = false;
  std::string language;  // ISO 639-1; "es-MX" is read as "es"; empty: detected from the caption
  // For the deliverable and removal checks; empty when not given.
  std::vector<MediaType> media;
  bool media_given = false;
  std::vector<std::string> links;  // links outside the caption (stickers, link in bio)
  std::optional<int64_t> posted_at_ms;
  std::optional<int64_t> verified_at_ms;
  std::optional<int64_t> removed_at_ms;
};

// What a campaign asks of each post. Every part is optional.
struct CountRange {
  int min = 0;
  int max = -1;  // -1: no maximum
};
struct Requirements {
  std::optional<CountRange> video;
  std::optional<CountRange> photo;
  std::vector<std::string> mentions;  // "@glowco": each must be tagged
  std::vector<std::string> hashtags;  // "#glowco": each must be used
  std::vector<std::string> links;     // tracked links; with codes: at least one must appear
  std::vector<std::string> codes;     // discount codes
  std::optional<int64_t> post_from_ms;
  std::optional<int64_t> post_until_ms;
  std::vector<std::string> claims_to_avoid;
  int removal_window_days = 30;
};

struct Span {
  uint32_t start = 0;  // code points, [start, end)
  uint32_t end = 0;
  std::string text;
};

enum class Severity { kError, kWarning };

struct Finding {
  std::string code;
  Severity severity = Severity::kError;
  std::string message;
  std::optional<Span> span;
  std::string fix;
};

// The language a caption's disclosure was judged in, and how it was chosen. Given with the post,
// it is used as it is. Otherwise CLD2 reads the caption's words (hashtags, mentions left out): a
// sure answer (reliable, most of the text, enough of it) is used alone; an unsure one accepts terms
// in English or the detected language; no answer accepts terms of every language with a
// vocabulary. docs/compliance.md has the thresholds.
struct CaptionLanguage {
  std::string code;       // ISO 639-1 as given or detected ("zh-Hant" reads "zh"); "" if none found
  bool detected = false;  // false: the post gave it
  int percent = 0;        // detected: CLD2's share of the examined words in `code`, 0 to 100
  bool reliable = false;  // detected: CLD2 judged its answer reliable
  std::vector<std::string> accepted;  // languages whose disclosure terms count
  std::string note;  // detected: why more languages than `code`, or English, were accepted
};

struct Verdict {
  std::string id;
  bool compliant = true;
  std::vector<Finding> findings;
  // Unset when no check needed a language: relationship "none" and no claims to look for.
  std::optional<CaptionLanguage> language;
};

class Checker {
 public:
  // `requirements` may be null: only disclosure and removal are checked.
  Checker(const RuleBook& rules, const Jurisdiction& jurisdiction,
          const Requirements* requirements = nullptr);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  Verdict Check(const Post& post);

 private:
  struct Scratch;
  void CheckDisclosureOf(const Post& post, std::vector<Finding>* out);
  const RuleBook& rules_;
  const Jurisdiction& jurisdiction_;
  const Requirements* requirements_;
  std::unique_ptr<Scratch> scratch_;
};

// A verdict for a post that could not be read: one invalid_input finding.
Verdict InvalidInputVerdict(std::string id, std::string message);

}  // namespace seedcast::compliance
