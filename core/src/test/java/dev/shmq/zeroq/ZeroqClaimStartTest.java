package dev.shmq.zeroq;

import dev.shmq.core.TempShm;
import org.agrona.BufferUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static dev.shmq.zeroq.ZeroqDescriptor.BUFFER_MASK_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.DEQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ELEMENT_SIZE_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ENQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.cellOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where a claim handed to a caller starts: this instance's bound, not the shared position. One producer's and one
 * consumer's claims then read no shared position at all, and the guess never gives a wrong answer when other
 * instances moved the position on or a peer reset it.
 */
class ZeroqClaimStartTest
{
    private static final int CAPACITY = 4;
    private static final int ELEMENT_SIZE = 8;
    private static final int LAPS = 3;

    private final TempShm shm = new TempShm();

    @AfterEach
    void removeSegments()
    {
        shm.close();
    }

    @Test
    void shouldClaimAndAcquireWithoutReadingEitherSharedPositionWhenThisInstanceIsTheOnlyOne()
    {
        final PositionReads buffer = new PositionReads(CAPACITY, ELEMENT_SIZE);
        final ZeroqCells cells = new ZeroqCells(buffer, CAPACITY, ELEMENT_SIZE, "claim-start");
        for (long i = 0; i < LAPS * CAPACITY; i++)
        {
            final long claimed = cells.claimFreeToHandOut();
            assertEquals(i, claimed);
            cells.commitClaimed(claimed);
            final long acquired = cells.claimCommittedToHandOut();
            assertEquals(i, acquired);
            cells.releaseAcquired(acquired);
        }
        assertEquals(0, buffer.reads, "enqueue_pos or dequeue_pos read by a claim whose bound was right");
        assertEquals(LAPS * CAPACITY, buffer.uncounted(ENQUEUE_POS_OFFSET));
        assertEquals(LAPS * CAPACITY, buffer.uncounted(DEQUEUE_POS_OFFSET));

        final ZeroqRange range = new ZeroqRange();
        assertEquals(CAPACITY, cells.claimFreeRunToHandOut(CAPACITY, range));
        assertEquals(LAPS * CAPACITY, range.position());
        cells.commitClaimedRun(range.position(), range.count());
        assertEquals(CAPACITY, cells.claimCommittedRunToHandOut(CAPACITY, range));
        cells.releaseAcquiredRun(range.position(), range.count());
        assertEquals(0, buffer.reads, "runs start from the bound too");
    }

    @Test
    void shouldSayFullOrEmptyOnlyAfterReadingTheSharedPosition()
    {
        final PositionReads buffer = new PositionReads(CAPACITY, ELEMENT_SIZE);
        final ZeroqCells cells = new ZeroqCells(buffer, CAPACITY, ELEMENT_SIZE, "claim-start");
        assertEquals(ZeroqCells.NO_POSITION, cells.claimCommittedToHandOut());
        assertEquals(1, buffer.reads, "empty confirmed against dequeue_pos");
        for (int i = 0; i < CAPACITY; i++)
        {
            cells.commitClaimed(cells.claimFreeToHandOut());
        }
        assertEquals(ZeroqCells.NO_POSITION, cells.claimFreeToHandOut());
        assertEquals(2, buffer.reads, "full confirmed against enqueue_pos");
    }

    @Test
    void shouldClaimTheSharedPositionWhenOtherInstancesMovedItPastThisOnesBound()
    {
        final String name = shm.next("zq-claim-start");
        try (ZeroqQueue behind = ZeroqQueue.create(name, CAPACITY, ELEMENT_SIZE);
            ZeroqQueue other = ZeroqQueue.open(name))
        {
            commitAndRelease(behind, 0);
            for (long i = 1; i <= LAPS * CAPACITY; i++)
            {
                commitAndRelease(other, i);
            }
            // behind's bounds say 1; the shared positions are LAPS * CAPACITY + 1, several laps on.
            final long next = LAPS * CAPACITY + 1;
            commitAndRelease(behind, next);

            final long held = other.tryClaim();
            assertEquals(next + 1, held, "other claims and does not commit yet");
            assertEquals(next + 2, behind.tryClaim(), "a claimed, uncommitted cell at the guess: its CAS fails on");
            other.commit(held);
            behind.commit(next + 2);
            assertEquals(next + 1, other.tryAcquire());
            assertEquals(next + 2, behind.tryAcquire(), "an acquired, unreleased cell at the guess");
            other.release(next + 1);
            behind.release(next + 2);

            for (int i = 0; i < CAPACITY; i++)
            {
                other.commit(other.tryClaim());
            }
            assertEquals(ZeroqQueue.NO_POSITION, behind.tryClaim(), "full, with a bound behind");
            other.release(other.tryAcquire());
            assertEquals(next + 3 + CAPACITY, behind.tryClaim(), "the cell freed meanwhile");
        }
    }

    @Test
    void shouldNotStallWhenAPeerResetsThePositionsBelowThisInstancesBound()
    {
        try (ZeroqQueue queue = ZeroqQueue.local(CAPACITY, ELEMENT_SIZE))
        {
            for (long i = 0; i < LAPS * CAPACITY + 1; i++)
            {
                commitAndRelease(queue, i);
            }
            initialise(queue.buffer(), CAPACITY, ELEMENT_SIZE);
            assertEquals(ZeroqQueue.NO_POSITION, queue.tryAcquire(), "empty: nothing committed since the reset");
            assertEquals(0, queue.tryClaim(), "a bound ahead of the shared position is only a guess");
            queue.commit(0);
            assertEquals(0, queue.tryAcquire());
            queue.release(0);
        }
    }

    private static void commitAndRelease(final ZeroqQueue queue, final long expected)
    {
        final long claimed = queue.tryClaim();
        assertEquals(expected, claimed, "claimed");
        queue.buffer().putLong(queue.offset(claimed), ~claimed);
        queue.commit(claimed);
        final long acquired = queue.tryAcquire();
        assertEquals(expected, acquired, "acquired");
        assertEquals(~expected, queue.buffer().getLong(queue.offset(acquired)));
        queue.release(acquired);
    }

    /** Lays out a fresh segment as its creator does: the header, both positions 0, each cell's sequence its number. */
    private static void initialise(final AtomicBuffer buffer, final int capacity, final int elementSize)
    {
        buffer.putLong(ELEMENT_SIZE_OFFSET, elementSize);
        buffer.putLong(BUFFER_MASK_OFFSET, capacity - 1);
        buffer.putLongVolatile(ENQUEUE_POS_OFFSET, 0);
        buffer.putLongVolatile(DEQUEUE_POS_OFFSET, 0);
        for (int cell = 0; cell < capacity; cell++)
        {
            buffer.putLongVolatile(cellOffset(cell), cell);
        }
    }

    /** A fresh zeroq segment in local memory that counts the reads of either shared position. */
    private static final class PositionReads extends UnsafeBuffer
    {
        private int reads;

        PositionReads(final int capacity, final int elementSize)
        {
            super(allocate(capacity, elementSize));
            initialise(this, capacity, elementSize);
        }

        long uncounted(final int index)
        {
            return super.getLongVolatile(index);
        }

        private static ByteBuffer allocate(final int capacity, final int elementSize)
        {
            return BufferUtil.allocateDirectAligned(
                ZeroqDescriptor.dataOffset(capacity) + capacity * elementSize, Long.BYTES * Long.BYTES);
        }

        private void count(final int index)
        {
            if (ENQUEUE_POS_OFFSET == index || DEQUEUE_POS_OFFSET == index)
            {
                reads++;
            }
        }

        @Override
        public long getLong(final int index)
        {
            count(index);
            return super.getLong(index);
        }

        @Override
        public long getLongOpaque(final int index)
        {
            count(index);
            return super.getLongOpaque(index);
        }

        @Override
        public long getLongAcquire(final int index)
        {
            count(index);
            return super.getLongAcquire(index);
        }

        @Override
        public long getLongVolatile(final int index)
        {
            count(index);
            return super.getLongVolatile(index);
        }
    }
}
