#!/usr/bin/env bash
# Mail through SMTP ([accounts] smtp_url, libcurl): a new user's verification message reaches a
# real SMTP server on 127.0.0.1 (tests/smtp_sink.py). While the server is down, the message
# waits in the outbox and the user is still made; it goes out at the next delivery.
#   smtp_test.sh SEEDCAST SOURCE_DIR
set -uo pipefail
seedcast=$(realpath "$1")
source_dir=$(realpath "$2")
# shellcheck source=tests/check_lib.sh
source "$source_dir/tests/check_lib.sh"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/sink"
cat >"$work/seedcast.toml" <<TOML
[database]
data_dir = "$work/data"
[accounts]
smtp_url = "smtp://127.0.0.1:$port"
smtp_from = "no-reply@seedcast.test"
smtp_tls = "try"
TOML
S=("$seedcast" --config "$work/seedcast.toml")

check "key file" 0 "${S[@]}" keys init
echo "a passphrase for the queued mail" | check "a user while the SMTP server is down" 0 \
  "${S[@]}" users create --email first@example.org --role creator
[ ! -e "$work/sink/001.eml" ] || { echo "FAIL a message arrived with no server"; failures=$((failures + 1)); }

python3 -W ignore "$source_dir/tests/smtp_sink.py" "$port" "$work/sink" 60 &
sink=$!
for _ in $(seq 1 100); do [ -e "$work/sink/ready" ] && break; sleep 0.1; done
echo "a passphrase for the direct mail" | check "a user while the SMTP server is up" 0 \
  "${S[@]}" users create --email second@example.org --role creator
for _ in $(seq 1 50); do [ -e "$work/sink/002.eml" ] && break; sleep 0.1; done
kill "$sink" 2>/dev/null; wait "$sink" 2>/dev/null

contains "the queued message went first, to its recipient" "$work/sink/001.eml" \
  "X-Envelope-To: first@example.org"
contains "from the configured sender" "$work/sink/001.eml" "X-Envelope-From: no-reply@seedcast.test"
contains "with its verification token" "$work/sink/001.eml" "verify-email-token: sct_"
contains "then the new one" "$work/sink/002.eml" "X-Envelope-To: second@example.org"
contains "with a subject" "$work/sink/002.eml" "Subject: Confirm your email for Seedcast"
if [ -d "$work/data/mail" ] && [ -n "$(ls -A "$work/data/mail")" ]; then
  echo "FAIL with SMTP configured, nothing goes to the mail directory"; failures=$((failures + 1))
fi
check "the log knows both users" 0 "${S[@]}" audit --kind user_created
contains "two users made" out '"role":"creator"'

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
