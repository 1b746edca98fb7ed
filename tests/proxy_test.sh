#!/usr/bin/env bash
# The sample reverse-proxy configuration (deploy/haproxy.cfg) in front of a real `seedcast serve`:
# TLS from the client to haproxy, HTTP from haproxy to the server, all on 127.0.0.1.
#   proxy_test.sh SEEDCAST SOURCE_DIR
seedcast=$(realpath "$1")
source_dir=$(realpath "$2")
source "$(dirname "$0")/check_lib.sh"

if ! command -v haproxy >/dev/null || ! command -v openssl >/dev/null; then
  echo "FAIL haproxy and openssl are needed (scripts/test.sh installs them)"; exit 1
fi
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat "$work/cert.pem" "$work/key.pem" >"$work/tls.pem"

db="sqlite:$work/p.db"
key=$("$seedcast" --db "$db" keys create 2>/dev/null)
"$seedcast" --db "$db" serve --listen 127.0.0.1:0 --no-access-log >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
# A free port for the proxy.
proxy_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
check "haproxy accepts the sample configuration" 0 env SEEDCAST_PROXY_BIND="127.0.0.1:$proxy_port" \
  SEEDCAST_TLS_PEM="$work/tls.pem" SEEDCAST_SERVER_1="127.0.0.1:$port" \
  haproxy -c -f "$source_dir/deploy/haproxy.cfg"
SEEDCAST_PROXY_BIND="127.0.0.1:$proxy_port" SEEDCAST_TLS_PEM="$work/tls.pem" \
  SEEDCAST_SERVER_1="127.0.0.1:$port" haproxy -f "$source_dir/deploy/haproxy.cfg" -db \
  >"$work/haproxy.log" 2>&1 &
proxy_pid=$!
ok=""
for _ in $(seq 1 50); do
  curl -sk --max-time 2 "https://127.0.0.1:$proxy_port/readyz" >"$work/out" 2>/dev/null && grep -q ready "$work/out" && ok=1 && break
  sleep 0.2
done
[ -n "$ok" ] && passes=$((passes + 1)) || { echo "FAIL /readyz through TLS and haproxy"; tail -5 "$work/haproxy.log"; failures=$((failures + 1)); }
check "an authenticated request through the proxy" 0 curl -sk --fail --max-time 5 \
  -H "Authorization: Bearer $key" "https://127.0.0.1:$proxy_port/v1/campaigns"
contains "the API answers through the proxy" "$work/out" '"items"'
check "a refusal passes through as a problem document" 22 curl -sk --fail --max-time 5 \
  "https://127.0.0.1:$proxy_port/v1/campaigns"
check "plain HTTP to the TLS port is refused" 0 bash -c "! curl -s --max-time 3 http://127.0.0.1:$proxy_port/healthz | grep -q ok"
kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null
kill -TERM "$server_pid"; wait "$server_pid"
echo "proxy: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
