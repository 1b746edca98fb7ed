#!/usr/bin/env bash
# Discovery engine: latency, build time and memory at 1M and 10M accounts, against DuckDB and
# SQLite (with indexes) running the same filtered queries on the same data in the same run.
#
#   bench/search_bench.sh [ACCOUNTS ...]      (default: 1000000 10000000)
#
# For each size: `seedcast demo` makes the population (1.59 accounts per creator), build/bench/
# search_bench loads the index and runs 300 filtered, 300 text and 300 lookalike queries, then
# the SQLite peer runs the first SEEDCAST_BENCH_SQLITE_QUERIES filtered queries (default 3: each
# takes minutes at 1M) and DuckDB (@duckdb/node-api, bench/duckdb) all of them. Both peers' answers are checked against the engine's: totals, the page of 50,
# facets. The SQLite peer and its CSV export are reused when a run already made them from the same
# population (SEEDCAST_BENCH_DIR kept). Figures are medians and percentiles; results and the machine go to
# bench/results/search.md. Above 2M accounts the SQLite peer runs no queries (each takes tens of
# minutes there), and the lookalike graph (10-20 minutes and about 8 GB at 10M) is built only with
# SEEDCAST_BENCH_GRAPH=1.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000)
scripts/setup.sh build Release
if ! command -v npm >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y nodejs npm >&2
fi
# `npm install` from the lock file: npm 11's `npm ci` also demands lock entries for the other
# platforms' optional DuckDB bindings, which a registry mirror may not carry.
(cd bench/duckdb && npm install --no-audit --no-fund --silent)
work=${SEEDCAST_BENCH_DIR:-$(mktemp -d)}
sqlite_queries=${SEEDCAST_BENCH_SQLITE_QUERIES:-3}
mkdir -p "$work"

rows=()
for n in "${sizes[@]}"; do
  dir="$work/$n"
  mkdir -p "$dir"
  creators=$(( n * 1000 / 1594 ))
  if [ ! -f "$dir/pop.db" ]; then
    echo "bench: generating ~$n accounts" >&2
    build/seedcast --db "sqlite:$dir/pop.db" demo --creators "$creators" --no-summary >&2
  fi
  graph=""
  sqlite_n=$sqlite_queries
  if [ "$n" -gt 2000000 ]; then
    sqlite_n=0
    [ "${SEEDCAST_BENCH_GRAPH:-0}" = 1 ] || graph=nograph
  fi
  build/bench/search_bench "sqlite:$dir/pop.db" "$dir" 300 "$sqlite_n" $graph
  for t in peer_accounts peer_niches peer_audience; do
    if [ ! -s "$dir/$t.csv" ] || [ "$dir/peer.db" -nt "$dir/$t.csv" ]; then
      sqlite3 -csv "$dir/peer.db" "SELECT * FROM $t" >"$dir/$t.csv"
    fi
  done
  node bench/duckdb/peer.mjs "$dir"
  rows+=("$n")
done

source bench/machine.sh
mkdir -p bench/results
python3 - "$work" "$(machine)" "${rows[@]}" >bench/results/search.md <<'PY'
import json, sys
work, machine = sys.argv[1:3]
print("# Search: the discovery engine against DuckDB and SQLite\n")
print(f"{machine} Command: `bench/search_bench.sh`.\n")
print("| accounts | build s (median of 3) | columns B/acct | text B/acct | filtered p50 / p99 ms | DuckDB p50 ms | ratio | SQLite p50 ms | text p50 ms | lookalike p50 ms | recall@50 (with ties) | agreement DuckDB / SQLite |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
def ms(v):
    return "—" if v is None else f"{v:.2f}"
for n in sys.argv[3:]:
    e = json.load(open(f"{work}/{n}/engine.json"))
    d = json.load(open(f"{work}/{n}/duckdb.json"))
    b = e["bytes_per_account"]
    look = e.get("lookalike", {}).get("p50_ms")
    rec = e.get("lookalike_recall_at_50")
    tied = e.get("lookalike_recall_at_50_with_ties")
    runs = ", ".join(f"{x:.1f}" for x in e.get("build_seconds_runs", []))
    ratio = d["filtered"]["p50_ms"] / e["filtered"]["p50_ms"]
    sq = e["sqlite_agreement"]
    sqlite_p50 = f"{e['sqlite_filtered']['p50_ms']:.0f}" if sq["queries"] else "skipped"
    sqlite_agree = f"{sq['agree']}/{sq['queries']}" if sq["queries"] else "skipped"
    print(f"| {e['accounts']:,} | {e['build_seconds']:.1f} ({runs}) | {b['columns']:.0f} | {b['text']:.0f} | "
          f"{e['filtered']['p50_ms']:.2f} / {e['filtered']['p99_ms']:.2f} | {d['filtered']['p50_ms']:.1f} | "
          f"{ratio:.0f}x | {sqlite_p50} | {e['text']['p50_ms']:.2f} | {ms(look)} | "
          f"{'—' if rec is None else f'{rec:.3f} ({tied:.3f})'} | "
          f"{d['agreement']['agree']}/{d['agreement']['queries']} / {sqlite_agree} |")
print("\nRecall@50 counts the graph's neighbours that are among the exact 50; in brackets, also "
      "those as similar as the exact 50th, within 1e-6 (ties the exact list broke by account id).")
print("\nLatencies are the engine's own timing of each query (parse excluded), the median of three "
      "runs of it; the peers' are wall time per query of the count, the page and the four facet "
      "statements, run one after another.")
PY
cat bench/results/search.md
