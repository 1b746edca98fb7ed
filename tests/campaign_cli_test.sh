#!/usr/bin/env bash
# End-to-end checks of the campaign commands on a temporary SQLite database: products from a
# Shopify export, a campaign from JSON and from TOML, planning (against the store and against a
# pool file), the whole assignment path to an invoiced post, refusals, retries, deadlines and
# replacements, and the demo's campaign season.
set -uo pipefail
seedcast=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=tests/check_lib.sh
source "$(dirname "$(realpath "$0")")/check_lib.sh"

json() {  # json NAME FILE PYTHON-EXPRESSION-ON-j  (must be true)
  if python3 -c "import json,sys; j=json.load(open('$2')); sys.exit(0 if ($3) else 1)"; then
    passes=$((passes + 1)); else echo "FAIL $1: $3"; head -c 1500 "$2" | sed 's/^/  | /'
    failures=$((failures + 1)); fi
}

export HOME=$work/home
db="sqlite:$work/s.db"
sc() { "$seedcast" --db "$db" "$@"; }

check "demo population" 0 sc demo --creators 3000 --seed 2 --no-summary --campaigns 0

# Products from a Shopify export: good rows stored, bad rows reported by line.
check "import products" 0 sc import products --brand "Glow Co" \
  "$source_dir/src/campaign/testdata/shopify_products.csv"
json "products stored" out "j['products_stored'] == 3 and j['rejected'] == 3"
json "rejects name lines" out "[r['line'] for r in j['rejects']] == [6, 7, 8]"

cat >campaign.json <<'JSON'
{"name": "Serum launch", "brand": "Glow Co",
 "product": {"name": "Glow serum", "sku": "GLOW-30", "price_cents": 2400, "units_available": 60,
             "niche": "beauty"},
 "compensation": "gifted", "target_posts": 5, "confidence": 0.9, "fee_cents_per_post": 4000,
 "budget_cents": 300000, "platforms": ["instagram", "tiktok"], "niches": ["beauty"],
 "followers": {"min": 1000, "max": 200000}, "days_to_post": 10,
 "deliverables": {"mentions": ["@glowco"]},
 "timeline": {"post_from": "2027-03-01", "post_until": "2027-05-01"},
 "brief": {"key_benefits": ["bright", "light", "vitamin C"], "content_rules": ["no medical claims",
           "show texture"], "call_to_action": "link in bio",
           "example_styles": ["routine", "before/after", "unboxing"],
           "claims_to_avoid": ["cures acne"]}}
JSON
check "bad campaign: unknown field" 2 sc campaign create <(echo '{"target_posts": 2, "product": {"name": "x", "price_cents": 1, "units_available": 1}, "budjet_cents": 5}')
contains "unknown field named" err "budjet_cents"
check "bad campaign: no target" 2 sc campaign create <(echo '{"product": {"name": "x", "price_cents": 1, "units_available": 1}}')
contains "target named" err "target_posts"
check "bad campaign: brief too long" 2 sc campaign create <(echo '{"target_posts": 1, "product": {"name": "x", "price_cents": 1, "units_available": 1}, "brief": {"key_benefits": ["a","b","c","d"]}}')
contains "brief limit named" err "brief: key_benefits: at most 3 entries"

check "plan a file against the store" 0 sc plan --campaign campaign.json
json "plan meets the guarantee" out "j['guarantee_met'] and j['p_meet_target'] >= 0.9"
json "plan selects with reasons" out "len(j['selected']) >= 5 and all(s['reasons'] and 0 < s['p_complete'] < 1 for s in j['selected'])"
json "plan reserves one unit each" out "j['units_reserved'] == len(j['selected'])"
json "plan fields" out "set(['creator_id','p_complete','expected_engagements','fit','reasons']) <= set(j['selected'][0])"

check "create campaign" 0 sc campaign create campaign.json --at 2027-02-20
json "campaign created" out "j['id'] == 1 and j['target_posts'] == 5"
cat >campaign.toml <<'TOML'
name = "Bottle seeding"
brand = "Trail Gear"
compensation = "paid"
fulfilment = "buy_then_reimburse"
target_posts = 3
fee_cents_per_post = 15000
platforms = ["instagram"]
niches = ["fitness"]
[product]
name = "Trail bottle"
sku = "TRAIL-1"
price_cents = 1850
units_available = 20
TOML
check "create from TOML" 0 sc campaign create campaign.toml
json "TOML campaign" out "j['id'] == 2 and j['fulfilment'] == 'buy_then_reimburse' and j['payout_cents_per_post'] == 12000"
check "list" 0 sc campaign list
contains "list names both" out "Bottle seeding"

check "invite" 0 sc campaign invite 1 --at 2027-02-20
json "invited enough" out "len(j['invited']) >= 5 and j['guarantee_met']"
first=$(python3 -c "import json; print(json.load(open('out'))['invited'][0]['id'])")
check "invite again adds nobody" 0 sc campaign invite 1 --at 2027-02-20
json "second invite empty" out "j['invited'] == []"

check "ship before approval is refused" 1 sc campaign ship "$first"
contains "refusal names the states" err "cannot move an assignment from invited to shipped"
check "apply" 0 sc campaign apply "$first" --actor creator --at 2027-02-21
check "approve" 0 sc campaign approve "$first" --actor brand --at 2027-02-21
check "ship" 0 sc campaign ship "$first" --at 2027-02-21
json "shipped" out "j['assignment']['state'] == 'shipped' and j['changed']"
check "ship again is a no-op" 0 sc campaign ship "$first" --at 2027-02-21
json "ship retry unchanged" out "not j['changed']"
check "deliver" 0 sc campaign deliver "$first" --at 2027-02-24
echo '{"platform": "instagram", "caption": "my new serum cures acne @glowco"}' >bad_post.json
check "submit a bad post" 0 sc campaign submit-post "$first" --post bad_post.json --at 2027-03-02
check "verify a bad post" 0 sc campaign verify "$first" --at 2027-03-02
json "bad post not compliant" out "not j['verdict']['compliant'] and j['assignment']['state'] == 'posted'"
contains "forbidden claim found" out "prohibited_claim"
contains "missing disclosure found" out "disclosure_missing"
echo '{"platform": "instagram", "caption": "#ad my new serum routine @glowco"}' >good_post.json
check "resubmit" 0 sc campaign submit-post "$first" --post good_post.json --at 2027-03-03
check "verify" 0 sc campaign verify "$first" --at 2027-03-03
json "completed" out "j['assignment']['state'] == 'completed' and j['verdict']['compliant']"
check "verify again is a no-op" 0 sc campaign verify "$first" --at 2027-03-03
json "verify retry unchanged" out "not j['changed']"
check "report" 0 sc campaign report 1
json "invoiced once" out "j['completed'] == 1 and j['invoiced_cents'] == 4000 and j['ledger_imbalance_cents'] == 0"
check "show" 0 sc campaign show 1
json "audit log" out "[e['to'] for e in [a for a in j['assignments'] if a['id'] == $first][0]['audit']][:6] == ['invited','applied','approved','shipped','delivered','posted']"

# Time passes: unanswered invitations lapse, the planner re-plans and invites replacements.
check "tick" 0 sc campaign tick 1 --at 2027-02-27
json "tick lapses invitations" out "any('invitation lapsed' in e for e in j['events'])"
json "tick invites replacements" out "len(j['replacements']) > 0"
check "remove inside the window" 0 sc campaign remove "$first" --at 2027-03-10
contains "invoice line dropped" out "invoice line of 40.00 dropped"
check "report after removal" 0 sc campaign report 1
json "nothing invoiced" out "j['invoiced_cents'] == 0 and j['completed'] == 0"
check "unknown assignment" 1 sc campaign approve 999999
contains "unknown assignment named" err "no assignment 999999"

# Planning against a pool file: the history object moves completion chances.
sc creators export >pool_all.ndjson 2>/dev/null
python3 - <<'PY'
import json
lines = [json.loads(l) for l in open("pool_all.ndjson")]
beauty = [c for c in lines if any("beauty" in a.get("niches", []) and a.get("quality_score", 0) >= 0.6 for a in c["accounts"])][:60]
with open("pool.ndjson", "w") as f:
    for i, c in enumerate(beauty):
        c["history"] = ({"campaigns": 6, "completed": 6, "late": 0, "failed": 0, "returned": 0,
                         "avg_days_to_post": 4} if i % 2 == 0 else
                        {"campaigns": 6, "completed": 1, "late": 3, "failed": 5, "returned": 0})
        f.write(json.dumps(c) + "\n")
PY
check "plan against a pool" 0 "$seedcast" --db "sqlite:$work/untouched.db" plan --campaign campaign.json --creators pool.ndjson
json "pool plan prefers reliable creators" out "all(s['p_complete'] > 0.6 for s in j['selected'])"
json "pool plan meets the guarantee" out "j['guarantee_met']"
# A pool with follower, following, post and engagement figures but no quality_score is scored from
# those signals, and the plan says so (it used to find no candidate and advise wider targeting).
python3 - <<'PY'
import json
with open("pool_unscored.ndjson", "w") as f:
    for line in open("pool.ndjson"):
        c = json.loads(line)
        c.pop("history", None)
        for a in c["accounts"]:
            a.pop("quality_score", None)
        f.write(json.dumps(c) + "\n")
PY
check "plan against an unscored pool" 0 "$seedcast" --db "sqlite:$work/untouched.db" plan --campaign campaign.json --creators pool_unscored.ndjson
json "unscored pool gets picks" out "len(j['selected']) > 0"
json "unscored pool: the plan says the scores were made" out "any('no quality_score' in n for n in j['notes'])"
json "unscored pool: no advice to widen targeting" out "not any('widen' in n for n in j['notes'])"
json "unscored pool: each pick says its score was made" out "all(any('scored for this plan' in r for r in s['reasons']) for s in j['selected'])"
if [ -e "$work/untouched.db" ] && [ "$(sqlite3 "$work/untouched.db" 'select count(*) from campaigns' 2>/dev/null || echo 0)" != "0" ]; then
  echo "FAIL plan wrote to the store"; failures=$((failures + 1)); else passes=$((passes + 1)); fi

check "demo keeps others' bookings" 1 sc demo --creators 100 --no-summary
contains "demo refusal explains" err "campaigns outside the demo refer to demo creators"
db="sqlite:$work/season.db"
check "demo with a campaign season" 0 sc demo --creators 4000 --seed 3 --no-summary --campaigns 6 --seasons 2
contains "season table" out "Campaign season 2"
contains "guarantee summary" out "Across 12 simulated campaigns the guarantee held in"
contains "ledger balanced" out "ledger imbalance 0 cents"
contains "creator behaviour reported" out "still completed"
check "demo again replaces the season" 0 sc demo --creators 4000 --seed 3 --no-summary --campaigns 6 --seasons 2

echo "campaign cli: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
