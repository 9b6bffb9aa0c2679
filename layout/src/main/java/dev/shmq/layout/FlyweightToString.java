package dev.shmq.layout;

/**
 * Writes a flyweight's {@code toString()}: every member by its C++ name, read with plain loads (a diagnostic, not
 * a synchronised read), unsigned values as unsigned, text in quotes, nested structs through fresh flyweights so the
 * reusable ones are left where they were.
 */
final class FlyweightToString
{
    private FlyweightToString()
    {
    }

    /**
     * @param out       the source to append to.
     * @param struct    the struct the class is for.
     * @param className the class's name.
     */
    static void write(final JavaSourceBuilder out, final CStruct struct, final String className)
    {
        out.line("");
        out.javadoc("The members and their values, for diagnostics (allocates).", "",
            "@return {@code " + className + "{name=value, ...}}, or {@code " + className + "{unwrapped}}.");
        out.line("@Override");
        out.line("public String toString()");
        out.open();
        out.line("if (null == buffer)");
        out.open().line("return \"" + className + "{unwrapped}\";").close("");
        out.line("final StringBuilder out = new StringBuilder(\"" + className + "{\");");
        boolean first = true;
        for (final CField field : struct.fields())
        {
            final String label = (first ? "" : ", ") + field.name() + "=";
            first = false;
            final String base = "offset + " + FlyweightNames.constant(field.name()) + "_OFFSET";
            if (CScalar.CHAR == field.type() && field.isArray())
            {
                out.line("out.append(\"" + label + "\\\"\").append(get" + FlyweightNames.pascal(field.name()) +
                    "()).append('\"');");
            }
            else if (field.isArray())
            {
                out.line("out.append(\"" + label + "[\");");
                out.line("for (int i = 0; i < " + FlyweightNames.constant(field.name()) + "_LENGTH; i++)");
                out.open();
                out.line("out.append(0 == i ? \"\" : \", \");");
                out.line("out.append(" + value(field.type(), base + " + i * " + field.type().size()) + ");");
                out.close("");
                out.line("out.append(']');");
            }
            else
            {
                final String line = "out.append(\"" + label + "\").append(" + value(field.type(), base) + ");";
                if (line.length() <= 100)
                {
                    out.line(line);
                }
                else
                {
                    out.line("out.append(\"" + label + "\");");
                    out.line("out.append(" + value(field.type(), base) + ");");
                }
            }
        }
        out.line("return out.append('}').toString();");
        out.close("");
    }

    private static String value(final CType type, final String at)
    {
        if (type instanceof CStruct)
        {
            return "new " + type.cppName() + "().wrap(buffer, " + at + ")";
        }
        final FlyweightScalar s = new FlyweightScalar((CScalar)type);
        final String read = s.widen("buffer.get" + s.agronaWidth() + "(" + at + (s.ordered() ? ", BYTE_ORDER" : "") +
            ")");
        return s.unsigned64() ? "Long.toUnsignedString(" + read + ")" : read;
    }
}
