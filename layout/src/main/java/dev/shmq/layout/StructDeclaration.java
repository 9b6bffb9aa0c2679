package dev.shmq.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link CStruct.Builder} has been told so far: the members in declaration order, each checked as it arrives
 * (a C++ identifier not declared before, at least one element, a valid {@code alignas}), and the {@code alignas}
 * requests not yet used. {@link #build()} checks the declaration is complete and has {@link StructLayout} lay it
 * out. Not thread-safe, as the builder.
 */
final class StructDeclaration
{
    private final String name;
    private final List<PendingField> pending = new ArrayList<>();
    private long nextFieldAlignas = CField.NO_EXPLICIT_ALIGNMENT;
    private long structAlignas = CField.NO_EXPLICIT_ALIGNMENT;

    StructDeclaration(final String name)
    {
        this.name = name;
    }

    /**
     * {@code alignas(alignment)} on the next member added; checked against its type when it is.
     *
     * @param alignment a power of two.
     */
    void alignNextField(final int alignment)
    {
        nextFieldAlignas = DeclarationChecks.checkAlignas("struct=" + name + " next field", alignment, 1);
    }

    /**
     * {@code struct alignas(alignment) Name}; checked against the members' alignment when the struct is built.
     *
     * @param alignment a power of two.
     */
    void alignStruct(final int alignment)
    {
        structAlignas = DeclarationChecks.checkAlignas("struct=" + name, alignment, 1);
    }

    /**
     * Records a member, with the pending {@code alignas} if there is one.
     *
     * @param field the member name.
     * @param type  its type, or its element type for an array.
     * @param count the number of elements, 1 for a member that is not an array.
     * @param array whether the member is declared as an array, even of one element.
     */
    void add(final String field, final CType type, final int count, final boolean array)
    {
        DeclarationChecks.checkIdentifier("field", name, field);
        Objects.requireNonNull(type, "type");
        for (final PendingField existing : pending)
        {
            if (existing.name.equals(field))
            {
                throw new IllegalArgumentException("struct=" + name + " field=" + field +
                    " declared twice (expected unique field names)");
            }
        }
        if (count < 1)
        {
            throw new IllegalArgumentException("struct=" + name + " field=" + field + " count=" + count +
                " (expected at least 1: zero-length arrays are not standard C++)");
        }
        int explicitAlignment = CField.NO_EXPLICIT_ALIGNMENT;
        if (CField.NO_EXPLICIT_ALIGNMENT != nextFieldAlignas)
        {
            final long requested = nextFieldAlignas;
            nextFieldAlignas = CField.NO_EXPLICIT_ALIGNMENT;
            explicitAlignment = DeclarationChecks.checkAlignas(
                "struct=" + name + " field=" + field, requested, type.alignment());
        }
        pending.add(new PendingField(field, type, count, array, explicitAlignment));
    }

    /**
     * @return the laid-out declaration.
     * @throws IllegalArgumentException as {@link CStruct.Builder#build()}.
     */
    CStruct build()
    {
        if (pending.isEmpty())
        {
            throw new IllegalArgumentException("struct=" + name +
                " has no fields (expected at least one: an empty struct has size 0 in C and 1 in C++)");
        }
        if (CField.NO_EXPLICIT_ALIGNMENT != nextFieldAlignas)
        {
            throw new IllegalArgumentException("struct=" + name + " alignas=" + nextFieldAlignas +
                " after the last field (expected a field to follow; use structAlignas for the struct)");
        }
        return StructLayout.layOut(name, pending, structAlignas);
    }
}
