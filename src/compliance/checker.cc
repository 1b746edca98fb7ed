#include "compliance/checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cassert>

#include "compliance/caption_language.h"
#include "compliance/deliverables.h"
#include "compliance/matcher.h"
#include "compliance/tokenizer.h"

namespace seedcast::compliance {
namespace {

constexpr std::array<std::pair<std::string_view, Relationship>, 5> kRelationships = {{
    {"none", Relationship::kNone},
    {"paid", Relationship::kPaid},
    {"gifted_required", Relationship::kGiftedRequired},
    {"gifted_unsolicited", Relationship::kGiftedUnsolicited},
    {"affiliate", Relationship::kAffiliate},
}};
// Checker tables are indexed by the enum's value: the list follows the enum's order.
static_assert([] {
  for (size_t i = 0; i < kRelationships.size(); ++i) {
    if (static_cast<size_t>(kRelationships[i].second) != i) return false;
  }
  return true;
}());

// What a post in `language` should write: the first term of the first clear family, as a hashtag
// when it is one word ("#ad", "#publicidad").
std::string Suggestion(const Vocabulary& v, const std::vector<int>& clear, int language) {
  const uint64_t bit = uint64_t{1} << language;
  for (int family : clear) {
    for (const Term& t : v.terms) {
      if (t.family != family || (t.languages & bit) == 0) continue;
      if (t.words.size() == 1 && !t.hashtag_only) return "#" + t.display;
      return t.display;
    }
  }
  return "#ad";
}

struct Context {
  const Post& post;
  const Vocabulary& vocabulary;
  const Jurisdiction& jurisdiction;
  const std::vector<int>& clear;
  uint64_t accepted;  // bit per vocabulary language whose terms count
  std::string_view language_label;
  int visible;
  const std::string& suggestion;
};

Span SpanOf(const Post& post, const Match& m) {
  return Span{.start = m.start,
              .end = m.end,
              .text = post.caption.substr(m.byte_start, m.byte_end - m.byte_start)};
}

bool IsClear(const Context& c, const Match& m) {
  return std::find(c.clear.begin(), c.clear.end(), m.family) != c.clear.end();
}

bool Overlaps(const Match& a, const Match& b) { return a.start < b.end && b.start < a.end; }

// Findings for a clear-family disclosure that does not count where it is.
void ExplainMisplaced(const Context& c, const Match& m, std::vector<Finding>* out) {
  const Span span = SpanOf(c.post, m);
  if ((m.languages & c.accepted) == 0) {
    AddFinding(
        out, "disclosure_wrong_language",
        fmt::format("\"{}\" is not in the post's language ({}); a disclosure must be written in "
                    "the language of the post",
                    span.text, c.language_label),
        &span, fmt::format("Write \"{}\" at the start of the caption", c.suggestion));
    return;
  }
  if (m.negated) {
    AddFinding(
        out, "disclosure_negated",
        fmt::format("\"{}\" is denied by the words before it, but the post is {}", span.text,
                    RelationshipName(c.post.relationship)),
        &span,
        fmt::format("Say what the relationship is: start the caption with \"{}\"", c.suggestion));
    return;
  }
  if (m.buried) {
    AddFinding(
        out, "disclosure_buried",
        fmt::format("\"{}\" is buried in a block of {} or more hashtags, where readers skip it",
                    span.text, c.jurisdiction.buried_run),
        &span,
        fmt::format("Move \"{}\" out of the hashtags, to the start of the caption", span.text));
  }
  if (m.end > static_cast<uint32_t>(c.visible)) {
    AddFinding(
        out, "disclosure_not_visible",
        fmt::format("\"{}\" ends at character {}, past the {} characters {} shows before \"more\"",
                    span.text, m.end, c.visible,
                    c.post.platform.empty() ? std::string("the platform") : c.post.platform),
        &span, fmt::format("Move \"{}\" to the start of the caption", span.text));
  }
}

void CheckDisclosure(const Context& c, const std::vector<Match>& matches,
                     const TokenizedText& tokens, std::vector<Finding>* out) {
  const auto good = [&](const Match& m) {
    return IsClear(c, m) && (m.languages & c.accepted) != 0 && !m.negated && !m.buried &&
           m.end <= static_cast<uint32_t>(c.visible);
  };
  if (std::any_of(matches.begin(), matches.end(), good)) return;

  const size_t before = out->size();
  for (const Match& m : matches) {
    if (IsClear(c, m)) ExplainMisplaced(c, m, out);
  }
  for (const Match& m : matches) {
    if (IsClear(c, m) || m.family == c.vocabulary.unclear_family || m.negated) continue;
    const Span span = SpanOf(c.post, m);
    AddFinding(out, "disclosure_not_clear",
               fmt::format("\"{}\" alone is not a clear disclosure under {} rules for a {} post",
                           span.text, c.jurisdiction.name, RelationshipName(c.post.relationship)),
               &span,
               fmt::format("Start the caption with \"{}\" (for example \"{} {}\")", c.suggestion,
                           c.suggestion, span.text));
  }
  for (const Match& m : matches) {
    if (m.family != c.vocabulary.unclear_family) continue;
    const bool part_of_other = std::any_of(matches.begin(), matches.end(), [&](const Match& o) {
      return o.family != c.vocabulary.unclear_family && Overlaps(o, m);
    });
    if (part_of_other) continue;
    const Span span = SpanOf(c.post, m);
    AddFinding(out, "disclosure_unclear_term",
               fmt::format("\"{}\" does not tell readers the post is an advertisement", span.text),
               &span,
               fmt::format("Replace \"{}\" with \"{}\" at the start of the caption", span.text,
                           c.suggestion));
  }
  if (c.post.platform_paid_label) {
    AddFinding(out, "platform_label_only",
               "the platform's paid-partnership label is not enough on its own; the caption must "
               "disclose the relationship too",
               nullptr,
               fmt::format("Keep the label and start the caption with \"{}\"", c.suggestion));
  }
  if (out->size() == before) {
    const bool tags = std::any_of(tokens.tokens.begin(), tokens.tokens.end(),
                                  [](const Token& t) { return t.kind == TokenKind::kMention; });
    AddFinding(out, "disclosure_missing",
               fmt::format("the post is {} but the caption discloses nothing{}",
                           RelationshipName(c.post.relationship),
                           tags ? " (tagging the brand is not a disclosure)" : ""),
               nullptr, fmt::format("Start the caption with \"{}\"", c.suggestion));
  }
}

}  // namespace

std::string_view RelationshipName(Relationship r) {
  for (const auto& [name, value] : kRelationships) {
    if (value == r) return name;
  }
  return "none";
}

Result<Relationship> ParseRelationship(std::string_view name) {
  for (const auto& [n, value] : kRelationships) {
    if (n == name) return value;
  }
  return InvalidArgument(fmt::format(
      "relationship \"{}\" is not one of none, paid, gifted_required, gifted_unsolicited, "
      "affiliate",
      name));
}

Result<MediaType> ParseMediaType(std::string_view name) {
  if (name == "video") return MediaType::kVideo;
  if (name == "photo" || name == "image") return MediaType::kPhoto;
  return InvalidArgument(fmt::format("media type \"{}\" is not video or photo", name));
}

struct Checker::Scratch {
  explicit Scratch(const Vocabulary& vocabulary) : chooser(vocabulary) {}

  TokenizedText tokens;
  LanguageChooser chooser;
  LanguageDecision language;
  std::vector<Match> matches;
  std::vector<SentenceState> sentences;
  DeliverableChecker deliverables;
  // By relationship (kRelationships order), what the jurisdiction finds clear and, by language,
  // the term a fix suggests: fixed for the checker's life, so worked out once.
  std::array<const std::vector<int>*, kRelationships.size()> clear{};
  std::array<std::vector<std::string>, kRelationships.size()> suggestion;
};

Checker::Checker(const RuleBook& rules, const Jurisdiction& jurisdiction,
                 const Requirements* requirements)
    : rules_(rules),
      jurisdiction_(jurisdiction),
      requirements_(requirements),
      scratch_(std::make_unique<Scratch>(rules.vocabulary)) {
  static const std::vector<int> kNothingNeeded;
  for (size_t r = 0; r < kRelationships.size(); ++r) {
    auto it = jurisdiction_.clear.find(kRelationships[r].first);
    // Rule files must list every relationship but "none" (ParseRules checks it).
    assert(it != jurisdiction_.clear.end() || kRelationships[r].second == Relationship::kNone);
    scratch_->clear[r] = it != jurisdiction_.clear.end() ? &it->second : &kNothingNeeded;
    for (size_t language = 0; language < rules_.vocabulary.languages.size(); ++language) {
      scratch_->suggestion[r].push_back(
          Suggestion(rules_.vocabulary, *scratch_->clear[r], static_cast<int>(language)));
    }
  }
}

Checker::~Checker() = default;

Verdict Checker::Check(const Post& post) {
  Verdict verdict;
  verdict.id = post.id;
  Tokenize(post.caption, &scratch_->tokens);

  // Disclosure terms and forbidden claims (matched on stems) both depend on the language.
  const bool disclosure = post.relationship != Relationship::kNone;
  const bool claims = requirements_ != nullptr && !requirements_->claims_to_avoid.empty();
  if (disclosure || claims) {
    scratch_->chooser.Choose(post, scratch_->tokens, &scratch_->language);
  }
  if (disclosure) CheckDisclosureOf(post, &verdict.findings);
  if (disclosure || claims) verdict.language = std::move(scratch_->language.report);
  if (requirements_ != nullptr) {
    std::string_view language;  // "" when no check needed one: the stemmer's default
    if (verdict.language) language = verdict.language->code;
    scratch_->deliverables.Check(*requirements_, post, language, scratch_->tokens,
                                 &verdict.findings);
  }
  CheckRemoval(post, requirements_ != nullptr ? requirements_->removal_window_days : 30,
               &verdict.findings);
  verdict.compliant = std::none_of(verdict.findings.begin(), verdict.findings.end(),
                                   [](const Finding& f) { return f.severity == Severity::kError; });
  return verdict;
}

void Checker::CheckDisclosureOf(const Post& post, std::vector<Finding>* out) {
  const Vocabulary& v = rules_.vocabulary;
  const LanguageDecision& language = scratch_->language;
  if (!language.supported) {
    AddFinding(out, "language_not_supported",
               fmt::format("no disclosure vocabulary for language \"{}\"{}; English terms were "
                           "accepted",
                           language.report.detected ? language.report.code : post.language,
                           language.report.detected ? " (detected)" : ""),
               nullptr, "Add the language's terms to the rules' languages.toml",
               Severity::kWarning);
  }
  const auto r = static_cast<size_t>(post.relationship);
  Context c{.post = post,
            .vocabulary = v,
            .jurisdiction = jurisdiction_,
            .clear = *scratch_->clear[r],
            .accepted = language.accepted,
            .language_label = language.label,
            .visible = jurisdiction_.VisibleChars(post.platform),
            .suggestion = scratch_->suggestion[r][static_cast<size_t>(language.primary)]};
  FindMatches(v, scratch_->tokens, jurisdiction_.buried_run, &scratch_->matches,
              &scratch_->sentences);
  CheckDisclosure(c, scratch_->matches, scratch_->tokens, out);
}

Verdict InvalidInputVerdict(std::string id, std::string message) {
  Verdict v;
  v.id = std::move(id);
  v.compliant = false;
  AddFinding(&v.findings, "invalid_input", std::move(message), nullptr,
             "Send the post as one JSON object per line with the documented fields");
  return v;
}

}  // namespace seedcast::compliance
