#!/usr/bin/env bash
# Batch benchmark (issue 10 §2/§4): N one-page rights certificates (kk) from one JSON Lines
# file, rendered with --jobs J by the release binary; prints the summary line (docs/s) and the
# peak resident memory from /usr/bin/time -v, and the CPU time (user + system) per certificate.
#
#   cargo build --release && benches/batch.sh [N=10000] [J=2]
#
# Each case is the individual sample with its own number and holder name. The output goes to
# a fresh temporary directory, removed afterwards. Nothing here asserts a timing.
#
# Environment: BIN, the binary to run (default target/release/anyqtama; another build for an
# A/B, see benches/batch-ab.sh); OUT_PARENT, where the temporary directory is made (default
# $TMPDIR or /tmp; /dev/shm keeps the file system's own costs out of the figure, see the
# README's Performance section); KEEP_OUTPUT=1 leaves the certificates there (batch-ab.sh
# removes them after the last run: on ext4 without a journal, files deleted in the last
# minute make creating new ones slower).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
jobs=${2:-2}
bin=${BIN:-target/release/anyqtama}
[ -x "$bin" ] || { echo "build first: cargo build --release (or set BIN)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }
work=$(mktemp -d -p "${OUT_PARENT:-${TMPDIR:-/tmp}}")
if [ -n "${KEEP_OUTPUT:-}" ]; then
    trap 'rm -f "$work/cases.jsonl" "$work/stderr"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi
python3 - "$n" "$work/cases.jsonl" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
case = json.load(open("samples/rights-certificate-individual.json"))
with open(path, "w") as f:
    for i in range(n):
        case["number"] = f"2021-0714-{i:05d}"
        case["holder"]["full_name"] = f"ӘБІЛҚАСЫМОВА ГҮЛНҰР {i}"
        f.write(json.dumps(case, ensure_ascii=False) + "\n")
PY
echo "== $n cases, --jobs $jobs, $(nproc) cores, $bin, output under $(dirname "$work")"
/usr/bin/time -v "$bin" render "$work/cases.jsonl" --lang kk --out-dir "$work/out" --jobs "$jobs" \
    >/dev/null 2>"$work/stderr" || true
grep -E " written, " "$work/stderr"
grep -E "Maximum resident set size|Elapsed \(wall clock\)|Percent of CPU|User time|System time" "$work/stderr"
# CPU per certificate (user + system): what the machine's load changes least.
awk -v n="$n" -F': ' '/User time|System time/ { cpu += $2 }
    END { printf "CPU per certificate: %.2f ms\n", cpu * 1000 / n }' "$work/stderr"
echo "files: $(find "$work/out" -name '*.pdf' | wc -l)"
