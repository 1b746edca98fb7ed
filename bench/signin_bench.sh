#!/usr/bin/env bash
# Sign-in benchmark, with its peer in the same run on the same cores:
#  1. Sign-ins per second against `seedcast serve` (wrk, closed loop, POST /v1/auth/signin with a
#     right password). Sign-in is deliberately slow: argon2id at libsodium's interactive limits
#     (64 MiB, 2 passes). The peer is Debian's `argon2` command hashing with the same parameters,
#     one hash at a time: the rate one core can hash at.
#  2. Whether a flood of sign-ins pushes other routes past their targets: POST /v1/search at a
#     fixed 200 requests/s (bench/http/fixed_rate.py, open loop), alone and then while wrk floods
#     sign-ins on 32 connections. Target: search p99 <= 10 ms either way; sign-ins run on a pool
#     of one thread, and queue (then get 503) instead of taking the other core.
# Everything listens on 127.0.0.1; each load is bounded in time.
#
#   bench/signin_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build Release seedcast
for p in wrk argon2; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || {
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -qq --no-install-recommends "$p" >&2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds=${SEEDCAST_BENCH_SECONDS:-15}
S=build/seedcast
db="sqlite:$work/pop.db"
password="steady tortoise wins races"
$S --db "$db" --key-file "$work/seedcast.key" keys init 2>/dev/null
$S --db "$db" demo --creators 20000 --no-summary --campaigns 0 >/dev/null
echo "$password" | $S --db "$db" --key-file "$work/seedcast.key" users create \
  --email bench@example.org --role operator >/dev/null
key=$($S --db "$db" keys create --name bench 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$S --db "$db" --key-file "$work/seedcast.key" serve --listen "127.0.0.1:$port" --threads 2 \
  --no-access-log --no-lookalike-graph >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
cat >"$work/signin.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"email": "bench@example.org", "password": "$password"}'
wrk.headers["Content-Type"] = "application/json"
LUA
# wrk's rate and how many answers were not 2xx.
wrk_rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
wrk_non2xx() { sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$1"; }

# 1. Sign-ins per second, and the peer: argon2 hashing one after another for the same time.
wrk -t1 -c4 -d"${seconds}s" -s "$work/signin.lua" "http://127.0.0.1:$port/v1/auth/signin" \
  >"$work/wrk_signin.txt"
hashes=0
end=$(( $(date +%s) + seconds ))
while [ "$(date +%s)" -lt "$end" ]; do
  echo -n "$password" | argon2 benchsaltsalt -id -t 2 -k 65536 -p 1 -r >/dev/null
  hashes=$((hashes + 1))
done
# 2. Search at a fixed rate, alone and under a flood of sign-ins.
python3 - "$work/queries.ndjson" <<'PY'
import json, random, sys
r = random.Random(7)
qs = []
for i in range(200):
    q = {"limit": 20, "facets": ["tier", "niche"]}
    if r.random() < 0.6: q["platforms"] = [r.choice(["instagram", "tiktok", "youtube"])]
    if r.random() < 0.5: q["niches"] = [r.choice(["beauty", "fitness", "fashion", "food"])]
    qs.append(json.dumps(q))
open(sys.argv[1], "w").write("\n".join(qs) + "\n")
PY
python3 bench/http/fixed_rate.py 127.0.0.1 "$port" "$key" "$work/queries.ndjson" 200 "$seconds" 8 \
  >"$work/search_alone.json"
wrk -t1 -c32 -d"$((seconds + 2))s" -s "$work/signin.lua" "http://127.0.0.1:$port/v1/auth/signin" \
  >"$work/wrk_flood.txt" &
flood=$!
sleep 1
python3 bench/http/fixed_rate.py 127.0.0.1 "$port" "$key" "$work/queries.ndjson" 200 "$seconds" 8 \
  >"$work/search_flood.json"
wait "$flood"
kill -TERM "$pid"; wait "$pid" || true

source bench/machine.sh
python3 - "$work" "$seconds" "$hashes" "$(wrk_rate "$work/wrk_signin.txt")" \
  "$(wrk_rate "$work/wrk_flood.txt")" "$(wrk_non2xx "$work/wrk_flood.txt")" "$(machine)" \
  >bench/results/signin.md <<'PY'
import json, sys
work, seconds, hashes, signin_rps, flood_rps, flood_non2xx, machine = sys.argv[1:8]
seconds = float(seconds)
peer = int(hashes) / seconds
alone = json.load(open(f"{work}/search_alone.json"))
flood = json.load(open(f"{work}/search_flood.json"))
print("# Sign-in: argon2id, and what a flood of sign-ins does to other routes\n")
print(f"{machine} Command: `bench/signin_bench.sh`. Server: `seedcast serve --threads 2` (sign-ins on a pool of one thread); the load generators share the 2 cores.\n")
print("| sign-ins | per second |")
print("|---|---|")
print(f"| `seedcast serve`, POST /v1/auth/signin (wrk, 4 connections) | {float(signin_rps):.1f} |")
print(f"| peer: Debian's `argon2 -id -t 2 -k 65536 -p 1`, one hash after another | {peer:.1f} |")
print(f"| ratio | {float(signin_rps) / peer:.2f}x |\n")
print("| POST /v1/search at 200/s | p50 ms | p99 ms | failures |")
print("|---|---|---|---|")
for name, r in (("alone", alone), (f"with a sign-in flood (32 connections: {float(flood_rps):.1f} answers/s, {flood_non2xx or 0} of them 503)", flood)):
    print(f"| {name} | {r['latency_ms']['p50']} | {r['latency_ms']['p99']} | {r['non_2xx']} |")
print("\nTarget: search p99 <= 10 ms, with or without the flood.")
PY
cat bench/results/signin.md
