package dev.shmq.layout;

import java.util.List;

/**
 * Prints a struct's layout as a pahole-style table: each member's offset, size, type and name, the holes alignment
 * left between members, and the trailing padding. The text of {@link CStruct#toOffsetTable()}.
 */
final class OffsetTable
{
    private OffsetTable()
    {
    }

    /**
     * @param struct the laid-out struct.
     * @return a multi-line table.
     */
    static String format(final CStruct struct)
    {
        final List<CField> fields = struct.fields();
        int typeWidth = 4;
        int nameWidth = 4;
        for (final CField field : fields)
        {
            typeWidth = Math.max(typeWidth, (alignasPrefix(field) + field.type().cppName()).length());
            nameWidth = Math.max(nameWidth, field.name().length() + (field.isArray() ? 3 + digits(field.count()) : 1));
        }
        final String row = "    %-" + typeWidth + "s %-" + nameWidth + "s /* %6d %6d */%n";
        final StringBuilder out = new StringBuilder();
        final String opening = "struct " + struct.structAlignasPrefix() + struct.name() + " {";
        final int commentColumn = 4 + typeWidth + 1 + nameWidth + 1;
        out.append(opening).append(" ".repeat(Math.max(1, commentColumn - opening.length())))
            .append("/* offset   size */\n");
        int cursor = 0;
        int holes = 0;
        int holeBytes = 0;
        for (final CField field : fields)
        {
            if (field.offset() > cursor)
            {
                holes++;
                holeBytes += field.offset() - cursor;
                out.append("    /* XXX ").append(field.offset() - cursor).append(" byte hole */\n");
            }
            out.append(String.format(row, alignasPrefix(field) + field.type().cppName(),
                field.name() + (field.isArray() ? "[" + field.count() + "]" : "") + ";", field.offset(), field.size()));
            cursor = field.end();
        }
        out.append("\n    /* size: ").append(struct.size()).append(", align: ").append(struct.alignment())
            .append(", members: ").append(fields.size())
            .append(", holes: ").append(holes).append(" (").append(holeBytes).append(" bytes)")
            .append(", padding: ").append(struct.size() - cursor).append(" */\n");
        return out.append("};\n").toString();
    }

    private static String alignasPrefix(final CField field)
    {
        return CField.NO_EXPLICIT_ALIGNMENT == field.explicitAlignment() ?
            "" : "alignas(" + field.explicitAlignment() + ") ";
    }

    private static int digits(final int value)
    {
        return Integer.toString(value).length();
    }
}
