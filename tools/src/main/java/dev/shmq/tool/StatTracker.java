package dev.shmq.tool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares each sample of {@code shmq stat} with the one before, segment by segment: rates over the window between
 * the two reads of a segment, a segment that appeared, changed shape, went back (replaced) or went away, and how long
 * a SlickQueue's {@code last_published} has stood still, as far as the samples can tell.
 *
 * <p>Rates are computed from each segment's own read times, not from the sample's start, so a slow listing does not
 * skew them. A segment that failed to read keeps its last good sample as the baseline of the next window.
 */
final class StatTracker
{
    private final Map<String, Seen> seen = new HashMap<>();
    private boolean first = true;

    /**
     * @param sample the next sample.
     * @return its rows ordered by name, gone segments included once; empty when the listing failed.
     */
    List<StatRow> update(final StatSample sample)
    {
        final List<StatRow> rows = new ArrayList<>();
        if (null != sample.error())
        {
            return rows;
        }
        final Set<String> present = new HashSet<>();
        for (final SegmentSample segment : sample.segments())
        {
            if (SegmentSample.Outcome.MISSING != segment.outcome())
            {
                present.add(segment.name());
            }
            final StatRow row = row(segment);
            if (null != row)
            {
                rows.add(row);
            }
        }
        for (final String name : List.copyOf(seen.keySet()))
        {
            if (!present.contains(name))
            {
                rows.add(StatRow.withoutRates(seen.remove(name).lastShown(), StatRow.Status.GONE, null));
            }
        }
        rows.sort(Comparator.comparing((final StatRow row) -> row.sample().name()));
        first = false;
        return rows;
    }

    private StatRow row(final SegmentSample segment)
    {
        final Seen before = seen.get(segment.name());
        switch (segment.outcome())
        {
            case MISSING:
                // Listed, then gone before it was opened: gone if it was seen before, else never there.
                return null;
            case FAILED:
                seen.computeIfAbsent(segment.name(), (name) -> new Seen()).failed = segment;
                return StatRow.withoutRates(segment, StatRow.Status.ERROR, segment.error());
            default:
                final Seen now = null == before ? new Seen() : before;
                seen.put(segment.name(), now);
                return compare(now, segment);
        }
    }

    private StatRow compare(final Seen now, final SegmentSample segment)
    {
        final SegmentSample previous = now.last;
        now.last = segment;
        now.failed = null;
        if (null == previous)
        {
            now.restartLastPublished(segment);
            return StatRow.withoutRates(segment, first ? StatRow.Status.OK : StatRow.Status.NEW, null);
        }
        String change = segment.shapeChangeSince(previous);
        long inDelta = 0;
        long outDelta = 0;
        if (null == change && null != segment.zeroq())
        {
            inDelta = segment.zeroq().enqueuePosition() - previous.zeroq().enqueuePosition();
            outDelta = segment.zeroq().dequeuePosition() - previous.zeroq().dequeuePosition();
            change = inDelta < 0 || outDelta < 0 ? "positions went back: enqueue_pos " +
                Long.toUnsignedString(previous.zeroq().enqueuePosition()) + " -> " +
                Long.toUnsignedString(segment.zeroq().enqueuePosition()) + ", dequeue_pos " +
                Long.toUnsignedString(previous.zeroq().dequeuePosition()) + " -> " +
                Long.toUnsignedString(segment.zeroq().dequeuePosition()) + " (replaced?)" : null;
        }
        else if (null == change && null != segment.slick())
        {
            inDelta = segment.slick().writeIndex() - previous.slick().writeIndex();
            change = inDelta < 0 ? "write index went back: " + previous.slick().writeIndex() + " -> " +
                segment.slick().writeIndex() + " (replaced or reset?)" : null;
        }
        if (null != change)
        {
            now.restartLastPublished(segment);
            return StatRow.withoutRates(segment, StatRow.Status.CHANGED, change);
        }
        now.advanceLastPublished(segment);
        final long window = segment.nanoTime() - previous.nanoTime();
        return new StatRow(
            segment, StatRow.Status.OK, null, Math.max(window, 1), inDelta, outDelta,
            segment.nanoTime() - now.lastPublishedSince, now.lastPublishedChangeSeen);
    }

    /** What the tracker remembers of one name between samples. */
    private static final class Seen
    {
        /** The last sample that read it: the baseline of the next window. */
        private SegmentSample last;
        /** The sample that failed to read it, if the last one did. */
        private SegmentSample failed;
        private long lastPublished;
        private long lastPublishedSince;
        private boolean lastPublishedChangeSeen;

        SegmentSample lastShown()
        {
            return null != failed ? failed : last;
        }

        void restartLastPublished(final SegmentSample segment)
        {
            lastPublished = null == segment.slick() ? 0 : segment.slick().lastPublished();
            lastPublishedSince = segment.nanoTime();
            lastPublishedChangeSeen = false;
        }

        void advanceLastPublished(final SegmentSample segment)
        {
            if (null != segment.slick() && segment.slick().lastPublished() != lastPublished)
            {
                lastPublished = segment.slick().lastPublished();
                lastPublishedSince = segment.nanoTime();
                lastPublishedChangeSeen = true;
            }
        }
    }
}
