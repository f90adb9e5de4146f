#!/usr/bin/env bash
# Schemathesis (`pip install schemathesis`) over every operation of the OpenAPI document, as each demo
# role, against a demo server on a fresh SQLite file: no 500, no answer that contradicts the document
# (a status it does not list, a body or content type other than it declares).
# Sign-in, sign-out, passwords and accounts are left out: fuzzing them ends the session the run uses.
# Every request says `Content-Type: application/json`, as the app's own are: the cross-site guard refuses a
# state-changing request without it, and operations that take no body would never get past the guard.
# `MAX_TIME` seconds per role (default 60), `MAX_EXAMPLES` cases per operation in the fuzzing phase
# (default: schemathesis's), `USERS` the demo accounts (default: bureau, city, organization), `BIN` the server.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-target/debug/sheguan-under-test}  # built by `cargo xtask test` (or `cargo build -p tests --bins`)
PORT=8099
DB=/tmp/fuzz-$$.db
BASE=http://127.0.0.1:$PORT
SHEGUAN_ADDR=127.0.0.1:$PORT SHEGUAN_DATABASE_URL=sqlite://$DB SHEGUAN_DEMO=true SHEGUAN_DEMO_LEDGER_ENTRIES=5000 \
  SHEGUAN_SECURE_COOKIES=false SHEGUAN_EVIDENCE_DIR="$DB-evidence" SHEGUAN_JOB_SCHEDULES=false RUST_LOG=error \
  "$BIN" > "$DB.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER; rm -rf "$DB" "$DB".log "$DB"-*' EXIT
until curl -sf $BASE/readyz >/dev/null; do sleep 1; done
for user in ${USERS:-demo-admin demo-hefei demo-org}; do
  cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"sheguan-demo\"}" $BASE/api/v1/auth/login \
    | grep -i '^set-cookie: sheguan_session=' | sed 's/^[^:]*: //; s/;.*//')
  echo "== $user"
  st run $BASE/api/v1/openapi.json --url $BASE -H "Cookie: $cookie" -H 'Content-Type: application/json' \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --exclude-path-regex '/auth/|/users' --max-time ${MAX_TIME:-60} ${MAX_EXAMPLES:+--max-examples $MAX_EXAMPLES} \
    -w 1 --phases examples,coverage,fuzzing 2>&1 | tail -${TAIL:-40}
done
