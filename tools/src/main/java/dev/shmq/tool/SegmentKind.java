package dev.shmq.tool;

/**
 * Which protocol a segment's header speaks, as far as the header and the object's length can tell.
 */
public enum SegmentKind
{
    /** A SlickQueue v1.4.0 header: SLQ1 magic and a handshake {@code init_state}. */
    SLICK_QUEUE("SlickQueue v1.4.0"),

    /** A SlickQueue header without magic: v1.2 (slick_queue_py) or pre-1.4 C++. */
    SLICK_QUEUE_LEGACY("SlickQueue legacy"),

    /** A zeroq 0.1.0 header whose element size and mask match the object's length. */
    ZEROQ("zeroq 0.1.0"),

    /** Nothing shmq knows, or a header that contradicts the object's length. */
    UNKNOWN("unknown");

    private final String label;

    SegmentKind(final String label)
    {
        this.label = label;
    }

    /** @return a human-readable name. */
    public String label()
    {
        return label;
    }
}
