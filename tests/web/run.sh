#!/usr/bin/env bash
# The web app's browser tests: a real `seedcast serve` on loopback, over a throw-away database
# (SQLite, or a PostgreSQL server started here), with a small demo population; the specs in
# web/e2e/ drive Debian's Chromium headless through playwright-core. Screenshots of every page go
# to web/e2e-artifacts/BACKEND/.
#   run.sh SEEDCAST PROJECT_DIR sqlite|postgres [SPEC...]
set -euo pipefail
seedcast=$(realpath "$1")
project=$(realpath "$2")
backend=${3:-sqlite}
shift 3 || true
specs=("$@")

[ -f "$project/web/dist/index.html" ] || { echo "FAIL: the web app is not built (cd web && npm ci && npm run build)"; exit 1; }
[ -d "$project/web/node_modules/playwright-core" ] || { echo "FAIL: web/node_modules is missing (cd web && npm ci)"; exit 1; }
command -v chromium >/dev/null || { echo "FAIL: Debian's chromium is not installed"; exit 1; }

work=$(mktemp -d)
pid=""
pg_dir=""
as_pg=()
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ -n "$pg_dir" ]; then
    (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1) || true
    rm -rf "$pg_dir"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$backend" = postgres ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  pg_dir=$(mktemp -d)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
  (cd / && "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U seedcast --no-sync -E UTF8 --no-locale >/dev/null)
  (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-k $pg_dir -c listen_addresses=''" start >/dev/null)
  db="postgresql:///postgres?host=$pg_dir&user=seedcast"
else
  db="sqlite:$work/seedcast.db"
fi

S=("$seedcast" --db "$db" --key-file "$work/seedcast.key" --data-dir "$work")
cat >"$work/seedcast.toml" <<TOML
[accounts]
mail_dir = "$work/mail"
[onboarding]
review = "operator"
TOML
export SEEDCAST_CONFIG="$work/seedcast.toml"
"${S[@]}" demo --creators 2000 --seed 3 --no-summary >"$work/demo.out"
operator_password="night shift passphrase $(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "$operator_password" | "${S[@]}" users create --email ops@web-test.example --role operator >/dev/null
operator_key=$("${S[@]}" keys create --name web-test 2>/dev/null | tail -1)

"${S[@]}" serve --listen 127.0.0.1:0 --web-root "$project/web/dist" --no-access-log >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$port" ] && curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.1
done
[ -n "$port" ] || { echo "FAIL: the server did not start"; cat "$work/serve.err"; exit 1; }

export SEEDCAST_URL="http://127.0.0.1:$port"
export SEEDCAST_OPERATOR_KEY="$operator_key"
export SEEDCAST_OPERATOR_EMAIL=ops@web-test.example
export SEEDCAST_OPERATOR_PASSWORD="$operator_password"
export SEEDCAST_MAIL_DIR="$work/mail"
export SEEDCAST_ARTIFACTS="$project/web/e2e-artifacts/$backend"
rm -rf "$SEEDCAST_ARTIFACTS"
cd "$project/web"
if [ ${#specs[@]} -eq 0 ]; then specs=(e2e/*.test.mjs); fi
status=0
node --test --test-concurrency=1 --test-reporter=spec "${specs[@]}" || status=$?
if [ $status -ne 0 ]; then
  echo "== server stderr (last 40 lines)"
  tail -40 "$work/serve.err"
fi
exit $status
