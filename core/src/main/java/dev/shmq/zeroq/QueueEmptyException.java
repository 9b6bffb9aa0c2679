package dev.shmq.zeroq;

import java.util.NoSuchElementException;

/**
 * Thrown when no element can be taken because none is ready (zeroq's {@code Empty}).
 */
public final class QueueEmptyException extends NoSuchElementException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and for how long.
     */
    public QueueEmptyException(final String message)
    {
        super(message);
    }
}
