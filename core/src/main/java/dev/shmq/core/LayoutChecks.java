package dev.shmq.core;

/**
 * Range checks shared by the protocol descriptors. Messages follow {@code name=value (expected ...)}.
 */
public final class LayoutChecks
{
    private LayoutChecks()
    {
    }

    /**
     * @param name  the value's name in the message.
     * @param value a capacity.
     * @param min   the least it may be.
     * @throws IllegalArgumentException unless a power of two in {@code [min, 2^30]}.
     */
    public static void checkPowerOfTwo(final String name, final long value, final long min)
    {
        if (value < min || value > Integer.MAX_VALUE || (value & (value - 1)) != 0)
        {
            throw new IllegalArgumentException(
                name + "=" + value + " (expected a power of two in [" + min + ", " + (1 << 30) + "])");
        }
    }

    /**
     * @param elementSize an element size in bytes.
     * @throws IllegalArgumentException unless in {@code [1, Integer.MAX_VALUE]}.
     */
    public static void checkElementSize(final long elementSize)
    {
        if (elementSize < 1 || elementSize > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "elementSize=" + elementSize + " (expected 1 to " + Integer.MAX_VALUE + ")");
        }
    }

    /**
     * @param protocol    the protocol's name in the message.
     * @param capacity    the capacity the total is for.
     * @param elementSize the element size the total is for.
     * @param total       the segment's total length in bytes.
     * @return the total as an int.
     * @throws IllegalArgumentException if the total exceeds what one Agrona buffer can address.
     */
    public static int checkTotal(final String protocol, final long capacity, final long elementSize, final long total)
    {
        // capacity <= 2^30 and elementSize < 2^31, so the product is below 2^62 and total cannot overflow a long.
        if (total > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(protocol + " total length=" + total + " for capacity=" + capacity +
                ", elementSize=" + elementSize + " (expected at most " + Integer.MAX_VALUE +
                ", the largest buffer Agrona can address)");
        }
        return (int)total;
    }
}
