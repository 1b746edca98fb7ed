// Micro-benchmarks of the import and generation hot paths (Google Benchmark).
#include <benchmark/benchmark.h>

#include "demo/population.h"
#include "ingest/header_map.h"
#include "ingest/numbers.h"
#include "ingest/row_mapper.h"

namespace {

void BM_GenerateCreators(benchmark::State& state) {
  seedcast::demo::PopulationGenerator generator({.creators = int64_t{1} << 40, .seed = 1});
  seedcast::model::Creator c;
  for (auto _ : state) {
    generator.Next(&c);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
// A fixed count: the generator makes and scores creators 512 at a time, so single calls vary too
// much for the automatic iteration estimate.
BENCHMARK(BM_GenerateCreators)->Iterations(20'480);

void BM_ParseCount(benchmark::State& state) {
  const char* inputs[] = {"60.3M", "30.8K", "1,234", "16125", "1.234.567"};
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(seedcast::ingest::ParseCount(inputs[i++ % 5]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseCount);

void BM_MapRow(benchmark::State& state) {
  std::vector<std::string> header = {"Name",      "Username", "Platform",        "Followers",
                                     "Following", "Posts",    "Engagement Rate", "Category",
                                     "Country",   "Bio"};
  std::vector<seedcast::ingest::ColumnSpec> specs;
  specs.reserve(header.size());
  for (const std::string& h : header) specs.push_back(seedcast::ingest::GuessColumn(h));
  seedcast::ingest::RowMapper mapper("");
  std::vector<std::string> cells = {
      "Ana Lima 🌸", "ana.lima_3f", "instagram",       "30.8K",  "1,204",
      "937",        "3.21%",       "fashion, beauty", "Brazil", "✨ capsule wardrobe | BR | #ootd"};
  for (auto _ : state) benchmark::DoNotOptimize(mapper.Map(specs, cells));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MapRow);

}  // namespace

BENCHMARK_MAIN();
