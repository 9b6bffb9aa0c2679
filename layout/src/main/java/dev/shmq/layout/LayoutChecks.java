package dev.shmq.layout;

/**
 * Range checks shared by the protocol descriptors. Messages follow {@code name=value (expected ...)}.
 */
final class LayoutChecks
{
    private LayoutChecks()
    {
    }

    static void checkPowerOfTwo(final String name, final long value, final long min)
    {
        if (value < min || value > Integer.MAX_VALUE || (value & (value - 1)) != 0)
        {
            throw new IllegalArgumentException(
                name + "=" + value + " (expected a power of two in [" + min + ", " + (1 << 30) + "])");
        }
    }

    static void checkElementSize(final long elementSize)
    {
        if (elementSize < 1 || elementSize > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(
                "elementSize=" + elementSize + " (expected 1 to " + Integer.MAX_VALUE + ")");
        }
    }

    static int checkTotal(final String protocol, final long capacity, final long elementSize, final long total)
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
