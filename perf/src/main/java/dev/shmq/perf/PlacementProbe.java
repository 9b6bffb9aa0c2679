package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.shmq.perf.BenchProcesses.EXIT_TIMEOUT;

/**
 * Where the host put our two CPUs, asked before and after every measurement: one cache line bounced between threads
 * pinned to CPUs 0 and 1 ({@code limits probe}, a few milliseconds), its median round trip in nanoseconds.
 *
 * <p>Under KVM the two vCPUs sit on host cores that are sometimes close (about 60 ns a round trip on the machine
 * this bench was tuned on) and sometimes far apart (about 330 ns, in episodes lasting seconds). Throughput and
 * latency of every system change three- to five-fold with it, so a measurement taken while the probe says far is
 * reported apart and left out of the medians and ratios: far means slower than {@link #FAR_FACTOR} times the
 * suite's near reference, the {@link #REFERENCE_PERCENTILE}th percentile of all its probes (not the fastest: a few
 * probes come out far faster than the rest, which would make every run look far), decided when the suite ends, so
 * every run is judged against the same yardstick. The reference stays near while far episodes take up to 90 % of
 * the suite.
 */
final class PlacementProbe
{
    /** Round trips per probe: enough for a stable median, short enough to take twice per run. */
    static final int ROUNDS = 20_000;

    /** A probe slower than this many times the suite's near reference says the CPUs were far apart. */
    static final double FAR_FACTOR = 2.0;

    /** The near reference is this percentile of the suite's probes. */
    static final double REFERENCE_PERCENTILE = 10;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final BenchPeers peers;
    private final BenchProcesses processes;
    private final List<Double> probes = new ArrayList<>();
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
            probes.add(nanos);
            return nanos;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            return BenchResult.NO_PROBE;
        }
    }

    /** @return the near reference so far, in nanoseconds (infinite before the first probe). */
    double nearNanos()
    {
        return nearNanos(probes);
    }

    /**
     * @param probes probes in nanoseconds, in any order.
     * @return their {@link #REFERENCE_PERCENTILE}th percentile (nearest rank, rounded down), infinite if none.
     */
    static double nearNanos(final List<Double> probes)
    {
        if (probes.isEmpty())
        {
            return Double.POSITIVE_INFINITY;
        }
        final List<Double> sorted = new ArrayList<>(probes);
        sorted.sort(Double::compare);
        return sorted.get((int)Math.floor((sorted.size() - 1) * REFERENCE_PERCENTILE / 100));
    }

    /** @return how many probes failed (each makes its run count as far). */
    int failures()
    {
        return failures;
    }

    /**
     * @param probeNanos one probe, or {@link BenchResult#NO_PROBE}.
     * @param nearNanos  the suite's near reference.
     * @return true if the probe says far (or is missing).
     */
    static boolean isFar(final double probeNanos, final double nearNanos)
    {
        return !(probeNanos <= FAR_FACTOR * nearNanos);
    }
}
