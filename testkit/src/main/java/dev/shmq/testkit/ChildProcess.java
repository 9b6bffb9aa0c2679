package dev.shmq.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A child process driven by a test: a handshake on its standard output, lines to its standard input, a bounded
 * capture of both output streams for failure messages, a deadline on every wait, and a SIGKILL at a chosen point.
 *
 * <p>{@link #close()} kills a child that still runs (and its descendants) and waits for it, so that used in
 * try-with-resources no child outlives the test. Every failure message names the child, its pid and exit code, and
 * holds the output captured so far.
 *
 * <pre>{@code
 * try (ChildProcess child = ChildJvm.mainClass(Producer.class).args(name).start())
 * {
 *     child.awaitLine("READY", Duration.ofSeconds(10));
 *     child.send("GO");
 *     assertEquals(0, child.waitFor(Duration.ofSeconds(10)));
 * }
 * }</pre>
 *
 * <p>Calls are meant to come from one test thread; the output readers are daemon threads of their own.
 */
public final class ChildProcess implements AutoCloseable
{
    /** How many characters of each output stream are kept unless told otherwise. */
    public static final int DEFAULT_CAPTURE_CHARS = 64 * 1024;

    /** The exit code Linux reports for a process ended by SIGKILL: 128 + 9. */
    public static final int SIGKILL_EXIT_CODE = 137;

    private static final long KILL_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long DRAIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String name;
    private final Process process;
    private final CapturedOutput stdout;
    private final CapturedOutput stderr;
    private final OutputStream stdin;
    private boolean closed;

    private ChildProcess(final String name, final Process process, final int captureChars)
    {
        this.name = name;
        this.process = process;
        this.stdout = new CapturedOutput(name, "stdout", process.getInputStream(), captureChars);
        this.stderr = new CapturedOutput(name, "stderr", process.getErrorStream(), captureChars);
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts a process with {@link #DEFAULT_CAPTURE_CHARS} of each output stream kept.
     *
     * @param name    a short name for messages and thread names.
     * @param builder the command, environment and working directory; its redirects are replaced by pipes.
     * @return the running child.
     * @throws IllegalStateException if it cannot be started.
     */
    public static ChildProcess start(final String name, final ProcessBuilder builder)
    {
        return start(name, builder, DEFAULT_CAPTURE_CHARS);
    }

    /**
     * Starts a process.
     *
     * @param name         a short name for messages and thread names.
     * @param builder      the command, environment and working directory; its redirects are replaced by pipes.
     * @param captureChars how many characters of each output stream to keep, at least 1.
     * @return the running child.
     * @throws IllegalArgumentException if {@code captureChars} is less than 1.
     * @throws IllegalStateException    if it cannot be started.
     */
    public static ChildProcess start(final String name, final ProcessBuilder builder, final int captureChars)
    {
        Objects.requireNonNull(name, "name");
        if (captureChars < 1)
        {
            throw new IllegalArgumentException("captureChars=" + captureChars + " (expected at least 1)");
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .redirectErrorStream(false);
        final Process process;
        try
        {
            process = builder.start();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + name + " command=" + builder.command() + ": " + ex, ex);
        }
        return new ChildProcess(name, process, captureChars);
    }

    /** @return the name given at start. */
    public String name()
    {
        return name;
    }

    /** @return the operating-system process id. */
    public long pid()
    {
        return process.pid();
    }

    /** @return true while the process runs. */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * Waits for a line of standard output that starts with a prefix. Each call looks only at lines after the one the
     * previous call matched, so a sequence of handshake lines can be awaited in order.
     *
     * @param prefix  the start of the line, e.g. {@code "READY"}.
     * @param timeout how long to wait.
     * @return the whole line, without its line terminator.
     * @throws IllegalStateException with the output so far, if the deadline passes or standard output ends first.
     */
    public String awaitLine(final String prefix, final Duration timeout)
    {
        return awaitLine(Pattern.compile("^" + Pattern.quote(prefix)), timeout);
    }

    /**
     * Waits for a line of standard output in which the pattern is found ({@link java.util.regex.Matcher#find()};
     * anchor it with {@code ^...$} to match whole lines). Each call looks only at lines after the one the previous
     * call matched.
     *
     * @param pattern the line to wait for.
     * @param timeout how long to wait.
     * @return the whole line, without its line terminator.
     * @throws IllegalStateException with the output so far, if the deadline passes or standard output ends first.
     */
    public String awaitLine(final Pattern pattern, final Duration timeout)
    {
        final long deadlineNanos = System.nanoTime() + timeout.toNanos();
        final String line;
        try
        {
            line = stdout.awaitLine(pattern, deadlineNanos);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for line=/" + pattern + "/ from " + name, ex);
        }
        if (null != line)
        {
            return line;
        }
        if (stdout.hasEnded())
        {
            // give the exit code and the rest of stderr (a stack trace, say) a moment to arrive for the message
            awaitExitQuietly(Math.max(0, Math.min(DRAIN_WAIT_NANOS, deadlineNanos - System.nanoTime())));
            throw new IllegalStateException(name + " closed stdout before printing a line matching /" + pattern +
                "/ (expected the line within " + timeout + ")" + describe());
        }
        throw new IllegalStateException("no line matching /" + pattern + "/ from " + name + " within " + timeout +
            describe());
    }

    /**
     * Writes a line to the child's standard input and flushes it.
     *
     * @param line the line, without a terminator ({@code '\n'} is added).
     * @throws IllegalStateException if the child's standard input is closed (it exited, say).
     */
    public void send(final String line)
    {
        try
        {
            stdin.write((line + '\n').getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot send line='" + line + "' to " + name + ": " + ex + describe(), ex);
        }
    }

    /**
     * Closes the child's standard input, so that it reads end-of-file. Idempotent.
     */
    public void closeStdin()
    {
        try
        {
            stdin.close();
        }
        catch (final IOException ex)
        {
            // the child already went away: its stdin is closed either way
        }
    }

    /**
     * Waits for the child to exit, then for both output streams to be read to the end.
     *
     * @param timeout how long to wait.
     * @return the exit code.
     * @throws IllegalStateException with the output, after killing the child, if it does not exit in time.
     */
    public int waitFor(final Duration timeout)
    {
        final boolean exited;
        try
        {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            killQuietly();
            throw new IllegalStateException("interrupted waiting for " + name + " to exit (killed)", ex);
        }
        if (!exited)
        {
            killQuietly();
            throw new IllegalStateException(name + " did not exit within " + timeout + " (killed)" + describe());
        }
        drainOutput();
        return process.exitValue();
    }

    /**
     * Kills the child and its descendants with SIGKILL, as a crash would, and waits for it to go.
     *
     * @return the exit code, {@link #SIGKILL_EXIT_CODE} unless the child had already exited.
     * @throws IllegalStateException if it still runs after the kill.
     */
    public int kill()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            if (!process.waitFor(KILL_WAIT_NANOS, TimeUnit.NANOSECONDS))
            {
                throw new IllegalStateException(name + " pid=" + process.pid() + " still runs after SIGKILL");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name + " to die", ex);
        }
        drainOutput();
        return process.exitValue();
    }

    /** @return the standard output kept so far, one {@code '\n'} after each line. */
    public String stdout()
    {
        return stdout.text();
    }

    /** @return the standard error kept so far, one {@code '\n'} after each line. */
    public String stderr()
    {
        return stderr.text();
    }

    /**
     * @return a description for failure messages: name, pid, exit code and the output kept so far.
     */
    public String describe()
    {
        return "\n--- " + name + " pid=" + process.pid() +
            (process.isAlive() ? " running" : " exit=" + process.exitValue()) +
            " ---\n--- stdout ---\n" + stdout.text() + "--- stderr ---\n" + stderr.text() + "--- end ---";
    }

    /**
     * Kills the child if it still runs, waits for it, and closes its standard input. Idempotent.
     *
     * @throws IllegalStateException if the child cannot be killed.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            if (process.isAlive())
            {
                kill();
            }
        }
        finally
        {
            closeStdin();
        }
    }

    @Override
    public String toString()
    {
        return "ChildProcess{name=" + name + ", pid=" + process.pid() + ", alive=" + process.isAlive() + '}';
    }

    private void killQuietly()
    {
        try
        {
            kill();
        }
        catch (final IllegalStateException ex)
        {
            // already reporting a failure
        }
    }

    private void awaitExitQuietly(final long timeoutNanos)
    {
        try
        {
            final long deadlineNanos = System.nanoTime() + timeoutNanos;
            if (process.waitFor(timeoutNanos, TimeUnit.NANOSECONDS))
            {
                stderr.awaitEnd(Math.max(0, deadlineNanos - System.nanoTime()));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void drainOutput()
    {
        try
        {
            // a grandchild holding the pipes open could keep them from ending: bounded
            final long deadlineNanos = System.nanoTime() + DRAIN_WAIT_NANOS;
            stdout.awaitEnd(DRAIN_WAIT_NANOS);
            stderr.awaitEnd(Math.max(0, deadlineNanos - System.nanoTime()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
