#!/usr/bin/env bash
# Crash test of `seedcast serve`: writers create creators over HTTP while the server is killed with
# SIGKILL mid-request; after a restart, every write the server acknowledged (201) must be there.
# Runs on SQLite and on a throw-away PostgreSQL server. Loopback only; bounded in count and time.
#   serve_crash_test.sh SEEDCAST
seedcast=$(realpath "$1")
source "$(dirname "$0")/check_lib.sh"

# Starts the server on a free loopback port; sets $pid and $port.
start_server() {
  "$seedcast" --db "$1" serve --listen 127.0.0.1:0 --no-access-log >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
    [ -n "$port" ] && break
    sleep 0.1
  done
}

crash_round() {
  local name=$1 db=$2
  local key
  key=$("$seedcast" --db "$db" keys create 2>/dev/null)
  start_server "$db"
  if [ -z "$port" ]; then echo "FAIL $name: the server did not start"; failures=$((failures + 1)); return; fi
  # Four writers, up to 400 creators each, until the server dies; acknowledged handles to acked.
  python3 - "$port" "$key" "$work/acked" "$pid" <<'PY'
import http.client, json, os, signal, sys, threading, time
port, key, acked_path, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
acked, lock = [], threading.Lock()
def writer(w):
    for i in range(400):
        handle = f"crash_{w}_{i}"
        body = json.dumps({"accounts": [{"platform": "instagram", "handle": handle, "followers": 1000 + i}]})
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("POST", "/v1/creators", body, {"Authorization": "Bearer " + key,
                      "Idempotency-Key": handle, "Content-Type": "application/json"})
            r = c.getresponse(); r.read()
            if r.status == 201:
                with lock: acked.append(handle)
        except Exception:
            return
threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
for t in threads: t.start()
deadline = time.time() + 20
while time.time() < deadline:
    with lock:
        if len(acked) >= 150: break
    time.sleep(0.01)
os.kill(pid, signal.SIGKILL)
for t in threads: t.join(timeout=10)
open(acked_path, "w").write("\n".join(acked) + "\n")
PY
  wait "$pid" 2>/dev/null
  local acked_count
  acked_count=$(grep -c . "$work/acked")
  [ "$acked_count" -ge 150 ] && passes=$((passes + 1)) || { echo "FAIL $name: only $acked_count writes acknowledged before the kill"; failures=$((failures + 1)); }
  start_server "$db"
  if [ -z "$port" ]; then echo "FAIL $name: the server did not restart"; cat "$work/serve.err"; failures=$((failures + 1)); return; fi
  local missing
  missing=$(python3 - "$port" "$key" "$work/acked" <<'PY'
import http.client, json, sys
port, key = int(sys.argv[1]), sys.argv[2]
missing = 0
for handle in open(sys.argv[3]).read().split():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", "/v1/creators?handle=" + handle, headers={"Authorization": "Bearer " + key})
    r = c.getresponse()
    items = json.loads(r.read())["items"] if r.status == 200 else []
    missing += 0 if len(items) == 1 else 1
print(missing)
PY
)
  [ "$missing" = "0" ] && passes=$((passes + 1)) || { echo "FAIL $name: $missing of $acked_count acknowledged writes lost"; failures=$((failures + 1)); }
  echo "$name: $acked_count writes acknowledged before SIGKILL, $missing lost"
  kill -TERM "$pid"; wait "$pid"
  [ $? -eq 0 ] && passes=$((passes + 1)) || { echo "FAIL $name: SIGTERM did not stop the server cleanly"; failures=$((failures + 1)); }
}

crash_round sqlite "sqlite:$work/crash.db"

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
pg_dir=$(mktemp -d /tmp/seedcast-crash-pg-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
(cd / && "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U seedcast --no-sync -E UTF8 --no-locale >/dev/null)
(cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-k $pg_dir -c listen_addresses=''" start >/dev/null)
crash_round postgres "postgresql:///postgres?host=$pg_dir&user=seedcast"
(cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null)
rm -rf "$pg_dir"

echo "serve crash: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
