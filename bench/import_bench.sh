#!/usr/bin/env bash
# Import and generation throughput, with a real peer on the same data in the same run.
#
#   bench/import_bench.sh [ROWS] [RUNS]      (defaults: 1000000 rows, 3 runs each)
#
# Builds Release, writes a ROWS-row creator CSV shaped like a search tool's export, then times:
#   - seedcast import creators into a fresh SQLite database (upsert by platform and handle);
#   - the sqlite3 shell's .import of the same file into a bare table, and into a table with a unique
#     (platform, username) index: the peer;
#   - seedcast import creators into PostgreSQL, and psql's \copy into a table with a unique key (the
#     peer), on a server the script starts in a temporary directory;
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

# PostgreSQL: a server of Debian's postgresql in a temporary directory, on a Unix socket only, with
# its default durability; the peer is psql's \copy into a table with the same unique key.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pgdir=$(mktemp -d /tmp/seedcast-bench-pg-XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" != 0 ] || chown postgres "$pgdir"
as_pg "$pg_bin/initdb" -D "$pgdir/data" -A trust -U seedcast -E UTF8 --no-locale >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
  -o "-k $pgdir -c listen_addresses=''" start >/dev/null
trap 'as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$work" "$pgdir"' EXIT
psql_() { "$pg_bin/psql" -X -q -h "$pgdir" -U seedcast "$@"; }
pg_times=()
pg_peer_times=()
for i in $(seq "$runs"); do
  echo "bench: PostgreSQL run $i of $runs" >&2
  psql_ -d postgres -c "DROP DATABASE IF EXISTS bench_s" -c "CREATE DATABASE bench_s" \
    -c "DROP DATABASE IF EXISTS bench_p" -c "CREATE DATABASE bench_p"
  pg_times+=("$(seconds build/seedcast --db "postgresql:///bench_s?host=$pgdir&user=seedcast" import creators "$work/creators.csv")")
  psql_ -d bench_p -c "CREATE TABLE raw(name text, username text, platform text, followers text, following text, posts text, er text, category text, country text, bio text, UNIQUE (platform, username))"
  pg_peer_times+=("$(seconds psql_ -d bench_p -c "\\copy raw FROM '$work/creators.csv' WITH (FORMAT csv, HEADER true)")")
done
pg_stored=$(psql_ -d bench_s -At -c "SELECT COUNT(*) FROM accounts")
pg_peer_stored=$(psql_ -d bench_p -At -c "SELECT COUNT(*) FROM raw")
pg_med=$(printf '%s\n' "${pg_times[@]}" | median)
pg_peer_med=$(printf '%s\n' "${pg_peer_times[@]}" | median)

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
  echo "| seedcast import creators (parse, clean, upsert set-wise into creators + accounts) | $(printf '%.2f' "$s_med") | $(rate "$s_med") | 1.00 |"
  echo "| sqlite3 .import, bare table (peer) | $(printf '%.2f' "$b_med") | $(rate "$b_med") | $(echo "$s_med / $b_med" | bc -l | xargs printf '%.2f')x faster |"
  echo "| sqlite3 .import, unique (platform, username) index (peer) | $(printf '%.2f' "$u_med") | $(rate "$u_med") | $(echo "$s_med / $u_med" | bc -l | xargs printf '%.2f')x faster |"
  echo
  echo "Stored: seedcast $stored accounts, peer $peer_stored rows. Target: 200,000 rows/s on one core, and"
  echo "at least the peer with the unique index (ratio >= 1.00)."
  echo
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (a server in a temporary directory, Unix socket, default durability):"
  echo
  echo "| what | seconds | rows/s | vs seedcast |"
  echo "|---|---|---|---|"
  echo "| seedcast import creators | $(printf '%.2f' "$pg_med") | $(rate "$pg_med") | 1.00 |"
  echo "| psql \\copy into a table with a unique (platform, username) key (peer) | $(printf '%.2f' "$pg_peer_med") | $(rate "$pg_peer_med") | $(echo "$pg_med / $pg_peer_med" | bc -l | xargs printf '%.2f')x faster |"
  echo
  echo "Stored: seedcast $pg_stored accounts, peer $pg_peer_stored rows."
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
