package dev.shmq.zeroq;

/**
 * Thrown when an element cannot be put because every cell is in use (zeroq's {@code Full}).
 */
public final class QueueFullException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was attempted and for how long.
     */
    public QueueFullException(final String message)
    {
        super(message);
    }
}
