package dev.shmq.reliability;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A broadcast reader of {@link SlickStamp stamped} entries that producers lap at will, the Java counterpart of
 * {@code slick_peer lapped-read}. It reads from cursor 0 until the final reserved index appears in an 8-byte
 * {@link AtomicCursor} object (0 while producers run), then up to it, and returns one line:
 * {@code DONE delivered=D lost=L position=P entries=N clean=C torn=T late=Z lasts=K lastsNone=Y lastsClean=X
 * firstLate=[...]} (the stamps of the first late entry, see {@link SlickStamp#brief}), or
 * {@code FAIL ...} for any exception (a read or readLast throwing, a producer's sequence going back, or bytes of a
 * later reservation where the protocol says there can be none).
 *
 * <ul>
 * <li>copying: the validating {@link SlickQueue#read(SlickCursor, org.agrona.MutableDirectBuffer, int)}; an entry it
 * hands out must never hold bytes of a later reservation ({@link SlickStamp#NEWER}), so {@code torn} stays 0; one
 * that is not cleanly stamped counts as {@code late} (a producer lapped mid-write, see {@link SlickStamp});</li>
 * <li>in place: the zero-copy {@link SlickQueue#read(SlickCursor, SlickEntry)}, with {@link SlickQueue#readLast}
 * every 16 entries; an entry not cleanly stamped counts as {@code torn} when a lapping producer may have rewritten it
 * ({@link SlickStamp#overwritten}, checked after the bytes), else as {@code late}; bytes of a later reservation
 * without a reservation a lap ahead fail.</li>
 * </ul>
 * Each producer's sequences must increase over the cleanly stamped entries, which are provably the entries' own.
 */
final class SlickStampReader
{
    private static final int READ_LAST_EVERY = 16;
    private static final int HAMMER_CHECK_EVERY = 64;
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long NO_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final SlickQueue queue;
    private final AtomicCursor end;
    private final int maxN;
    private final int producers;
    private final boolean copy;
    private final long pauseEvery;
    private final SlickCursor cursor = new SlickCursor();
    private long delivered;
    private long entries;
    private long clean;
    private long torn;
    private long late;
    private long lasts;
    private long lastsNone;
    private long lastsClean;
    private String firstLate = "[]";

    /**
     * @param queue      the queue, of {@link SlickStamp#ELEMENT_SIZE}-byte elements.
     * @param end        where the final reserved index appears once producers are done.
     * @param maxN       the largest entry size of the run.
     * @param producers  the number of producers (ids 0 to producers - 1).
     * @param copy       true for the validating copying read, false for zero-copy reads with readLast.
     * @param pauseEvery sleep 50 us after every this many entries, so that producers lap this reader; 0 never.
     */
    SlickStampReader(
        final SlickQueue queue,
        final AtomicCursor end,
        final int maxN,
        final int producers,
        final boolean copy,
        final long pauseEvery)
    {
        this.queue = queue;
        this.end = end;
        this.maxN = maxN;
        this.producers = producers;
        this.copy = copy;
        this.pauseEvery = pauseEvery;
    }

    /** @return the {@code DONE ...} line, or {@code FAIL ...} with the exception and where the reader was. */
    String run()
    {
        try
        {
            read();
            return "DONE delivered=" + delivered + " lost=" + cursor.lossCount() + " position=" + cursor.position() +
                " entries=" + entries + " clean=" + clean + " torn=" + torn + " late=" + late + " lasts=" + lasts +
                " lastsNone=" + lastsNone + " lastsClean=" + lastsClean + " firstLate=" + firstLate;
        }
        catch (final Throwable ex)
        {
            return "FAIL " + ex + " at " + cursor + " after entries=" + entries;
        }
    }

    private void read()
    {
        final UnsafeBuffer copied = new UnsafeBuffer(new byte[queue.capacity() * SlickStamp.ELEMENT_SIZE]);
        final SlickEntry entry = new SlickEntry();
        final SlickEntry last = new SlickEntry();
        final SequenceTally tally = new SequenceTally(producers);
        long endIndex = 0;
        long idleSince = 0;
        while (true)
        {
            final boolean got;
            if (copy)
            {
                final int length = queue.read(cursor, copied, 0);
                got = length > 0;
                if (got)
                {
                    final int count = length / SlickStamp.ELEMENT_SIZE;
                    // The copying read leaves the cursor just past the entry it copied.
                    final long index = cursor.position() - count;
                    final long word = SlickStamp.check(copied, 0, index, count, producers, maxN);
                    if (SlickStamp.NEWER == word)
                    {
                        throw new IllegalStateException("the validating read handed out bytes of a later " +
                            "reservation: " + SlickStamp.describe(copied, 0, index, count));
                    }
                    tally(tally, word, false);
                    noteLate(word, false, copied, 0, index, count);
                    delivered += count;
                }
            }
            else
            {
                got = queue.read(cursor, entry);
                if (got)
                {
                    final long word = SlickStamp.check(
                        queue.buffer(), entry.offset(), entry.index(), entry.count(), producers, maxN);
                    final boolean overwritten = SlickStamp.overwritten(queue, entry.index());
                    if (SlickStamp.NEWER == word && !overwritten)
                    {
                        throw new IllegalStateException("bytes of a later reservation in " + entry + " with " +
                            "none a lap ahead of it");
                    }
                    tally(tally, word, overwritten);
                    noteLate(word, overwritten, queue.buffer(), entry.offset(), entry.index(), entry.count());
                    delivered += entry.count();
                    if (0 == (entries + 1) % READ_LAST_EVERY)
                    {
                        readLast(last);
                    }
                }
            }
            if (got)
            {
                entries++;
                idleSince = 0;
                if (0 != pauseEvery && 0 == entries % pauseEvery)
                {
                    LockSupport.parkNanos(PAUSE_NANOS);
                }
                continue;
            }
            final long now = System.nanoTime();
            if (0 == idleSince)
            {
                idleSince = now;
            }
            if (0 == endIndex)
            {
                endIndex = end.load();
            }
            if (0 != endIndex && (cursor.position() == endIndex || now - idleSince > DRAIN_NANOS))
            {
                return;
            }
            if (now - idleSince > NO_PROGRESS_NANOS)
            {
                throw new IllegalStateException("no entry for 30 s after " + entries + " entries at " + cursor);
            }
            Thread.yield();
        }
    }

    /**
     * Calls {@link SlickQueue#readLast} in a loop while the producers run (until the final index appears in
     * {@code end}), verifying every entry it returns unless a lapping producer may have rewritten it.
     *
     * @return {@code DONE lasts=K lastsNone=Z lastsClean=Y}, or {@code FAIL ...} for any exception, or bytes of a
     *         later reservation with none a lap ahead.
     */
    static String readLastUntilEnd(final SlickQueue queue, final AtomicCursor end, final int maxN, final int producers)
    {
        final SlickStampReader reader = new SlickStampReader(queue, end, maxN, producers, false, 0);
        final SlickEntry last = new SlickEntry();
        try
        {
            for (long calls = 1; 0 != (calls % HAMMER_CHECK_EVERY) || 0 == end.load(); calls++)
            {
                reader.readLast(last);
                if (0 == calls % HAMMER_CHECK_EVERY)
                {
                    Thread.yield();
                }
            }
            return "DONE lasts=" + reader.lasts + " lastsNone=" + reader.lastsNone + " lastsClean=" +
                reader.lastsClean;
        }
        catch (final Throwable ex)
        {
            return "FAIL " + ex + " after lasts=" + reader.lasts;
        }
    }

    /** Counts an entry handed out: clean ones go to the tally; others are torn if overwritten, else late. */
    private void tally(final SequenceTally tally, final long word, final boolean overwritten)
    {
        if (word >= 0)
        {
            clean++;
            if (SlickStamp.FLUSH_PRODUCER != SlickStamp.producer(word))
            {
                tally.record(SlickStamp.producer(word), SlickStamp.sequence(word), false);
            }
        }
        else if (overwritten)
        {
            torn++;
        }
        else
        {
            late++;
        }
    }

    /** Keeps the first late entry's stamps for the result line (in place they may have changed since). */
    private void noteLate(
        final long word,
        final boolean overwritten,
        final DirectBuffer buffer,
        final int offset,
        final long index,
        final int count)
    {
        if (word < 0 && !overwritten && 1 == late)
        {
            firstLate = SlickStamp.brief(buffer, offset, index, count);
        }
    }

    private void readLast(final SlickEntry last)
    {
        if (!queue.readLast(last))
        {
            lastsNone++;
            return;
        }
        lasts++;
        final long word = SlickStamp.check(queue.buffer(), last.offset(), last.index(), last.count(), producers, maxN);
        if (SlickStamp.NEWER == word && !SlickStamp.overwritten(queue, last.index()))
        {
            throw new IllegalStateException("bytes of a later reservation in readLast's " + last + " with none a " +
                "lap ahead of it");
        }
        lastsClean += word >= 0 ? 1 : 0;
    }
}
