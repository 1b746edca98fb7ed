#!/usr/bin/env bash
# HTTP API benchmark, with its peer in the same run on the same cores:
#  1. A GET of one creator (with its ETag), by wrk, against `seedcast serve`; the peer is nginx
#     serving a static file of the same bytes. Target: at least 30,000 requests/s and 0.5x nginx.
#  2. POST /v1/search at a fixed 1,000 requests/s over a population of about 1M accounts, by an
#     open-loop load generator (bench/http/fixed_rate.py: latency from each request's scheduled
#     time). Target: p99 <= 10 ms.
#  3. The server's resident memory once its index is loaded, at each size given; at the first size
#     also once the lookalike graph is built (the loads start only then, so the build does not
#     share their cores). Larger sizes run with --no-lookalike-graph (the graph takes 10-20 minutes
#     and about 8 GB at 10M).
# Everything listens on 127.0.0.1; each load is bounded in time.
#
#   bench/http_bench.sh [ACCOUNTS ...]   (default: 1000000; sizes above the first only report memory)
# SEEDCAST_BENCH_DIR keeps the populations between runs (they take minutes to make).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000)
scripts/setup.sh build Release seedcast
for p in wrk nginx-light; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -qq --no-install-recommends "$p" >&2; }
done
work=${SEEDCAST_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
seconds=${SEEDCAST_BENCH_SECONDS:-15}
results=$work/http_results.jsonl
: >"$results"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_ready() {  # URL
  for _ in $(seq 1 1200); do
    curl -sf "$1/readyz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}
# wrk's requests/s from its output.
wrk_rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }

first=1
for n in "${sizes[@]}"; do
  dir="$work/$n"
  mkdir -p "$dir"
  if [ ! -f "$dir/pop.db" ]; then
    echo "bench: generating ~$n accounts" >&2
    build/seedcast --db "sqlite:$dir/pop.db" demo --creators $(( n * 1000 / 1594 )) --no-summary \
      --campaigns 0 >&2
  fi
  db="sqlite:$dir/pop.db"
  key=$(build/seedcast --db "$db" keys create --name bench 2>/dev/null)
  port=$(free_port)
  graph_flag=""; [ "$first" = 1 ] || graph_flag=--no-lookalike-graph
  build/seedcast --db "$db" serve --listen "127.0.0.1:$port" --threads 2 --no-access-log $graph_flag \
    >"$dir/serve.out" 2>"$dir/serve.err" &
  pid=$!
  start=$(date +%s.%N)
  wait_ready "http://127.0.0.1:$port" || { echo "the server did not become ready" >&2; kill "$pid"; exit 1; }
  ready_s=$(python3 -c "import time; print(round(time.time() - $start, 1))")
  rss_mb=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  accounts=$(curl -s "http://127.0.0.1:$port/metrics" | sed -n 's/^seedcast_index_accounts \([0-9]*\).*/\1/p')
  graph_s=null; graph_rss_mb=null
  if [ -z "$graph_flag" ]; then
    for _ in $(seq 1 2400); do
      curl -s "http://127.0.0.1:$port/metrics" | grep -q '^seedcast_index_lookalike_graph 1' && break
      sleep 0.5
    done
    graph_s=$(python3 -c "import time; print(round(time.time() - $start, 1))")
    graph_rss_mb=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  fi
  echo "{\"accounts\": $accounts, \"rss_mb\": $rss_mb, \"ready_s\": $ready_s, \"graph_s\": $graph_s, \"graph_rss_mb\": $graph_rss_mb}" >>"$results"
  if [ "$first" = 1 ]; then
    first=0
    base="http://127.0.0.1:$port"
    auth="Authorization: Bearer $key"
    # 1. One creator's GET, and nginx serving the same bytes.
    curl -s -H "$auth" "$base/v1/creators/1" >"$dir/creator.json"
    nginx_dir="$dir/nginx"; mkdir -p "$nginx_dir/www"
    cp "$dir/creator.json" "$nginx_dir/www/creator.json"
    nginx_port=$(free_port)
    cat >"$nginx_dir/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $nginx_dir/www;
  }
}
CONF
    nginx -c "$nginx_dir/nginx.conf" -p "$nginx_dir" &
    nginx_pid=$!
    sleep 0.5
    wrk -t1 -c64 -d"${seconds}s" -H "$auth" "$base/v1/creators/1" >"$dir/wrk_seedcast.txt"
    wrk -t1 -c64 -d"${seconds}s" "http://127.0.0.1:$nginx_port/creator.json" >"$dir/wrk_nginx.txt"
    kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
    seedcast_rate=$(wrk_rate <"$dir/wrk_seedcast.txt")
    nginx_rate=$(wrk_rate <"$dir/wrk_nginx.txt")
    bytes=$(wc -c <"$dir/creator.json")
    echo "{\"get\": {\"seedcast_rps\": $seedcast_rate, \"nginx_rps\": $nginx_rate, \"body_bytes\": $bytes}}" >>"$results"
    # 2. Searches at a fixed rate: the first 300 lines of a query mix in the documented format.
    python3 - "$dir/queries.ndjson" <<'PY'
import json, random, sys
r = random.Random(7)
out = []
for i in range(300):
    q = {"limit": 50, "facets": ["tier", "country", "niche", "platform"]}
    if r.random() < 0.6: q["platforms"] = [r.choice(["instagram", "tiktok", "youtube"])]
    if r.random() < 0.5: q["tiers"] = [r.choice(["nano", "micro", "macro"])]
    if r.random() < 0.5: q["niches"] = [r.choice(["beauty", "fitness", "fashion", "food", "travel", "gaming"])]
    if r.random() < 0.4: q["countries"] = [r.choice(["US", "GB", "DE", "BR", "IN"])]
    if r.random() < 0.4: q["engagement_rate"] = {"min": r.choice([0.01, 0.02, 0.03, 0.05])}
    if r.random() < 0.3: q["followers"] = {"min": r.choice([1000, 5000, 10000]), "max": r.choice([50000, 100000, 500000])}
    if r.random() < 0.3: q["sort"] = r.choice(["followers", "engagement_rate"])
    out.append(json.dumps(q))
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
    python3 bench/http/fixed_rate.py 127.0.0.1 "$port" "$key" "$dir/queries.ndjson" 1000 \
      "$seconds" 16 >"$dir/search_rate.json"
    echo "{\"search\": $(cat "$dir/search_rate.json")}" >>"$results"
  fi
  kill -TERM "$pid"; wait "$pid" || true
done

source bench/machine.sh
python3 - "$results" "$(machine)" >bench/results/http.md <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("# HTTP API: `seedcast serve` against nginx, and search at a fixed rate\n")
print(f"{sys.argv[2]} Command: `bench/http_bench.sh`. Server: `seedcast serve --threads 2`; the load generator shares the 2 cores.\n")
get = next(l["get"] for l in lines if "get" in l)
print("| GET of one creator (wrk, 64 connections) | requests/s |")
print("|---|---|")
print(f"| `seedcast serve` GET /v1/creators/1 ({get['body_bytes']} B, authenticated, ETag) | {get['seedcast_rps']:,.0f} |")
print(f"| nginx, the same bytes as a static file (2 workers) | {get['nginx_rps']:,.0f} |")
print(f"| ratio | {get['seedcast_rps'] / get['nginx_rps']:.2f}x (target >= 0.5x and >= 30,000/s) |\n")
s = next(l["search"] for l in lines if "search" in l)
lat = s["latency_ms"]
print("| POST /v1/search at a fixed 1,000/s (open loop, 16 connections, 300 filtered queries with 4 facets, top 50) | |")
print("|---|---|")
print(f"| requests | {s['requests']:,} ({s['rate_per_s']:.0f}/s), non-2xx {s['non_2xx']}, errors {s['errors']}, timeouts {s['timeouts']} |")
print(f"| latency p50 / p90 / p99 / max | {lat['p50']} / {lat['p90']} / {lat['p99']} / {lat['max']} ms (target p99 <= 10) |\n")
print("| accounts in the index | resident memory, index loaded | ready after start | with the lookalike graph built | graph in place after start |")
print("|---|---|---|---|---|")
for l in lines:
    if "rss_mb" in l:
        g = l.get("graph_rss_mb")
        graph = f"{g:,} MB" if g else "not built (--no-lookalike-graph)"
        at = f"{l['graph_s']} s" if l.get("graph_s") else "—"
        print(f"| {l['accounts']:,} | {l['rss_mb']:,} MB | {l['ready_s']} s | {graph} | {at} |")
PY
cat bench/results/http.md
