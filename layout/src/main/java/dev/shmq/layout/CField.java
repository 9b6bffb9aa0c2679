package dev.shmq.layout;

import java.util.Objects;

/**
 * One member of a {@link CStruct}: a name, a type, an element count when it is an array, an optional
 * {@code alignas}, and the offset the layout rules gave it. Immutable.
 */
public final class CField
{
    /** {@link #explicitAlignment()} of a field declared without {@code alignas}. */
    public static final int NO_EXPLICIT_ALIGNMENT = 0;

    private final String name;
    private final CType type;
    private final int count;
    private final boolean array;
    private final int explicitAlignment;
    private final int offset;

    CField(
        final String name,
        final CType type,
        final int count,
        final boolean array,
        final int explicitAlignment,
        final int offset)
    {
        this.name = name;
        this.type = type;
        this.count = count;
        this.array = array;
        this.explicitAlignment = explicitAlignment;
        this.offset = offset;
    }

    /**
     * The member's name.
     *
     * @return the C++ identifier.
     */
    public String name()
    {
        return name;
    }

    /**
     * The member's type, or its element type when it is an array.
     *
     * @return a {@link CScalar} or a {@link CStruct}.
     */
    public CType type()
    {
        return type;
    }

    /**
     * Is the member declared as an array ({@code T name[count]}), even of one element.
     *
     * @return true for an array.
     */
    public boolean isArray()
    {
        return array;
    }

    /**
     * The number of elements.
     *
     * @return the array length, or 1 for a member that is not an array.
     */
    public int count()
    {
        return count;
    }

    /**
     * The member's {@code alignas}.
     *
     * @return the requested alignment, or {@link #NO_EXPLICIT_ALIGNMENT}.
     */
    public int explicitAlignment()
    {
        return explicitAlignment;
    }

    /**
     * The alignment the layout used: the stricter of the type's and the {@code alignas}.
     *
     * @return the alignment in bytes.
     */
    public int alignment()
    {
        return Math.max(type.alignment(), explicitAlignment);
    }

    /**
     * {@code offsetof} the member within its struct.
     *
     * @return the offset in bytes.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * {@code sizeof} the member: the element size times the count.
     *
     * @return the size in bytes.
     */
    public int size()
    {
        return type.size() * count;
    }

    /**
     * The offset of the first byte after the member.
     *
     * @return {@code offset() + size()}.
     */
    public int end()
    {
        return offset + size();
    }

    /**
     * The member as a C++ declaration, e.g. {@code alignas(64) std::atomic<uint64_t> head;}.
     *
     * @return one line of C++ without indentation.
     */
    public String cppDeclaration()
    {
        return (NO_EXPLICIT_ALIGNMENT == explicitAlignment ? "" : "alignas(" + explicitAlignment + ") ") +
            type.cppName() + " " + name + (array ? "[" + count + "]" : "") + ";";
    }

    /**
     * The member's type as a declaration spells it, array extent included: {@code uint8_t[20]}.
     *
     * @return the C++ type.
     */
    public String cppTypeName()
    {
        return type.cppName() + (array ? "[" + count + "]" : "");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof CField))
        {
            return false;
        }
        final CField that = (CField)other;
        return name.equals(that.name) && type.equals(that.type) && count == that.count && array == that.array &&
            explicitAlignment == that.explicitAlignment && offset == that.offset;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int hashCode()
    {
        return Objects.hash(name, type, count, array, explicitAlignment, offset);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return cppDeclaration() + " /* offset=" + offset + ", size=" + size() + " */";
    }
}
