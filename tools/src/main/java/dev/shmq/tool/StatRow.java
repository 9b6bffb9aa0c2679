package dev.shmq.tool;

import java.util.concurrent.TimeUnit;

/**
 * What {@code shmq stat} shows for one segment in one sample: the sample, how it compares with the segment's previous
 * sample, and the rates between the two.
 *
 * @param sample               this sample of the segment; for {@link Status#GONE}, the last one that read it.
 * @param status               how it compares with the previous sample.
 * @param detail               the change ({@link Status#CHANGED}) or the error ({@link Status#ERROR}); else null.
 * @param windowNanos          nanoseconds between the previous sample's read and this one's; {@link #NO_WINDOW}
 *                             when there are no rates.
 * @param inDelta              zeroq: {@code enqueue_pos} moved by this much; SlickQueue: the write index.
 * @param outDelta             zeroq: {@code dequeue_pos} moved by this much; 0 otherwise.
 * @param lastPublishedAgeNanos SlickQueue v1.4.0: how long stat has seen {@code last_published} at its value.
 * @param lastPublishedChangeSeen true when stat saw {@code last_published} change to its value; false when the value
 *                             has not changed since stat first read the segment, and is older than the age.
 */
record StatRow(
    SegmentSample sample,
    Status status,
    String detail,
    long windowNanos,
    long inDelta,
    long outDelta,
    long lastPublishedAgeNanos,
    boolean lastPublishedChangeSeen)
{
    /** The window of a row without rates. */
    static final long NO_WINDOW = 0;

    /** How a segment's sample compares with its previous one. */
    enum Status
    {
        /** Read, as before: rates over the window. */
        OK,

        /** Read for the first time since stat started (after its first sample): no rates yet. */
        NEW,

        /** Read, but its shape changed or its positions went back (truncated, replaced): no rates. */
        CHANGED,

        /** Listed before, gone now. */
        GONE,

        /** Listed, but could not be opened or read. */
        ERROR;

        /** @return the lower-case label of the output. */
        String label()
        {
            return name().toLowerCase();
        }
    }

    static StatRow withoutRates(final SegmentSample sample, final Status status, final String detail)
    {
        return new StatRow(sample, status, detail, NO_WINDOW, 0, 0, 0, false);
    }

    /** @return true when the row has rates. */
    boolean hasRates()
    {
        return windowNanos > NO_WINDOW;
    }

    /** @return {@link #inDelta()} per second over the window; only if {@link #hasRates()}. */
    double inPerSecond()
    {
        return perSecond(inDelta);
    }

    /** @return {@link #outDelta()} per second over the window; only if {@link #hasRates()}. */
    double outPerSecond()
    {
        return perSecond(outDelta);
    }

    /** @return the window in milliseconds; only if {@link #hasRates()}. */
    double windowMillis()
    {
        return windowNanos / (double)TimeUnit.MILLISECONDS.toNanos(1);
    }

    /** @return true for a SlickQueue v1.4.0 row that read the segment: it has {@code last_published} and its age. */
    boolean hasLastPublished()
    {
        return null != sample.slick() && !sample.slick().legacy() && Status.GONE != status;
    }

    private double perSecond(final long delta)
    {
        return delta * (double)TimeUnit.SECONDS.toNanos(1) / windowNanos;
    }
}
