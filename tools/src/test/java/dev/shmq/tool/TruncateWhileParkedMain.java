package dev.shmq.tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Child JVM for {@code ShmqToolTruncationTest}: runs the shmq tool on the main thread and truncates a file to 0 bytes
 * the moment that thread first parks, i.e. inside the pause {@code inspect} and {@code unblock} make between two
 * samples of a stalled zeroq cell, after the tool mapped the segment and before it reads it again.
 *
 * <pre>
 * TruncateWhileParkedMain FILE TOOL-ARGS...   exits with the tool's exit code, or {@value #MISSED_EXIT_CODE} when the
 *                                             tool was no longer parked once the file was truncated
 * </pre>
 */
public final class TruncateWhileParkedMain
{
    /** The exit code when the truncation came too late, after the pause: the test tries again. */
    static final int MISSED_EXIT_CODE = 99;

    private static volatile boolean truncatedWhileParked;

    private TruncateWhileParkedMain()
    {
    }

    /**
     * @param args the file to truncate, then the tool's arguments.
     * @throws IOException if the file cannot be opened.
     */
    public static void main(final String[] args) throws IOException
    {
        // Opened up front: the truncation is then a single system call.
        final FileChannel file = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
        final Thread tool = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(TruncateWhileParkedMain::exitMissedUnlessTruncated));
        final Thread truncator = new Thread(() -> truncateOncePaused(tool, file), "truncator");
        truncator.setDaemon(true);
        truncator.start();
        ShmqTool.main(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void truncateOncePaused(final Thread tool, final FileChannel file)
    {
        while (Thread.State.TIMED_WAITING != tool.getState())
        {
            Thread.onSpinWait();
        }
        try
        {
            file.truncate(0);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        // Still parked: the tool reads the segment again only after the truncation.
        truncatedWhileParked = Thread.State.TIMED_WAITING == tool.getState();
    }

    private static void exitMissedUnlessTruncated()
    {
        if (!truncatedWhileParked)
        {
            Runtime.getRuntime().halt(MISSED_EXIT_CODE);
        }
    }
}
