#!/usr/bin/env bash
# Set-up command 1: installs what Seedcast needs, builds the seedcast binary (not the tests and
# benchmarks), and runs the main job (`seedcast demo`) on the embedded SQLite default. Extra arguments
# go to `seedcast demo` (e.g. --creators 1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build Release seedcast
exec build/seedcast demo "$@"
