package dev.shmq.layout;

/**
 * A member as declared to a {@link CStruct.Builder}, checked by {@link StructDeclaration} but not yet placed:
 * {@link StructLayout} gives it its offset.
 */
final class PendingField
{
    final String name;
    final CType type;
    final int count;
    final boolean array;
    final int explicitAlignment;

    PendingField(
        final String name, final CType type, final int count, final boolean array, final int explicitAlignment)
    {
        this.name = name;
        this.type = type;
        this.count = count;
        this.array = array;
        this.explicitAlignment = explicitAlignment;
    }
}
