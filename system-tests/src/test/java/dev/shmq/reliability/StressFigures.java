package dev.shmq.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Sizes of the reliability runs and the one-line summary each scenario prints (and appends to
 * {@code target/reliability-figures.txt}) so that the figures can go into the README.
 */
final class StressFigures
{
    /** Messages per stress scenario in the default run; {@code -Dshmq.stress.messages} overrides. */
    static final long DEFAULT_MESSAGES = 1_000_000;

    /** Messages per stress scenario in the soak run; {@code -Dshmq.soak.messages} overrides. */
    static final long SOAK_MESSAGES = 100_000_000;

    private static final Path FIGURES = Paths.get("target", "reliability-figures.txt");
    private static final double NANOS_PER_SECOND = 1e9;

    private StressFigures()
    {
    }

    static long messages()
    {
        return Long.getLong("shmq.stress.messages", DEFAULT_MESSAGES);
    }

    static long soakMessages()
    {
        return Long.getLong("shmq.soak.messages", SOAK_MESSAGES);
    }

    static void report(final String scenario, final long messages, final int processes, final long nanos,
        final String extra)
    {
        final double seconds = nanos / NANOS_PER_SECOND;
        final String line = String.format(Locale.ROOT,
            "RELIABILITY %-34s messages=%,d processes=%d seconds=%.2f msgs/s=%,.0f%s",
            scenario, messages, processes, seconds, messages / seconds, extra.isEmpty() ? "" : " " + extra);
        System.out.println(line);
        try
        {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (final IOException ex)
        {
            System.out.println("cannot append to " + FIGURES + ": " + ex);
        }
    }
}
