package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code shmq} command-line tool, one picocli {@link Command} per subcommand.
 *
 * <pre>
 * shmq list                                  segments, protocol, length, pids mapping them
 * shmq stat [PREFIX] [--interval MS] [--once] [--json] [--count N]
 *                                            live view: occupancy, rates per second, stalls, pids (screen or lines)
 * shmq inspect NAME                          header fields, positions, state; exit 1 if corrupt or unknown
 * shmq rm NAME [--force]                     remove a segment (a live one, or of unknown liveness, only with --force)
 * shmq clean [--prefix P] [--min-age S] [--dry-run] [--force]
 *                                            remove stale segments (mapped by nobody, changed at least S s ago)
 * shmq unblock NAME                          free a zeroq cell held by a dead producer or consumer
 * shmq send zeroq|slick NAME [--count N] [--producer ID] [--stdin] [--timeout MS]
 * shmq recv zeroq|slick NAME [--count N] [--timeout MS] [--verify] [--hex] [--from-start]
 * shmq bridge out|in zeroq|slick NAME --channel CHANNEL --stream ID [--create --capacity N --element-size B]
 *                 [--aeron-dir DIR] [--cursor NAME] [--from-start] [--sole-producer] [--count N] [--log-interval MS]
 *                                            move elements between a local queue and an Aeron stream (another host)
 * shmq help [COMMAND]                        usage, of the tool or of one command
 * common options, before or after COMMAND:
 *                 --dir DIR                  the shared-memory directory (default /dev/shm)
 *                 --proc DIR                 the procfs whose processes' maps tell liveness (default /proc)
 * </pre>
 *
 * <p>{@code send} writes checked payloads ({@link dev.shmq.core.CheckedPayload}) unless {@code --stdin} is given, in
 * which case each input line is one element (zeroq: zero-padded to the element size; SlickQueue: as many elements as
 * the line needs). {@code recv --verify} checks checked payloads and per-producer order. Liveness and cleaning are
 * those of {@link ShmSegments}: by device and inode, a segment of unknown liveness is never removed without
 * {@code --force}, and a young one never.
 *
 * <p>Exit codes: 0 success, 1 failure (corrupt or truncated segment, timeout, verification, an object clean could not
 * remove), 2 usage error. Every failure is one line on standard error, {@code shmq: COMMAND: message}, never a stack
 * trace: whatever a command throws, an {@link Error} too, is caught at the command boundary, and picocli's usage
 * errors are reported the same way. Another process may truncate a segment under the tool, and touching a mapping
 * past the end of its file raises SIGBUS (which the JVM turns into an {@link InternalError} when it can): so every
 * command that reads or writes slots or cells checks the object's length before each element and after each pause,
 * and reports a truncation it finds as one line.
 */
@Command(
    name = "shmq",
    description = "Lists, inspects, cleans and drives shared-memory queues (SlickQueue v1.4.0, zeroq 0.1.0).",
    subcommands = {
        ListCommand.class,
        StatCommand.class,
        InspectCommand.class,
        RemoveCommand.class,
        CleanCommand.class,
        UnblockCommand.class,
        SendCommand.class,
        ReceiveCommand.class,
        BridgeCommand.class,
        CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "COMMAND",
    scope = ScopeType.INHERIT,
    usageHelpWidth = 120,
    exitCodeOnSuccess = ShmqTool.EXIT_OK,
    exitCodeOnUsageHelp = ShmqTool.EXIT_OK,
    exitCodeOnVersionHelp = ShmqTool.EXIT_OK,
    exitCodeOnInvalidInput = ShmqTool.EXIT_USAGE,
    exitCodeOnExecutionException = ShmqTool.EXIT_FAILURE,
    exitCodeListHeading = "%nExit codes (a failure prints one line: shmq: COMMAND: message):%n",
    exitCodeList = {
        "0:success",
        "1:failure: corrupt, unknown or truncated segment, timeout, verification, an object not removed",
        "2:usage error"
    })
public final class ShmqTool implements Callable<Integer>
{
    /** Exit code of a successful command. */
    public static final int EXIT_OK = 0;

    /** Exit code of a failed command: corrupt or unknown segment, timeout, failed verification. */
    public static final int EXIT_FAILURE = 1;

    /** Exit code of a malformed command line. */
    public static final int EXIT_USAGE = 2;

    private static final String DEFAULT_PROC_ROOT = "/proc";
    private static final String USAGE_HINT = " (usage: shmq help)";
    private static final String OPTION_PREFIX = "-";

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    @Spec
    private CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        scope = ScopeType.INHERIT,
        description = "the shared-memory directory (default: " + ShmName.DEFAULT_DIRECTORY + ", or -D" +
            ShmName.DIRECTORY_PROPERTY + ")")
    private Path directory;

    @Option(
        names = "--proc",
        paramLabel = "DIR",
        scope = ScopeType.INHERIT,
        description = "the procfs whose processes' maps tell liveness (default: " + DEFAULT_PROC_ROOT +
            "; the host's, mounted elsewhere, from a container)")
    private Path procRoot = Paths.get(DEFAULT_PROC_ROOT);

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this usage (of a command: COMMAND --help)")
    private boolean help;

    /**
     * @param out where results and usage go.
     * @param err where errors go.
     * @param in  where {@code send --stdin} reads.
     */
    public ShmqTool(final PrintStream out, final PrintStream err, final InputStream in)
    {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    /**
     * Runs the tool and exits the JVM with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new ShmqTool(System.out, System.err, System.in).run(args));
    }

    /**
     * Runs one command. Never throws: every failure is reported as one line on the error stream. {@code --dir} reaches
     * the queues through their configurations; no JVM-wide property is touched.
     *
     * @param args the command line.
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}.
     */
    public int run(final String[] args)
    {
        try
        {
            final CommandLine commandLine = new CommandLine(this)
                // A name such as "@x" is a segment's, never a file of arguments.
                .setExpandAtFiles(false)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler(this::usageError)
                .setExecutionExceptionHandler((ex, command, parseResult) ->
                {
                    printFailure(labelOf(command), ToolCommand.describe(ex));
                    return EXIT_FAILURE;
                });
            return commandLine.execute(args);
        }
        catch (final Throwable ex)
        {
            // Each command catches what it throws (ToolCommand): this is what picocli itself might throw.
            printFailure(null, ToolCommand.describe(ex));
            return EXIT_FAILURE;
        }
    }

    /**
     * Without a command: a usage error.
     *
     * @return never.
     * @throws ParameterException always, reported as a usage error.
     */
    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "missing COMMAND");
    }

    PrintStream out()
    {
        return out;
    }

    PrintStream err()
    {
        return err;
    }

    InputStream in()
    {
        return in;
    }

    /**
     * @return the shared-memory directory of {@code --dir}, or the library's default.
     */
    Path directory()
    {
        return null == directory ? ShmName.defaultDirectory() : directory;
    }

    ShmSegments segments()
    {
        return ShmSegments.in(directory(), procRoot);
    }

    /**
     * Prints {@code shmq: COMMAND: message} on one line.
     *
     * @param command the command's name, or null for the tool itself.
     * @param message what failed.
     */
    void printFailure(final String command, final String message)
    {
        err.println("shmq: " + (null == command ? "" : command + ": ") + ToolCommand.printable(message));
    }

    private int usageError(final ParameterException ex, final String[] args)
    {
        final CommandLine command = ex.getCommandLine();
        printFailure(labelOf(command), usageMessage(ex, command) + USAGE_HINT);
        return EXIT_USAGE;
    }

    private String labelOf(final CommandLine command)
    {
        return null == command || command.getCommandSpec() == spec ? null : command.getCommandName();
    }

    private String usageMessage(final ParameterException ex, final CommandLine command)
    {
        if (ex instanceof CommandLine.MissingParameterException)
        {
            final List<ArgSpec> missing = ((CommandLine.MissingParameterException)ex).getMissing();
            final ArgSpec first = missing.isEmpty() ? null : missing.get(0);
            if (first instanceof OptionSpec)
            {
                return ((OptionSpec)first).longestName() + " needs a value";
            }
            return null == first ? ex.getMessage() : "missing " + first.paramLabel();
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException)
        {
            final List<String> unmatched = ((CommandLine.UnmatchedArgumentException)ex).getUnmatched();
            if (command.getCommandSpec() == spec && !unmatched.isEmpty() && !unmatched.get(0).startsWith(OPTION_PREFIX))
            {
                return "unknown command '" + unmatched.get(0) + "'";
            }
            return "unexpected arguments " + unmatched;
        }
        if (ex.getCause() instanceof CommandLine.TypeConversionException)
        {
            final String expected = ex.getCause().getMessage();
            return ex.getArgSpec() instanceof OptionSpec ?
                ((OptionSpec)ex.getArgSpec()).longestName() + "=" + ex.getValue() + " (" + expected + ")" : expected;
        }
        return ex.getMessage();
    }
}
