// Column profiles: what the values of each column of an import file look like (handles, display
// names, counts, rates), from a sample of its records, and the reconciliation of the
// header's guess with them. Where a header and its values disagree, the values decide: a column
// headed "Instagram name" that holds "Karol G" and "كريستيانو" is a name column, a column headed
// "Engagement avg" that holds "1.2M" holds engagements per post, not a rate. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <vector>

#include "ingest/header_map.h"
#include "ingest/table_reader.h"

namespace seedcast::ingest {

struct ColumnProfile {
  int values = 0;         // non-empty cells that are not a missing-value marker
  int handle_shaped = 0;  // one token of handle characters (ASCII letters, digits, . _ -)
  int lowercase = 0;      // handle-shaped and written without capitals
  int counts = 0;         // read as a count ("1.2M", "12,300", "2.28E+11")
  int suffixed = 0;       // counts written with a K, M or B suffix
  int percent_signs = 0;
  int distinct = 0;  // distinct values among the first ones seen
  double max_number = 0;

  double Share(int n) const { return values == 0 ? 0 : static_cast<double>(n) / values; }
};

// Profiles `columns` columns over the sample's records.
std::vector<ColumnProfile> ProfileColumns(const std::vector<Record>& sample, size_t columns);

// Corrects the header's guesses where the values disagree, and names every correction in a note
// for the import's summary. `default_platform` is the --platform given, or empty. Columns named by
// --map (`mapped[i]`) are never changed.
std::vector<std::string> ReconcileColumns(const std::vector<Record>& sample,
                                          const std::string& default_platform,
                                          const std::vector<bool>& mapped,
                                          std::vector<ColumnSpec>* specs);

// True for words exports put in a country column to mean "every country": "All", "Worldwide",
// "Global".
bool IsCountryFilter(std::string_view value);

}  // namespace seedcast::ingest
