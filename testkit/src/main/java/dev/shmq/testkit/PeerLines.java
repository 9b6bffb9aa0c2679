package dev.shmq.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code key=value} fields of a report line a peer or a child process prints, such as
 * {@code DONE read=1000 lost=0}.
 */
public final class PeerLines
{
    private static final Pattern NUMBER_FIELD = Pattern.compile("(\\w+)=(\\d+)");

    private PeerLines()
    {
    }

    /**
     * @param line a line a peer printed.
     * @return every {@code key=digits} field of it, as unsigned 64-bit values; later keys win.
     */
    public static Map<String, Long> numbers(final String line)
    {
        final Map<String, Long> fields = new HashMap<>();
        final Matcher matcher = NUMBER_FIELD.matcher(line);
        while (matcher.find())
        {
            fields.put(matcher.group(1), Long.parseUnsignedLong(matcher.group(2)));
        }
        return fields;
    }

    /**
     * @param line a line a peer printed: whitespace-separated tokens.
     * @return every {@code key=value} token of it, the value as printed (anything up to the next whitespace); later
     *         keys win; tokens without {@code =} are skipped.
     */
    public static Map<String, String> fields(final String line)
    {
        final Map<String, String> fields = new HashMap<>();
        for (final String token : line.trim().split("\\s+"))
        {
            final int equals = token.indexOf('=');
            if (equals > 0)
            {
                fields.put(token.substring(0, equals), token.substring(equals + 1));
            }
        }
        return fields;
    }
}
