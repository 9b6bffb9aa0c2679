package dev.shmq.layout;

/**
 * The fixed-width integer types of {@code <cstdint>}, plain {@code char}, and their {@code std::atomic} wrappers,
 * with the size and alignment x86-64 System V (LP64) gives them. On this ABI {@code std::atomic<T>} of an integer
 * has the size and alignment of {@code T}.
 */
public enum CScalar implements CType
{
    /** {@code int8_t}. */
    INT8("int8_t", 1, true, false),
    /** {@code uint8_t}. */
    UINT8("uint8_t", 1, false, false),
    /** {@code int16_t}. */
    INT16("int16_t", 2, true, false),
    /** {@code uint16_t}. */
    UINT16("uint16_t", 2, false, false),
    /** {@code int32_t}. */
    INT32("int32_t", 4, true, false),
    /** {@code uint32_t}. */
    UINT32("uint32_t", 4, false, false),
    /** {@code int64_t}. */
    INT64("int64_t", 8, true, false),
    /** {@code uint64_t}. */
    UINT64("uint64_t", 8, false, false),
    /** {@code std::atomic<int8_t>}. */
    ATOMIC_INT8("int8_t", 1, true, true),
    /** {@code std::atomic<uint8_t>}. */
    ATOMIC_UINT8("uint8_t", 1, false, true),
    /** {@code std::atomic<int16_t>}. */
    ATOMIC_INT16("int16_t", 2, true, true),
    /** {@code std::atomic<uint16_t>}. */
    ATOMIC_UINT16("uint16_t", 2, false, true),
    /** {@code std::atomic<int32_t>}. */
    ATOMIC_INT32("int32_t", 4, true, true),
    /** {@code std::atomic<uint32_t>}. */
    ATOMIC_UINT32("uint32_t", 4, false, true),
    /** {@code std::atomic<int64_t>}. */
    ATOMIC_INT64("int64_t", 8, true, true),
    /** {@code std::atomic<uint64_t>}. */
    ATOMIC_UINT64("uint64_t", 8, false, true),
    /** Plain {@code char}, for text such as a fixed-width symbol (signed on x86-64, but a distinct C++ type). */
    CHAR("char", 1, true, false);

    /** Type-code bit: the type is signed. */
    static final int CODE_SIGNED = 16;
    /** Type-code bit: the type is {@code std::atomic}. */
    static final int CODE_ATOMIC = 32;
    /** Type-code bit: the type is plain {@code char}. */
    static final int CODE_CHAR = 64;

    private final String valueTypeName;
    private final int size;
    private final boolean signed;
    private final boolean atomic;

    CScalar(final String valueTypeName, final int size, final boolean signed, final boolean atomic)
    {
        this.valueTypeName = valueTypeName;
        this.size = size;
        this.signed = signed;
        this.atomic = atomic;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String cppName()
    {
        return atomic ? "std::atomic<" + valueTypeName + ">" : valueTypeName;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int size()
    {
        return size;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int alignment()
    {
        return size;
    }

    /**
     * Is the integer signed.
     *
     * @return true for the {@code intN_t} types and {@code char}.
     */
    public boolean isSigned()
    {
        return signed;
    }

    /**
     * Is the type wrapped in {@code std::atomic}.
     *
     * @return true for the {@code ATOMIC_*} constants.
     */
    public boolean isAtomic()
    {
        return atomic;
    }

    /**
     * The code the C++ side computes for a member of this type, so a checker can compare kinds as numbers:
     * size | signed | atomic | char. Independent of spelling: {@code long} and {@code int64_t} share a code.
     *
     * @return the type code, never 0 (0 means "not an integer scalar").
     */
    int typeCode()
    {
        return size | (signed ? CODE_SIGNED : 0) | (atomic ? CODE_ATOMIC : 0) | (this == CHAR ? CODE_CHAR : 0);
    }

    /**
     * Describes a type code for a message.
     *
     * @param code a type code as {@link #typeCode()} computes it, or as g++ computed it for a member.
     * @return the scalar's C++ name, or a description when the code names no scalar.
     */
    static String describeTypeCode(final long code)
    {
        for (final CScalar scalar : values())
        {
            if (scalar.typeCode() == code)
            {
                return scalar.cppName();
            }
        }
        return 0 == code ? "a non-integer type" : "an integer of " + (code & 15) + " bytes, " +
            ((code & CODE_SIGNED) != 0 ? "signed" : "unsigned") + ((code & CODE_ATOMIC) != 0 ? ", atomic" : "");
    }
}
