package dev.shmq.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats the results as one text table and as CSV, with each row's ratio to the Unix-socket baseline and to
 * Agrona: throughput as this / baseline, latency as baseline p50 / this p50, so above 1 always means better.
 */
final class ResultTable
{
    static final String UNIX = BenchSystem.UNIX_SOCKET.id();
    private static final double NANOS_PER_MICRO = 1000.0;
    private static final double MEGA = 1_000_000.0;
    private static final String HEADER_FORMAT =
        "%-9s %-22s %-11s %10s %10s %5s %9s %9s %9s %9s %9s %8s %8s  %s%n";

    private final List<BenchResult> results;

    ResultTable(final List<BenchResult> results)
    {
        this.results = new ArrayList<>(results);
    }

    /** @return the rows, in order. */
    List<BenchResult> rows()
    {
        return results;
    }

    /**
     * @param runs         every run of a suite.
     * @param usualProbe the suite's usual round trip (see PlacementProbe).
     * @return one CSV line per run: its round, both probes, whether it was kept, and its figures.
     */
    static String runsCsv(final List<BenchResult> runs, final double usualProbe)
    {
        final StringBuilder out = new StringBuilder(
            "round,scenario,system,payload,probe_before_ns,probe_after_ns,kept,msgs_per_s,p50_ns,p999_ns,fill," +
            "idle_cpu\n");
        for (final BenchResult run : runs)
        {
            out.append(String.join(",", Integer.toString(run.round), run.scenario, '"' + run.system + '"',
                Integer.toString(run.payload), plain(run.probeBeforeNanos), plain(run.probeAfterNanos),
                Boolean.toString(RowSummaries.isKept(run, usualProbe)), plain(run.messagesPerSecond),
                plain(run.percentileNanos(50)), plain(run.percentileNanos(99.9)),
                Double.isNaN(run.fill) ? "" : String.format(Locale.ROOT, "%.3f", run.fill),
                Double.isNaN(run.idleCpu) ? "" : String.format(Locale.ROOT, "%.4f", run.idleCpu))).append('\n');
        }
        return out.toString();
    }

    static String agronaFor(final String scenario)
    {
        return "tp2".equals(scenario) ? BenchSystem.AGRONA_M2O.id() : BenchSystem.AGRONA_O2O.id();
    }

    BenchResult find(final String scenario, final String system, final int payload)
    {
        for (final BenchResult result : results)
        {
            if (result.scenario.equals(scenario) && result.system.equals(system) && result.payload == payload)
            {
                return result;
            }
        }
        return null;
    }

    /**
     * @param row  a result.
     * @param base the baseline of the same scenario and payload, or null.
     * @return how many times better the row is than the baseline (throughput ratio, or inverse p50 ratio), or NaN
     * when there is nothing to compare.
     */
    static double ratio(final BenchResult row, final BenchResult base)
    {
        if (null == base)
        {
            return Double.NaN;
        }
        if (row.hasThroughput() && base.hasThroughput() && base.messagesPerSecond > 0)
        {
            return row.messagesPerSecond / base.messagesPerSecond;
        }
        if (row.hasLatency() && base.hasLatency())
        {
            final double p50 = row.percentileNanos(50);
            return p50 > 0 ? base.percentileNanos(50) / p50 : Double.NaN;
        }
        return Double.NaN;
    }

    double ratioToUnix(final BenchResult row)
    {
        return ratio(row, find(row.scenario, UNIX, row.payload));
    }

    double ratioToAgrona(final BenchResult row)
    {
        return ratio(row, find(row.scenario, agronaFor(row.scenario), row.payload));
    }

    String format()
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, HEADER_FORMAT, "scenario", "system", "payload", "msg/s", "MB/s",
            "fill", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us", "x unix", "x agrona", "note"));
        String scenario = null;
        for (final BenchResult row : results)
        {
            if (null != scenario && !scenario.equals(row.scenario))
            {
                out.append('\n');
            }
            scenario = row.scenario;
            out.append(String.format(Locale.ROOT, HEADER_FORMAT,
                row.scenario,
                row.system,
                Payloads.label(row.payload),
                row.hasThroughput() ? rate(row.messagesPerSecond) : "-",
                row.hasThroughput() ? String.format(Locale.ROOT, "%.1f", row.bytesPerSecond() / MEGA) : "-",
                Double.isNaN(row.fill) ? "-" : String.format(Locale.ROOT, "%.2f", row.fill),
                micros(row.percentileNanos(50)),
                micros(row.percentileNanos(90)),
                micros(row.percentileNanos(99)),
                micros(row.percentileNanos(99.9)),
                micros(row.maxNanos()),
                times(ratioToUnix(row)),
                times(ratioToAgrona(row)),
                null == row.note ? "" : row.note));
        }
        return out.toString();
    }

    String csv()
    {
        final StringBuilder out = new StringBuilder(
            "scenario,system,payload,msgs_per_s,bytes_per_s,fill,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,x_unix,x_agrona," +
            "note\n");
        for (final BenchResult row : results)
        {
            out.append(String.join(",",
                row.scenario, row.system, Integer.toString(row.payload),
                plain(row.messagesPerSecond), plain(row.bytesPerSecond()),
                Double.isNaN(row.fill) ? "" : String.format(Locale.ROOT, "%.3f", row.fill),
                plain(row.percentileNanos(50)), plain(row.percentileNanos(90)), plain(row.percentileNanos(99)),
                plain(row.percentileNanos(99.9)), plain(row.maxNanos()),
                plain(ratioToUnix(row)), plain(ratioToAgrona(row)),
                '"' + (null == row.note ? "" : row.note.replace("\"", "'")) + '"')).append('\n');
        }
        return out.toString();
    }

    static String rate(final double perSecond)
    {
        if (perSecond >= MEGA)
        {
            return String.format(Locale.ROOT, "%.2fM", perSecond / MEGA);
        }
        if (perSecond >= 1000)
        {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1000);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String micros(final double nanos)
    {
        if (Double.isNaN(nanos))
        {
            return "-";
        }
        final double micros = nanos / NANOS_PER_MICRO;
        return String.format(Locale.ROOT, micros < 10 ? "%.3f" : micros < 1000 ? "%.1f" : "%.0f", micros);
    }

    static String times(final double ratio)
    {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio))
        {
            return "-";
        }
        return String.format(Locale.ROOT, ratio < 10 ? "%.2fx" : "%.0fx", ratio);
    }

    private static String plain(final double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }
}
