package dev.shmq.perf;

/**
 * The producing end of one system under test. A message is the run's payload length, its first 8 bytes a time stamp
 * (or sequence); every send writes the whole message into the transport with its {@link MessageBody}, as an
 * application would.
 */
interface MessageSender extends AutoCloseable
{
    /**
     * @param stamp written into the message's first 8 bytes.
     * @return true if sent, false if the transport is full (the caller retries).
     */
    boolean offer(long stamp);

    /**
     * Sends up to {@code limit} messages with one claim where the system has a batch API.
     *
     * @param stamp written into each message.
     * @param limit the most messages to send.
     * @return how many were sent.
     */
    default int offerBatch(final long stamp, final int limit)
    {
        return offer(stamp) ? 1 : 0;
    }

    @Override
    void close();
}
