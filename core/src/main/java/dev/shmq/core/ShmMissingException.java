package dev.shmq.core;

/**
 * Thrown when a shared-memory object that must exist does not.
 */
public final class ShmMissingException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param name the missing object.
     */
    public ShmMissingException(final ShmName name)
    {
        super("shared-memory object " + name.path() + " does not exist");
    }
}
