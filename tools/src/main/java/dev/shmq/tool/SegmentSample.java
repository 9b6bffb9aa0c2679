package dev.shmq.tool;

import dev.shmq.core.ShmSegmentInfo;

/**
 * One segment as one sample of {@code shmq stat} read it: what the directory listing said (length, pids), what the
 * header said (protocol, shape, positions), and when the positions were read.
 *
 * @param info     the listing's entry: name, length, the pids mapping it.
 * @param outcome  whether the segment could be read.
 * @param kind     its protocol; {@link SegmentKind#UNKNOWN} unless read.
 * @param length   the mapped length; {@link #UNKNOWN} unless read.
 * @param capacity cells or slots; {@link #UNKNOWN} unless a header gave it.
 * @param elementSize bytes per element; {@link #UNKNOWN} unless a header gave it.
 * @param zeroq    zeroq's positions, or null.
 * @param slick    SlickQueue's header words, or null.
 * @param error    why it could not be read, or null.
 * @param nanoTime {@link System#nanoTime()} just after the positions were read.
 */
record SegmentSample(
    ShmSegmentInfo info,
    Outcome outcome,
    SegmentKind kind,
    long length,
    long capacity,
    long elementSize,
    Zeroq zeroq,
    Slick slick,
    String error,
    long nanoTime)
{
    /** A size or capacity no header gave. */
    static final long UNKNOWN = -1;

    /** Whether a sample could read the segment. */
    enum Outcome
    {
        /** Mapped and read: {@link #kind()} tells what was found. */
        READ,

        /** Listed, then gone before it could be opened. */
        MISSING,

        /** Listed, but could not be opened or read: see {@link #error()}. */
        FAILED
    }

    /**
     * zeroq's positions as one sample read them, and the single-sample stall predicates of {@code ZeroqDescriptor}.
     *
     * @param enqueuePosition {@code enqueue_pos}.
     * @param dequeuePosition {@code dequeue_pos}.
     * @param stalled         consumers waited on an uncommitted cell in this sample.
     * @param held            producers waited on a cell not released in this sample.
     */
    record Zeroq(long enqueuePosition, long dequeuePosition, boolean stalled, boolean held)
    {
    }

    /**
     * SlickQueue's header words as one sample read them.
     *
     * @param initState     {@code init_state} (v1.4.0 only; 0 for a legacy header).
     * @param writeIndex    the write index, {@code reserved >> 16}.
     * @param lastPublished {@code last_published}, {@code NONE} when nothing was published.
     * @param legacy        true for a header without magic: no {@code init_state}, no {@code last_published}.
     */
    record Slick(int initState, long writeIndex, long lastPublished, boolean legacy)
    {
    }

    static SegmentSample zeroq(
        final ShmSegmentInfo info, final int length, final int capacity, final long elementSize, final Zeroq zeroq,
        final long nanoTime)
    {
        return new SegmentSample(
            info, Outcome.READ, SegmentKind.ZEROQ, length, capacity, elementSize, zeroq, null, null, nanoTime);
    }

    static SegmentSample slick(
        final ShmSegmentInfo info, final SegmentKind kind, final int length, final long capacity,
        final long elementSize, final Slick slick, final long nanoTime)
    {
        return new SegmentSample(info, Outcome.READ, kind, length, capacity, elementSize, null, slick, null, nanoTime);
    }

    static SegmentSample unknown(final ShmSegmentInfo info, final long length, final long nanoTime)
    {
        return new SegmentSample(
            info, Outcome.READ, SegmentKind.UNKNOWN, length, UNKNOWN, UNKNOWN, null, null, null, nanoTime);
    }

    static SegmentSample missing(final ShmSegmentInfo info, final long nanoTime)
    {
        return new SegmentSample(
            info, Outcome.MISSING, SegmentKind.UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, null, null, null, nanoTime);
    }

    static SegmentSample failed(final ShmSegmentInfo info, final String error, final long nanoTime)
    {
        return new SegmentSample(
            info, Outcome.FAILED, SegmentKind.UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, null, null, error, nanoTime);
    }

    /** @return the segment's name. */
    String name()
    {
        return info.name();
    }

    /** @return the protocol as stat names it: zeroq, slick, slick-legacy or unknown. */
    String protocol()
    {
        switch (kind)
        {
            case ZEROQ:
                return "zeroq";
            case SLICK_QUEUE:
                return "slick";
            case SLICK_QUEUE_LEGACY:
                return "slick-legacy";
            default:
                return "unknown";
        }
    }

    /**
     * @param before an earlier sample of the same name.
     * @return what differs between the two in protocol, length, capacity or element size, e.g.
     * {@code "truncated: length 1056 -> 512, protocol zeroq -> unknown"} (capacity and element size only within one
     * protocol); null when the shape is the same.
     */
    String shapeChangeSince(final SegmentSample before)
    {
        final StringBuilder change = new StringBuilder();
        if (length != before.length)
        {
            change.append(length < before.length ? "truncated: " : "").append("length ").append(before.length)
                .append(" -> ").append(length);
        }
        appendChange(change, "protocol", before.protocol(), protocol());
        if (kind == before.kind)
        {
            appendChange(change, "capacity", size(before.capacity), size(capacity));
            appendChange(change, "element_size", size(before.elementSize), size(elementSize));
        }
        return change.length() == 0 ? null : change.toString();
    }

    private static String size(final long size)
    {
        return UNKNOWN == size ? "unknown" : Long.toString(size);
    }

    private static void appendChange(final StringBuilder change, final String field, final Object was, final Object is)
    {
        if (!was.equals(is))
        {
            change.append(change.length() == 0 ? "" : ", ").append(field).append(' ').append(was).append(" -> ")
                .append(is);
        }
    }
}
