#!/usr/bin/env bash
# Set-up command 2: installs what Seedcast needs, builds it with AddressSanitizer and
# UndefinedBehaviorSanitizer, checks formatting, and runs the whole test suite (the storage suite runs
# against SQLite and against a real PostgreSQL server that the tests start in a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDCAST_SETUP_TESTS=1 scripts/setup.sh build-asan Asan

echo "== clang-format" >&2
git ls-files '*.cc' '*.h' | xargs clang-format --dry-run --Werror

echo "== clang-tidy (with clang's -Wthread-safety: lock rules checked)" >&2
git ls-files 'src/*.cc' 'bench/*.cc' | xargs -P2 -n8 clang-tidy -p build-asan --quiet --extra-arg=-Wno-unknown-warning-option \
  --extra-arg=-Wthread-safety 2>/dev/null

echo "== npm ci (the OpenAPI contract check's validator, from its lock file)" >&2
(cd tests/openapi && npm ci --no-audit --no-fund --silent)

echo "== web app (npm ci from its lock file, type check, build)" >&2
scripts/build_web.sh

echo "== tests (ASan + UBSan; the browser tests drive Chromium against the ASan server)" >&2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j2

echo "== concurrency tests (ThreadSanitizer)" >&2
# The index searched while the follower and upserts write, the connection pool under threads, and
# the query pool's hand-offs.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Tsan >&2
cmake --build build-tsan -j2 --target index_concurrency_test connection_pool_test query_pool_test >&2
tsan=halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan-suppressions.txt
TSAN_OPTIONS=$tsan ctest --test-dir build-tsan --output-on-failure \
  -R '^(connection_pool_test|query_pool_test)$'
# The index test builds an hnswlib graph: hnswlib takes its per-point locks in both orders, and
# with thousands of them TSan's lock-order reports lose their stacks, so the suppression cannot
# match them. Lock-order (deadlock) checks are off for it; data races are still reported.
TSAN_OPTIONS=$tsan:detect_deadlocks=0 ctest --test-dir build-tsan --output-on-failure \
  -R '^index_concurrency_test$'
