package dev.shmq.perf;

import picocli.CommandLine;

/**
 * The benchmarks' command lines (shmq-bench, the bridge bench): parsing with picocli into an annotated options
 * object, and range checks of the values after it, each refusal an {@link IllegalArgumentException} that names the
 * option, the value and the limit.
 */
public final class OptionValues
{
    private OptionValues()
    {
    }

    /**
     * @param options an object whose fields carry picocli's {@code @Option} annotations; filled in.
     * @param args    the command line.
     * @return what picocli matched, for the checks that depend on whether an option was given.
     * @throws IllegalArgumentException with picocli's message for an unknown option, a missing value or one that
     *                                  does not convert.
     */
    public static CommandLine.ParseResult parse(final Object options, final String... args)
    {
        try
        {
            return new CommandLine(options).parseArgs(args);
        }
        catch (final CommandLine.ParameterException ex)
        {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }

    /**
     * @param options an object whose fields carry picocli's {@code @Option} annotations, at their defaults.
     * @return its usage text, as {@code --help} prints it.
     */
    public static String usage(final Object options)
    {
        return new CommandLine(options).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /**
     * @param name  the option, e.g. {@code --count}.
     * @param value its value.
     * @throws IllegalArgumentException if {@code value < 1}.
     */
    public static void positive(final String name, final long value)
    {
        if (value < 1)
        {
            throw new IllegalArgumentException(name + "=" + value + " (expected at least 1)");
        }
    }

    /**
     * @param name  the option, e.g. {@code --warmup-ms}.
     * @param value its value.
     * @throws IllegalArgumentException if {@code value < 0}.
     */
    public static void atLeastZero(final String name, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " (expected at least 0)");
        }
    }
}
