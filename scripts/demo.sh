#!/usr/bin/env bash
# Set-up command 1: installs what Seedcast needs, builds the seedcast binary (not the tests and
# benchmarks) and the web app, runs the main job (`seedcast demo`) on the embedded SQLite default,
# then, from a terminal, serves the web app and the API on http://127.0.0.1:8080/ until Ctrl-C.
# Extra arguments go to `seedcast demo` (e.g. --creators 1000000). SEEDCAST_DEMO_SERVE=0 (or a
# run without a terminal, as in CI) stops after the demo and prints the command that serves.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build Release seedcast
scripts/build_web.sh
build/seedcast demo "$@"
serve=${SEEDCAST_DEMO_SERVE:-auto}
[ "$serve" = auto ] && { [ -t 0 ] && serve=1 || serve=0; }
if [ "$serve" = 1 ]; then
  echo "Serving: open http://127.0.0.1:8080/ in a browser and sign in as one of the users above (Ctrl-C stops)."
  exec build/seedcast serve --listen 127.0.0.1:8080
fi
echo "To use the web app: build/seedcast serve, then open http://127.0.0.1:8080/ and sign in as one of the users above."
