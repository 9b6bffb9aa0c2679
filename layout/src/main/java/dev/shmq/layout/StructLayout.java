package dev.shmq.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a struct's members out by the x86-64 System V rules: each member at the next multiple of its alignment (the
 * stricter of its type's and its {@code alignas}), the struct aligned to the strictest of its members' and its own
 * {@code alignas}, its size the end of the last member rounded up to that alignment.
 */
final class StructLayout
{
    private StructLayout()
    {
    }

    /**
     * @param name          the struct's name.
     * @param pending       the members in declaration order, at least one.
     * @param structAlignas the struct's own {@code alignas}, or {@link CField#NO_EXPLICIT_ALIGNMENT}.
     * @return the laid-out declaration.
     * @throws IllegalArgumentException if the struct's {@code alignas} is weaker than a member's alignment, or the
     *                                  size exceeds {@link Integer#MAX_VALUE}.
     */
    static CStruct layOut(final String name, final List<PendingField> pending, final long structAlignas)
    {
        final List<CField> fields = new ArrayList<>(pending.size());
        long cursor = 0;
        int alignment = 1;
        for (final PendingField field : pending)
        {
            final int fieldAlignment = Math.max(field.type.alignment(), field.explicitAlignment);
            cursor = alignUp(cursor, fieldAlignment);
            fields.add(new CField(
                field.name, field.type, field.count, field.array, field.explicitAlignment, (int)cursor));
            cursor += (long)field.type.size() * field.count;
            checkSize(name, cursor);
            alignment = Math.max(alignment, fieldAlignment);
        }
        int explicitAlignment = CField.NO_EXPLICIT_ALIGNMENT;
        if (CField.NO_EXPLICIT_ALIGNMENT != structAlignas)
        {
            explicitAlignment = DeclarationChecks.checkAlignas("struct=" + name, structAlignas, alignment);
            alignment = explicitAlignment;
        }
        final long size = alignUp(cursor, alignment);
        checkSize(name, size);
        return new CStruct(name, fields, explicitAlignment, (int)size, alignment);
    }

    private static void checkSize(final String name, final long size)
    {
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("struct=" + name + " size=" + size +
                " (expected at most " + Integer.MAX_VALUE + ")");
        }
    }

    private static long alignUp(final long value, final int alignment)
    {
        return (value + alignment - 1) & -alignment;
    }
}
