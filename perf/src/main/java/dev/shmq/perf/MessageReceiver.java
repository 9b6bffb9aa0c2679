package dev.shmq.perf;

/**
 * The consuming end of one system under test. Reads each message in place where the system allows it (zero-copy),
 * with its {@link MessageBody}: the 8-byte stamp of a small message, every word of a frame.
 */
interface MessageReceiver extends AutoCloseable
{
    /** Returned by {@link #poll(int)} when the other side closed a stream transport. */
    int END = -1;

    /**
     * @param limit the most messages to take.
     * @return how many were taken (0 if none is ready), or {@link #END}.
     */
    int poll(int limit);

    /** @return the stamp of the last message {@link #poll(int)} took. */
    long lastStamp();

    /** @return how many messages taken so far did not check out ({@link MessageBody#corrupt()}). */
    long corrupt();

    /**
     * How full the ring is: messages written and not yet read over what the ring holds. Reads the producers' side
     * (an extra cache line), so a throughput consumer calls it once per progress check, not per message. A snapshot:
     * the positions are read relaxed (opaque) or acquire, one after the other.
     *
     * @return a fraction in {@code [0, 1]}, or NaN for a transport without a ring (a socket).
     */
    default double fill()
    {
        return Double.NaN;
    }

    @Override
    void close();
}
