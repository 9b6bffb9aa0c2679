package dev.shmq.tool;

import dev.shmq.core.ShmSegmentInfo;
import dev.shmq.slick.SlickQueueDescriptor;

import java.util.Locale;
import java.util.StringJoiner;

/**
 * How {@code shmq stat} writes its values as text, the same on the screen, in lines and in JSON.
 */
final class StatValues
{
    /** A value the segment does not have now (no rates yet, a field of another protocol). */
    static final String NONE = "-";

    /** A value the protocol does not have (SlickQueue's occupancy). */
    static final String NOT_APPLICABLE = "n/a";

    private StatValues()
    {
    }

    /**
     * @param perSecond a rate.
     * @return it with one decimal, e.g. {@code 2000.0}.
     */
    static String rate(final double perSecond)
    {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /**
     * @param millis a window.
     * @return it with three decimals, e.g. {@code 1000.214}.
     */
    static String millis(final double millis)
    {
        return String.format(Locale.ROOT, "%.3f", millis);
    }

    /**
     * @param value a position or index of the protocol: unsigned 64 bits.
     * @return it in decimal.
     */
    static String unsigned(final long value)
    {
        return Long.toUnsignedString(value);
    }

    /**
     * @param lastPublished SlickQueue's {@code last_published}.
     * @return it in decimal, or {@code none} when nothing was published.
     */
    static String lastPublished(final long lastPublished)
    {
        return SlickQueueDescriptor.NONE == lastPublished ? "none" : unsigned(lastPublished);
    }

    /**
     * @param initState SlickQueue's {@code init_state}.
     * @return its name: uninitialised, legacy, initialising, ready, or the number when it has none.
     */
    static String initState(final int initState)
    {
        final String name = SlickQueueDescriptor.initStateName(initState);
        return null == name ? Integer.toString(initState) : name;
    }

    /**
     * @param info a listing's entry.
     * @return the pids mapping it, comma-separated; {@code -} when nobody does; {@code unknown} when some process's
     * maps could not be read.
     */
    static String pids(final ShmSegmentInfo info)
    {
        switch (info.liveness())
        {
            case LIVE:
                final StringJoiner pids = new StringJoiner(",");
                info.pids().forEach((pid) -> pids.add(Long.toString(pid)));
                return pids.toString();
            case STALE:
                return NONE;
            default:
                return "unknown";
        }
    }
}
