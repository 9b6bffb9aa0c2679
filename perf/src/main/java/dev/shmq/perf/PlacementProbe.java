package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;

import java.time.Duration;

import static dev.shmq.perf.BenchProcesses.EXIT_TIMEOUT;

/**
 * Where the host put our two CPUs, asked before and after every measurement: one cache line bounced between threads
 * pinned to CPUs 0 and 1 ({@code limits probe}, a few milliseconds), its median round trip in nanoseconds.
 *
 * <p>Under KVM the two vCPUs sit on host cores that are sometimes close (about 60 ns a round trip on the machine
 * this bench was tuned on) and sometimes far apart (about 330 ns, in episodes lasting seconds). Throughput and
 * latency of every system change three- to five-fold with it, so a measurement taken while the probe says far is
 * reported apart and left out of the medians and ratios: far means slower than {@link #FAR_FACTOR} times the
 * fastest probe of the suite, decided when the suite ends, so every run is judged against the same yardstick.
 */
final class PlacementProbe
{
    /** Round trips per probe: enough for a stable median, short enough to take twice per run. */
    static final int ROUNDS = 20_000;

    /** A probe slower than this many times the suite's fastest says the CPUs were far apart. */
    static final double FAR_FACTOR = 2.0;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final BenchPeers peers;
    private final BenchProcesses processes;
    private double fastestNanos = Double.POSITIVE_INFINITY;
    private int failures;

    PlacementProbe(final BenchPeers peers, final BenchProcesses processes)
    {
        this.peers = peers;
        this.processes = processes;
    }

    /** @return the probe's median round trip in nanoseconds, or {@link BenchResult#NO_PROBE} if it failed. */
    double measure()
    {
        try (ChildProcess child = processes.track(peers.limits().start("probe", Integer.toString(ROUNDS))))
        {
            final double nanos = Double.parseDouble(PeerLines.fields(child.awaitLine("RESULT", PROBE_TIMEOUT))
                .get("p50"));
            child.waitFor(EXIT_TIMEOUT);
            fastestNanos = Math.min(fastestNanos, nanos);
            return nanos;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            return BenchResult.NO_PROBE;
        }
    }

    /** @return the fastest probe so far, in nanoseconds (infinite before the first). */
    double fastestNanos()
    {
        return fastestNanos;
    }

    /** @return how many probes failed (each makes its run count as far). */
    int failures()
    {
        return failures;
    }

    /**
     * @param probeNanos   one probe, or {@link BenchResult#NO_PROBE}.
     * @param fastestNanos the suite's fastest probe.
     * @return true if the probe says far (or is missing).
     */
    static boolean isFar(final double probeNanos, final double fastestNanos)
    {
        return !(probeNanos <= FAR_FACTOR * fastestNanos);
    }
}
