// Writes N creator accounts as a CSV shaped like the exports of creator-search tools: display name,
// username, platform, abbreviated follower counts ("30.8K"), grouped numbers ("1,234"), engagement
// rate in percent, category, country name and bio, with emoji and non-Latin names. Deterministic
// per seed.
//
//   make_creator_csv ROWS [SEED] > creators.csv
#include <cstdio>
#include <cstdlib>
#include <string>

#include "demo/population.h"
#include "fmt/format.h"
#include "ingest/creator_export.h"
#include "model/geo.h"

namespace {

std::string Abbreviated(int64_t n, uint64_t salt) {
  if (salt % 3 == 0 && n >= 10'000) {
    return n >= 1'000'000 ? fmt::format("{:.1f}M", static_cast<double>(n) / 1e6)
                          : fmt::format("{:.1f}K", static_cast<double>(n) / 1e3);
  }
  if (salt % 3 == 1 && n >= 1'000) return fmt::format("{},{:03}", n / 1000, n % 1000);
  return std::to_string(n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: make_creator_csv ROWS [SEED]\n");
    return 2;
  }
  const int64_t rows = std::atoll(argv[1]);
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  seedcast::demo::PopulationGenerator generator({.creators = rows, .seed = seed});
  const seedcast::model::Geo& geo = seedcast::model::Geo::Default();
  std::string out =
      "Name,Username,Platform,Followers,Following,Posts,Engagement Rate,Category,"
      "Country,Bio\n";
  int64_t written = 0;
  uint64_t salt = 0;
  seedcast::model::Creator c;
  while (written < rows && generator.Next(&c)) {
    for (const auto& a : c.accounts) {
      if (written >= rows) break;
      ++salt;
      std::string niches;
      for (const std::string& n : a.niches) niches += (niches.empty() ? "" : ", ") + n;
      out += fmt::format("{},{},{},{},{},{},{:.2f}%,{},{},{}\n", seedcast::ingest::CsvField(c.name),
                         a.handle, a.platform,
                         seedcast::ingest::CsvField(Abbreviated(*a.followers, salt)),
                         seedcast::ingest::CsvField(Abbreviated(a.following.value_or(0), salt + 1)),
                         a.posts.value_or(0), a.engagement_rate.value_or(0) * 100,
                         seedcast::ingest::CsvField(niches),
                         seedcast::ingest::CsvField(geo.CountryName(a.country)),
                         seedcast::ingest::CsvField(a.bio));
      ++written;
      if (out.size() > (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
