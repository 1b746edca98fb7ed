// Geo: turns the country and language names found in creator files ("United States", "USA",
// "Deutschland", "es", "Español") into ISO 3166-1 alpha-2 and ISO 639-1 codes, using ICU's locale
// data.
//
// Building the tables takes a few milliseconds; Default() builds them once. Immutable after
// construction; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace seedcast::model {

class Geo {
 public:
  static const Geo& Default();

  // "US", "usa", "United States", "États-Unis" -> "US". nullopt when unknown.
  std::optional<std::string> CountryCode(std::string_view name) const;
  // "en", "English", "Deutsch", "pt-BR" -> "en", "de", "pt". nullopt when unknown.
  std::optional<std::string> LanguageCode(std::string_view name) const;
  // The English name of a country code, e.g. "US" -> "United States".
  std::string CountryName(std::string_view code) const;

 private:
  Geo();
  std::unordered_map<std::string, std::string> countries_;  // normalised name -> code
  std::unordered_map<std::string, std::string> languages_;
  std::unordered_map<std::string, std::string> country_names_;  // code -> English name
};

}  // namespace seedcast::model
