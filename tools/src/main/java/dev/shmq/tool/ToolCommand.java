package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.slick.SlickConfig;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickQueueDescriptor;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * One subcommand of {@link ShmqTool}, and its boundary: whatever {@link #execute()} throws, an {@link Error} such as
 * the {@link InternalError} of an access to a truncated mapping too, becomes one line
 * {@code shmq: COMMAND: message} and {@link ShmqTool#EXIT_FAILURE}. Usage errors ({@link ParameterException}) go on
 * to picocli, which reports them as {@link ShmqTool#EXIT_USAGE}.
 */
abstract class ToolCommand implements Callable<Integer>
{
    /** How long {@code send} and {@code recv} wait for room or for an element, by default. */
    static final String DEFAULT_TIMEOUT_MS = "5000";

    private static final String UNSAFE_ACCESS_FAULT = "unsafe memory access";

    @ParentCommand
    private ShmqTool tool;

    @Spec
    private CommandSpec spec;

    // Not inherited from ShmqTool: picocli's HelpCommand has its own -h.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this command's usage")
    private boolean help;

    /**
     * Runs the command at its boundary.
     *
     * @return the exit code.
     */
    @Override
    public final Integer call()
    {
        try
        {
            return execute();
        }
        catch (final ParameterException ex)
        {
            throw ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            fail("interrupted");
            return ShmqTool.EXIT_FAILURE;
        }
        catch (final Throwable ex)
        {
            fail(describe(ex));
            return ShmqTool.EXIT_FAILURE;
        }
    }

    /**
     * @return the exit code.
     * @throws InterruptedException if interrupted while waiting.
     */
    abstract int execute() throws InterruptedException;

    ShmqTool tool()
    {
        return tool;
    }

    /**
     * Prints {@code shmq: COMMAND: message} on one line.
     *
     * @param message what failed.
     */
    void fail(final String message)
    {
        tool.printFailure(spec.name(), message);
    }

    /**
     * @param name a segment's name, checked as {@link ShmName} checks it.
     * @return the name in the tool's directory.
     */
    ShmName shmName(final String name)
    {
        return ShmName.of(tool.directory(), name);
    }

    /** @return options that open zeroq queues in the tool's directory. */
    ZeroqConfig zeroqConfig()
    {
        return new ZeroqConfig().directory(tool.directory());
    }

    /** @return options that open SlickQueues in the tool's directory. */
    SlickConfig slickConfig()
    {
        return new SlickConfig().directory(tool.directory());
    }

    /**
     * @param ex what a command threw.
     * @return one line for it: the message of an argument or state error, a truncation for a memory fault.
     */
    static String describe(final Throwable ex)
    {
        final String message = ex.getMessage();
        if ((ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) && null != message)
        {
            return message;
        }
        if (ex instanceof InternalError && null != message && message.contains(UNSAFE_ACCESS_FAULT))
        {
            return "memory fault in a shared-memory segment (truncated by another process?): " + message;
        }
        return ex.getClass().getSimpleName() + (null == message ? "" : ": " + message);
    }

    /**
     * @param text any text.
     * @return the text with every control character (a newline in a name, say) shown as {@code \xNN}, so that it
     * stays on one line.
     */
    static String printable(final String text)
    {
        final StringBuilder printable = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (Character.isISOControl(c))
            {
                printable.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                printable.append(c);
            }
        }
        return printable.toString();
    }

    /**
     * Runs a task with a read-only mapping of the segment, whose {@link ShmSegment#checkLength()} tells whether
     * another process truncated it. A memory fault in the task is reported as the truncation it almost always is.
     *
     * @param name the segment.
     * @param task what to do with it.
     * @param <T>  what the task returns.
     * @return what the task returned.
     * @throws InterruptedException if the task is interrupted.
     */
    static <T> T guarded(final ShmName name, final SegmentTask<T> task) throws InterruptedException
    {
        try (ShmSegment guard = ShmSegment.openReadOnly(name))
        {
            try
            {
                return task.run(guard);
            }
            catch (final InternalError fault)
            {
                guard.checkLength();
                throw fault;
            }
        }
    }

    /**
     * @param guard a read-only mapping of a SlickQueue.
     * @return the element size of its header, for opening the queue.
     * @throws IllegalStateException if the mapping is shorter than a header, or was truncated.
     */
    static int slickElementSize(final ShmSegment guard)
    {
        if (guard.length() < SlickQueueDescriptor.HEADER_LENGTH)
        {
            throw new IllegalStateException(guard.name().path() + " length=" + guard.length() +
                " (expected at least the SlickQueue header length " + SlickQueueDescriptor.HEADER_LENGTH + ")");
        }
        guard.checkLength();
        return guard.buffer().getInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET);
    }

    /**
     * What a command does with a segment, given the read-only mapping that checks its length.
     *
     * @param <T> what it returns.
     */
    @FunctionalInterface
    interface SegmentTask<T>
    {
        /**
         * @param guard the read-only mapping.
         * @return the result.
         * @throws InterruptedException if interrupted while waiting.
         */
        T run(ShmSegment guard) throws InterruptedException;
    }
}
