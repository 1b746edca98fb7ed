#!/usr/bin/env bash
# Web app benchmark, on the demo data (default 100,000 creators), with Debian's Chromium:
#  1. The first page's JavaScript, gzipped, as Chromium downloads it from `seedcast serve` when it
#     opens /login (every script the page loads, bytes on the wire). Target: <= 300 KB.
#  2. Search results after typing stops: on /search a brand types a query a key at a time; the
#     time from the last key to the results on screen, per query (median, p95). Target: < 200 ms.
#     The peer, in the same run on the same queries: the same search sent straight to the API with
#     fetch() from the page (no debounce, no rendering): what the server and the network cost.
# Everything listens on 127.0.0.1; bounded in queries and time.
#
#   bench/web_bench.sh [CREATORS]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/machine.sh
creators=${1:-100000}
scripts/setup.sh build Release seedcast
scripts/build_web.sh
command -v chromium >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq --no-install-recommends chromium >&2; }
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
S=(build/seedcast --db "sqlite:$work/pop.db" --key-file "$work/seedcast.key")
"${S[@]}" demo --creators "$creators" --no-summary --campaigns 0 >/dev/null
password="bench brand passphrase 77"
"${S[@]}" orgs create "Bench brand" >/dev/null
echo "$password" | "${S[@]}" users create --email buyer@brand.example --role owner --org "Bench brand" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${S[@]}" serve --listen "127.0.0.1:$port" --web-root web/dist --no-access-log --no-lookalike-graph >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
out=bench/results/web.md
SEEDCAST_URL="http://127.0.0.1:$port" BENCH_EMAIL=buyer@brand.example BENCH_PASSWORD="$password" \
  BENCH_MACHINE="$(machine)" BENCH_CREATORS="$creators" node web/e2e/bench/web_bench.mjs | tee "$out"
echo "written: $out" >&2
