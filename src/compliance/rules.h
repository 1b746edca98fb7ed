// Disclosure rules as data: the vocabulary of each language (rules/languages.toml) and, per
// jurisdiction (rules/us.toml, rules/uk.toml), which vocabulary families make a disclosure clear
// for which relationship, where a caption's visible part ends, and when a hashtag is buried.
//
// The files in src/compliance/rules are compiled into the binary; a rules directory given at run
// time replaces them, so a jurisdiction is added or tuned by writing a file, not code. A RuleBook
// is immutable once loaded and safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "common/text.h"

namespace seedcast::compliance {

// A term of a family: one or more folded words. `hashtag_only` when written with a leading "#".
struct Term {
  std::vector<std::string> words;
  std::string display;  // as written in the rule file
  int family = 0;
  uint64_t languages = 0;  // bit per Vocabulary::languages index
  bool hashtag_only = false;
  bool unspaced = false;  // one word in an unspaced script: matched inside unspaced runs
};

// A sentence rule: a sentence must hold a word of every group.
struct SentenceRule {
  int family = 0;
  int language = 0;
  std::vector<std::vector<std::string>> groups;  // folded words
};

using WordMap =
    std::unordered_map<std::string, std::vector<uint32_t>, text::StringHash, std::equal_to<>>;

// Every language's terms, compiled for matching.
struct Vocabulary {
  std::vector<std::string> languages;  // ISO 639-1, in file order
  std::vector<std::string> families;   // family names; "unclear" is one of them
  int unclear_family = -1;
  std::vector<Term> terms;
  WordMap terms_by_first_word;           // -> indexes into terms (not unspaced ones)
  std::vector<uint32_t> unspaced_terms;  // indexes into terms
  std::vector<SentenceRule> sentence_rules;
  // word -> (rule index << 8 | group index) for every rule group holding the word
  WordMap sentence_words;
  std::unordered_set<std::string, text::StringHash, std::equal_to<>> negations;

  int LanguageIndex(std::string_view code) const;  // -1 when absent
  int FamilyIndex(std::string_view name) const;    // -1 when absent
};

struct Jurisdiction {
  std::string code;  // "us"
  std::string name;
  int buried_run = 3;
  std::map<std::string, int, std::less<>> visible_chars;  // platform -> code points; "default"
  // relationship -> families (Vocabulary::families indexes) that make a disclosure clear
  std::map<std::string, std::vector<int>, std::less<>> clear;

  int VisibleChars(std::string_view platform) const;
};

struct RuleBook {
  Vocabulary vocabulary;
  std::map<std::string, Jurisdiction, std::less<>> jurisdictions;

  Result<const Jurisdiction*> Find(std::string_view code) const;
};

// The rule files compiled into the binary.
Result<RuleBook> BuiltInRules();

// languages.toml and one <code>.toml per jurisdiction from `dir`.
Result<RuleBook> LoadRules(const std::string& dir);

// From file texts: `languages` is languages.toml, `jurisdictions` maps a file name to its text.
Result<RuleBook> ParseRules(std::string_view languages,
                            const std::map<std::string, std::string>& jurisdictions);

}  // namespace seedcast::compliance
