#!/usr/bin/env bash
# Tenancy by types: the HTTP handlers (src/server/api_*.cc) only pass on the Scope the dispatcher
# derived from the request's principal; none may make one of its own (Scope::Everything(),
# Scope::Org(...), ScopeOf).
#   no_scope_in_adapters.sh SOURCE_DIR
set -uo pipefail
handlers=$(ls "$1"/src/server/api_*.cc | grep -v '_test\.cc$')
[ -n "$handlers" ] || { echo "FAIL no handler files found"; exit 1; }
# shellcheck disable=SC2086
if grep -nE 'Scope::|ScopeOf\(' $handlers; then
  echo "FAIL a handler makes a scope of its own (above)"
  exit 1
fi
echo "no handler makes a scope"
