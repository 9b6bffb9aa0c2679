package dev.shmq.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Checks a suite's runs against the project's performance goals. A ratio goal is judged on pairs: the row's run and
 * its baseline's run of the same round (they ran back to back), both kept ({@link RowSummaries#isKept}). The spread
 * is the pairs' interquartile range (nearest rank: with 7 pairs, the second lowest to the second highest, so one
 * stray pair on each side does not decide). MET when the whole spread is on the goal's side, MISSED when it is all
 * on the other, NOISY when it straddles the goal: the spread is wider than the margin, so the run cannot tell. Each
 * line gives the median ratio, the spread, min..max and the number of pairs.
 */
final class GoalReport
{
    /** Verdicts need at least this many pairs. */
    static final int MIN_PAIRS = 3;

    private static final int[] SMALL_PAYLOADS = {8, 64, 1024};
    private static final double SLICK_OVER_CPP = 2.0;
    private static final double ZEROQ_OVER_CPP = 1.0;
    private static final double BATCH_OVER_UNIX = 30.0;
    private static final double RTT_TAIL_OVER_CPP = 1.2;
    private static final double RTT_OVER_AGRONA = 1.0;
    private static final double FRAME_OVER_MEMCPY = 0.8;
    private static final double WAKE_P50_NANOS = 50_000;
    private static final double IDLE_CPU = 0.05;
    private static final double TAIL = 99.9;
    private static final double MEDIAN = 50;
    private static final double LOWER_QUARTILE = 0.25;
    private static final double UPPER_QUARTILE = 0.75;

    private final ResultTable table;
    private final List<BenchResult> runs;
    private final double usualProbe;

    /**
     * @param table        the summarised rows.
     * @param runs         every run of the suite.
     * @param usualProbe the suite's usual round trip (see PlacementProbe) (infinite: none, keep every run).
     */
    GoalReport(final ResultTable table, final List<BenchResult> runs, final double usualProbe)
    {
        this.table = table;
        this.runs = runs;
        this.usualProbe = usualProbe;
    }

    /**
     * @return one line per goal whose subject ran in this suite (goals about systems or scenarios not selected are
     * left out; a subject that ran against a baseline that did not says n/a).
     */
    List<String> evaluate()
    {
        final List<String> lines = new ArrayList<>();
        evaluateThroughput(lines);
        evaluateRoundTrips(lines);
        evaluateFrames(lines);
        evaluateWake(lines);
        lines.removeIf((line) -> null == line);
        return lines;
    }

    private void evaluateThroughput(final List<String> lines)
    {
        final ToDoubleFunction<BenchResult> rate = (run) -> run.messagesPerSecond;
        for (final int payload : SMALL_PAYLOADS)
        {
            final String size = Payloads.label(payload);
            lines.add(atLeast("SlickQueue >= 2x C++ SlickQueue, 1P1C " + size,
                pairs("tp", BenchSystem.SLICK.id(), BenchSystem.CPP_SLICK.id(), payload, rate), SLICK_OVER_CPP));
            lines.add(atLeast("zeroq >= C++ zeroq, 1P1C " + size,
                pairs("tp", BenchSystem.ZEROQ_SPIN.id(), BenchSystem.CPP_ZEROQ.id(), payload, rate),
                ZEROQ_OVER_CPP));
            for (final BenchSystem batch : new BenchSystem[]{BenchSystem.SLICK_BATCH, BenchSystem.ZEROQ_BATCH})
            {
                lines.add(atLeast(batch.id() + " >= Agrona o2o, " + size,
                    pairs("tp", batch.id(), BenchSystem.AGRONA_O2O.id(), payload, rate), 1.0));
                lines.add(atLeast(batch.id() + " >= 30x Unix socket, " + size,
                    pairs("tp", batch.id(), BenchSystem.UNIX_SOCKET.id(), payload, rate), BATCH_OVER_UNIX));
            }
        }
    }

    private void evaluateRoundTrips(final List<String> lines)
    {
        lines.add(atMost("zeroq RTT p99.9 at 8 B <= 1.2x C++ zeroq's",
            pairs("rtt", BenchSystem.ZEROQ_SPIN.id(), BenchSystem.CPP_ZEROQ.id(), 8,
                (run) -> run.percentileNanos(TAIL)), RTT_TAIL_OVER_CPP));
        for (final BenchSystem system : new BenchSystem[]{BenchSystem.SLICK, BenchSystem.ZEROQ_SPIN})
        {
            lines.add(atMost(system.id() + " RTT p50 at 8 B <= 1.0x Agrona o2o's",
                pairs("rtt", system.id(), BenchSystem.AGRONA_O2O.id(), 8, (run) -> run.percentileNanos(MEDIAN)),
                RTT_OVER_AGRONA));
        }
    }

    private void evaluateFrames(final List<String> lines)
    {
        for (final BenchSystem system : new BenchSystem[]{BenchSystem.SLICK, BenchSystem.ZEROQ_SPIN})
        {
            lines.add(atLeast(system.id() + " 1080p frames, written and checksummed in place, >= 0.8x memcpy",
                pairs("tp", system.id(), BenchScenarios.MEMCPY, Payloads.FRAME, (run) -> run.messagesPerSecond),
                FRAME_OVER_MEMCPY));
        }
    }

    /**
     * The default idle strategy's goal, judged as a ratio goal on its kept runs: each run's ratio is the larger of
     * its wake-up p50 over 50 us and its waiting thread's idle CPU over 5 % of a core, so a run meets the goal when
     * its ratio is at most 1, and the verdict comes from the runs' interquartile range like every other goal's.
     */
    private void evaluateWake(final List<String> lines)
    {
        final String system = "zeroq take/" + ZeroqEndpoints.IDLE_DEFAULT;
        if (null == table.find("wake", system, 8))
        {
            return;
        }
        final List<Double> ratios = new ArrayList<>();
        final StringBuilder figures = new StringBuilder();
        for (final BenchResult run : kept("wake", system, 8))
        {
            final double p50 = run.percentileNanos(MEDIAN);
            final double idle = run.idleCpu;
            ratios.add(Math.max(p50 / WAKE_P50_NANOS, idle / IDLE_CPU));
            figures.append(0 == figures.length() ? "" : "; ").append(String.format(Locale.ROOT,
                "%.1f us %.1f%%", p50 / 1000, 100 * idle));
        }
        lines.add(atMost(system + ": wake-up p50 <= 50 us with idle < 5% of a core", new Pairs(ratios,
            "kept runs, each the larger of p50/50 us and idle/5%; p50 and idle: " + figures), 1.0));
    }

    /** The ratios of one goal's pairs, or why there are none; {@code null} ratios: the subject did not run. */
    static final class Pairs
    {
        final List<Double> ratios;
        final String detail;

        Pairs(final List<Double> ratios, final String detail)
        {
            this.ratios = ratios;
            this.detail = detail;
        }
    }

    private List<BenchResult> kept(final String scenario, final String system, final int payload)
    {
        final List<BenchResult> kept = new ArrayList<>();
        for (final BenchResult run : runs)
        {
            if (scenario.equals(run.scenario) && system.equals(run.system) && payload == run.payload &&
                (run.hasThroughput() || run.hasLatency()) && RowSummaries.isKept(run, usualProbe))
            {
                kept.add(run);
            }
        }
        return kept;
    }

    /**
     * @return the ratios of the row's kept runs over the baseline's kept run of the same round; null if the row did
     *         not run; an empty list with the reason if the baseline did not, or failed.
     */
    private Pairs pairs(
        final String scenario,
        final String system,
        final String baseline,
        final int payload,
        final ToDoubleFunction<BenchResult> value)
    {
        final BenchResult row = table.find(scenario, system, payload);
        if (null == row)
        {
            return null;
        }
        final BenchResult base = table.find(scenario, baseline, payload);
        if (!row.hasThroughput() && !row.hasLatency())
        {
            return new Pairs(List.of(), row.note);
        }
        if (null == base || !base.hasThroughput() && !base.hasLatency())
        {
            return new Pairs(List.of(), "baseline " + (null == base ? baseline + " not run" : base.note));
        }
        final Map<Integer, BenchResult> baseByRound = lastKeptByRound(scenario, baseline, payload);
        final List<Double> ratios = new ArrayList<>();
        for (final BenchResult run : lastKeptByRound(scenario, system, payload).values())
        {
            final BenchResult other = baseByRound.get(run.round);
            if (null != other)
            {
                ratios.add(value.applyAsDouble(run) / value.applyAsDouble(other));
            }
        }
        return new Pairs(ratios, "pairs of one round against " + baseline);
    }

    /**
     * @return the row's last kept run of each round, in round order: a run retried in its round (see
     * InterleavedRounds) may leave more than one kept run there when the suite's usual placement moved after the
     * first was judged away, and a round gives one pair.
     */
    private Map<Integer, BenchResult> lastKeptByRound(final String scenario, final String system, final int payload)
    {
        final Map<Integer, BenchResult> byRound = new LinkedHashMap<>();
        for (final BenchResult run : kept(scenario, system, payload))
        {
            byRound.put(run.round, run);
        }
        return byRound;
    }

    /** @return the goal's line for "ratio at least {@code goal}", or null when its subject did not run. */
    static String atLeast(final String name, final Pairs pairs, final double goal)
    {
        return verdict(name, pairs, goal, true);
    }

    /** @return the goal's line for "ratio at most {@code goal}", or null when its subject did not run. */
    static String atMost(final String name, final Pairs pairs, final double goal)
    {
        return verdict(name, pairs, goal, false);
    }

    private static String verdict(final String name, final Pairs pairs, final double goal, final boolean higher)
    {
        if (null == pairs)
        {
            return null;
        }
        final List<Double> ratios = new ArrayList<>(pairs.ratios);
        if (ratios.size() < MIN_PAIRS)
        {
            return String.format(Locale.ROOT, "%s: n/a (%d pairs, need %d; %s)", name, ratios.size(), MIN_PAIRS,
                pairs.detail);
        }
        ratios.sort(Double::compare);
        final int last = ratios.size() - 1;
        final double low = ratios.get((int)Math.floor(last * LOWER_QUARTILE));
        final double high = ratios.get((int)Math.ceil(last * UPPER_QUARTILE));
        final double median = ratios.get(ratios.size() / 2);
        final String verdict;
        if (higher ? low >= goal : high <= goal)
        {
            verdict = "MET";
        }
        else if (higher ? high < goal : low > goal)
        {
            verdict = "MISSED";
        }
        else
        {
            verdict = "NOISY";
        }
        return String.format(Locale.ROOT, "%s: %s (ratio %.2fx, spread %.2f..%.2f, all %.2f..%.2f, %d %s)", name,
            verdict, median, low, high, ratios.get(0), ratios.get(last), ratios.size(), pairs.detail);
    }
}
