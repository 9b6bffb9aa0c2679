/**
 * The across-hosts benchmark ({@code perf/bridge-bench.sh}): zeroq queues bridged by {@code shmq bridge out|in}
 * between two network namespaces, against raw Aeron between the same two hosts, for throughput and paced latency.
 * {@link dev.shmq.perf.bridge.BridgeBench} drives the runs; {@link dev.shmq.perf.bridge.BridgeBenchSender} and
 * {@link dev.shmq.perf.bridge.BridgeBenchReceiver} are the child processes at either end.
 */
package dev.shmq.perf.bridge;
