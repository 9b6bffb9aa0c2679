package dev.shmq.slick;

/**
 * Where one entry read from a {@link SlickQueue} lies: a mutable holder the queue fills in place, so reading
 * allocates nothing. Valid until the next read into it; the bytes stay valid only until a producer laps the reader.
 */
public final class SlickEntry
{
    private long index;
    private int offset;
    private int count;
    private int length;

    /**
     * Creates an empty holder.
     */
    public SlickEntry()
    {
    }

    void set(final long index, final int offset, final int count, final int length)
    {
        this.index = index;
        this.offset = offset;
        this.count = count;
        this.length = length;
    }

    /** @return the queue index of the entry's first element. */
    public long index()
    {
        return index;
    }

    /** @return the offset of the entry's first element in {@link SlickQueue#buffer()}. */
    public int offset()
    {
        return offset;
    }

    /** @return the number of elements in the entry (the {@code n} its producer published). */
    public int count()
    {
        return count;
    }

    /** @return the entry's length in bytes: {@link #count()} times the element size. */
    public int length()
    {
        return length;
    }

    @Override
    public String toString()
    {
        return "SlickEntry{index=" + index + ", offset=" + offset + ", count=" + count + ", length=" + length + '}';
    }
}
