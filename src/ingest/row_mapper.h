// RowMapper: turns one record of an import file into a creator and its accounts, cleaning each
// value (abbreviated numbers, percentages, misspelt niches, country names, profile URLs).
//
// A record can hold several accounts of one creator when the file has a handle column per platform
// ("Instagram name", "TikTok name"): columns naming a platform fill that platform's account;
// unnamed niche, country and language columns fill every account; other unnamed columns fill the
// first. Immutable after configuration; thread-safe for Map().
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ingest/header_map.h"
#include "model/creator.h"
#include "storage/creator_store.h"

namespace seedcast::ingest {

struct MappedRow {
  storage::CreatorFields creator;
  std::vector<model::Account> accounts;
  std::vector<std::string> corrections;  // "niche 'fasion' -> fashion", "country 'Mars' not known"
  // Personal data (email, phone, address) of the row's creator: for the sealed store only.
  std::map<std::string, std::string> personal;
};

class RowMapper {
 public:
  explicit RowMapper(std::string default_platform)
      : default_platform_(std::move(default_platform)) {}

  // `specs[i]` describes `cells[i]`; missing cells are empty. Fails with a message naming the
  // field, the column and the value.
  Result<MappedRow> Map(const std::vector<ColumnSpec>& specs,
                        const std::vector<std::string>& cells) const;

 private:
  std::string default_platform_;
};

// True for fields holding shares or rates, whose scale (fraction or percent) is decided per column.
bool IsShareField(Field field);

}  // namespace seedcast::ingest
