#!/usr/bin/env bash
# End-to-end checks of the seedcast command: exit codes (0 ok, 1 failure, 2 usage), --help on every
# level, settings precedence, and demo -> import -> show -> export on a temporary SQLite database.
set -uo pipefail
seedcast=$(realpath "$1")
cases_dir=$(realpath "$2")
# The source tree, for the data files the repository ships (data/, src/compliance/rules/).
[ -n "${SEEDCAST_SOURCE_DIR:-}" ] || { echo "FAIL SEEDCAST_SOURCE_DIR must name the source tree (ctest sets it)"; exit 1; }
source_dir=$(realpath "$SEEDCAST_SOURCE_DIR")
# shellcheck source=tests/check_lib.sh
source "$(dirname "$(realpath "$0")")/check_lib.sh"

export HOME=$work/home
db="sqlite:$work/s.db"

check "help" 0 "$seedcast" --help
contains "help lists subcommands" out "import"
for sub in "migrate" "demo" "import" "import creators" "creators" "creators export" "creators show"; do
  # shellcheck disable=SC2086
  check "help $sub" 0 "$seedcast" $sub --help
done
check "no subcommand" 2 "$seedcast"
check "unknown subcommand" 2 "$seedcast" frobnicate
check "missing file argument" 2 "$seedcast" --db "$db" import creators
check "bad --map field" 2 "$seedcast" --db "$db" import creators x.csv --map folowers=Fans
contains "bad --map names the field" err "folowers"
check "bad --format" 2 "$seedcast" --db "$db" creators export --format xml
check "bad db url" 2 "$seedcast" --db "mysql://x" migrate
contains "bad db url explains" err "sqlite:"
check "missing file" 1 "$seedcast" --db "$db" import creators "$work/none.csv" --platform instagram
contains "missing file named" err "none.csv"

check "migrate" 0 "$seedcast" --db "$db" migrate
contains "migrate reports version" out "schema version 16 of 16"

check "demo" 0 "$seedcast" --db "$db" demo --creators 1500 --seed 4
contains "demo tier table" out "By tier"
contains "demo niche table" out "By niche"
contains "demo platform table" out "By platform"
contains "demo country table" out "By country"
contains "demo count" out "Generated and stored 1500 creators"
# Who to sign in as in the web app: three users with fresh passwords, on stdout only.
contains "demo names the web app" out 'Web app: run `seedcast serve` and open http://127.0.0.1:8080/'
for who in brand creator operator; do contains "demo prints the $who sign-in" out "$who@demo.seedcast.test"; done
contains "demo's brand owns campaigns" out "brand owner of Demo Brand (its brand demo: Glow Co has 9 campaigns)"
contains "demo made the key file" err "key file $HOME/.local/share/seedcast/seedcast.key made"
password_of() { sed -n "s/^ *$1@demo\.seedcast\.test *password \([a-z0-9-]*\) .*/\1/p" "$work/out"; }
first_brand=$(password_of brand)
first_creator=$(password_of creator)
[[ "$first_brand" =~ ^[a-z0-9]{5}(-[a-z0-9]{5}){3}$ ]] && passes=$((passes + 1)) || { echo "FAIL demo brand password: '$first_brand'"; failures=$((failures + 1)); }
grep -qF -- "$first_brand" "$work/err" && { echo "FAIL demo password on stderr"; failures=$((failures + 1)); } || passes=$((passes + 1))
check "demo again replaces" 0 "$seedcast" --db "$db" demo --creators 1500 --seed 4 --no-summary
contains "demo replaced" err "replaced the previous demo population (1500 creators)"
contains "demo again prints the sign-ins" out "brand@demo.seedcast.test"
second_brand=$(password_of brand)
second_creator=$(password_of creator)
[ -n "$second_brand" ] && [ "$second_brand" != "$first_brand" ] && [ -n "$second_creator" ] && [ "$second_creator" != "$first_creator" ] && passes=$((passes + 1)) || { echo "FAIL demo again: passwords not new ($first_brand, $second_brand)"; failures=$((failures + 1)); }
# The same users and organisation, the creator user linked to a creator of the new population with
# an approved account, and the brand's campaigns with their assignments the organisation's.
demo_rows=$(sqlite3 "$work/s.db" "SELECT (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM orgs WHERE name = 'Demo Brand'),
  (SELECT COUNT(*) FROM users u JOIN creators c ON c.id = u.creator_id JOIN accounts a ON a.creator_id = c.id
   WHERE u.role = 'creator' AND c.ref LIKE 'demo-%' AND a.review_status = 'approved') > 0,
  (SELECT COUNT(*) FROM campaigns k JOIN orgs o ON o.id = k.org_id WHERE o.name = 'Demo Brand'),
  (SELECT COUNT(*) FROM assignments s JOIN orgs o ON o.id = s.org_id WHERE o.name = 'Demo Brand') > 0,
  (SELECT COUNT(*) FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.role = 'owner' AND o.name = 'Demo Brand')")
[ "$demo_rows" = "3|1|1|9|1|1" ] && passes=$((passes + 1)) || { echo "FAIL demo sign-in rows: $demo_rows (users|orgs|creator linked|campaigns|assignments|owner)"; failures=$((failures + 1)); }

# Search on the demo population.
check "search one query" 0 "$seedcast" --db "$db" search '{"platforms":["instagram"],"niches":["fashion"],"limit":3}'
contains "search prints total" out '"total":'
contains "search gives reasons" out '"reasons":["platform instagram","niche fashion"'
contains "search facets" out '"facets":{"tier":['
echo '{"text":"#ootd","limit":1}' | check "search from stdin" 0 "$seedcast" --db "$db" search
contains "search text reason" out "text matched '#ootd'"
check "search bad query" 2 "$seedcast" --db "$db" search '{"platfroms":["instagram"]}'
contains "search error names field" out "unknown query field 'platfroms'"
printf '%s\n' '{"sort":"followers","limit":1}' '{"tiers":["giga"]}' '{"lookalike":"@nobody_here"}' \
  '{"niches":["beauty"],"sort":"fit","limit":2}' >"$work/queries.ndjson"
check "search queries file with errors" 1 "$seedcast" --db "$db" search --queries "$work/queries.ndjson"
contains "search percentiles" err "4 queries (2 failed); latency ms: p50"
contains "search unknown tier" out "unknown tier 'giga'"
contains "search unknown lookalike" out "no account @nobody_here"
contains "search fit reasons" out '"fit '
[ "$(wc -l <"$work/out")" -eq 4 ] && passes=$((passes + 1)) || { echo "FAIL search: one line per query"; failures=$((failures + 1)); }

check "export ndjson" 0 "$seedcast" --db "$db" creators export
lines=$(wc -l <"$work/out")
[ "$lines" -eq 1500 ] && passes=$((passes + 1)) || { echo "FAIL export lines: $lines"; failures=$((failures + 1)); }
check "export csv" 0 "$seedcast" --db "$db" creators export --format csv
contains "csv header" out "creator_id,creator_ref,name"

cp "$cases_dir/export_tool_messy/input.csv" "$work/messy.csv"
check "import messy" 0 "$seedcast" --db "$db" import creators "$work/messy.csv"
contains "import summary created" out "created   4"
contains "import summary rejected" out "rejected  3"
contains "rejects file" "$work/messy.csv.rejects.tsv" "'12x' is not a number"
check "import again" 0 "$seedcast" --db "$db" import creators "$work/messy.csv" --json
contains "reimport updates" out '"updated": 4'
check "show" 0 "$seedcast" --db "$db" creators show @Ana.Lima
contains "show handle" out '"handle": "ana.lima"'
contains "show tier" out '"tier": "mega"'
check "show unknown" 1 "$seedcast" --db "$db" creators show nobody_here

# Outcomes: an ad report's JSON summary, and a demo campaign's report as one HTML page and as the
# JSON that `campaign report` prints too.
check "import ad-report" 0 "$seedcast" --db "$db" import ad-report "$source_dir/src/measure/testdata/ad_report_cases/meta_basic/report.csv" --brand "Glow Co"
contains "ad-report totals" out '"spend_cents": 170000'
contains "ad-report thumbstop" out '"thumbstop_rate": 0.204'
check "import ad-report without an ad-name column" 2 "$seedcast" --db "$db" import ad-report "$work/messy.csv" --brand "Glow Co"
contains "ad-report names the missing column" err "no header row with an ad name column"
check "report campaign html" 0 "$seedcast" --db "$db" report campaign 1 --format html
contains "report html is a page" out '<!DOCTYPE html><html lang="en">'
contains "report html has the KPIs" out "cost_per_asset"
check "report campaign json" 0 "$seedcast" --db "$db" report campaign 1 --format json
cp "$work/out" "$work/report.json"
check "campaign report" 0 "$seedcast" --db "$db" campaign report 1
cp "$work/out" "$work/campaign_report.json"
check "campaign report is the report's JSON" 0 cmp "$work/campaign_report.json" "$work/report.json"
contains "campaign report has the measurement" "$work/campaign_report.json" '"measurement"'

# Tracking: a demo campaign's links and codes, a Shopify orders export attributed by code (a bad
# row reported by line), and the campaign's counts.
check "tracking create needs a landing URL" 2 "$seedcast" --db "$db" tracking create 1
contains "tracking create names the landing URL" err "landing URL"
check "tracking create" 0 "$seedcast" --db "$db" tracking create 1 --url "https://glowco.example/serum"
contains "tracking create makes links" out '"link_path": "/r/'
contains "tracking create adds UTM" out 'utm_source=seedcast'
code=$(sed -n 's/.*"discount_code": "\([A-Z0-9_-]*\)".*/\1/p' "$work/out" | head -1)
printf 'Name,Financial Status,Currency,Subtotal,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Email\n#9001,paid,USD,24.00,21.60,%s,2.40,2026-03-12 10:00:00 +0000,1,Glow serum,24.00,GLOW-30,ann@example.com\n#9002,paid,USD,24.00,24.00,,0.00,yesterday,1,Glow serum,24.00,GLOW-30,\n' "$code" >"$work/orders.csv"
check "import orders" 0 "$seedcast" --db "$db" import orders "$work/orders.csv" --campaign 1
contains "import orders attributes by code" out '"discount_code": 1'
contains "import orders reports the bad row by line" out '"line": 3'
check "import orders again" 0 "$seedcast" --db "$db" import orders "$work/orders.csv" --campaign 1
contains "import orders again updates" out '"orders_updated": 1'
check "import orders needs the brand" 2 "$seedcast" --db "$db" import orders "$work/orders.csv"
check "import orders takes the brand or the campaign" 2 "$seedcast" --db "$db" import orders "$work/orders.csv" --brand "Glow Co" --campaign 1
check "import orders of a file that is no export" 2 "$seedcast" --db "$db" import orders "$work/messy.csv" --campaign 1
contains "import orders names what is missing" err "not a Shopify orders export"
check "tracking show" 0 "$seedcast" --db "$db" tracking show 1
contains "tracking show counts the order" out '"revenue_cents": 2160'

# Settings: config file, then environment, then flags.
printf '[database]\nurl = "sqlite:%s/from-config.db"\n' "$work" >"$work/seedcast.toml"
check "config file" 0 "$seedcast" migrate
[ -f "$work/from-config.db" ] && passes=$((passes + 1)) || { echo "FAIL config file not used"; failures=$((failures + 1)); }
SEEDCAST_DB="sqlite:$work/from-env.db" check "env over file" 0 "$seedcast" migrate
[ -f "$work/from-env.db" ] && passes=$((passes + 1)) || { echo "FAIL env not used"; failures=$((failures + 1)); }
SEEDCAST_DB="sqlite:$work/from-env.db" check "flag over env" 0 "$seedcast" --db "sqlite:$work/from-flag.db" migrate
[ -f "$work/from-flag.db" ] && passes=$((passes + 1)) || { echo "FAIL flag not used"; failures=$((failures + 1)); }
printf '[tiers]\nnano = 1000\n' >"$work/bad.toml"
check "bad config is a usage error" 2 "$seedcast" --config "$work/bad.toml" migrate
rm "$work/seedcast.toml"
check "default data dir" 0 "$seedcast" migrate
[ -f "$HOME/.local/share/seedcast/seedcast.db" ] && passes=$((passes + 1)) || { echo "FAIL default db"; failures=$((failures + 1)); }

# Compliance: verdicts in input order, malformed lines answered without stopping, rules as files.
cat >"$work/posts.ndjson" <<'EOF_POSTS'
{"id":"a","platform":"instagram","caption":"#ad Morning routine with @glowco","relationship":"paid"}
{"id":"b","platform":"instagram","caption":"Morning routine #skincare #ad #glow","relationship":"paid"}
not json at all
{"id":"d","caption":"#sponsored new serum","relationship":"paid"}
{"id":7,"caption":"＃ＡＤ serum","relationship":"gifted_required","language":"es"}
{"id":"f","caption":"#ad","relationship":"married"}
EOF_POSTS
check "compliance check us" 0 "$seedcast" compliance check --jurisdiction us --input "$work/posts.ndjson"
[ "$(wc -l <"$work/out")" -eq 6 ] && passes=$((passes + 1)) || { echo "FAIL compliance: not one verdict per line"; failures=$((failures + 1)); }
ids=$(python3 -c 'import json,sys; print(",".join(str(json.loads(l)["id"]) for l in open(sys.argv[1])))' "$work/out")
[ "$ids" = "a,b,None,d,7,f" ] && passes=$((passes + 1)) || { echo "FAIL compliance order: $ids"; failures=$((failures + 1)); }
verdicts=$(python3 -c 'import json,sys; print(" ".join(("ok" if v["compliant"] else "+".join(f["code"] for f in v["findings"])) for v in map(json.loads, open(sys.argv[1]))))' "$work/out")
[ "$verdicts" = "ok disclosure_buried invalid_input ok disclosure_wrong_language invalid_input" ] && passes=$((passes + 1)) || { echo "FAIL compliance verdicts us: $verdicts"; failures=$((failures + 1)); }
contains "compliance summary" err "6 posts checked under United States (FTC): 2 compliant, 2 not, 2 malformed"
contains "compliance names the bad relationship" out 'relationship \"married\"'
check "compliance check uk from stdin" 0 sh -c "\"$seedcast\" compliance check --jurisdiction uk < \"$work/posts.ndjson\""
contains "uk: sponsored is not enough" out '{"id":"d","compliant":false,"findings":[{"code":"disclosure_not_clear"'
check "compliance unknown jurisdiction" 2 "$seedcast" compliance check --jurisdiction fr --input "$work/posts.ndjson"
contains "compliance names known jurisdictions" err "rules exist for: uk, us"
check "compliance needs a jurisdiction" 2 "$seedcast" compliance check
mkdir -p "$work/rules"
cp "$source_dir/src/compliance/rules/languages.toml" "$work/rules/"
sed -e 's/jurisdiction = "us"/jurisdiction = "au"/' -e 's/instagram = 125/instagram = 20/' \
  "$source_dir/src/compliance/rules/us.toml" >"$work/rules/au.toml"
check "compliance rules dir" 0 "$seedcast" compliance check --jurisdiction au --rules "$work/rules" --input "$work/posts.ndjson"
contains "au: 20 visible characters" out '{"id":"b","compliant":false,"findings":[{"code":"disclosure_buried"'
contains "au: the late #ad is past 20" out '"code":"disclosure_not_visible"'
echo 'buried_run = "x"' >>"$work/rules/au.toml"
check "compliance bad rules file" 2 "$seedcast" compliance check --jurisdiction au --rules "$work/rules" --input "$work/posts.ndjson"
echo '{"deliverables": {"video": 1, "mentions": ["@glowco"]}, "brief": {"claims_to_avoid": ["cures"]}}' >"$work/campaign.json"
echo '{"id":"v","caption":"#ad this cured my skin @glowco","relationship":"paid","media":["photo"]}' >"$work/one.ndjson"
check "compliance with campaign" 0 "$seedcast" compliance check --jurisdiction us --campaign "$work/campaign.json" --input "$work/one.ndjson"
contains "campaign: format" out '"code":"format_mismatch"'
contains "campaign: claim span" out '"span":{"start":9,"end":14,"text":"cured"}'
echo '{"deliverables": {"vidoe": 1}}' >"$work/bad_campaign.json"
check "compliance bad campaign" 2 "$seedcast" compliance check --jurisdiction us --campaign "$work/bad_campaign.json" --input "$work/one.ndjson"
contains "bad campaign names the field" err 'unknown field "vidoe"'

# Quality: classify with reasons, malformed lines answered, scores from a file and from the store.
cat >"$work/accounts.ndjson" <<'EOF_ACCOUNTS'
{"id":"bot","followers":12,"following":2400,"posts":0,"has_profile_pic":false,"bio_length":0,"username_length":14,"username_digits":6}
{"id":"real","followers":5200,"following":380,"posts":310,"has_profile_pic":true,"bio_length":90,"username_length":9,"username_digits":0}
{"id":"bad","followers":"many"}
{"id":"ratio_only","followers":15,"following":3100,"username_digit_ratio":0.4}
EOF_ACCOUNTS
check "quality classify" 0 "$seedcast" quality classify --input "$work/accounts.ndjson"
verdicts=$(python3 -c 'import json,sys; print(" ".join(str(v["id"]) + ":" + str(v.get("is_fake", "error")) for v in map(json.loads, open(sys.argv[1]))))' "$work/out")
[ "$verdicts" = "bot:True real:False bad:error ratio_only:True" ] && passes=$((passes + 1)) || { echo "FAIL quality classify: $verdicts"; failures=$((failures + 1)); }
contains "classify reasons name the ratio" out 'follows 2400 for 12 followers'
contains "classify names the bad field" out 'field \"followers\" must be a number'
contains "classify summary" err "4 accounts: 2 fake, 1 real, 1 malformed"
echo '{"id":"c1","accounts":[{"id":"a","platform":"instagram","handle":"anna.bakes","followers":24000,"engagement_rate":0.002}]}' >"$work/creators.ndjson"
check "quality score file" 0 "$seedcast" quality score --input "$work/creators.ndjson"
contains "score: low engagement fails the gate" out '"passes_gate":false'
contains "score: reason" out 'sign of bought followers'
check "quality score gate flag" 0 "$seedcast" quality score --input "$work/creators.ndjson" --gate 0
contains "gate 0 passes" out '"passes_gate":true'
check "quality score bad gate" 2 "$seedcast" quality score --input "$work/creators.ndjson" --gate 120
check "quality score store" 0 "$seedcast" --db "sqlite:$work/q.db" demo --creators 200 --no-summary
check "quality score store --save" 0 "$seedcast" --db "sqlite:$work/q.db" quality score --save
lines=$(wc -l <"$work/out")
[ "$lines" -ge 300 ] && passes=$((passes + 1)) || { echo "FAIL quality score store lines: $lines"; failures=$((failures + 1)); }
# --save wrote each printed score (over 100) to its account.
read -r first_id first_score < <(python3 -c 'import json,sys; v=json.loads(open(sys.argv[1]).readline()); print(v["account_id"], v["score"])' "$work/out")
stored=$(sqlite3 "$work/q.db" "SELECT quality_score FROM accounts WHERE id = $first_id")
python3 -c 'import sys; sys.exit(0 if abs(float(sys.argv[1]) - float(sys.argv[2]) / 100) < 1e-9 else 1)' "$stored" "$first_score" && passes=$((passes + 1)) || { echo "FAIL quality score --save: stored $stored for score $first_score"; failures=$((failures + 1)); }
check "quality train" 0 "$seedcast" quality train --data "$source_dir/data/instafake/train.jsonl" --out "$work/model"
contains "train reports cross-validation" out "5-fold cross-validated"
check "classify with the trained model" 0 "$seedcast" quality classify --model "$work/model" --input "$work/accounts.ndjson"
check "quality train without labels" 2 "$seedcast" quality train --data "$work/accounts.ndjson" --out "$work/model2"
# Without --data, the training split the repository ships, from the working directory.
check "quality train help names the default" 0 "$seedcast" quality train --help
contains "quality train default shown" out "data/instafake/train.jsonl"
check "quality train default data" 0 sh -c "cd \"$source_dir\" && \"$seedcast\" quality train --out \"$work/model3\" --rounds 5 --repeats 1"
contains "quality train default reads the split" out "trained on 836 accounts (140 fake)"
check "quality train default missing here" 2 "$seedcast" quality train --out "$work/model4"
contains "quality train names the missing default" err "data/instafake/train.jsonl"

# The same binary on PostgreSQL: a throw-away server in a temporary directory, on a Unix socket only.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$pg_bin" ]; then
  echo "FAIL postgresql server binaries not found"; failures=$((failures + 1))
else
  pg_dir=$(mktemp -d /tmp/seedcast-cli-pg-XXXXXX)
  as_pg=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; as_pg=(runuser -u postgres --); fi
  # From /, which the server's user can enter (the test's own folder is private).
  (cd / && "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U seedcast --no-sync -E UTF8 --no-locale >/dev/null)
  (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-k $pg_dir -c listen_addresses=''" start >/dev/null)
  pg="postgresql:///postgres?host=$pg_dir&user=seedcast"
  check "pg demo" 0 "$seedcast" --db "$pg" demo --creators 800 --seed 2
  contains "pg demo stored" out "Generated and stored 800 creators"
  contains "pg demo sign-ins" out "creator@demo.seedcast.test"
  check "pg demo again" 0 "$seedcast" --db "$pg" demo --creators 800 --seed 2 --no-summary --campaigns 6 --seasons 1
  contains "pg demo again replaced" err "replaced the previous demo population (800 creators)"
  contains "pg demo again sign-ins" out "brand owner of Demo Brand (its brand demo: Glow Co has 1 campaign)"
  check "pg import" 0 "$seedcast" --db "$pg" import creators "$work/messy.csv" --json
  contains "pg import created" out '"created": 4'
  check "pg show" 0 "$seedcast" --db "$pg" creators show bruce_lee_official
  contains "pg show name" out '李小龍'
  check "pg export" 0 "$seedcast" --db "$pg" creators export --format csv
  rows=$(($(wc -l <"$work/out") - 1))
  [ "$rows" -ge 804 ] && passes=$((passes + 1)) || { echo "FAIL pg export rows: $rows"; failures=$((failures + 1)); }
  (cd / && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null)
  rm -rf "$pg_dir"
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
