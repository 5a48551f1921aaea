#!/usr/bin/env bash
# The CLI's one-page run and the time per further document, for one or more builds alternated
# in one session (a machine whose speed drifts): for each round and each build, in turn,
#   - `render samples/rights-certificate-individual.yaml --lang kk -o …` (process start to file);
#   - the same case as 1 and as 21 lines of JSON Lines, `--jobs 1`: (t21 − t1) / 20 is the time
#     of a further document in a warm process.
# Medians over the rounds. Nothing here asserts a timing.
#
#   cargo build --release && benches/per-document.sh [ROUNDS=15] [BIN ...]
#
# BIN defaults to target/release/anyqtama; name another build's binary to compare.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/median.sh
rounds=${1:-15}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(target/release/anyqtama)
for bin in "${bins[@]}"; do
    [ -x "$bin" ] || { echo "not a binary: $bin (cargo build --release)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
case = json.load(open("samples/rights-certificate-individual.json"))
for n in (1, 21):
    with open(f"{work}/cases{n}.jsonl", "w") as f:
        for i in range(n):
            case["number"] = f"2021-0714-{i:05d}"
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
PY
ms() { local start end; start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N); echo $(((end - start) / 1000)); }
for round in $(seq 1 "$rounds"); do
    order=("${bins[@]}")
    if [ $((round % 2)) = 0 ]; then
        order=()
        for ((i = ${#bins[@]} - 1; i >= 0; i--)); do order+=("${bins[$i]}"); done
    fi
    for bin in "${order[@]}"; do
        rm -rf "$work/out"
        cli=$(ms "$bin" render samples/rights-certificate-individual.yaml --lang kk -o "$work/cert.pdf")
        one=$(ms "$bin" render "$work/cases1.jsonl" --lang kk --out-dir "$work/out" --jobs 1)
        rm -rf "$work/out"
        many=$(ms "$bin" render "$work/cases21.jsonl" --lang kk --out-dir "$work/out" --jobs 1)
        echo "$bin $cli $one $many" >>"$work/results"
    done
done
for bin in "${bins[@]}"; do
    col() { awk -v b="$bin" -v c="$1" '$1 == b { print $c }' "$work/results" | median; }
    cli=$(col 2) one=$(col 3) many=$(col 4)
    awk -v b="$bin" -v cli="$cli" -v one="$one" -v many="$many" -v r="$rounds" 'BEGIN {
        printf "%s: CLI one-page run %.1f ms; per further document %.2f ms (medians of %d rounds, 1 and 21 cases: %.1f and %.1f ms)\n",
            b, cli / 1000, (many - one) / 20 / 1000, r, one / 1000, many / 1000 }'
done
