#include "compliance/deliverables.h"

#include <fmt/format.h>

#include <algorithm>

#include "common/iso_time.h"
#include "common/stemmer.h"

namespace seedcast::compliance {
namespace {

constexpr int64_t kDayMs = 86'400'000;

bool HasToken(const TokenizedText& tokens, TokenKind kind, std::string_view folded) {
  return std::any_of(tokens.tokens.begin(), tokens.tokens.end(),
                     [&](const Token& t) { return t.kind == kind && tokens.Text(t) == folded; });
}

// "https://www.Glow.co/r/anna/" -> "glow.co/r/anna"
std::string NormalizeLink(std::string_view link) {
  std::string s = FoldWord(link);
  for (std::string_view prefix : {"https://", "http://"}) {
    if (s.starts_with(prefix)) s.erase(0, prefix.size());
  }
  if (s.starts_with("www.")) s.erase(0, 4);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string StripSigil(std::string_view s, char sigil) {
  if (!s.empty() && s.front() == sigil) s.remove_prefix(1);
  return FoldWord(s);
}

void CheckFormat(const Requirements& r, const Post& post, std::vector<Finding>* out) {
  if (!r.video && !r.photo) return;
  if (!post.media_given) {
    AddFinding(out, "format_mismatch",
               "the campaign requires specific media, but the post does not list its media",
               nullptr, "Send the post's media types (\"media\": [\"video\", ...])");
    return;
  }
  auto check = [&](const std::optional<CountRange>& range, MediaType type, std::string_view name) {
    if (!range) return;
    const auto n = static_cast<int>(std::count(post.media.begin(), post.media.end(), type));
    if (n >= range->min && (range->max < 0 || n <= range->max)) return;
    const std::string wanted = range->max < 0 ? fmt::format("at least {}", range->min)
                               : range->min == range->max
                                   ? fmt::format("{}", range->min)
                                   : fmt::format("{} to {}", range->min, range->max);
    AddFinding(out, "format_mismatch",
               fmt::format("the post has {} {}(s); the campaign requires {}", n, name, wanted),
               nullptr, fmt::format("Post {} {}(s) as the brief asks", wanted, name));
  };
  check(r.video, MediaType::kVideo, "video");
  check(r.photo, MediaType::kPhoto, "photo");
}

void CheckTags(const Requirements& r, const TokenizedText& tokens, std::vector<Finding>* out) {
  for (const std::string& m : r.mentions) {
    if (HasToken(tokens, TokenKind::kMention, StripSigil(m, '@'))) continue;
    const std::string handle = "@" + StripSigil(m, '@');
    AddFinding(out, "mention_missing", fmt::format("the caption does not tag {}", handle), nullptr,
               fmt::format("Tag {} in the caption", handle));
  }
  for (const std::string& h : r.hashtags) {
    if (HasToken(tokens, TokenKind::kHashtag, StripSigil(h, '#'))) continue;
    const std::string tag = "#" + StripSigil(h, '#');
    AddFinding(out, "hashtag_missing", fmt::format("the caption does not use {}", tag), nullptr,
               fmt::format("Add {} to the caption", tag));
  }
}

void CheckTracking(const Requirements& r, const Post& post, const TokenizedText& tokens,
                   std::vector<Finding>* out) {
  if (r.links.empty() && r.codes.empty()) return;
  for (const std::string& code : r.codes) {
    const std::string folded = FoldWord(code);
    for (const Token& t : tokens.tokens) {
      if (tokens.Text(t) == folded) return;
    }
  }
  if (!r.links.empty()) {
    const std::string caption = FoldWord(post.caption);
    for (const std::string& link : r.links) {
      const std::string wanted = NormalizeLink(link);
      if (caption.find(wanted) != std::string::npos) return;
      for (const std::string& given : post.links) {
        if (NormalizeLink(given).find(wanted) != std::string::npos) return;
      }
    }
  }
  std::vector<std::string> options = r.codes;
  options.insert(options.end(), r.links.begin(), r.links.end());
  AddFinding(out, "tracking_missing",
             fmt::format("neither the tracked link nor the discount code appears ({})",
                         fmt::join(options, ", ")),
             nullptr, fmt::format("Add \"{}\" to the caption", options.front()));
}

void CheckWindow(const Requirements& r, const Post& post, std::vector<Finding>* out) {
  if (!r.post_from_ms && !r.post_until_ms) return;
  if (!post.posted_at_ms) {
    AddFinding(out, "posted_at_missing",
               "the campaign has a posting window, but the post has no posted_at", nullptr,
               "Send the time of posting (\"posted_at\": ISO 8601)");
    return;
  }
  const int64_t at = *post.posted_at_ms;
  if (r.post_from_ms && at < *r.post_from_ms) {
    AddFinding(out, "outside_window",
               fmt::format("posted {}, before the window opens at {}", FormatIsoTime(at),
                           FormatIsoTime(*r.post_from_ms)),
               nullptr, "Repost inside the campaign's posting window");
  } else if (r.post_until_ms && at > *r.post_until_ms) {
    AddFinding(out, "outside_window",
               fmt::format("posted {}, after the window closed at {}", FormatIsoTime(at),
                           FormatIsoTime(*r.post_until_ms)),
               nullptr, "Agree a new date with the brand; the post is late");
  }
}

}  // namespace

void AddFinding(std::vector<Finding>* out, std::string code, std::string message, const Span* span,
                std::string fix, Severity severity) {
  Finding f;
  f.code = std::move(code);
  f.severity = severity;
  f.message = std::move(message);
  if (span != nullptr) f.span = *span;
  f.fix = std::move(fix);
  out->push_back(std::move(f));
}

struct DeliverableChecker::Stemmers {
  text::Stemmers stemmers;
  std::vector<std::string> caption_stems;  // per token; "" for mentions
};

DeliverableChecker::DeliverableChecker() : stemmers_(std::make_unique<Stemmers>()) {}
DeliverableChecker::~DeliverableChecker() = default;

void DeliverableChecker::Check(const Requirements& requirements, const Post& post,
                               std::string_view language, const TokenizedText& tokens,
                               std::vector<Finding>* out) {
  CheckFormat(requirements, post, out);
  CheckTags(requirements, tokens, out);
  CheckTracking(requirements, post, tokens, out);
  CheckWindow(requirements, post, out);
  if (requirements.claims_to_avoid.empty()) return;

  // Claims match on stems in the post's language, so "cures" also finds "cured" and "cure".
  sb_stemmer* stemmer = stemmers_->stemmers.For(language);
  if (stemmer == nullptr) stemmer = stemmers_->stemmers.For("en");
  std::vector<std::string>& stems = stemmers_->caption_stems;
  stems.clear();
  for (const Token& t : tokens.tokens) {
    stems.push_back(t.kind == TokenKind::kMention
                        ? std::string()
                        : stemmers_->stemmers.Stem(stemmer, tokens.Text(t)));
  }
  TokenizedText claim_tokens;
  for (const std::string& claim : requirements.claims_to_avoid) {
    Tokenize(claim, &claim_tokens);
    const size_t n = claim_tokens.tokens.size();
    if (n == 0 || n > tokens.tokens.size()) continue;
    std::vector<std::string> claim_stems;
    claim_stems.reserve(n);
    for (const Token& t : claim_tokens.tokens) {
      claim_stems.push_back(stemmers_->stemmers.Stem(stemmer, claim_tokens.Text(t)));
    }
    for (size_t k = 0; k + n <= tokens.tokens.size(); ++k) {
      if (!std::equal(claim_stems.begin(), claim_stems.end(), stems.begin() + k)) continue;
      const Token& first = tokens.tokens[k];
      const Token& last = tokens.tokens[k + n - 1];
      const Span span{
          .start = first.start,
          .end = last.end,
          .text = post.caption.substr(first.byte_start, last.byte_end - first.byte_start)};
      AddFinding(out, "prohibited_claim",
                 fmt::format("\"{}\" makes a claim the brief forbids (\"{}\")", span.text, claim),
                 &span, fmt::format("Remove \"{}\" from the caption", span.text));
    }
  }
}

void CheckRemoval(const Post& post, int window_days, std::vector<Finding>* out) {
  if (!post.removed_at_ms) return;
  const std::string removed = FormatIsoTime(*post.removed_at_ms);
  if (!post.verified_at_ms) {
    AddFinding(out, "post_removed",
               fmt::format("the post was removed ({}) before it was verified", removed), nullptr,
               "Restore the post, then submit it for verification again");
    return;
  }
  const int64_t after_ms = *post.removed_at_ms - *post.verified_at_ms;
  const int64_t days = after_ms / kDayMs;
  if (after_ms <= int64_t{window_days} * kDayMs) {
    AddFinding(out, "post_removed",
               fmt::format("the post was removed {} day(s) after verification, within the {}-day "
                           "window: its invoice line is dropped",
                           days, window_days),
               nullptr, fmt::format("Restore the post and keep it up for {} days", window_days));
  } else {
    AddFinding(out, "post_removed",
               fmt::format("the post was removed {} day(s) after verification, after the {}-day "
                           "window: its invoice line stands",
                           days, window_days),
               nullptr, "No action needed for billing", Severity::kWarning);
  }
}

}  // namespace seedcast::compliance
