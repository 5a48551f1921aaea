#!/usr/bin/env bash
# The clerks' web page in a real browser (tests/browser/web_register.py): installs Debian's
# chromium and chromium-driver and, in a virtual environment, selenium and PyYAML; builds the
# binary; runs the test. Screenshots of each page are left in target/web-screenshots/.
# Uses ANYQTAMA_TEST_POSTGRES for a PostgreSQL register when set (.ci/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
  || ! python3 -c 'import ensurepip' >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "== installing chromium, chromium-driver, python3-venv, poppler-utils"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver python3-venv poppler-utils >/dev/null
fi

venv=target/browser-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check selenium pyyaml

echo "== the web page in chromium (tests/browser/web_register.py)"
cargo build --quiet --bin anyqtama
"$venv/bin/python" tests/browser/web_register.py target/debug/anyqtama
