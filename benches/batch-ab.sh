#!/usr/bin/env bash
# A/B of two builds on the batch benchmark (benches/batch.sh), for a machine whose speed
# drifts: the runs alternate A B, B A, A B, ... so that neither build always runs first, and
# the medians are printed. Nothing here asserts a timing.
#
#   benches/batch-ab.sh A_BIN B_BIN [PAIRS=4] [N=4000] [JOBS=2]
#
# Another commit's binary: `git worktree add ../ab COMMIT`, copy target/release/{deps,build,
# .fingerprint} there (not the files named anyqtama), `cargo build --release` in it. The
# certificates of every run are kept until the last run is over (in a directory under
# OUT_PARENT, default /tmp; OUT_PARENT=/dev/shm keeps the disk out of the figures): deleting
# thousands of files between runs would make the next run's file creation slower on a file
# system without a journal, such as this machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/median.sh
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 1; }
a=$1 b=$2 pairs=${3:-4} n=${4:-4000} jobs=${5:-2}
results=$(mktemp)
outputs=$(mktemp -d -p "${OUT_PARENT:-/tmp}")
trap 'rm -rf "$results" "$outputs"' EXIT
run() {
    BIN=$2 OUT_PARENT=$outputs KEEP_OUTPUT=1 benches/batch.sh "$n" "$jobs" | awk -v who="$1" '
        / written, / { rate = $(NF-1); gsub(/\(/, "", rate) }
        /CPU per certificate/ { cpu = $4 }
        END { print who, rate, cpu }' | tee -a "$results"
}
for i in $(seq 1 "$pairs"); do
    if [ $((i % 2)) = 1 ]; then run A "$a"; run B "$b"; else run B "$b"; run A "$a"; fi
done
for who in A B; do
    rate=$(awk -v w=$who '$1 == w { print $2 }' "$results" | median)
    cpu=$(awk -v w=$who '$1 == w { print $3 }' "$results" | median)
    echo "median $who: $rate docs/s, $cpu ms CPU per certificate ($([ $who = A ] && echo "$a" || echo "$b"))"
done
