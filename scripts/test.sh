#!/usr/bin/env bash
# Set-up command 2: installs what Seedcast needs, builds it with AddressSanitizer and
# UndefinedBehaviorSanitizer, checks formatting, and runs the whole test suite (the storage suite runs
# against SQLite and against a real PostgreSQL server that the tests start in a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build-asan Asan

echo "== clang-format" >&2
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== clang-tidy (with clang's -Wthread-safety: lock rules checked)" >&2
git ls-files 'src/*.cc' 'bench/*.cc' | xargs -P2 -n8 clang-tidy -p build-asan --quiet --extra-arg=-Wno-unknown-warning-option \
  --extra-arg=-Wthread-safety 2>/dev/null

echo "== tests (ASan + UBSan)" >&2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j2
