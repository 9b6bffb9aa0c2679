package dev.shmq.tool;

import dev.shmq.core.ShmMissingException;
import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.core.ShmSegmentInfo;
import dev.shmq.core.ShmSegments;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes one sample of a directory for {@code shmq stat}: lists its segments with the pids mapping them
 * ({@link ShmSegments#list()}), then maps each one whose name starts with the prefix read only, reads its header words
 * once, and unmaps it again. Nothing is written.
 *
 * <p>Each sample maps afresh, so a segment truncated, removed or replaced since the last sample is simply read as it
 * is now, and the mapping is released before the next listing, so this process never counts among the mappers. The
 * one hazard left is a truncation during the few reads of one sample: its SIGBUS, which HotSpot turns into an
 * {@link InternalError} on a read, is reported as that segment's error.
 */
final class SegmentSampler
{
    private static final long UNSIGNED_INT_MASK = 0xFFFF_FFFFL;

    private final ShmSegments segments;
    private final Path directory;
    private final String prefix;

    /**
     * @param segments  the directory's segments, with liveness.
     * @param directory the directory, to open segments in.
     * @param prefix    only names that start with it; empty for all.
     */
    SegmentSampler(final ShmSegments segments, final Path directory, final String prefix)
    {
        this.segments = segments;
        this.directory = directory;
        this.prefix = prefix;
    }

    /**
     * @return the segments whose names start with the prefix, ordered by name, or the listing's failure.
     */
    StatSample sample()
    {
        final Instant time = Instant.now();
        final List<ShmSegmentInfo> infos;
        try
        {
            infos = segments.list();
        }
        catch (final IllegalStateException ex)
        {
            return new StatSample(time, List.of(), ex.getMessage());
        }
        final List<SegmentSample> samples = new ArrayList<>(infos.size());
        for (final ShmSegmentInfo info : infos)
        {
            if (info.name().startsWith(prefix))
            {
                samples.add(sample(info));
            }
        }
        return new StatSample(time, samples, null);
    }

    private SegmentSample sample(final ShmSegmentInfo info)
    {
        if (0 == info.length())
        {
            // A creator between open and sizing, or a staging file: nothing to map.
            return SegmentSample.unknown(info, 0, System.nanoTime());
        }
        final ShmSegment segment;
        try
        {
            segment = ShmSegment.openReadOnly(ShmName.of(directory, info.name()));
        }
        catch (final ShmMissingException ex)
        {
            return SegmentSample.missing(info, System.nanoTime());
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return SegmentSample.failed(info, ex.getMessage(), System.nanoTime());
        }
        try
        {
            segment.checkLength();
            return read(info, segment.buffer(), segment.length());
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return SegmentSample.failed(info, ex.getMessage(), System.nanoTime());
        }
        catch (final InternalError fault)
        {
            return SegmentSample.failed(info, truncation(segment, fault), System.nanoTime());
        }
        finally
        {
            // This thread alone read the buffer, and is done with it: unmapped now, not when the collector runs, so
            // that the next listing does not count this process among the segment's mappers.
            segment.closeAndUnmap();
        }
    }

    private static String truncation(final ShmSegment segment, final InternalError fault)
    {
        try
        {
            segment.checkLength();
            return ToolCommand.describe(fault);
        }
        catch (final IllegalStateException truncated)
        {
            return truncated.getMessage();
        }
    }

    private static SegmentSample read(final ShmSegmentInfo info, final AtomicBuffer buffer, final int length)
    {
        final SegmentKind kind = SegmentInspector.detect(buffer, length);
        switch (kind)
        {
            case ZEROQ:
                return readZeroq(info, buffer, length);
            case SLICK_QUEUE:
            case SLICK_QUEUE_LEGACY:
                return readSlick(info, buffer, length, kind);
            default:
                return SegmentSample.unknown(info, length, System.nanoTime());
        }
    }

    private static SegmentSample readZeroq(final ShmSegmentInfo info, final AtomicBuffer buffer, final int length)
    {
        // acquire: a creator writes element_size last with release.
        final long elementSize = buffer.getLongAcquire(ZeroqDescriptor.ELEMENT_SIZE_OFFSET);
        // plain: ordered after the acquire above; written before element_size.
        final long bufferMask = buffer.getLong(ZeroqDescriptor.BUFFER_MASK_OFFSET);
        // Validated again from this sample's own words: the cells below are read at indexes computed from them.
        final int capacity = ZeroqDescriptor.checkHeader(elementSize, bufferMask, length);
        final long cellMask = capacity - 1;
        // acquire, each, dequeue first: a consumer moves it before a producer can move enqueue past it again.
        final long dequeue = buffer.getLongAcquire(ZeroqDescriptor.DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongAcquire(ZeroqDescriptor.ENQUEUE_POS_OFFSET);
        final long nanoTime = System.nanoTime();
        // acquire: after dequeue_pos, which names the cell, as the queue's isStalled() reads it.
        final long headSequence = buffer.getLongAcquire(ZeroqDescriptor.cellOffset((int)(dequeue & cellMask)));
        // acquire: after enqueue_pos, which names the cell, as the queue's isHeldByConsumer() reads it.
        final long tailSequence = buffer.getLongAcquire(ZeroqDescriptor.cellOffset((int)(enqueue & cellMask)));
        final SegmentSample.Zeroq zeroq = new SegmentSample.Zeroq(
            enqueue,
            dequeue,
            ZeroqDescriptor.isStalled(enqueue, dequeue, headSequence),
            ZeroqDescriptor.isHeldByConsumer(enqueue, dequeue, capacity, tailSequence));
        return SegmentSample.zeroq(info, length, capacity, elementSize, zeroq, nanoTime);
    }

    private static SegmentSample readSlick(
        final ShmSegmentInfo info, final AtomicBuffer buffer, final int length, final SegmentKind kind)
    {
        final boolean legacy = SegmentKind.SLICK_QUEUE_LEGACY == kind;
        // acquire: a creator writes the header fields, then init_state = 3 with release (0 in a legacy header).
        final int initState = buffer.getIntAcquire(SlickQueueDescriptor.INIT_STATE_OFFSET);
        // plain: ordered after the acquire above; written before init_state = 3.
        final long size = buffer.getInt(SlickQueueDescriptor.SIZE_OFFSET) & UNSIGNED_INT_MASK;
        final long elementSize = buffer.getInt(SlickQueueDescriptor.ELEMENT_SIZE_OFFSET) & UNSIGNED_INT_MASK;
        // acquire: the word producers move with a CAS; the write index is its upper 48 bits.
        final long reserved = buffer.getLongAcquire(SlickQueueDescriptor.RESERVED_OFFSET);
        // acquire: pairs with the publishing CAS, as read_last reads it; never read in a legacy header (no such word).
        final long lastPublished = legacy ?
            SlickQueueDescriptor.NONE : buffer.getLongAcquire(SlickQueueDescriptor.LAST_PUBLISHED_OFFSET);
        final long nanoTime = System.nanoTime();
        final SegmentSample.Slick slick = new SegmentSample.Slick(
            initState, SlickQueueDescriptor.reservedIndex(reserved), lastPublished, legacy);
        if (0 == size)
        {
            // A v1.4.0 creator won init_state 0 -> 2 and has not written size and element_size yet.
            return SegmentSample.slick(
                info, kind, length, SegmentSample.UNKNOWN, SegmentSample.UNKNOWN, slick, nanoTime);
        }
        final int capacity = SlickQueueDescriptor.checkHeader(
            info.path().toString(), size, elementSize, reserved, length);
        return SegmentSample.slick(info, kind, length, capacity, elementSize, slick, nanoTime);
    }
}
