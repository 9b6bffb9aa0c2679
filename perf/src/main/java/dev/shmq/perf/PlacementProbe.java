package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.PeerLines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;

import static dev.shmq.perf.BenchProcesses.EXIT_TIMEOUT;

/**
 * Where the host put our two CPUs, asked just before and just after every measurement: one cache line bounced between
 * threads pinned to CPUs 0 and 1 ({@code limits probe}, a few milliseconds), its median round trip in nanoseconds.
 * The first probe of a run is taken once its workers are ready, just before they are sent {@code GO} (they wait on
 * standard input then, and nothing of the run spins), so that it is a few milliseconds before the timed window
 * rather than the second or two the workers' JVMs take to start; the second once they have printed their results
 * and exited.
 *
 * <p>Under KVM the host moves our two vCPUs between host cores in episodes lasting seconds, and the probe tells the
 * placements apart: on the machine this bench was first tuned on, about 60 ns a round trip in most probes and about
 * 330 ns (far apart) in one in five; on a later one, 195-370 ns in most probes and 82-88 ns in 37 of 494 runs (as
 * fast as two hyperthreads of one core, sharing its caches, would be); on another, three placements, 90-130 ns in 79 %
 * of 1,252 probes, 220-300 ns in 17 % and 310-550 ns in 5 %. Throughput and latency of every system change two- to
 * seven-fold with the placement, so a row's runs are only comparable within one placement: a measurement
 * whose probes say another placement than the suite's usual one is reported apart ("away") and left out of the
 * medians and ratios. Away means slower than {@link #AWAY_FACTOR} times the suite's usual round trip, the median of
 * all its probes, or faster than that divided by {@link #AWAY_FACTOR}, decided when the suite ends, so that every
 * run is judged against the same yardstick. The median is the placement the suite spent most of its probes in; a
 * suite spent mostly far apart keeps its far runs, and says so in the usual round trip it prints.
 */
final class PlacementProbe
{
    /** Round trips per probe: enough for a stable median, short enough to take twice per run. */
    static final int ROUNDS = 20_000;

    /**
     * A probe slower than this many times the suite's usual round trip says the CPUs were farther apart than usual;
     * one faster than the usual divided by it, that they were closer (as on one core's two hyperthreads). Within one
     * placement the probes spread by less than 1.5x either way of their median on every machine seen (195-370 ns
     * about 261 ns; 90-130 ns about 120 ns), and the nearest other placement was at twice the usual round trip, so
     * 2.0 cut through it: runs at 230-240 ns were kept, and ran a third as fast as the rest of their row.
     */
    static final double AWAY_FACTOR = 1.5;

    /** The usual round trip is this percentile of the suite's probes: the median. */
    static final double REFERENCE_PERCENTILE = 50;

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final DoubleSupplier roundTrip;
    private final List<Double> probes = new ArrayList<>();
    private int failures;

    /**
     * @param roundTrip takes one probe: its median round trip in nanoseconds; throws if it cannot.
     */
    PlacementProbe(final DoubleSupplier roundTrip)
    {
        this.roundTrip = roundTrip;
    }

    /**
     * @param peers     builds the limits program.
     * @param processes tracks the probe's process, so that stopping the bench stops it.
     * @return the probe that bounces a cache line with the limits program ({@code limits probe}).
     */
    static PlacementProbe cacheLine(final BenchPeers peers, final BenchProcesses processes)
    {
        return new PlacementProbe(() ->
        {
            try (ChildProcess child = processes.track(peers.limits().start("probe", Integer.toString(ROUNDS))))
            {
                final double nanos = Double.parseDouble(PeerLines.fields(child.awaitLine("RESULT", PROBE_TIMEOUT))
                    .get("p50"));
                child.waitFor(EXIT_TIMEOUT);
                return nanos;
            }
        });
    }

    /** @return the probe's median round trip in nanoseconds, or {@link BenchResult#NO_PROBE} if it failed. */
    double measure()
    {
        try
        {
            final double nanos = roundTrip.getAsDouble();
            probes.add(nanos);
            return nanos;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            return BenchResult.NO_PROBE;
        }
    }

    /** @return the usual round trip so far, in nanoseconds (infinite before the first probe). */
    double usualNanos()
    {
        return usualNanos(probes);
    }

    /**
     * @param probes probes in nanoseconds, in any order.
     * @return their {@link #REFERENCE_PERCENTILE}th percentile (nearest rank, rounded down), infinite if none.
     */
    static double usualNanos(final List<Double> probes)
    {
        if (probes.isEmpty())
        {
            return Double.POSITIVE_INFINITY;
        }
        final List<Double> sorted = new ArrayList<>(probes);
        sorted.sort(Double::compare);
        return sorted.get((int)Math.floor((sorted.size() - 1) * REFERENCE_PERCENTILE / 100));
    }

    /** @return how many probes succeeded. */
    int probeCount()
    {
        return probes.size();
    }

    /** @return how many probes were slower than {@link #AWAY_FACTOR} times the usual round trip (far apart). */
    int slowerProbes()
    {
        final double usual = usualNanos();
        return count((nanos) -> isSlower(nanos, usual));
    }

    /** @return how many probes were faster than the usual round trip divided by {@link #AWAY_FACTOR} (closer). */
    int fasterProbes()
    {
        final double usual = usualNanos();
        return count((nanos) -> isFaster(nanos, usual));
    }

    private int count(final DoublePredicate which)
    {
        int count = 0;
        for (final double nanos : probes)
        {
            count += which.test(nanos) ? 1 : 0;
        }
        return count;
    }

    /** @return how many probes failed (each makes its run count as away). */
    int failures()
    {
        return failures;
    }

    /**
     * @param probeNanos one probe, or {@link BenchResult#NO_PROBE}.
     * @param usualNanos the suite's usual round trip.
     * @return true if the probe says another placement than the usual one, farther or closer (or is missing).
     */
    static boolean isAway(final double probeNanos, final double usualNanos)
    {
        return Double.isNaN(probeNanos) || isSlower(probeNanos, usualNanos) || isFaster(probeNanos, usualNanos);
    }

    private static boolean isSlower(final double probeNanos, final double usualNanos)
    {
        return probeNanos > AWAY_FACTOR * usualNanos;
    }

    private static boolean isFaster(final double probeNanos, final double usualNanos)
    {
        return probeNanos * AWAY_FACTOR < usualNanos;
    }
}
