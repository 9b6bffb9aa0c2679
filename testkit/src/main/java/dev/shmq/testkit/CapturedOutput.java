package dev.shmq.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The lines of one output stream of a child process, read by a daemon thread and kept up to a bound in characters:
 * the oldest lines are dropped first, and a longer line is cut. Lines are numbered so that waiting for a line can
 * resume after the last line matched.
 */
final class CapturedOutput
{
    private static final int READ_CHUNK = 4096;

    private final int maxChars;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Thread reader;
    private long firstLineNumber;
    private long nextLineToMatch;
    private long droppedLines;
    private int chars;
    private boolean ended;

    CapturedOutput(final String processName, final String streamName, final InputStream stream, final int maxChars)
    {
        this.maxChars = maxChars;
        this.reader = new Thread(() -> readAll(stream), "shmq-child-" + processName + "-" + streamName);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Waits for a line in which the pattern is found, starting after the line the previous call matched.
     *
     * @return the line, or null if the stream ended or the deadline passed first.
     */
    synchronized String awaitLine(final Pattern pattern, final long deadlineNanos) throws InterruptedException
    {
        while (true)
        {
            // lines dropped for the bound before anyone looked at them are skipped
            long number = firstLineNumber;
            for (final String line : lines)
            {
                if (number >= nextLineToMatch && pattern.matcher(line).find())
                {
                    nextLineToMatch = number + 1;
                    return line;
                }
                number++;
            }
            nextLineToMatch = Math.max(nextLineToMatch, number);
            final long remainingNanos = deadlineNanos - System.nanoTime();
            if (ended || remainingNanos <= 0)
            {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remainingNanos);
        }
    }

    synchronized boolean hasEnded()
    {
        return ended;
    }

    /**
     * Waits for the reader to reach the end of the stream.
     *
     * @return true if it did within the time.
     */
    boolean awaitEnd(final long timeoutNanos) throws InterruptedException
    {
        TimeUnit.NANOSECONDS.timedJoin(reader, timeoutNanos);
        return !reader.isAlive();
    }

    synchronized String text()
    {
        final StringBuilder builder = new StringBuilder(chars + lines.size() + 64);
        if (droppedLines > 0)
        {
            builder.append("[... ").append(droppedLines).append(" earlier lines dropped]\n");
        }
        for (final String line : lines)
        {
            builder.append(line).append('\n');
        }
        return builder.toString();
    }

    private void readAll(final InputStream stream)
    {
        final StringBuilder line = new StringBuilder();
        boolean cut = false;
        try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8))
        {
            final char[] chunk = new char[READ_CHUNK];
            int read;
            while ((read = in.read(chunk)) >= 0)
            {
                for (int i = 0; i < read; i++)
                {
                    final char c = chunk[i];
                    if ('\n' == c)
                    {
                        add(line, cut);
                        line.setLength(0);
                        cut = false;
                    }
                    else if (line.length() < maxChars)
                    {
                        line.append(c);
                    }
                    else
                    {
                        cut = true;
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            // the stream was closed under us (the process was killed): keep what was read
        }
        finally
        {
            if (line.length() > 0)
            {
                add(line, cut);
            }
            end();
        }
    }

    private synchronized void add(final StringBuilder line, final boolean cut)
    {
        final int length = line.length() > 0 && '\r' == line.charAt(line.length() - 1) ?
            line.length() - 1 : line.length();
        final String text = line.substring(0, length) + (cut ? " [... cut]" : "");
        lines.addLast(text);
        chars += text.length();
        while (chars > maxChars && lines.size() > 1)
        {
            chars -= lines.removeFirst().length();
            firstLineNumber++;
            droppedLines++;
        }
        notifyAll();
    }

    private synchronized void end()
    {
        ended = true;
        notifyAll();
    }
}
