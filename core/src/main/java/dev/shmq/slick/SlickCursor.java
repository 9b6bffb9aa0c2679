package dev.shmq.slick;

/**
 * The read position of one reader that owns it (broadcast reading: every reader sees every entry), as C++ keeps a
 * {@code uint64_t read_index} per reader. Single-threaded: one cursor belongs to one reader thread and one queue.
 *
 * <p>Besides the position, the cursor counts the elements this reader lost when producers lapped it, and caches the
 * highest write index it has seen, so the reader reloads the producers' {@code reserved} word (and drags its cache
 * line) only when a slot holds an index beyond that cache.
 */
public final class SlickCursor
{
    long position;
    long reservedIndexSeen;
    long lossCount;
    int entryCount;

    /**
     * A cursor at index 0: it reads everything still in the ring.
     */
    public SlickCursor()
    {
    }

    /**
     * A cursor at a given index, e.g. {@link SlickQueue#initialReadingIndex()} to read only new entries.
     *
     * @param position the index of the next entry to read.
     */
    public SlickCursor(final long position)
    {
        this.position = position;
    }

    /** @return the index of the next entry to read. */
    public long position()
    {
        return position;
    }

    /**
     * Moves the cursor.
     *
     * @param position the index of the next entry to read.
     * @return this cursor.
     */
    public SlickCursor position(final long position)
    {
        this.position = position;
        return this;
    }

    /** @return the elements this reader lost because producers overwrote them before it read them. */
    public long lossCount()
    {
        return lossCount;
    }

    @Override
    public String toString()
    {
        return "SlickCursor{position=" + position + ", lossCount=" + lossCount + '}';
    }
}
