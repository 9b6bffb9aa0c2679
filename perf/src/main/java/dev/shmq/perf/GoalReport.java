package dev.shmq.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks one run's results against the project's performance goals, saying MET, MISSED (with the ratio) or n/a (what
 * is missing) for each.
 */
final class GoalReport
{
    private static final int[] SMALL_PAYLOADS = {8, 64, 1024};
    private static final double SLICK_OVER_CPP = 2.0;
    private static final double BATCH_OVER_UNIX = 30.0;
    private static final double RTT_OVER_CACHE_LINE = 1.5;
    private static final double FRAME_OVER_MEMCPY = 0.8;
    private static final double WAKE_P50_NANOS = 50_000;
    private static final double IDLE_CPU = 0.05;

    private final ResultTable table;
    private final List<BenchResult> results;

    GoalReport(final ResultTable table, final List<BenchResult> results)
    {
        this.table = table;
        this.results = results;
    }

    /**
     * @return one line per goal whose subject ran in this run (goals about systems or scenarios not selected are left
     * out; a subject that ran against a baseline that did not says n/a).
     */
    List<String> evaluate()
    {
        final List<String> lines = new ArrayList<>();
        evaluateThroughput(lines);
        evaluateLimits(lines);
        lines.removeIf((line) -> null == line);
        return lines;
    }

    private void evaluateThroughput(final List<String> lines)
    {
        for (final int payload : SMALL_PAYLOADS)
        {
            lines.add(atLeast("SlickQueue >= 2x C++ SlickQueue, 1P1C " + Payloads.label(payload),
                find("tp", BenchSystem.SLICK.id(), payload), find("tp", BenchSystem.CPP_SLICK.id(), payload),
                SLICK_OVER_CPP));
            lines.add(atLeast("zeroq >= C++ zeroq, 1P1C " + Payloads.label(payload),
                find("tp", BenchSystem.ZEROQ_SPIN.id(), payload), find("tp", BenchSystem.CPP_ZEROQ.id(), payload),
                1.0));
            for (final BenchSystem batch : new BenchSystem[]{BenchSystem.SLICK_BATCH, BenchSystem.ZEROQ_BATCH})
            {
                final BenchResult row = find("tp", batch.id(), payload);
                lines.add(atLeast(batch.id() + " >= Agrona o2o, " + Payloads.label(payload), row,
                    find("tp", BenchSystem.AGRONA_O2O.id(), payload), 1.0));
                lines.add(atLeast(batch.id() + " >= 30x Unix socket, " + Payloads.label(payload), row,
                    find("tp", BenchSystem.UNIX_SOCKET.id(), payload), BATCH_OVER_UNIX));
            }
        }
    }

    private void evaluateLimits(final List<String> lines)
    {
        final BenchResult cacheLine = find("limits", "cache-line RTT (C)", 64);
        for (final BenchSystem system : new BenchSystem[]{BenchSystem.SLICK, BenchSystem.ZEROQ_SPIN})
        {
            final BenchResult rtt = find("rtt", system.id(), 8);
            final String goal = system.id() + " RTT p50 at 8 B <= 1.5x cache-line RTT";
            if (null == rtt)
            {
                continue;
            }
            if (!rtt.hasLatency() || null == cacheLine || !cacheLine.hasLatency())
            {
                lines.add(goal + ": n/a (not measured)");
            }
            else
            {
                final double ratio = rtt.percentileNanos(50) / cacheLine.percentileNanos(50);
                lines.add(String.format(Locale.ROOT, "%s: %s (%.0f ns vs %.0f ns = %.2fx)", goal,
                    ratio <= RTT_OVER_CACHE_LINE ? "MET" : "MISSED", rtt.percentileNanos(50),
                    cacheLine.percentileNanos(50), ratio));
            }
        }
        final BenchResult memcpy = find("limits", "memcpy 6 MiB (C)", 6 << 20);
        for (final BenchSystem system : new BenchSystem[]{BenchSystem.SLICK, BenchSystem.ZEROQ_SPIN})
        {
            final BenchResult frame = find("tp", system.id(), Payloads.FRAME);
            final String goal = system.id() + " 1080p frames >= 0.8x memcpy bandwidth";
            if (null == frame)
            {
                continue;
            }
            if (!frame.hasThroughput() || null == memcpy || !memcpy.hasThroughput())
            {
                lines.add(goal + ": n/a (not measured)");
            }
            else
            {
                final double ratio = frame.bytesPerSecond() / memcpy.bytesPerSecond();
                lines.add(String.format(Locale.ROOT, "%s: %s (%.2f GB/s vs %.2f GB/s = %.2fx)", goal,
                    ratio >= FRAME_OVER_MEMCPY ? "MET" : "MISSED", frame.bytesPerSecond() / 1e9,
                    memcpy.bytesPerSecond() / 1e9, ratio));
            }
        }
        for (final BenchResult row : results)
        {
            if ("wake".equals(row.scenario) && row.hasLatency())
            {
                final double idle = idleFraction(row.note);
                final boolean met = row.percentileNanos(50) <= WAKE_P50_NANOS && idle < IDLE_CPU;
                lines.add(String.format(Locale.ROOT, "%s: wake-up p50 <= 50 us with idle < 5%% of a core: %s " +
                    "(p50 %.1f us, p99 %.1f us, idle %.1f%%)", row.system, met ? "MET" : "MISSED",
                    row.percentileNanos(50) / 1000, row.percentileNanos(99) / 1000, 100 * idle));
            }
        }
    }

    private BenchResult find(final String scenario, final String system, final int payload)
    {
        return table.find(scenario, system, payload);
    }

    /**
     * @return the goal's line, or null when its subject did not run.
     */
    static String atLeast(final String goal, final BenchResult row, final BenchResult base, final double factor)
    {
        if (null == row)
        {
            return null;
        }
        if (!row.hasThroughput())
        {
            return goal + ": n/a (" + row.note + ")";
        }
        if (null == base || !base.hasThroughput())
        {
            return goal + ": n/a (baseline " + (null == base ? "not run" : base.note) + ")";
        }
        final double ratio = ResultTable.ratio(row, base);
        return String.format(Locale.ROOT, "%s: %s (%s vs %s msg/s = %.2fx)", goal,
            ratio >= factor ? "MET" : "MISSED", ResultTable.rate(row.messagesPerSecond),
            ResultTable.rate(base.messagesPerSecond), ratio);
    }

    static double idleFraction(final String note)
    {
        final int end = note.indexOf('%');
        final int start = note.lastIndexOf(' ', end) + 1;
        return end > start ? Double.parseDouble(note.substring(start, end)) / 100 : Double.NaN;
    }
}
