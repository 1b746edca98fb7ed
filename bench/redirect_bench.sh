#!/usr/bin/env bash
# Tracked-link redirect benchmark, with its peer in the same run on the same cores:
#   GET /r/{code} at a fixed 5,000 requests/s (open loop: bench/redirect_load.cc, one thread,
#   latency from each request's scheduled time) against `seedcast serve --threads 2` on SQLite,
#   over the links of a small demo store's campaigns; then the same load against nginx answering
#   `return 302` with the same Location, Cache-Control and Referrer-Policy. Target: p99 <= 2 ms at
#   5,000 redirects/s on 2 cores. After a graceful stop of the server, the clicks stored are
#   counted against the redirects answered (the click queue must lose none).
# Everything listens on 127.0.0.1; each load is bounded in time.
#
#   bench/redirect_bench.sh
# SEEDCAST_BENCH_SECONDS sets each load's length (default 20); SEEDCAST_BENCH_RATE the rate.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build Release seedcast
scripts/setup.sh build Release redirect_load
dpkg-query -W -f='${Status}' nginx-light 2>/dev/null | grep -q "install ok installed" || {
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends nginx-light >&2; }
work=$(mktemp -d)
nginx_pid=""; pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  [ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
seconds=${SEEDCAST_BENCH_SECONDS:-20}
rate=${SEEDCAST_BENCH_RATE:-5000}
connections=32
S=build/seedcast
L=build/bench/redirect_load
db="sqlite:$work/bench.db"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# A small store: demo creators and campaign seasons, then every campaign's links and codes.
$S --db "$db" --key-file "$work/seedcast.key" keys init >/dev/null 2>&1
$S --db "$db" --key-file "$work/seedcast.key" demo --creators 3000 --seasons 1 --no-summary \
  >/dev/null 2>&1
$S --db "$db" campaign list | python3 -c '
import json, sys
for line in sys.stdin:
    j = json.loads(line)
    print(j.get("id") or j["campaign"]["id"])' >"$work/campaigns.txt"
: >"$work/tracking.ndjson"
while read -r id; do
  $S --db "$db" tracking create "$id" --url "https://shop.example/products/glow-serum?variant=1" \
    >>"$work/tracking.ndjson"
done <"$work/campaigns.txt"
python3 - "$work/tracking.ndjson" "$work/paths.txt" "$work/target.txt" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
decoder, at, items = json.JSONDecoder(), 0, []
while at < len(text):
    if text[at].isspace():
        at += 1
        continue
    j, at = decoder.raw_decode(text, at)
    items += j["items"]
open(sys.argv[2], "w").write("".join(f"/r/{i['link_code']}\n" for i in items))
open(sys.argv[3], "w").write(items[0]["target_url"])
PY
links=$(wc -l <"$work/paths.txt")
target=$(cat "$work/target.txt")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
$S --db "$db" --key-file "$work/seedcast.key" serve --listen "127.0.0.1:$port" --threads 2 \
  --no-access-log --no-lookalike-graph >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
first=$(head -1 "$work/paths.txt")
location=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port$first")
[ "$location" = "$target" ] || { echo "the redirect answered '$location', not '$target'" >&2; exit 1; }
# Warm-up (not reported): connections, the store's pages and statements.
$L 127.0.0.1 "$port" "$work/paths.txt" 1000 2 "$connections" 302 >"$work/warm.json"
$L 127.0.0.1 "$port" "$work/paths.txt" "$rate" "$seconds" "$connections" 302 >"$work/seedcast.json"
load_during=$(cut -d' ' -f1-3 /proc/loadavg)
kill -TERM "$pid"; wait "$pid" || true
pid=""
# Every redirect answered (the check, the warm-up, the load) queued a click.
answered=$(python3 -c 'import json, sys; print(1 + sum(json.load(open(p))["answered"] for p in sys.argv[1:]))' \
  "$work/warm.json" "$work/seedcast.json")
clicks=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM clicks").fetchone()[0])' \
  "$work/bench.db")

# The peer: nginx on 2 workers answering the same redirect.
nginx_dir="$work/nginx"; mkdir -p "$nginx_dir"
nginx_port=$(free_port)
cat >"$nginx_dir/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    location /r/ {
      add_header Cache-Control no-store always;
      add_header Referrer-Policy no-referrer always;
      return 302 "$target";
    }
  }
}
CONF
nginx -c "$nginx_dir/nginx.conf" -p "$nginx_dir" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port$first" && break; sleep 0.1; done
$L 127.0.0.1 "$nginx_port" "$work/paths.txt" 1000 2 "$connections" 302 >/dev/null
$L 127.0.0.1 "$nginx_port" "$work/paths.txt" "$rate" "$seconds" "$connections" 302 >"$work/nginx.json"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""

source bench/machine.sh
python3 - "$work/seedcast.json" "$work/nginx.json" "$(machine)" "$links" "$clicks" "$rate" \
  "$seconds" "$connections" "$load_before" "$load_during" "$answered" >bench/results/redirect.md <<'PY'
import json, sys
seedcast, nginx = (json.load(open(p)) for p in sys.argv[1:3])
machine, links, clicks, rate, seconds, connections, before, during, answered = sys.argv[3:12]
print("# Tracked-link redirect: `GET /r/{code}` at a fixed rate, against nginx\n")
print(f"{machine} Command: `bench/redirect_bench.sh`. Server: `seedcast serve --threads 2 "
      "--no-access-log` on SQLite; the load generator (bench/redirect_load.cc, one thread, open "
      "loop) and the peer share the same 2 cores.\n")
print(f"Load: {int(rate):,} requests/s for {seconds} s over {connections} keep-alive connections, "
      f"cycling through the {links} links of a demo store's campaigns (3,000 creators, one season); "
      "latency from each request's scheduled time to the end of its answer. "
      f"Load average before the run: {before}; after the seedcast load: {during}.\n")
print("| | requests answered | rate | unexpected status | errors | p50 | p90 | p99 | p99.9 | max |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, r in (("`seedcast serve` GET /r/{code} (302, click queued)", seedcast),
                ("nginx `return 302` (2 workers)", nginx)):
    l = r["latency_ms"]
    print(f"| {name} | {r['answered']:,} of {r['scheduled']:,} | {r['rate_per_s']:,.0f}/s | "
          f"{r['unexpected_status']} | {r['errors']} | {l['p50']:.2f} ms | {l['p90']:.2f} ms | "
          f"{l['p99']:.2f} ms | {l['p999']:.2f} ms | {l['max']:.2f} ms |")
p99 = seedcast["latency_ms"]["p99"]
print(f"\nTarget p99 <= 2 ms at 5,000/s: {'met' if p99 <= 2 and float(rate) >= 5000 else 'not met'} "
      f"({p99:.2f} ms).\n")
print(f"Clicks stored after the graceful stop: {int(clicks):,}, for {int(answered):,} redirects "
      "answered (warm-up and the first check included); the difference is what the click queue "
      "lost.\n")
print("Notes:\n"
      "- The machine is shared: a 1-minute load average above 0 before the run means other work "
      "(builds) was using the cores; the tails (p99.9, max) of both servers move with it.\n"
      "- Each redirect reads its link from the store (one indexed read by code, about 0.05 ms at "
      "the median against `/healthz` on the same server); it is not cached.\n"
      "- The clicks' writer thread (agent classes, visitor hashes, one batch insert every 250 ms) "
      "runs at nice 10: at normal priority it put p99 at 2.0-2.7 ms in runs of this load.")
PY
cat bench/results/redirect.md
