#include "model/geo.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <array>

#include "common/text.h"

namespace seedcast::model {
namespace {

// Languages whose own names for countries and languages are also accepted.
constexpr std::array<const char*, 9> kNameLanguages = {"en", "es", "de", "fr", "it",
                                                       "pt", "nl", "pl", "tr"};

std::string ToUtf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace

const Geo& Geo::Default() {
  static const Geo kGeo;
  return kGeo;
}

Geo::Geo() {
  for (const char* const* cc = icu::Locale::getISOCountries(); *cc != nullptr; ++cc) {
    std::string code(*cc);
    countries_[text::NormalizeLabel(code)] = code;
    icu::Locale region("", *cc);
    icu::UnicodeString name;
    country_names_[code] = ToUtf8(region.getDisplayCountry(icu::Locale::getEnglish(), name));
    for (const char* lang : kNameLanguages) {
      name.remove();
      region.getDisplayCountry(icu::Locale(lang), name);
      std::string key = text::NormalizeLabel(ToUtf8(name));
      if (!key.empty() && key != text::NormalizeLabel(code)) countries_.emplace(key, code);
    }
  }
  for (const char* const* lc = icu::Locale::getISOLanguages(); *lc != nullptr; ++lc) {
    std::string code(*lc);
    if (code.size() != 2) continue;
    languages_[code] = code;
    icu::Locale language(*lc);
    icu::UnicodeString name;
    for (const char* in : kNameLanguages) {
      name.remove();
      language.getDisplayLanguage(icu::Locale(in), name);
      std::string key = text::NormalizeLabel(ToUtf8(name));
      if (!key.empty()) languages_.emplace(key, code);
    }
    name.remove();
    language.getDisplayLanguage(language, name);  // the language's own name: "español"
    std::string key = text::NormalizeLabel(ToUtf8(name));
    if (!key.empty()) languages_.emplace(key, code);
  }
  // Common names that are not ICU display names.
  for (const auto& [alias, code] : std::array<std::pair<const char*, const char*>, 19>{{
           {"usa", "US"},
           {"u s a", "US"},
           {"u s", "US"},
           {"united states of america", "US"},
           {"america", "US"},
           {"uk", "GB"},
           {"u k", "GB"},
           {"england", "GB"},
           {"scotland", "GB"},
           {"wales", "GB"},
           {"great britain", "GB"},
           {"uae", "AE"},
           {"hong kong", "HK"},
           {"macau", "MO"},
           {"czech republic", "CZ"},
           {"holland", "NL"},
           {"russia", "RU"},
           {"korea", "KR"},
           {"turkey", "TR"},
       }}) {
    countries_[alias] = code;
  }
}

std::optional<std::string> Geo::CountryCode(std::string_view name) const {
  std::string key = text::NormalizeLabel(name);
  if (auto it = countries_.find(key); it != countries_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> Geo::LanguageCode(std::string_view name) const {
  std::string key = text::NormalizeLabel(name);
  // "pt-BR", "en_US": the language part.
  if (key.size() > 3 && key[2] == ' ') key.resize(2);
  if (auto it = languages_.find(key); it != languages_.end()) return it->second;
  return std::nullopt;
}

std::string Geo::CountryName(std::string_view code) const {
  auto it = country_names_.find(std::string(code));
  return it == country_names_.end() ? std::string(code) : it->second;
}

}  // namespace seedcast::model
