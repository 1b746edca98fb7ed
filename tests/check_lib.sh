# Shared by the end-to-end scripts (sourced): a temporary working directory `$work`, removed on exit,
# and the assertions, which count into `$passes` and `$failures`.
#   check NAME EXPECTED_CODE COMMAND...   runs COMMAND; stdout to $work/out, stderr to $work/err
#   contains NAME FILE TEXT               FILE holds TEXT
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
passes=0

check() {
  local name=$1 want=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, expected $want"; sed 's/^/  | /' "$work/err" | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
contains() {
  if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else
    echo "FAIL $1: '$3' not in $2"; head -20 "$2" | sed 's/^/  | /'; failures=$((failures + 1)); fi
}
