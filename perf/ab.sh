#!/usr/bin/env bash
# Compares the main job between two commits in one invocation: both are exported and built, then run interleaved
# (A B, B A, A B, ... so drift hits both alike) PAIRS times, and each row is reported as the median with min..max of
# each side, the after/before ratio, and "noise" when either side's spread is wider than the effect.
#
#   perf/ab.sh BEFORE_REV AFTER_REV [PAIRS] [-- bench options]
#   perf/ab.sh defba3b HEAD 3 -- --systems shmq-zeroq-spin,cpp-zeroq --scenarios tp,rtt --payloads 8,64 --runs 5
# Both revisions must accept the options: before defba3b the bench took --repeat N and --pin instead.
#
# Needs only what the build needs (JDK 17, Maven, python3 for the summary). Results stay under target/ab/.
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: perf/ab.sh BEFORE_REV AFTER_REV [PAIRS] [-- bench options]}
after=${2:?usage: perf/ab.sh BEFORE_REV AFTER_REV [PAIRS] [-- bench options]}
pairs=${3:-8}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
options=("$@")
[ ${#options[@]} -eq 0 ] && options=(--systems shmq-slick,shmq-zeroq-spin --scenarios tp,rtt --payloads 8,64 --runs 3 --bounds-checks on)

work=$(pwd)/target/ab
rm -rf "$work" && mkdir -p "$work"
for side in before after; do
  rev=$before; [ "$side" = after ] && rev=$after
  mkdir -p "$work/$side-src"
  git archive "$rev" | tar -x -C "$work/$side-src"
  (cd "$work/$side-src" && mvn -B -q -Dmaven.test.skip=true package -pl perf -am)
done

for i in $(seq 1 "$pairs"); do
  order="before after"; [ $((i % 2)) -eq 0 ] && order="after before"
  for side in $order; do
    echo "pair $i: $side"
    java -jar "$work/$side-src/perf/target/shmq-bench.jar" "${options[@]}" --out "$work/$side-$i" > "$work/$side-$i.txt"
  done
done

python3 - "$work" <<'EOF'
import collections, csv, glob, statistics, sys
work = sys.argv[1]
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for side in ("before", "after"):
    for path in sorted(glob.glob(f"{work}/{side}-*/results.csv")):
        for r in csv.DictReader(open(path)):
            key = (r["scenario"], r["system"], r["payload"])
            if r["msgs_per_s"]:
                rows[key + ("M msg/s",)][side].append(float(r["msgs_per_s"]) / 1e6)
            if r["p50_ns"]:
                rows[key + ("p50 us",)][side].append(float(r["p50_ns"]) / 1e3)
                rows[key + ("p99 us",)][side].append(float(r["p99_ns"]) / 1e3)
print("| row | before: median (min..max) | after: median (min..max) | after/before | verdict |")
print("|---|---|---|---|---|")
for key in sorted(rows):
    b, a = rows[key]["before"], rows[key]["after"]
    if not b or not a:
        continue
    mb, ma = statistics.median(b), statistics.median(a)
    ratio = ma / mb
    spread = max((max(b) - min(b)) / mb, (max(a) - min(a)) / ma)
    higher_is_better = key[3] == "M msg/s"
    if min(len(a), len(b)) < 3:
        verdict = "too few runs to tell"
    elif spread > abs(ratio - 1):
        verdict = "noise"
    else:
        verdict = "better" if (ratio > 1) == higher_is_better else "worse"
    print(f"| {key[0]} {key[1]} {key[2]} B {key[3]} | {mb:.3g} ({min(b):.3g}..{max(b):.3g}) | "
          f"{ma:.3g} ({min(a):.3g}..{max(a):.3g}) | {ratio:.3f} | {verdict} (n={len(b)}/{len(a)}) |")
EOF
