package dev.shmq.bridge;

import io.aeron.Publication;

/** Checks both directions of a bridge make before they move anything. */
final class BridgeChecks
{
    private BridgeChecks()
    {
    }

    /**
     * @param length    the longest element or entry the bridge may send.
     * @param publication where it goes.
     * @throws IllegalArgumentException if one message of that length exceeds the publication's maximum.
     */
    static void checkFits(final int length, final Publication publication)
    {
        if (length > publication.maxMessageLength())
        {
            throw new IllegalArgumentException("element length=" + length + " (expected at most the publication's " +
                "maxMessageLength=" + publication.maxMessageLength() + "; raise the channel's term-length)");
        }
    }
}
