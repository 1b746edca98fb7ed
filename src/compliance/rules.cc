#include "compliance/rules.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compliance/tokenizer.h"

namespace seedcast::compliance {

// Generated at build time from src/compliance/rules/*.toml: file name (without .toml) -> text.
std::vector<std::pair<std::string_view, std::string_view>> BuiltInRuleFiles();

namespace {

constexpr std::string_view kLanguagesFile = "languages";

Result<toml::table> ParseToml(std::string_view text, std::string_view file) {
  try {
    return toml::parse(text, std::string(file));
  } catch (const toml::parse_error& e) {
    return InvalidArgument(
        fmt::format("{}: {} (line {})", file, e.description(), e.source().begin.line));
  }
}

Result<std::vector<std::string>> Strings(const toml::node& node, std::string_view where) {
  const toml::array* array = node.as_array();
  if (array == nullptr)
    return InvalidArgument(fmt::format("{}: expected a list of strings", where));
  std::vector<std::string> out;
  out.reserve(array->size());
  for (const toml::node& item : *array) {
    std::optional<std::string> s = item.value<std::string>();
    if (!s) return InvalidArgument(fmt::format("{}: expected a list of strings", where));
    out.push_back(std::move(*s));
  }
  return out;
}

int InternFamily(Vocabulary* v, std::string_view name) {
  int index = v->FamilyIndex(name);
  if (index >= 0) return index;
  v->families.emplace_back(name);
  return static_cast<int>(v->families.size()) - 1;
}

Status AddTerm(Vocabulary* v, std::string_view written, int family, int language,
               std::string_view where) {
  TokenizedText tokens;
  Tokenize(written, &tokens);
  if (tokens.tokens.empty()) {
    return InvalidArgument(fmt::format("{}: term \"{}\" has no words", where, written));
  }
  Term term;
  term.display = std::string(written);
  term.family = family;
  term.hashtag_only = tokens.tokens.front().kind == TokenKind::kHashtag;
  for (const Token& t : tokens.tokens) term.words.emplace_back(tokens.Text(t));
  term.unspaced = tokens.tokens.size() == 1 && tokens.tokens.front().unspaced && !term.hashtag_only;
  const uint64_t bit = uint64_t{1} << language;
  for (Term& existing : v->terms) {
    if (existing.words == term.words && existing.hashtag_only == term.hashtag_only &&
        existing.family == family) {
      existing.languages |= bit;
      return Status::Ok();
    }
  }
  term.languages = bit;
  v->terms.push_back(std::move(term));
  return Status::Ok();
}

Status AddSentenceRule(Vocabulary* v, const toml::table& table, int family, int language,
                       std::string_view where) {
  const toml::array* groups = table["all_of"].as_array();
  if (groups == nullptr || groups->empty()) {
    return InvalidArgument(fmt::format("{}: a sentence rule needs all_of = [[words], ...]", where));
  }
  SentenceRule rule{.family = family, .language = language, .groups = {}};
  for (const toml::node& group : *groups) {
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> words, Strings(group, where));
    std::vector<std::string> folded;
    folded.reserve(words.size());
    for (const std::string& w : words) folded.push_back(FoldWord(w));
    rule.groups.push_back(std::move(folded));
  }
  if (rule.groups.size() > 8) {
    return InvalidArgument(fmt::format("{}: at most 8 word groups in a sentence rule", where));
  }
  v->sentence_rules.push_back(std::move(rule));
  return Status::Ok();
}

Status AddLanguage(Vocabulary* v, const std::string& code, const toml::table& table) {
  if (v->languages.size() >= 64) return InvalidArgument("languages.toml: at most 64 languages");
  const int language = static_cast<int>(v->languages.size());
  v->languages.push_back(code);
  for (const auto& [key, node] : table) {
    const std::string where = fmt::format("languages.toml [{}] {}", code, key.str());
    if (key.str() == "negations") {
      SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> words, Strings(node, where));
      for (const std::string& w : words) v->negations.insert(FoldWord(w));
      continue;
    }
    const int family = InternFamily(v, key.str());
    if (const toml::table* sentence = node.as_table()) {
      SEEDCAST_RETURN_IF_ERROR(AddSentenceRule(v, *sentence, family, language, where));
      continue;
    }
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> terms, Strings(node, where));
    for (const std::string& t : terms) {
      SEEDCAST_RETURN_IF_ERROR(AddTerm(v, t, family, language, where));
    }
  }
  return Status::Ok();
}

void IndexVocabulary(Vocabulary* v) {
  for (uint32_t k = 0; k < v->terms.size(); ++k) {
    const Term& t = v->terms[k];
    if (t.unspaced) {
      v->unspaced_terms.push_back(k);
    } else {
      v->terms_by_first_word[t.words.front()].push_back(k);
    }
  }
  for (uint32_t r = 0; r < v->sentence_rules.size(); ++r) {
    const auto& groups = v->sentence_rules[r].groups;
    for (uint32_t g = 0; g < groups.size(); ++g) {
      for (const std::string& w : groups[g]) v->sentence_words[w].push_back(r << 8 | g);
    }
  }
  v->unclear_family = v->FamilyIndex("unclear");
}

Result<Jurisdiction> ParseJurisdiction(const Vocabulary& v, std::string_view file,
                                       std::string_view text) {
  SEEDCAST_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, file));
  Jurisdiction j;
  std::string_view stem = file.substr(0, file.rfind(".toml"));
  j.code = root["jurisdiction"].value_or(std::string(stem));
  j.name = root["name"].value_or(j.code);
  j.buried_run = root["buried_run"].value_or(3);
  if (j.buried_run < 2)
    return InvalidArgument(fmt::format("{}: buried_run must be at least 2", file));
  if (const toml::table* visible = root["visible_chars"].as_table()) {
    for (const auto& [platform, node] : *visible) {
      std::optional<int64_t> chars = node.value<int64_t>();
      if (!chars || *chars < 1) {
        return InvalidArgument(
            fmt::format("{}: visible_chars.{} must be a positive integer", file, platform.str()));
      }
      j.visible_chars[std::string(platform.str())] = static_cast<int>(*chars);
    }
  }
  if (!j.visible_chars.contains("default")) j.visible_chars["default"] = 100;
  const toml::table* clear = root["clear"].as_table();
  if (clear == nullptr) {
    return InvalidArgument(
        fmt::format("{}: needs a [clear] table (relationship = [families])", file));
  }
  for (const auto& [relationship, node] : *clear) {
    const std::string where = fmt::format("{}: clear.{}", file, relationship.str());
    if (relationship.str() == "none") {
      return InvalidArgument(where + ": relationship \"none\" never needs a disclosure");
    }
    SEEDCAST_ASSIGN_OR_RETURN(std::vector<std::string> names, Strings(node, where));
    std::vector<int> families;
    for (const std::string& name : names) {
      const int family = v.FamilyIndex(name);
      if (family < 0 || family == v.unclear_family) {
        return InvalidArgument(
            fmt::format("{}: \"{}\" is not a disclosure family of languages.toml", where, name));
      }
      families.push_back(family);
    }
    if (families.empty()) return InvalidArgument(where + ": needs at least one family");
    j.clear[std::string(relationship.str())] = std::move(families);
  }
  for (std::string_view needed : {"paid", "gifted_required", "gifted_unsolicited", "affiliate"}) {
    if (!j.clear.contains(needed)) {
      return InvalidArgument(fmt::format("{}: [clear] has no entry for \"{}\"", file, needed));
    }
  }
  return j;
}

}  // namespace

int Vocabulary::LanguageIndex(std::string_view code) const {
  for (size_t k = 0; k < languages.size(); ++k) {
    if (languages[k] == code) return static_cast<int>(k);
  }
  return -1;
}

int Vocabulary::FamilyIndex(std::string_view name) const {
  for (size_t k = 0; k < families.size(); ++k) {
    if (families[k] == name) return static_cast<int>(k);
  }
  return -1;
}

int Jurisdiction::VisibleChars(std::string_view platform) const {
  auto it = visible_chars.find(platform);
  return it != visible_chars.end() ? it->second : visible_chars.at("default");
}

Result<const Jurisdiction*> RuleBook::Find(std::string_view code) const {
  auto it = jurisdictions.find(code);
  if (it != jurisdictions.end()) return &it->second;
  std::string known;
  for (const auto& [name, j] : jurisdictions) known += (known.empty() ? "" : ", ") + name;
  return InvalidArgument(
      fmt::format("unknown jurisdiction \"{}\" (rules exist for: {})", code, known));
}

Result<RuleBook> ParseRules(std::string_view languages,
                            const std::map<std::string, std::string>& jurisdictions) {
  RuleBook book;
  SEEDCAST_ASSIGN_OR_RETURN(toml::table root, ParseToml(languages, "languages.toml"));
  for (const auto& [code, node] : root) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      return InvalidArgument(
          fmt::format("languages.toml: \"{}\" must be a [language] table", code.str()));
    }
    SEEDCAST_RETURN_IF_ERROR(AddLanguage(&book.vocabulary, std::string(code.str()), *table));
  }
  if (book.vocabulary.LanguageIndex("en") < 0) {
    return InvalidArgument("languages.toml: needs an [en] table");
  }
  IndexVocabulary(&book.vocabulary);
  for (const auto& [file, text] : jurisdictions) {
    SEEDCAST_ASSIGN_OR_RETURN(Jurisdiction j, ParseJurisdiction(book.vocabulary, file, text));
    std::string code = j.code;
    book.jurisdictions.emplace(std::move(code), std::move(j));
  }
  if (book.jurisdictions.empty()) return InvalidArgument("no jurisdiction rule files");
  return book;
}

Result<RuleBook> BuiltInRules() {
  std::string_view languages;
  std::map<std::string, std::string> jurisdictions;
  for (const auto& [name, text] : BuiltInRuleFiles()) {
    if (name == kLanguagesFile) {
      languages = text;
    } else {
      jurisdictions.emplace(std::string(name) + ".toml", std::string(text));
    }
  }
  return ParseRules(languages, jurisdictions);
}

Result<RuleBook> LoadRules(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound(fmt::format("rules directory {} not found", dir));
  std::string languages;
  std::map<std::string, std::string> jurisdictions;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return IoError(fmt::format("cannot read {}", entry.path().string()));
    const std::string stem = entry.path().stem().string();
    if (stem == kLanguagesFile) {
      languages = text.str();
    } else {
      jurisdictions.emplace(stem + ".toml", text.str());
    }
  }
  if (ec) return IoError(fmt::format("cannot list {}: {}", dir, ec.message()));
  if (languages.empty()) return NotFound(fmt::format("{} has no languages.toml", dir));
  return ParseRules(languages, jurisdictions);
}

}  // namespace seedcast::compliance
