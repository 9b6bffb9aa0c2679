package dev.shmq.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a child JVM run with {@code -XX:+PrintCompilation} did not throw away compiled code inside its timed
 * window: counts the lines HotSpot prints with {@code made not entrant} whose leading time stamp (milliseconds since
 * the JVM started, the first column) falls inside the window a worker reported as {@code windowStartMs} and
 * {@code windowEndMs} (JVM uptime, the same clock).
 *
 * <p>A JDK 17 line reads {@code TIME ID FLAGS TIER METHOD [@ BCI] (N bytes)   made not entrant}, e.g.
 * <pre>
 *    1234  567 %     4       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)   made not entrant
 * </pre>
 * ({@code %} marks on-stack replacement code; the flags also hold {@code s}, {@code !}, {@code b}, {@code n}). HotSpot
 * prints it both for a deoptimisation (an uncommon trap, a broken class-hierarchy assumption) and when a newer tier
 * replaces a method's tier-1 to tier-3 (C1) code; {@link Result#optimisedCount()} counts only the tier-4 (C2) ones,
 * which are always a loss of optimised code. The JVM writes these lines straight to standard output, so a line of the
 * worker's own may be printed in the middle of one: a line without its leading time stamp is not counted.
 */
final class JitCheck
{
    /** What HotSpot appends to a compilation's line when it invalidates the compiled code. */
    static final String MADE_NOT_ENTRANT = "made not entrant";

    private static final int OPTIMISED_TIER = 4;
    private static final Pattern LINE = Pattern.compile(
        "^\\s*(\\d+)\\s+(\\d+)\\s+([%sb!n ]*?)\\s*(?:([0-4])\\s+)?(\\S+::\\S+)(\\s+@\\s+\\d+)?.*\\bmade not entrant");
    private static final Pattern LINE_START = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s");

    private JitCheck()
    {
    }

    /**
     * One compiled method that was made not entrant.
     *
     * @param timeMs    the line's time stamp, milliseconds since the JVM started.
     * @param compileId the compilation's number (second column).
     * @param tier      its tier, 1 to 3 for C1 and 4 for C2; 0 when the JVM does not print tiers.
     * @param osr       true for on-stack replacement code ({@code %}).
     * @param method    {@code class::method}, with {@code @ bci} for on-stack replacement code.
     */
    record Deopt(long timeMs, int compileId, int tier, boolean osr, String method)
    {
    }

    /**
     * What {@link #deoptsInWindow(String, long, long)} found.
     *
     * @param deopts   the methods made not entrant inside the window, in the order printed.
     * @param complete false when the captured text lost lines (the capture is bounded) from before the window start,
     *                 so the count may be short.
     */
    record Result(List<Deopt> deopts, boolean complete)
    {
        /** @return how many compiled methods were made not entrant inside the window. */
        int count()
        {
            return deopts.size();
        }

        /** @return how many of them were tier-4 (C2) code. */
        int optimisedCount()
        {
            int optimised = 0;
            for (final Deopt deopt : deopts)
            {
                if (OPTIMISED_TIER == deopt.tier())
                {
                    optimised++;
                }
            }
            return optimised;
        }

        /** @return the method of each, {@code class::method} (with {@code @ bci} for OSR code), in order. */
        List<String> methods()
        {
            final List<String> methods = new ArrayList<>(deopts.size());
            for (final Deopt deopt : deopts)
            {
                methods.add(deopt.method());
            }
            return methods;
        }

        @Override
        public String toString()
        {
            final StringBuilder text = new StringBuilder().append(count()).append(" made not entrant (")
                .append(optimisedCount()).append(" C2)");
            for (final Deopt deopt : deopts)
            {
                text.append("; ").append(deopt.timeMs()).append(" ms tier ").append(deopt.tier()).append(' ')
                    .append(deopt.method());
            }
            return complete ? text.toString() : text.append(" (output lost before the window: incomplete)").toString();
        }
    }

    /**
     * @param stdout        a child's captured standard output ({@link dev.shmq.testkit.ChildProcess#stdout()}).
     * @param windowStartMs the window's start, JVM uptime in milliseconds.
     * @param windowEndMs   the window's end, JVM uptime in milliseconds; a line stamped from start to end inclusive
     *                      counts (the stamps are whole milliseconds).
     * @return the compiled methods made not entrant inside the window.
     */
    static Result deoptsInWindow(final String stdout, final long windowStartMs, final long windowEndMs)
    {
        final List<Deopt> deopts = new ArrayList<>();
        final boolean lostLines = stdout.startsWith("[... ");
        long firstStampMs = Long.MAX_VALUE;
        for (final String line : stdout.split("\n"))
        {
            if (firstStampMs == Long.MAX_VALUE)
            {
                firstStampMs = leadingStamp(line);
            }
            if (!line.contains(MADE_NOT_ENTRANT))
            {
                continue;
            }
            final Matcher matcher = LINE.matcher(line);
            if (!matcher.find())
            {
                continue;
            }
            final long timeMs = Long.parseLong(matcher.group(1));
            if (timeMs < windowStartMs || timeMs > windowEndMs)
            {
                continue;
            }
            final String tier = matcher.group(4);
            final String bci = matcher.group(6);
            deopts.add(new Deopt(timeMs, Integer.parseInt(matcher.group(2)), null == tier ? 0 : Integer.parseInt(tier),
                matcher.group(3).indexOf('%') >= 0, matcher.group(5) + (null == bci ? "" : " " + bci.trim())));
        }
        return new Result(Collections.unmodifiableList(deopts), !lostLines || firstStampMs <= windowStartMs);
    }

    private static long leadingStamp(final String line)
    {
        final Matcher matcher = LINE_START.matcher(line);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : Long.MAX_VALUE;
    }
}
