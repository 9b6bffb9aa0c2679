package dev.shmq.zeroq;

import dev.shmq.core.BufferBounds;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static dev.shmq.zeroq.ZeroqDescriptor.DEQUEUE_POS_OFFSET;
import static dev.shmq.zeroq.ZeroqDescriptor.ENQUEUE_POS_OFFSET;

/**
 * zeroq's protocol (Vyukov's bounded MPMC queue) over a validated buffer: claiming cells on either side with a CAS on
 * the side's shared position, publishing them with a release store of the cell's sequence, and the read-only
 * checks of where the queue stands. {@link ZeroqAttach} has checked (or made) the header and cells; nothing here
 * checks them again, but a sequence no peer could have written is reported, never followed. Safe from any thread:
 * beyond the geometry it keeps only two lower bounds of the shared positions, which any thread may store.
 *
 * <p>Those bounds are what keeps a validated commit or release off the header's cache line. Both positions share
 * that line, and each side's CAS takes it away from the other, so re-reading our side's position in
 * {@code commit}/{@code release} (to prove the position was handed out) costs a second line transfer per element:
 * at 8 bytes that was most of the gap to the C++ peer. Every value stored in a bound is a claim's position plus the
 * claimed count, which the shared position had reached at that moment and never goes back from, so a position below
 * a bound was handed out; the shared position is read only when the bound cannot tell. Only the claims that hand
 * positions to a caller store a bound ({@code ...ToHandOut}); the copying paths commit or release what they claimed
 * themselves and stay stateless, so threads sharing one instance do not contend on the bound's line there.
 *
 * <p>The bound also keeps the commit of the claim handed out last off the cell's line, the usual claim, write,
 * commit. A bound is stored with a flag in its lowest bit ({@link #fresh}, {@link #stale}). The claim of a run that
 * ends at position p stores fresh p + 1, and no other store of that value happens in that lap (no other claim
 * covers p, and the commits store stale values). So a fresh p + 1 says p was handed out and is not committed, and
 * the commit that finds it commits without reading the cell and marks the bound stale ({@link #commitClaimed}); a
 * second commit of p then takes the checked path, which reads the cell and rejects it. A run's commit marks the
 * bound stale too ({@link #commitClaimedRun}). Every store to the bound comes after its claim's store in that
 * thread's order (or after the caller's hand-off of the position), so a commit that sees another value never sees
 * fresh p + 1 again. The cell's line is the one the other side keeps taking (eight cells share a line, and the
 * consumer releases the neighbours), so the checked read was one more line transfer per element than the C++ peer's
 * commit, a plain release store. Releases work the same way on the consumer side. Two threads committing one
 * position at once are not told apart (as on the checked path, whose read and store are not one atomic step).
 *
 * <p>The bound is also where the next handed-out claim on that side starts looking ({@link #claimFreeToHandOut}):
 * for one producer (or consumer) it is exactly the shared position, so the claim reads the cell and goes straight
 * to its CAS, which takes the header line once, where a claim that first reads the shared position takes it twice
 * (a shared copy for the read, then ownership for the CAS) while the other side's CAS keeps pulling it back. The
 * start is only a guess ({@link #claim}): "full" or "empty" is said only after reading the shared position, so a
 * bound left behind by other instances' claims, or a segment whose positions a peer reset, costs one more cell read,
 * never a wrong answer.
 *
 * <p>A cell's sequence tells its state for position p: p (free for the producer of p), p + 1 (holds p's committed
 * element), p + capacity (released, free for the producer of the next lap).
 */
final class ZeroqCells
{
    /** Returned by the claims when no position was claimed. */
    static final long NO_POSITION = -1;

    /** A cell is free for the producer of position p when its sequence is p + 0. */
    private static final long FREE_LAG = 0;

    /** A cell holds the committed element of position p when its sequence is p + 1. */
    private static final long COMMITTED_LAG = 1;

    private static final VarHandle CLAIMED_BOUND;
    private static final VarHandle ACQUIRED_BOUND;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CLAIMED_BOUND = lookup.findVarHandle(ZeroqCells.class, "claimedBound", long.class);
            ACQUIRED_BOUND = lookup.findVarHandle(ZeroqCells.class, "acquiredBound", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AtomicBuffer buffer;
    private final int capacity;
    private final long mask;
    private final int elementSize;
    private final int dataOffset;
    private final String name;

    /** At most {@code enqueue_pos}, flagged fresh or stale (see the class comment); {@link #CLAIMED_BOUND}, opaque. */
    @SuppressWarnings("unused")
    private long claimedBound;

    /** At most {@code dequeue_pos}, flagged fresh or stale (see the class comment); {@link #ACQUIRED_BOUND}. */
    @SuppressWarnings("unused")
    private long acquiredBound;

    ZeroqCells(final AtomicBuffer buffer, final int capacity, final int elementSize, final String name)
    {
        // Every atomic field is 8-byte aligned relative to the base, so the base must be too (a mapping is page
        // aligned, local memory 64-byte aligned); under -Dagrona.strict.alignment.checks=true a heap buffer fails.
        buffer.verifyAlignment();
        this.buffer = buffer;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.elementSize = elementSize;
        this.dataOffset = ZeroqDescriptor.dataOffset(capacity);
        this.name = name;
    }

    /** @return {@code end} as a bound a claim ending there stores: its commit may skip the check. */
    private static long fresh(final long end)
    {
        return end << 1 | 1;
    }

    /** @return {@code end} as a bound, without the fresh flag: a lower bound only. */
    private static long stale(final long end)
    {
        return end << 1;
    }

    /** @return the lower bound a stored bound holds, fresh or stale (positions stay below 2^63). */
    private static long boundOf(final long stored)
    {
        return stored >>> 1;
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    int capacity()
    {
        return capacity;
    }

    int elementSize()
    {
        return elementSize;
    }

    /** @return the offset in the buffer of the element of {@code position}. */
    int offset(final long position)
    {
        return dataOffset + (int)(position & mask) * elementSize;
    }

    private int sequenceOffset(final long position)
    {
        return ZeroqDescriptor.cellOffset((int)(position & mask));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Producer side
    // ------------------------------------------------------------------------------------------------------------

    /** @return the position of the next free cell, claimed for this producer, or {@link #NO_POSITION} if full. */
    long claimFree()
    {
        return claim(ENQUEUE_POS_OFFSET, FREE_LAG, sharedPosition(ENQUEUE_POS_OFFSET), true);
    }

    /**
     * Claims up to {@code limit} consecutive free cells with one CAS.
     *
     * @return how many were claimed, from {@code range.position()}; 0 if full.
     */
    int claimFreeRun(final int limit, final ZeroqRange range)
    {
        return claimRun(ENQUEUE_POS_OFFSET, FREE_LAG, limit, range, sharedPosition(ENQUEUE_POS_OFFSET), true);
    }

    /**
     * {@link #claimFree()} for a caller who will {@link #commitClaimed} the position: starts from the claimed bound,
     * not the shared position, and moves the bound past the claim (see the class comment).
     *
     * @return the claimed position, or {@link #NO_POSITION} if full (then the bound stays).
     */
    long claimFreeToHandOut()
    {
        final long position = claim(ENQUEUE_POS_OFFSET, FREE_LAG, claimedStart(), false);
        return handedOutFree(position, NO_POSITION == position ? 0 : 1);
    }

    /**
     * {@link #claimFreeRun} for a caller who will {@link #commitClaimedRun} the run, as {@link #claimFreeToHandOut}.
     *
     * @return how many were claimed, from {@code range.position()}; 0 if full.
     */
    int claimFreeRunToHandOut(final int limit, final ZeroqRange range)
    {
        final int claimed = claimRun(ENQUEUE_POS_OFFSET, FREE_LAG, limit, range, claimedStart(), false);
        handedOutFree(range.position(), claimed);
        return claimed;
    }

    /** @return where a handed-out claim starts: the claimed bound, at most {@code enqueue_pos}. */
    private long claimedStart()
    {
        // opaque: only a guess (see claim()); every value this instance stored is at most enqueue_pos.
        return boundOf((long)CLAIMED_BOUND.getOpaque(this));
    }

    /** Moves the claimed bound past a run of {@code count} positions from {@code first} handed to a caller. */
    private long handedOutFree(final long first, final int count)
    {
        if (count > 0)
        {
            // opaque: any thread may read it; a stale value is a smaller bound, which only sends the check to the
            // header line.
            CLAIMED_BOUND.setOpaque(this, fresh(first + count));
        }
        return first;
    }

    /** Publishes the element written at a claimed position to consumers. */
    void commit(final long position)
    {
        // release: the element's bytes become visible before the sequence that tells a consumer to read them.
        buffer.putLongRelease(sequenceOffset(position), position + COMMITTED_LAG);
    }

    /**
     * Copies an element into the claimed cell of {@code position} and commits it.
     *
     * @return false, writing nothing, if {@code position} is {@link #NO_POSITION}.
     */
    boolean write(final long position, final DirectBuffer src, final int offset)
    {
        if (NO_POSITION == position)
        {
            return false;
        }
        // plain: ordered before the commit's release of the cell's sequence.
        buffer.putBytes(offset(position), src, offset, elementSize);
        commit(position);
        return true;
    }

    /**
     * Copies {@code count} elements, back to back in {@code src}, into the claimed run from {@code first}, then
     * commits them in order.
     *
     * @return {@code count}.
     */
    int writeRun(final int count, final long first, final DirectBuffer src, final int offset)
    {
        for (int i = 0; i < count; i++)
        {
            // plain: ordered before the commits' releases below.
            buffer.putBytes(offset(first + i), src, offset + i * elementSize, elementSize);
        }
        commitRun(first, count);
        return count;
    }

    void commitRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            commit(first + i);
        }
    }

    /**
     * Checks and commits a position handed out by a single claim: without a shared read when it is the claim handed
     * out last (see the class comment), else with {@link #checkClaimed}.
     *
     * @throws IllegalArgumentException as {@link #checkClaimed}; nothing is written then.
     */
    void commitClaimed(final long position)
    {
        if (position < 0 || !takeFreshClaim(position + 1))
        {
            checkClaimed(position);
        }
        commit(position);
    }

    /**
     * Checks every position of a run, then commits them in order; a fresh bound the run's claim stored is marked
     * stale, as {@link #commitClaimed} does, so that no later single commit of its last position passes unchecked.
     *
     * @throws IllegalArgumentException as {@link #checkClaimed}, for the first position that fails; nothing is
     *                                  written then.
     */
    void commitClaimedRun(final long first, final int count)
    {
        checkClaimedRun(first, count);
        if (count > 0)
        {
            takeFreshClaim(first + count);
        }
        commitRun(first, count);
    }

    /**
     * Marks the claimed bound stale if it is fresh {@code end}: the claim ending there is being committed.
     *
     * @return true if it was fresh {@code end} (see the class comment).
     */
    private boolean takeFreshClaim(final long end)
    {
        // opaque, both: the claim ending at end stored fresh(end) before this call (program order, or the caller's
        // hand-off from the claiming thread); any later value sends the commit down the checked path
        if ((long)CLAIMED_BOUND.getOpaque(this) == fresh(end))
        {
            CLAIMED_BOUND.setOpaque(this, stale(end));
            return true;
        }
        return false;
    }

    /**
     * @throws IllegalArgumentException unless the position was claimed ({@code enqueue_pos} is past it by at most the
     *                                  capacity) and not yet committed (its cell's sequence still equals it).
     */
    void checkClaimed(final long position)
    {
        checkHeld(position, ENQUEUE_POS_OFFSET, FREE_LAG, boundOf((long)CLAIMED_BOUND.getOpaque(this)),
            "claimed and not yet committed: enqueue_pos=");
    }

    /**
     * @throws IllegalArgumentException unless {@code length} is the element size and the range lies in {@code src}.
     */
    void checkSource(final DirectBuffer src, final int offset, final int length)
    {
        if (length != elementSize)
        {
            throw new IllegalArgumentException(
                "item length=" + length + " (expected elementSize=" + elementSize + ")");
        }
        BufferBounds.checkRange("src", src, offset, length);
    }

    /** {@link #checkClaimed} for every position of a run, before anything is written. */
    void checkClaimedRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            checkClaimed(first + i);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Consumer side
    // ------------------------------------------------------------------------------------------------------------

    /** @return the position of the next committed element, claimed for this consumer, or {@link #NO_POSITION}. */
    long claimCommitted()
    {
        return claim(DEQUEUE_POS_OFFSET, COMMITTED_LAG, sharedPosition(DEQUEUE_POS_OFFSET), true);
    }

    /**
     * Claims up to {@code limit} consecutive committed elements with one CAS.
     *
     * @return how many were claimed, from {@code range.position()}; 0 if none is ready.
     */
    int claimCommittedRun(final int limit, final ZeroqRange range)
    {
        return claimRun(DEQUEUE_POS_OFFSET, COMMITTED_LAG, limit, range, sharedPosition(DEQUEUE_POS_OFFSET),
            true);
    }

    /**
     * {@link #claimCommitted()} for a caller who will {@link #releaseAcquired} the position, as
     * {@link #claimFreeToHandOut}: starts from the acquired bound and moves it past the acquisition.
     *
     * @return the acquired position, or {@link #NO_POSITION} if no element is ready (then the bound stays).
     */
    long claimCommittedToHandOut()
    {
        final long position = claim(DEQUEUE_POS_OFFSET, COMMITTED_LAG, acquiredStart(), false);
        return handedOutCommitted(position, NO_POSITION == position ? 0 : 1);
    }

    /**
     * {@link #claimCommittedRun} for a caller who will {@link #releaseAcquiredRun} the run, as
     * {@link #claimCommittedToHandOut}.
     *
     * @return how many were acquired, from {@code range.position()}; 0 if none is ready.
     */
    int claimCommittedRunToHandOut(final int limit, final ZeroqRange range)
    {
        final int acquired = claimRun(DEQUEUE_POS_OFFSET, COMMITTED_LAG, limit, range, acquiredStart(), false);
        handedOutCommitted(range.position(), acquired);
        return acquired;
    }

    /** @return where a handed-out acquisition starts: the acquired bound, at most {@code dequeue_pos}. */
    private long acquiredStart()
    {
        // opaque: as in claimedStart().
        return boundOf((long)ACQUIRED_BOUND.getOpaque(this));
    }

    /** Moves the acquired bound past a run of {@code count} positions from {@code first} handed to a caller. */
    private long handedOutCommitted(final long first, final int count)
    {
        if (count > 0)
        {
            // opaque: as in handedOutFree().
            ACQUIRED_BOUND.setOpaque(this, fresh(first + count));
        }
        return first;
    }

    /** Frees the cell of an element read, for the producer of the next lap. */
    void release(final long position)
    {
        // release: our reads of the element complete before a producer can see the cell as free and overwrite it.
        buffer.putLongRelease(sequenceOffset(position), position + mask + 1);
    }

    /**
     * Copies out the acquired element of {@code position} and releases its cell.
     *
     * @return false, reading nothing, if {@code position} is {@link #NO_POSITION}.
     */
    boolean read(final long position, final MutableDirectBuffer dst, final int offset)
    {
        if (NO_POSITION == position)
        {
            return false;
        }
        // plain: ordered after the acquire of the cell's committed sequence in the claim.
        dst.putBytes(offset, buffer, offset(position), elementSize);
        release(position);
        return true;
    }

    void releaseRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            release(first + i);
        }
    }

    /**
     * Checks and releases a position handed out by a single acquisition, as {@link #commitClaimed} commits.
     *
     * @throws IllegalArgumentException as {@link #checkAcquired}; nothing is written then.
     */
    void releaseAcquired(final long position)
    {
        if (position < 0 || !takeFreshAcquisition(position + 1))
        {
            checkAcquired(position);
        }
        release(position);
    }

    /**
     * Checks every position of a run, then releases them in order, marking the bound stale as
     * {@link #commitClaimedRun} does.
     *
     * @throws IllegalArgumentException as {@link #checkAcquired}, for the first position that fails; nothing is
     *                                  written then.
     */
    void releaseAcquiredRun(final long first, final int count)
    {
        checkAcquiredRun(first, count);
        if (count > 0)
        {
            takeFreshAcquisition(first + count);
        }
        releaseRun(first, count);
    }

    /** {@link #takeFreshClaim} for the acquired bound. */
    private boolean takeFreshAcquisition(final long end)
    {
        // opaque, both: as in takeFreshClaim()
        if ((long)ACQUIRED_BOUND.getOpaque(this) == fresh(end))
        {
            ACQUIRED_BOUND.setOpaque(this, stale(end));
            return true;
        }
        return false;
    }

    /**
     * @throws IllegalArgumentException unless the position was acquired ({@code dequeue_pos} is past it by at most
     *                                  the capacity) and not yet released (its cell's sequence is position + 1).
     */
    void checkAcquired(final long position)
    {
        checkHeld(position, DEQUEUE_POS_OFFSET, COMMITTED_LAG, boundOf((long)ACQUIRED_BOUND.getOpaque(this)),
            "acquired and not yet released: dequeue_pos=");
    }

    /**
     * Checks a position this side holds: its shared position is past it by 1 to capacity, and its cell is still in
     * the state the claim found it ({@code position + heldLag}). Below {@code bound}, a lower bound of the shared
     * position, the first half is proven without reading it; and a cell still in that state cannot be a lap behind
     * (the cell of a position a lap behind has moved on, and sequences never go back), so the second half proves the
     * rest.
     */
    private void checkHeld(
        final long position, final int positionOffset, final long heldLag, final long bound, final String expected)
    {
        // opaque: this thread's own claim moved the side's position (and the bound, or the shared position is read)
        // past the position, and reads of one location never go back in time, so a position it holds always
        // passes; anything else is rejected before a store.
        final long sequence = buffer.getLongOpaque(sequenceOffset(position));
        if (position >= 0 && bound - position > 0 && sequence == position + heldLag)
        {
            return;
        }
        final long sidePosition = buffer.getLongOpaque(positionOffset);
        final long ahead = sidePosition - position;
        if (ahead < 1 || ahead > capacity || sequence != position + heldLag)
        {
            throw new IllegalArgumentException("position=" + position + " (expected one " + expected +
                Long.toUnsignedString(sidePosition) + ", cell " + (position & mask) + " sequence=" +
                Long.toUnsignedString(sequence) + ')');
        }
    }

    /** {@link #checkAcquired} for every position of a run, before anything is written. */
    void checkAcquiredRun(final long first, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            checkAcquired(first + i);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Claiming, either side
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Claims the next position on one side with a CAS on its shared position: its cell is ready when the sequence
     * is the position plus {@code readyLag} ({@link #FREE_LAG} for a producer, {@link #COMMITTED_LAG} for a
     * consumer).
     *
     * @param start    where to look first: the shared position just read, or a guess (a bound). Any guess is sound:
     *                 a cell ahead of it sends the loop to the shared position, a ready one to a CAS that fails
     *                 with the shared position unless the guess was right, and a cell not ready is confirmed
     *                 against the shared position before "full" or "empty" is said. A right guess, as a lone
     *                 producer's or consumer's bound is, saves the read of the shared position; a stale one costs
     *                 one more cell read.
     * @param isShared true if {@code start} was read from the shared position.
     */
    private long claim(final int positionOffset, final long readyLag, final long start, final boolean isShared)
    {
        final AtomicBuffer buffer = this.buffer;
        long position = start;
        boolean shared = isShared;
        while (true)
        {
            // acquire: pairs with the other side's release of this cell (a consumer's release before we overwrite,
            // a producer's commit before we read), so the element's bytes are safe to touch.
            final long sequence = buffer.getLongAcquire(sequenceOffset(position));
            final long difference = sequence - (position + readyLag);
            if (0 == difference)
            {
                // CAS is a full fence: claims the position among all threads of every process on this side.
                final long witness = buffer.compareAndExchangeLong(positionOffset, position, position + 1);
                if (witness == position)
                {
                    return position;
                }
                position = witness;
                shared = true;
            }
            else if (difference < 0)
            {
                // not ready: said only of the shared position, as read in this call.
                final long current = shared ? position : sharedPosition(positionOffset);
                if (current == position)
                {
                    return NO_POSITION;
                }
                position = current;
                shared = true;
            }
            else
            {
                position = reloadPosition(positionOffset, position, sequence);
                shared = true;
            }
        }
    }

    /**
     * Claims up to {@code limit} consecutive positions on one side with one CAS. A cell seen ready stays ready until
     * someone claims its position, which the CAS rules out, so checking the run before the CAS is sound. {@code start}
     * and {@code isShared} as in {@link #claim}.
     */
    private int claimRun(
        final int positionOffset,
        final long readyLag,
        final int limit,
        final ZeroqRange range,
        final long start,
        final boolean isShared)
    {
        final AtomicBuffer buffer = this.buffer;
        final int most = Math.min(limit, capacity);
        long position = start;
        boolean shared = isShared;
        while (true)
        {
            int count = 0;
            long sequence = 0;
            while (count < most)
            {
                // acquire: as in claim(), for every cell of the run.
                sequence = buffer.getLongAcquire(sequenceOffset(position + count));
                if (sequence != position + count + readyLag)
                {
                    break;
                }
                count++;
            }
            if (0 == count)
            {
                if (sequence - (position + readyLag) < 0)
                {
                    // not ready: as in claim().
                    final long current = shared ? position : sharedPosition(positionOffset);
                    if (current == position)
                    {
                        range.set(position, 0);
                        return 0;
                    }
                    position = current;
                }
                else
                {
                    position = reloadPosition(positionOffset, position, sequence);
                }
                shared = true;
                continue;
            }
            // CAS is a full fence: claims the whole run at once.
            final long witness = buffer.compareAndExchangeLong(positionOffset, position, position + count);
            if (witness == position)
            {
                range.set(position, count);
                return count;
            }
            position = witness;
            shared = true;
        }
    }

    /** @return one side's shared position: a claim's start, or the position a guess is confirmed against. */
    private long sharedPosition(final int positionOffset)
    {
        // relaxed: a starting point; the claim's acquire of the cell and its CAS decide.
        return buffer.getLongOpaque(positionOffset);
    }

    private long reloadPosition(final int positionOffset, final long position, final long sequence)
    {
        // relaxed: the cell was already taken by another thread, whose CAS moved the position on before it
        // stored this sequence (our acquire read of it orders this load after that CAS).
        final long reloaded = buffer.getLongOpaque(positionOffset);
        if (reloaded == position)
        {
            throw new IllegalStateException("zeroq segment " + name + " corrupt: cell " + (position & mask) +
                " sequence=" + Long.toUnsignedString(sequence) + " is ahead of its position=" +
                Long.toUnsignedString(position) + " (expected at most position + 1)");
        }
        return reloaded;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Where the queue stands
    // ------------------------------------------------------------------------------------------------------------

    /** @return {@code enqueue_pos - dequeue_pos}, clamped to {@code [0, capacity]}: a snapshot. */
    int size()
    {
        // acquire: dequeue_pos first, so the enqueue_pos read after it is at least as new and the difference is
        // rarely negative (clamped anyway). relaxed for enqueue_pos: a snapshot, as zeroq's len().
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongOpaque(ENQUEUE_POS_OFFSET);
        return (int)Math.max(0, Math.min(capacity, enqueue - dequeue));
    }

    /** @return true if consumers are waiting on a cell claimed but never committed. */
    boolean isStalled()
    {
        // acquire, each: the cell is read after the dequeue_pos that names it, and a committed sequence is not
        // mistaken for a stall; enqueue_pos is read last, at least as new as the claim the cell shows.
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final long sequence = buffer.getLongAcquire(sequenceOffset(dequeue));
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        return ZeroqDescriptor.isStalled(enqueue, dequeue, sequence);
    }

    /** @return true if producers are waiting on a cell acquired but not released. */
    boolean isHeldByConsumer()
    {
        // acquire, each: the cell is read after the enqueue_pos that names it, and a released sequence is not
        // mistaken for a hold; dequeue_pos is read last.
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        final long tailSequence = buffer.getLongAcquire(sequenceOffset(enqueue));
        return ZeroqDescriptor.isHeldByConsumer(
            enqueue, buffer.getLongAcquire(DEQUEUE_POS_OFFSET), capacity, tailSequence);
    }

    /** @return the newest claimed position if it is not committed yet, else {@link #NO_POSITION}. */
    long newestUncommittedClaim()
    {
        // acquire, each: the cell is read after the enqueue_pos that names it, so a claim the position shows is
        // also seen committed if its commit came before; a snapshot otherwise.
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        if (enqueue <= 0)
        {
            return NO_POSITION;
        }
        final long newest = enqueue - 1;
        return buffer.getLongAcquire(sequenceOffset(newest)) == newest ? newest : NO_POSITION;
    }

    /** Skips one position a dead producer claimed; see {@link ZeroqQueue#unblock(long)}. */
    boolean unblock(final long position)
    {
        // acquire, each, in this order: as in isStalled(); the CAS below decides.
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        if (position < 0 || enqueue - position <= 0)
        {
            throw new IllegalArgumentException("position=" + position + " was never claimed in zeroq queue " + name +
                " (expected 0 <= position < enqueue_pos=" + enqueue + ")");
        }
        if (dequeue - position > 0)
        {
            return true;
        }
        if (enqueue - position > capacity)
        {
            throw new IllegalStateException("zeroq segment " + name + " corrupt: dequeue_pos=" + dequeue +
                " is more than capacity=" + capacity + " behind enqueue_pos=" + enqueue);
        }
        final int cell = sequenceOffset(position);
        final long sequence = buffer.getLongAcquire(cell);
        if (sequence != position)
        {
            // committed meanwhile (a slow producer, not a dead one): consumers pass it.
            return true;
        }
        if (dequeue == position && buffer.compareAndSetLong(DEQUEUE_POS_OFFSET, dequeue, dequeue + 1))
        {
            // As unblock(): the cell is free for position + capacity; release, so a producer of that lap sees it.
            buffer.putLongRelease(cell, position + mask + 1);
            return true;
        }
        return false;
    }

    /** Frees at most one cell a dead producer or consumer holds; see {@link ZeroqQueue#unblock()}. */
    boolean unblock()
    {
        // acquire, each, in this order: as in isStalled(); the CAS below decides.
        final long dequeue = buffer.getLongAcquire(DEQUEUE_POS_OFFSET);
        final int headCell = sequenceOffset(dequeue);
        final long headSequence = buffer.getLongAcquire(headCell);
        if (ZeroqDescriptor.isStalled(buffer.getLongAcquire(ENQUEUE_POS_OFFSET), dequeue, headSequence) &&
            buffer.compareAndSetLong(DEQUEUE_POS_OFFSET, dequeue, dequeue + 1))
        {
            // As a consumer would after reading: the cell is free for position dequeue + capacity.
            buffer.putLongRelease(headCell, dequeue + mask + 1);
            return true;
        }

        // acquire, each, in this order: as in isHeldByConsumer(); the CAS below decides.
        final long enqueue = buffer.getLongAcquire(ENQUEUE_POS_OFFSET);
        final long heldPosition = enqueue - capacity;
        final int tailCell = sequenceOffset(enqueue);
        final long tailSequence = buffer.getLongAcquire(tailCell);
        if (ZeroqDescriptor.isHeldByConsumer(
            enqueue, buffer.getLongAcquire(DEQUEUE_POS_OFFSET), capacity, tailSequence))
        {
            // CAS, not a store: if the consumer was only slow and released meanwhile, leave its release alone.
            return buffer.compareAndSetLong(tailCell, heldPosition + 1, heldPosition + mask + 1);
        }
        return false;
    }
}
