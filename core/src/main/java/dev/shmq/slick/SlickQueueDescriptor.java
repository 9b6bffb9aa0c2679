package dev.shmq.slick;

import dev.shmq.core.LayoutChecks;
import dev.shmq.layout.CStruct;

/**
 * Layout of a SlickQueue v1.4.0 segment, as C++ {@code slick::SlickQueue<T>} lays it out in shared memory.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |     reserved: atomic u64 = (write index &lt;&lt; 16) | last n       | 0
 *  +-------------------------------+-------------------------------+
 *  |          size: u32            |       element_size: u32       | 8
 *  +-------------------------------+-------------------------------+
 *  |          last_published: atomic u64 (NONE = all ones)         | 16
 *  +-------------------------------+-------------------------------+
 *  |     header_magic: u32 SLQ1    |     padding (20 bytes)       ...| 24
 *  +-------------------------------+-------------------------------+
 *  |     init_state: atomic u32    |     padding (12 bytes)       ...| 48
 *  +-------------------------------+-------------------------------+
 *  |  slot[0]: data_index atomic u64 | size u32 | pad u32           | 64
 *  |  ... size slots of 16 bytes ...                               |
 *  +---------------------------------------------------------------+
 *  |  data: size elements of element_size bytes                    | 64 + 16 * size
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>All integers are little-endian. Every offset here is derived from the struct declarations
 * {@link #HEADER} and {@link #SLOT}, which the layout tests check against g++.
 */
public final class SlickQueueDescriptor
{
    /** The segment header as C++ declares it. */
    public static final CStruct HEADER = CStruct.builder("SlickQueueHeader")
        .atomicU64("reserved")
        .u32("size")
        .u32("element_size")
        .atomicU64("last_published")
        .atomicU32("header_magic")
        .bytes("padding1", 20)
        .atomicU32("init_state")
        .bytes("padding2", 12)
        .build();

    /** One slot of the slot array as C++ declares it. */
    public static final CStruct SLOT = CStruct.builder("SlickQueueSlot")
        .atomicU64("data_index")
        .u32("size")
        .bytes("padding", 4)
        .build();

    /** Offset of {@code reserved}: the write index in the upper 48 bits, the last reservation's size in the low 16. */
    public static final int RESERVED_OFFSET = HEADER.offsetOf("reserved");

    /** Offset of {@code size}: the capacity, a power of two. */
    public static final int SIZE_OFFSET = HEADER.offsetOf("size");

    /** Offset of {@code element_size}: {@code sizeof(T)} of the creator. */
    public static final int ELEMENT_SIZE_OFFSET = HEADER.offsetOf("element_size");

    /** Offset of {@code last_published}: the highest published index, {@link #NONE} when nothing was published. */
    public static final int LAST_PUBLISHED_OFFSET = HEADER.offsetOf("last_published");

    /** Offset of {@code header_magic}: {@link #MAGIC} once a v1.4.0 creator has initialised the segment. */
    public static final int HEADER_MAGIC_OFFSET = HEADER.offsetOf("header_magic");

    /** Offset of {@code init_state}: one of the {@code INIT_STATE_*} values. */
    public static final int INIT_STATE_OFFSET = HEADER.offsetOf("init_state");

    /** Length of the header: the slot array starts here. */
    public static final int HEADER_LENGTH = HEADER.size();

    /** Offset of {@code data_index} within a slot: the index of the entry in the slot, {@link #NONE} when empty. */
    public static final int SLOT_DATA_INDEX_OFFSET = SLOT.offsetOf("data_index");

    /** Offset of {@code size} within a slot: the number of elements in the entry. */
    public static final int SLOT_SIZE_OFFSET = SLOT.offsetOf("size");

    /** Length of one slot. */
    public static final int SLOT_LENGTH = SLOT.size();

    /** {@code 0x534C5131}: the hex digits spell "SLQ1" (stored little-endian, the bytes are "1QLS"). */
    public static final int MAGIC = 0x534C5131;

    /** The "no index" value of {@code data_index} and {@code last_published}: all 64 bits set. */
    public static final long NONE = -1L;

    /** {@code init_state}: nobody has started to initialise the segment. */
    public static final int INIT_STATE_UNINITIALISED = 0;

    /** {@code init_state}: a pre-1.4 creator that does not run the handshake. */
    public static final int INIT_STATE_LEGACY = 1;

    /** {@code init_state}: the creator is writing the header and slots. */
    public static final int INIT_STATE_INITIALISING = 2;

    /** {@code init_state}: the segment is ready to use. */
    public static final int INIT_STATE_READY = 3;

    /** Shift of the write index within {@code reserved}. */
    public static final int RESERVED_INDEX_SHIFT = 16;

    /** Mask of the last reservation's size within {@code reserved}. */
    public static final long RESERVED_SIZE_MASK = 0xFFFFL;

    /** The largest entry one reservation can hold: its size must fit the 16 bits of {@code reserved}. */
    public static final int MAX_ENTRY_ELEMENTS = (int)RESERVED_SIZE_MASK;

    /** The largest write index {@code reserved} can hold in its upper 48 bits. */
    public static final long MAX_INDEX = -1L >>> RESERVED_INDEX_SHIFT;

    /** The smallest capacity: one slot. */
    public static final int MIN_CAPACITY = 1;

    /** The largest capacity a header may hold: the slot array must stay addressable by an int. */
    public static final int MAX_CAPACITY = 1 << 30;

    private SlickQueueDescriptor()
    {
    }

    /**
     * Packs a write index and a reservation size into a {@code reserved} word.
     *
     * @param index the write index (48 bits).
     * @param n     the size of the last reservation (16 bits).
     * @return {@code (index << 16) | (n & 0xFFFF)}.
     */
    public static long packReserved(final long index, final long n)
    {
        return (index << RESERVED_INDEX_SHIFT) | (n & RESERVED_SIZE_MASK);
    }

    /**
     * @param reserved a {@code reserved} word.
     * @return the write index it holds.
     */
    public static long reservedIndex(final long reserved)
    {
        return reserved >>> RESERVED_INDEX_SHIFT;
    }

    /**
     * @param reserved a {@code reserved} word.
     * @return the size of the last reservation it holds.
     */
    public static int reservedSize(final long reserved)
    {
        return (int)(reserved & RESERVED_SIZE_MASK);
    }

    /**
     * @param slot a slot number in {@code [0, capacity)}.
     * @return the offset of that slot from the start of the segment.
     */
    public static int slotOffset(final int slot)
    {
        return HEADER_LENGTH + slot * SLOT_LENGTH;
    }

    /**
     * @param capacity a capacity already checked by {@link #checkCapacity(long)}.
     * @return the offset of element 0 of the data array.
     */
    public static int dataOffset(final int capacity)
    {
        return HEADER_LENGTH + capacity * SLOT_LENGTH;
    }

    /**
     * Checks that a capacity is a power of two the slot array can address.
     *
     * @param capacity the number of slots.
     * @throws IllegalArgumentException naming the value and the limit.
     */
    public static void checkCapacity(final long capacity)
    {
        LayoutChecks.checkPowerOfTwo("capacity", capacity, MIN_CAPACITY);
    }

    /**
     * The length of a segment of this capacity and element size: {@code 64 + 16·capacity + elementSize·capacity}.
     *
     * @param capacity    the number of slots, a power of two.
     * @param elementSize {@code sizeof(T)}, at least 1.
     * @return the total length in bytes.
     * @throws IllegalArgumentException if the capacity is not a power of two, the element size is not positive, or
     *                                  the total exceeds what one buffer can address ({@link Integer#MAX_VALUE}).
     */
    public static int totalLength(final long capacity, final long elementSize)
    {
        checkCapacity(capacity);
        LayoutChecks.checkElementSize(elementSize);
        return LayoutChecks.checkTotal(
            "SlickQueue", capacity, elementSize, HEADER_LENGTH + capacity * (SLOT_LENGTH + elementSize));
    }

    /**
     * Validates a header read from an untrusted segment, before any slot is touched: {@code size} a power of two in
     * {@code [1, MAX_CAPACITY]}, {@code element_size} at least 1, header, slots and elements within the object, and
     * the size bits of {@code reserved} within {@code size}. Shared by attaching and {@code shmq inspect}.
     *
     * @param path         the object, for the message.
     * @param size         {@code size} as read, unsigned.
     * @param elementSize  {@code element_size} as read, unsigned.
     * @param reserved     {@code reserved} as read.
     * @param objectLength the length of the shared-memory object.
     * @return the capacity, {@code size}.
     * @throws IllegalStateException naming the field, its value and the limit.
     */
    public static int checkHeader(
        final String path, final long size, final long elementSize, final long reserved, final long objectLength)
    {
        if (size < 1 || size > MAX_CAPACITY || (size & (size - 1)) != 0)
        {
            throw new IllegalStateException(path + " size=" + size + " (expected a power of two in [1, " +
                MAX_CAPACITY + "])");
        }
        if (elementSize < 1)
        {
            throw new IllegalStateException(path + " element_size=" + elementSize + " (expected at least 1)");
        }
        final long total = HEADER_LENGTH + size * (SLOT_LENGTH + elementSize);
        if (total > objectLength)
        {
            throw new IllegalStateException(path + " length=" + objectLength + " (expected at least " + total +
                " for size=" + size + ", element_size=" + elementSize + ')');
        }
        final long reservedSize = reservedSize(reserved);
        if (reservedSize > size)
        {
            throw new IllegalStateException(path + " reserved size bits=" + reservedSize + " (expected at most size=" +
                size + ')');
        }
        return (int)size;
    }

    /**
     * @param initState an {@code init_state} as read.
     * @return its name ({@code uninitialised}, {@code legacy}, {@code initialising}, {@code ready}), or null for a
     *         value no peer writes.
     */
    public static String initStateName(final int initState)
    {
        switch (initState)
        {
            case INIT_STATE_UNINITIALISED:
                return "uninitialised";
            case INIT_STATE_LEGACY:
                return "legacy";
            case INIT_STATE_INITIALISING:
                return "initialising";
            case INIT_STATE_READY:
                return "ready";
            default:
                return null;
        }
    }
}
