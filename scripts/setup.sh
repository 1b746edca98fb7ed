#!/usr/bin/env bash
# Installs the Debian packages Seedcast builds and tests with, then configures and builds one build tree.
# Idempotent: packages already installed are not touched, and an existing build tree is only rebuilt.
#
#   scripts/setup.sh BUILD_DIR BUILD_TYPE [TARGET]   (BUILD_TYPE: Release | Asan; TARGET: build only
#                                                     that target, e.g. seedcast; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config
  libsqlite3-dev sqlite3 libpq-dev postgresql
  nlohmann-json3-dev libcli11-dev libfmt-dev libtomlplusplus-dev
  libutf8proc-dev libicu-dev libcsv-dev libcld2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libroaring-dev libhnswlib-dev libstemmer-dev libsimdjson-dev libxgboost-dev libabsl-dev
  libboost1.81-dev libboost-url1.81-dev libsodium-dev libcurl4-openssl-dev
  python3
  clang-format clang-tidy
)
# Node.js with npm builds the web app (web/) and runs the OpenAPI contract check. It may come from
# another packaging with npm inside; Debian's npm would conflict with it.
command -v npm >/dev/null || packages+=(nodejs npm)
# What only the test suite needs (SEEDCAST_SETUP_TESTS=1, set by scripts/test.sh): a reverse proxy
# and TLS tools for the proxy test, curl, and Chromium for the browser tests.
if [ "${SEEDCAST_SETUP_TESTS:-0}" = 1 ]; then
  packages+=(haproxy openssl curl chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}" >&2
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build_dir=${1:-build}
build_type=${2:-Release}
target=()
[ -z "${3:-}" ] || target=(--target "$3")
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >&2
cmake --build "$build_dir" -j2 "${target[@]}" >&2
