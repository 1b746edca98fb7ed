#!/usr/bin/env bash
# Import and generation throughput, with a real peer on the same data in the same run.
#
#   bench/import_bench.sh [ROWS] [RUNS]      (defaults: 1000000 rows, 3 runs each)
#
# Builds Release, writes a ROWS-row creator CSV shaped like a search tool's export, then times:
#   - seedcast import creators into a fresh SQLite database (upsert by platform and handle);
#   - the sqlite3 shell's .import of the same file into a bare table, and into a table with a unique
#     (platform, username) index: the peer;
#   - seedcast demo (generation + storage) and the in-memory generator (Google Benchmark).
# Figures are medians; the results and the machine go to bench/results/import.md.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${2:-3}
scripts/setup.sh build Release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

echo "bench: writing $rows rows" >&2
build/bench/make_creator_csv "$rows" 1 >"$work/creators.csv"
size_mb=$(du -m "$work/creators.csv" | cut -f1)

seedcast_times=()
bare_times=()
unique_times=()
for i in $(seq "$runs"); do
  echo "bench: run $i of $runs" >&2
  rm -f "$work"/s.db*
  seedcast_times+=("$(seconds build/seedcast --db "sqlite:$work/s.db" import creators "$work/creators.csv")")
  rm -f "$work"/p.db*
  bare_times+=("$(seconds sqlite3 "$work/p.db" -cmd "PRAGMA journal_mode=WAL" ".mode csv" ".import $work/creators.csv raw")")
  rm -f "$work"/q.db*
  unique_times+=("$(seconds sqlite3 "$work/q.db" -cmd "PRAGMA journal_mode=WAL" \
    "CREATE TABLE raw(name, username, platform, followers, following, posts, er, category, country, bio)" \
    "CREATE UNIQUE INDEX raw_key ON raw(platform, username)" ".mode csv" ".import --skip 1 $work/creators.csv raw")")
done
stored=$(sqlite3 "$work/s.db" "SELECT COUNT(*) FROM accounts")
peer_stored=$(sqlite3 "$work/q.db" "SELECT COUNT(*) FROM raw")
s_med=$(printf '%s\n' "${seedcast_times[@]}" | median)
b_med=$(printf '%s\n' "${bare_times[@]}" | median)
u_med=$(printf '%s\n' "${unique_times[@]}" | median)
rate() { echo "$rows / $1" | bc -l | xargs printf '%.0f'; }

demo_creators=200000
demo_times=()
for i in $(seq "$runs"); do
  rm -f "$work"/d.db*
  demo_times+=("$(seconds build/seedcast --db "sqlite:$work/d.db" demo --creators $demo_creators --no-summary)")
done
d_med=$(printf '%s\n' "${demo_times[@]}" | median)
micro=$(build/bench/micro_bench --benchmark_repetitions="$runs" --benchmark_report_aggregates_only=true \
  --benchmark_filter='BM_GenerateCreators|BM_MapRow|BM_ParseCount' 2>/dev/null | grep -E '_median' || true)

mkdir -p bench/results
{
  echo "# Import and generation throughput"
  echo
  echo "Measured $(date -u +%Y-%m-%d) by \`bench/import_bench.sh $rows $runs\`; medians of $runs runs."
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
       "$(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), SQLite $(sqlite3 --version | cut -d' ' -f1)."
  echo
  echo "Input: $rows creator accounts, ${size_mb} MB of CSV (bench/make_creator_csv.cc)."
  echo
  echo "| what | seconds | rows/s | vs seedcast |"
  echo "|---|---|---|---|"
  echo "| seedcast import creators (parse, clean, upsert into creators + accounts) | $(printf '%.2f' "$s_med") | $(rate "$s_med") | 1.00 |"
  echo "| sqlite3 .import, bare table (peer) | $(printf '%.2f' "$b_med") | $(rate "$b_med") | $(echo "$s_med / $b_med" | bc -l | xargs printf '%.2f')x faster |"
  echo "| sqlite3 .import, unique (platform, username) index (peer) | $(printf '%.2f' "$u_med") | $(rate "$u_med") | $(echo "$s_med / $u_med" | bc -l | xargs printf '%.2f')x faster |"
  echo
  echo "Stored: seedcast $stored accounts, peer $peer_stored rows. Target: 200,000 rows/s on one core."
  echo
  echo "Generation: \`seedcast demo --creators $demo_creators --no-summary\` (generate and store) took" \
       "$(printf '%.2f' "$d_med") s, $(echo "$demo_creators / $d_med" | bc -l | xargs printf '%.0f') creators/s."
  echo
  echo "Micro-benchmarks (Google Benchmark, medians):"
  echo
  echo '```'
  echo "$micro"
  echo '```'
} >bench/results/import.md
cat bench/results/import.md
