package dev.shmq.layout;

/**
 * A C++ type a {@link CField} can have: an integer scalar ({@link CScalar}) or a struct ({@link CStruct}).
 */
public sealed interface CType permits CScalar, CStruct
{
    /**
     * The name of the type as a C++ declaration spells it.
     *
     * @return e.g. {@code std::atomic<uint64_t>} or the struct's name.
     */
    String cppName();

    /**
     * {@code sizeof} the type.
     *
     * @return the size in bytes.
     */
    int size();

    /**
     * {@code alignof} the type.
     *
     * @return the alignment in bytes, a power of two.
     */
    int alignment();
}
