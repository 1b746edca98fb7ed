#include "compliance/matcher.h"

#include <algorithm>
#include <array>

namespace seedcast::compliance {
namespace {

// How many words before a term a negation reaches ("this isn't an ad": isn, t, an).
constexpr size_t kNegationReach = 3;

bool Negated(const Vocabulary& v, const TokenizedText& text, size_t k) {
  const Token& t = text.tokens[k];
  for (size_t back = 1; back <= kNegationReach && back <= k; ++back) {
    const Token& prev = text.tokens[k - back];
    if (prev.sentence != t.sentence) break;
    if (prev.kind == TokenKind::kWord && v.negations.contains(text.Text(prev))) return true;
  }
  return false;
}

Match MakeMatch(int family, uint64_t languages, const Token& first, const Token& last) {
  Match m;
  m.family = family;
  m.languages = languages;
  m.start = first.start;
  m.end = last.end;
  m.byte_start = first.byte_start;
  m.byte_end = last.byte_end;
  return m;
}

void MatchTerms(const Vocabulary& v, const TokenizedText& text, int buried_run,
                std::vector<Match>* out) {
  const std::vector<Token>& tokens = text.tokens;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.kind == TokenKind::kMention) continue;
    const std::string_view word = text.Text(t);
    const bool hashtag = t.kind == TokenKind::kHashtag;
    const bool buried = hashtag && t.run_len >= buried_run && t.run_pos > 0;
    if (t.unspaced && !hashtag) {
      for (uint32_t id : v.unspaced_terms) {
        const Term& term = v.terms[id];
        if (word.find(term.words.front()) == std::string_view::npos) continue;
        Match m = MakeMatch(term.family, term.languages, t, t);
        m.term = &term;
        m.negated = Negated(v, text, k);
        out->push_back(m);
      }
    }
    auto it = v.terms_by_first_word.find(word);
    if (it == v.terms_by_first_word.end()) continue;
    for (uint32_t id : it->second) {
      const Term& term = v.terms[id];
      if (term.hashtag_only && !hashtag) continue;
      if (k + term.words.size() > tokens.size()) continue;
      bool whole = true;
      for (size_t w = 1; w < term.words.size() && whole; ++w) {
        const Token& next = tokens[k + w];
        whole = next.kind == TokenKind::kWord && text.Text(next) == term.words[w];
      }
      if (!whole) continue;
      Match m = MakeMatch(term.family, term.languages, t, tokens[k + term.words.size() - 1]);
      m.term = &term;
      m.hashtag = hashtag;
      m.buried = buried;
      m.negated = !hashtag && Negated(v, text, k);
      out->push_back(m);
    }
  }
}

// Sentence rules: a sentence holding a word of every group of a rule.
void MatchSentences(const Vocabulary& v, const TokenizedText& text, std::vector<Match>* out,
                    std::vector<SentenceState>* buffer) {
  const size_t rules = v.sentence_rules.size();
  if (rules == 0) return;
  std::vector<SentenceState>& state = *buffer;
  state.assign(rules, SentenceState{});
  uint32_t sentence = UINT32_MAX;
  const std::vector<Token>& tokens = text.tokens;
  for (uint32_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    if (t.sentence != sentence) {
      std::fill(state.begin(), state.end(), SentenceState{});
      sentence = t.sentence;
    }
    if (t.kind == TokenKind::kMention) continue;
    auto it = v.sentence_words.find(text.Text(t));
    if (it == v.sentence_words.end()) continue;
    for (uint32_t packed : it->second) {
      const uint32_t r = packed >> 8;
      const uint32_t g = packed & 0xFF;
      SentenceState& s = state[r];
      if (s.emitted) continue;
      if (s.groups == 0) s.first = k;
      s.groups |= 1U << g;
      s.last = k;
      const SentenceRule& rule = v.sentence_rules[r];
      if (s.groups == (1U << rule.groups.size()) - 1) {
        s.emitted = true;
        out->push_back(
            MakeMatch(rule.family, uint64_t{1} << rule.language, tokens[s.first], tokens[s.last]));
      }
    }
  }
}

}  // namespace

void FindMatches(const Vocabulary& vocabulary, const TokenizedText& text, int buried_run,
                 std::vector<Match>* out, std::vector<SentenceState>* sentences) {
  out->clear();
  MatchTerms(vocabulary, text, buried_run, out);
  MatchSentences(vocabulary, text, out, sentences);
}

}  // namespace seedcast::compliance
