#!/usr/bin/env bash
# A clone of the repository alone passes its own tests: fails when a test, script, benchmark or build
# file reads data from outside the repository. It reads the files git lists (tracked, and new ones
# that are not ignored; without git, every file but build trees) of these kinds: *.cc *.h *.sh *.mjs
# *.js *.ts *.py, CMakeLists.txt and .ci/*. A line fails when
#   - it names the data sets' shared folder (a `shared` folder one `..` up, or `shared` + `datasets`);
#   - a path in it climbs with `..` above the repository root. A `..` counts from the directory of the
#     file it is in, or from the root after a source-root variable (PROJECT_SOURCE_DIR,
#     CMAKE_SOURCE_DIR, SEEDCAST_SOURCE_DIR, source_dir). After any other variable it counts from the
#     file's directory too, so a path that climbs from elsewhere is to be written from the source root.
# A listed file that is a symbolic link must point inside the repository. Before reading the files,
# the check runs itself on lines it must fail and lines it must pass.
#
#   tests/self_contained_test.sh [SOURCE_DIR]   (default: the repository this script is in)
set -euo pipefail
root=$(realpath "${1:-$(dirname "$(realpath "$0")")/..}")
cd "$root"

if command -v git >/dev/null && [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$root" ]; then
  list_files() { git ls-files -z --cached --others --exclude-standard; }
else
  list_files() {
    find . \( -name .git -o -name node_modules -o -path './build*' -o -path ./bench/results/tmp \) \
      -prune -o \( -type f -o -type l \) -print0 | sed -z 's|^\./||'
  }
fi

read -r -d '' check <<'PY' || true
import fnmatch, os, re, sys

root = sys.argv[1]
UP = "." * 2  # spelled so that this file does not trip its own check
KINDS = ["*.cc", "*.h", "*.sh", "*.mjs", "*.js", "*.ts", "*.py", "CMakeLists.txt"]
SHARED = re.compile(re.escape(UP) + r"/+shared\b|\bshared/+" + "datasets" + r"\b")
SEPARATORS = re.compile(r"[\s;,<>|&=`\[\]]+")
ROOT_VARIABLE = re.compile(r"^\$\{?(PROJECT_SOURCE_DIR|CMAKE_SOURCE_DIR|SEEDCAST_SOURCE_DIR|source_dir)\}?$")


def climbs_out(token, depth):
    parts = [p.strip("\"'(){}") for p in token.split("/")]
    if UP not in parts:
        return False
    first = token.split("/")[0].strip("\"'")
    if first == "" or "$" in first or first[-1] in ")}":  # a variable or an expression: the base
        depth = 0 if ROOT_VARIABLE.match(first) else depth
        parts = parts[1:]
    for part in parts:
        if part == UP:
            depth -= 1
            if depth < 0:
                return True
        elif part not in ("", "."):
            depth += 1
    return False


def problem(path, line):
    if SHARED.search(line):
        return "names the shared data sets outside the repository"
    depth = path.count("/")
    if any(climbs_out(t, depth) for t in SEPARATORS.split(line) if UP in t):
        return "a path climbs above the repository root"
    return None


must_fail = [
    ("tests/a.sh", f'cat "$cases_dir/{UP}/{UP}/{UP}/{UP}/{UP}/shared/x.jsonl"'),
    ("src/q/a_test.cc", f'std::filesystem::path(root) / "{UP}/shared/x.jsonl";'),
    ("src/q/a_test.cc", f'std::ifstream in("/srv/shared/{"datasets"}/x/train.jsonl");'),
    ("scripts/a.sh", f'cd "$(dirname "$0")/{UP}/{UP}"'),
    ("tests/CMakeLists.txt", f"${{PROJECT_SOURCE_DIR}}/{UP}/data/x.jsonl"),
    ("tests/a.sh", f'cp "$source_dir"/{UP}/x.csv .'),
    ("src/q/a_test.cc", f'#include "{UP}/{UP}/{UP}/x.h"'),
]
must_pass = [
    ("scripts/a.sh", f'cd "$(dirname "$0")/{UP}"'),
    ("src/q/a.cc", f'#include "{UP}/x.h"'),
    ("tests/a.sh", 'cp "$source_dir/src/compliance/rules/us.toml" .'),
    ("src/q/a.cc", f'return InvalidArgument("outside 0{UP}100%");'),
    ("bench/duckdb/a.mjs", "const s = [...xs].sort();"),
]
wrong = [f"self-check: not failed: {l}" for p, l in must_fail if problem(p, l) is None]
wrong += [f"self-check: failed: {l}" for p, l in must_pass if problem(p, l) is not None]
if wrong:
    print("\n".join(wrong))
    sys.exit(1)

files = sorted(f for f in sys.stdin.read().split("\0") if f)
failures, read = [], 0
for path in files:
    full = os.path.join(root, path)
    if os.path.islink(full) and not os.path.realpath(full).startswith(root + os.sep):
        failures.append(f"{path}: a symbolic link to outside the repository")
        continue
    name = os.path.basename(path)
    if not (any(fnmatch.fnmatch(name, k) for k in KINDS) or path.startswith(".ci/")):
        continue
    if not os.path.isfile(full):
        continue  # deleted in the work tree
    read += 1
    with open(full, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            why = problem(path, line)
            if why:
                failures.append(f"{path}:{number}: {why}: {line.strip()}")
if read == 0:
    print("no files to check: is this the source tree?")
    sys.exit(1)
print("\n".join(failures) if failures else f"{read} files read; none reads data from outside the repository")
sys.exit(1 if failures else 0)
PY
list_files | python3 -c "$check" "$root"
