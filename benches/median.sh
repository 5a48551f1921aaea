# Sourced by the benchmark scripts: `median` prints the median of the numbers on its standard
# input, one per line (the mean of the middle two when their count is even).
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
