#!/usr/bin/env bash
# The API tests' responses validated against docs/openapi.json with a JSON Schema validator from
# npm (ajv, installed from tests/openapi/package-lock.json by scripts/test.sh): every status must
# be documented for its operation, and every JSON body must match its schema.
#   openapi_contract_test.sh API_CASES_TEST SOURCE_DIR
set -euo pipefail
api_cases_test=$1
source_dir=$2
records=$(mktemp)
trap 'rm -f "$records"' EXIT
if [ ! -d "$source_dir/tests/openapi/node_modules/ajv" ]; then
  (cd "$source_dir/tests/openapi" && npm ci --no-audit --no-fund --silent)
fi
SEEDCAST_SOURCE_DIR=$source_dir SEEDCAST_API_RECORD=$records "$api_cases_test" >/dev/null
node "$source_dir/tests/openapi/validate.mjs" "$source_dir/docs/openapi.json" "$records"
