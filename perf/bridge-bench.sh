#!/usr/bin/env bash
# shmq bridged vs raw Aeron across two hosts: two network namespaces joined by a veth pair on this machine. Rows:
# throughput at 64 B and 1 KiB, latency at 10,000 msg/s (64 B); each measured in interleaved pairs (raw, bridged;
# bridged, raw; ...) 5 times, reported as a markdown table of medians with min..max, ratios and verdicts.
#
#   perf/bridge-bench.sh [options]                     # as root; --help lists the options
#   flock /tmp/shmq-build.lock perf/bridge-bench.sh    # on a shared box, so that no build runs alongside
#
# Needs root (namespaces), JDK 17 and Maven; iproute2 is installed if missing. Builds perf/target/shmq-bench.jar first
# (set SHMQ_BENCH_NO_BUILD=1 to skip; MVN_FLAGS, e.g. -o, go to Maven). Results: perf/target/bridge-bench/
# (results.md, runs.csv, *.hgrm, logs/). Takes about four minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "bridge-bench: needs root (it makes two network namespaces)" >&2
  exit 2
fi
if [ "${SHMQ_BENCH_NO_BUILD:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_FLAGS:-} -Dmaven.test.skip=true package -pl perf -am
fi
out=perf/target/bridge-bench
rm -rf "$out"
exec java \
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
  --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
  --add-opens java.base/java.nio=ALL-UNNAMED \
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  -cp "$(pwd)/perf/target/shmq-bench.jar" dev.shmq.perf.bridge.BridgeBench --out "$out" "$@"
