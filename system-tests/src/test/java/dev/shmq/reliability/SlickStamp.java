package dev.shmq.reliability;

import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.slick.SlickQueue;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The stamp every element of the mixed-size SlickQueue stress carries, the same as {@code slick_peer}'s
 * {@code produce-mixed} and {@code lapped-read} modes. 16-byte elements; each element of an {@code n}-element entry
 * reserved at {@code index} holds
 * <pre>
 * position = index + j                                                       for element j
 * word     = producer &lt;&lt; 56 | n &lt;&lt; 48 | (sequence &amp; (2^32 - 1)) &lt;&lt; 16 | (position &amp; 0xFFFF)
 * place    = position &lt;&lt; 16 | (mix(word ^ position * GOLDEN) &gt;&gt;&gt; 48)
 * </pre>
 * where {@code mix} is splitmix64's finaliser. Each element thus names the position it was written for, twice, and
 * checks itself (an element torn between two writes fails both checks but for one in 2^32), so a reader can tell,
 * for an entry it was handed at index {@code I}:
 * <ul>
 * <li>{@link #CLEAN}-ly stamped: every element is the one written for {@code I + j}, all of one entry of the size
 * handed out, the size that producer gives that sequence. Those bytes are the entry's own, whatever happened
 * since;</li>
 * <li>{@link #NEWER}: some element is intact and was written for a later position ({@code I + j + k * capacity}): a
 * producer lapping the reader overwrote the entry. A validating read must never hand that out;</li>
 * <li>{@link #INTERFERED}: anything else (a torn element, one written for an earlier position, another size). Besides
 * lapping, a protocol limit causes this: a producer that other producers lap between its reserve and its publish
 * (descheduled, say) writes its element bytes and then its slot over entries of a newer lap, and nothing in the
 * protocol lets a reader see that; such producers {@link #lappedProducer know it} afterwards.</li>
 * </ul>
 * Producer {@code p} gives its entry {@code s} the size {@link #entryElements}: {@code 1 + (3s + p) % maxN};
 * {@link #FLUSH_PRODUCER}'s entries have one element.
 */
final class SlickStamp
{
    /** Bytes per element: the word and its place. */
    static final int ELEMENT_SIZE = 2 * Long.BYTES;

    /** The largest entry size a stamp holds. */
    static final int MAX_N = 0xFF;

    /** The largest number of producers: their ids fit 7 bits, so a word is never negative. */
    static final int MAX_PRODUCERS = 0x7F;

    /** The producer id of the lap of single-element entries the test publishes once the producers are done. */
    static final long FLUSH_PRODUCER = MAX_PRODUCERS;

    /** {@link #check} of elements that are not cleanly the entry's, and not provably of a later reservation. */
    static final long INTERFERED = -1L;

    /** {@link #check} of elements of which at least one was written intact for a later position. */
    static final long NEWER = -2L;

    private static final long SEQUENCE_MASK = 0xFFFF_FFFFL;
    private static final long POSITION_MASK = (1L << 48) - 1;
    private static final long LOW_MASK = 0xFFFF;
    private static final int PRODUCER_SHIFT = 56;
    private static final int SIZE_SHIFT = 48;
    private static final int SEQUENCE_SHIFT = 16;
    private static final int POSITION_SHIFT = 16;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SlickStamp()
    {
    }

    /**
     * @param producer the producer id.
     * @param sequence the producer's sequence number of the entry.
     * @param maxN     the largest entry size of the run.
     * @return the number of elements of that entry: 1 for {@link #FLUSH_PRODUCER}.
     */
    static int entryElements(final long producer, final long sequence, final int maxN)
    {
        return FLUSH_PRODUCER == producer ? 1 : 1 + (int)((sequence * 3 + producer) % maxN);
    }

    /**
     * @param producer the producer id.
     * @param count    its number of entries.
     * @param maxN     the largest entry size of the run.
     * @return the elements that producer publishes.
     */
    static long elements(final long producer, final long count, final int maxN)
    {
        long elements = 0;
        for (long sequence = 0; sequence < count; sequence++)
        {
            elements += entryElements(producer, sequence, maxN);
        }
        return elements;
    }

    /**
     * Stamps the {@code n} elements of an entry.
     *
     * @param buffer   where the entry lies.
     * @param offset   its first element's offset.
     * @param index    the index its reservation returned.
     * @param n        its number of elements.
     * @param producer the producer id.
     * @param sequence the producer's sequence number.
     */
    static void fill(
        final MutableDirectBuffer buffer,
        final int offset,
        final long index,
        final int n,
        final long producer,
        final long sequence)
    {
        final long entryWord = producer << PRODUCER_SHIFT | (long)n << SIZE_SHIFT |
            (sequence & SEQUENCE_MASK) << SEQUENCE_SHIFT;
        for (int j = 0; j < n; j++)
        {
            final int elementOffset = offset + j * ELEMENT_SIZE;
            final long position = index + j;
            final long word = entryWord | (position & LOW_MASK);
            buffer.putLong(elementOffset, word, ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(elementOffset + Long.BYTES, place(word, position), ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * Classifies the {@code count} elements of an entry a reader was handed at {@code index} (see the class comment).
     *
     * @return the entry's word if it is cleanly stamped (see {@link #producer} and {@link #sequence}), else
     *         {@link #NEWER} or {@link #INTERFERED}.
     */
    static long check(
        final DirectBuffer buffer,
        final int offset,
        final long index,
        final int count,
        final int producers,
        final int maxN)
    {
        final long first = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
        final long producer = producer(first);
        long verdict = first >= 0 && (producer < producers || FLUSH_PRODUCER == producer) &&
            ((first >>> SIZE_SHIFT) & MAX_N) == count &&
            entryElements(producer, sequence(first), maxN) == count ? first : INTERFERED;
        for (int j = 0; j < count; j++)
        {
            final int elementOffset = offset + j * ELEMENT_SIZE;
            final long word = buffer.getLong(elementOffset, ByteOrder.LITTLE_ENDIAN);
            final long place = buffer.getLong(elementOffset + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            final long position = place >>> POSITION_SHIFT;
            final long expected = (index + j) & POSITION_MASK;
            final boolean intact = place(word, position) == place && (word & LOW_MASK) == (position & LOW_MASK);
            if (intact && position > expected)
            {
                return NEWER;
            }
            if (!intact || position != expected || (word & ~LOW_MASK) != (first & ~LOW_MASK))
            {
                verdict = INTERFERED;
            }
        }
        return verdict;
    }

    /** @return a description of the elements for a failure message (of a copy: in place they may change). */
    static String describe(final DirectBuffer buffer, final int offset, final long index, final int count)
    {
        final StringBuilder text = new StringBuilder("index=").append(index).append(" count=").append(count);
        for (int j = 0; j < count; j++)
        {
            final int elementOffset = offset + j * ELEMENT_SIZE;
            final long word = buffer.getLong(elementOffset, ByteOrder.LITTLE_ENDIAN);
            final long place = buffer.getLong(elementOffset + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            final long position = place >>> POSITION_SHIFT;
            text.append(" [").append(j).append(": producer=").append(producer(word))
                .append(" n=").append((word >>> SIZE_SHIFT) & MAX_N)
                .append(" sequence=").append(sequence(word))
                .append(" position=").append(position)
                .append(place(word, position) == place && (word & LOW_MASK) == (position & LOW_MASK) ?
                    " intact]" : " TORN]");
        }
        return text.toString();
    }

    /**
     * @return the elements in short, without {@code name=value} pairs so that it can follow them on a result line:
     *         {@code [at I: pP nN sS @POSITION ok|torn, ...]}.
     */
    static String brief(final DirectBuffer buffer, final int offset, final long index, final int count)
    {
        final StringBuilder text = new StringBuilder("[at ").append(index).append(':');
        for (int j = 0; j < count; j++)
        {
            final int elementOffset = offset + j * ELEMENT_SIZE;
            final long word = buffer.getLong(elementOffset, ByteOrder.LITTLE_ENDIAN);
            final long place = buffer.getLong(elementOffset + Long.BYTES, ByteOrder.LITTLE_ENDIAN);
            final long position = place >>> POSITION_SHIFT;
            text.append(0 == j ? " p" : ", p").append(producer(word)).append(" n").append((word >>> SIZE_SHIFT) & MAX_N)
                .append(" s").append(sequence(word)).append(" @").append(position)
                .append(place(word, position) == place && (word & LOW_MASK) == (position & LOW_MASK) ? " ok" : " torn");
        }
        return text.append(']').toString();
    }

    /** @return the producer id of a stamp word. */
    static long producer(final long word)
    {
        return word >>> PRODUCER_SHIFT;
    }

    /** @return the sequence number of a stamp word. */
    static long sequence(final long word)
    {
        return (word >>> SEQUENCE_SHIFT) & SEQUENCE_MASK;
    }

    /**
     * Whether a producer may have overwritten the entry at {@code index} since it was read in place: a position a lap
     * beyond it was reserved. The check {@code SlickQueue.isOverwritten} makes, done here from the header so that this
     * stress runs against any version of the queue. Call it after using the bytes.
     */
    static boolean overwritten(final SlickQueue queue, final long index)
    {
        // acquire fence: the reads of the entry's bytes complete before the load of reserved. A producer reserves (a
        // full fence) before it writes, so a byte it already overwrote implies its reservation is visible.
        VarHandle.acquireFence();
        return reservedIndex(queue) - index > queue.capacity();
    }

    /**
     * Whether the producer of the entry at {@code index}, just published, was lapped by other producers while it
     * wrote it: then some of its stores (elements, slot size, data_index) may have landed on a newer lap's entry.
     * Conservative: true once a position a lap beyond the entry was reserved.
     */
    static boolean lappedProducer(final SlickQueue queue, final long index)
    {
        // full fence: the entry's stores are visible before reserved is loaded (a load may pass earlier stores).
        VarHandle.fullFence();
        return reservedIndex(queue) - index > queue.capacity();
    }

    private static long reservedIndex(final SlickQueue queue)
    {
        return queue.buffer().getLongVolatile(SlickQueueDescriptor.RESERVED_OFFSET) >>>
            SlickQueueDescriptor.RESERVED_INDEX_SHIFT;
    }

    private static long place(final long word, final long position)
    {
        long z = word ^ (position * GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (position & POSITION_MASK) << POSITION_SHIFT | (z >>> 48) & LOW_MASK;
    }
}
