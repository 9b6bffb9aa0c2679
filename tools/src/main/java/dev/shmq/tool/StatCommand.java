package dev.shmq.tool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmq stat [PREFIX]}: a live view of the directory's segments, as AeronStat is for Aeron: protocol, shape,
 * occupancy, rates per second between two samples, zeroq stalls and holds seen in a sample, SlickQueue's
 * {@code init_state} and {@code last_published} with its age, and the pids mapping each one.
 *
 * <p>It samples every {@code --interval}: a first sample (the baseline), then one per interval, each compared with
 * the one before ({@link StatTracker}). On a terminal the screen is redrawn ({@link StatScreen}) until Ctrl-C or
 * SIGTERM; otherwise, or with {@code --once}, every sample after the baseline is one line per segment
 * ({@link StatLines}); with {@code --json} one JSON object ({@link StatJson}). {@code --once} prints the sample one
 * interval after the baseline, so that it has rates, and exits. Segments are only ever mapped read only, one sample
 * at a time ({@link SegmentSampler}): one that disappears, is truncated or changes shape is a row saying so.
 */
@Command(
    name = "stat",
    description = {
        "live view of segments: occupancy, rates per second, stalls, init_state, pids (as AeronStat is for Aeron).",
        "On a terminal the screen is redrawn every interval until Ctrl-C; otherwise, or with --once, one line per " +
            "segment per sample (a timestamp, then key=value pairs); with --json one JSON object per sample."
    })
final class StatCommand extends ToolCommand
{
    private static final String DEFAULT_INTERVAL_MS = "1000";

    @Spec
    private CommandSpec spec;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "PREFIX",
        description = "only segments whose names start with PREFIX (default: all)")
    private String prefix = "";

    @Option(
        names = "--interval",
        paramLabel = "MS",
        converter = NonNegativeLong.class,
        description = "milliseconds between samples (default: ${DEFAULT-VALUE})")
    private long intervalMs = Long.parseLong(DEFAULT_INTERVAL_MS);

    @Option(
        names = "--once",
        description = "take two samples one interval apart, print the second (lines, or --json) and exit")
    private boolean once;

    @Option(names = "--json", description = "one JSON object per sample, in place of the lines or the screen")
    private boolean json;

    @Option(
        names = "--count",
        paramLabel = "N",
        converter = NonNegativeLong.class,
        description = "stop after N samples, each one interval after the one before (default: until Ctrl-C/SIGTERM)")
    private long count;

    @Override
    int execute() throws InterruptedException
    {
        checkOptions();
        final SegmentSampler sampler = new SegmentSampler(tool().segments(), tool().directory(), prefix);
        final StatTracker tracker = new StatTracker();
        final StatSample baseline = sampler.sample();
        if (null != baseline.error())
        {
            throw new IllegalStateException(baseline.error());
        }
        final StatRenderer renderer = renderer();
        final StopOnShutdown stop = new StopOnShutdown("shmq-stat-stop");
        try
        {
            final StatFrame first = frame(baseline, tracker);
            if (renderer.showsFirstSample())
            {
                renderer.render(first);
            }
            sampleUntilDone(sampler, tracker, renderer, stop);
        }
        finally
        {
            renderer.finish();
            stop.finish();
        }
        return ShmqTool.EXIT_OK;
    }

    private void sampleUntilDone(
        final SegmentSampler sampler, final StatTracker tracker, final StatRenderer renderer, final StopOnShutdown stop)
        throws InterruptedException
    {
        final long intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        final long samples = once ? 1 : count;
        long next = System.nanoTime() + intervalNanos;
        for (long taken = 0; 0 == samples || taken < samples; taken++)
        {
            if (stop.awaitStop(next - System.nanoTime()))
            {
                return;
            }
            renderer.render(frame(sampler.sample(), tracker));
            if (tool().out().checkError())
            {
                // Nobody reads any more (a closed pipe, as with | head): nothing left to do.
                return;
            }
            // A fixed rate, unless a sample took longer than the interval: then the next one follows at once.
            final long now = System.nanoTime();
            next = next + intervalNanos - now > 0 ? next + intervalNanos : now;
        }
    }

    private StatFrame frame(final StatSample sample, final StatTracker tracker)
    {
        return new StatFrame(
            sample.time(), intervalMs, tool().directory(), prefix, tracker.update(sample), sample.error());
    }

    private StatRenderer renderer()
    {
        final PrintStream out = tool().out();
        if (json)
        {
            return new StatJson(out);
        }
        // The screen only for this JVM's own terminal: not for --once, nor for a stream handed to ShmqTool.
        return !once && System.out == out && onTerminal() ? new StatScreen(out) : new StatLines(out);
    }

    /**
     * @return true when standard input and output are a terminal: a console, which from JDK 22 on may also stand for
     * redirected streams, so there its {@code isTerminal()} (absent from JDK 17, where a console is a terminal).
     */
    private static boolean onTerminal()
    {
        final Console console = System.console();
        if (null == console)
        {
            return false;
        }
        try
        {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
        }
        catch (final NoSuchMethodException ex)
        {
            return true;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return false;
        }
    }

    private void checkOptions()
    {
        if (intervalMs < 1)
        {
            throw new ParameterException(spec.commandLine(), "--interval=" + intervalMs + " (expected at least 1 ms)");
        }
        if (once && count > 0)
        {
            throw new ParameterException(spec.commandLine(),
                "--once and --count=" + count + " (expected one of them: --once prints one sample)");
        }
    }
}
