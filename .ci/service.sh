#!/usr/bin/env bash
# The HTTP service end to end with curl: start `anyqtama serve` on a free loopback port, ask
# for /healthz and /openapi.json, render a case (application/pdf), then stop it with SIGTERM
# and check that it exits 0 (graceful shutdown). Uses the debug binary `cargo test` built
# unless ANYQTAMA is set.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v curl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends curl ca-certificates >/dev/null
fi
bin=${ANYQTAMA:-target/debug/anyqtama}
[ -x "$bin" ] || cargo build --quiet
work=$(mktemp -d)
"$bin" serve --addr 127.0.0.1:0 >"$work/out" 2>"$work/err" &
pid=$!
stop() { kill -KILL "$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 100); do
  grep -q '^listening on ' "$work/out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$work/out")
[ -n "$base" ] || { echo "service: no address"; cat "$work/err"; exit 1; }
echo "service: $base"

[ "$(curl -sS "$base/healthz")" = ok ] || { echo "service: /healthz is not ok"; exit 1; }
# Read whole, then searched: `curl | grep -q` under pipefail fails when grep stops early.
openapi=$(curl -sS -f "$base/openapi.json")
grep -q '"openapi": "3.1.0"' <<<"$openapi" || { echo "service: no OpenAPI 3.1 document"; exit 1; }
type=$(curl -sS -f -o "$work/cert.pdf" -w '%{content_type}' -H 'content-type: application/json' \
  --data-binary @samples/rights-certificate-company.json "$base/v1/forms/rights-certificate/render?lang=kk,ru")
[ "$type" = application/pdf ] || { echo "service: render answered $type"; exit 1; }
head -c 5 "$work/cert.pdf" | grep -q '%PDF-' || { echo "service: not a PDF"; exit 1; }
status=$(curl -sS -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data '{}' \
  "$base/v1/forms/rights-certificate/render")
[ "$status" = 422 ] || { echo "service: an invalid case answered $status"; exit 1; }

kill -TERM "$pid"
code=0
wait "$pid" || code=$?
trap - EXIT
[ "$code" = 0 ] || { echo "service: exit $code after SIGTERM"; cat "$work/err"; exit 1; }
grep -q 'stopping: finishing the requests in flight' "$work/err" || { echo "service: no graceful stop"; cat "$work/err"; exit 1; }
echo "service: healthz, openapi.json, render (application/pdf), 422, graceful SIGTERM: ok"
