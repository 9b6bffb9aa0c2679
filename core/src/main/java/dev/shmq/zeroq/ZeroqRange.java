package dev.shmq.zeroq;

/**
 * A run of consecutive positions claimed by one batch call: reusable, so batches allocate nothing.
 *
 * <p>Filled by {@link ZeroqQueue#tryClaim(int, ZeroqRange)} and {@link ZeroqQueue#tryAcquire(int, ZeroqRange)};
 * element {@code i} of the run is at {@link ZeroqQueue#offset(long) offset(position() + i)}.
 */
public final class ZeroqRange
{
    private long position;
    private int count;

    /** @return the first position of the run. */
    public long position()
    {
        return position;
    }

    /** @return the number of positions in the run; 0 when the last call claimed nothing. */
    public int count()
    {
        return count;
    }

    void set(final long position, final int count)
    {
        this.position = position;
        this.count = count;
    }

    @Override
    public String toString()
    {
        return "ZeroqRange{position=" + position + ", count=" + count + '}';
    }
}
