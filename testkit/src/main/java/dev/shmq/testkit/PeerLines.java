package dev.shmq.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code key=value} numbers of a report line a peer prints, such as {@code DONE read=1000 lost=0}.
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
}
