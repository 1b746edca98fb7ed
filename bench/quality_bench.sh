#!/usr/bin/env bash
# Fake-account classification throughput on one thread: features + the shipped model's in-place
# prediction, in batches of 65,536, over 1,000,000 synthetic accounts, against xgboost's DMatrix
# path on the same rows in the same run (both must agree on every verdict). Figures and the machine
# go to bench/results/quality.md.
#
#   bench/quality_bench.sh [ACCOUNTS] [ROUNDS]    (default 1000000 accounts, 5 rounds; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build Release
json=$(build/bench/quality_bench "${1:-1000000}" "${2:-5}")
source bench/machine.sh
mkdir -p bench/results
python3 - "$json" "$(machine)" >bench/results/quality.md <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print("# Quality: fake-account classification on one thread\n")
print(f"{sys.argv[2]} Command: `bench/quality_bench.sh`.\n")
print(f"{r['accounts']:,} synthetic accounts, batches of {r['batch']:,}, medians of {r['rounds']} rounds.\n")
print("| what | accounts/s |")
print("|---|---|")
print(f"| Seedcast: features + in-place prediction | {r['engine_accounts_per_s']:,.0f} |")
print(f"| peer: xgboost DMatrix per batch + predict | {r['peer_dmatrix_accounts_per_s']:,.0f} |")
print(f"\nRatio {r['ratio']:.2f}x; verdicts agree: {r['peer_agrees']}; {r['fake_share']:.1%} classified fake.")
PY
cat bench/results/quality.md
