package dev.shmq.layout;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the accessors of one struct member into a flyweight class: plain get/put for integers, access-mode
 * methods for atomics, indexed methods for arrays, text methods for {@code char} arrays, bulk copies for byte
 * arrays, and re-wrapped nested flyweights for structs. Every accessor reads at {@code offset + NAME_OFFSET}
 * (plus {@code index * element size}) and allocates nothing.
 */
final class FlyweightFieldWriter
{
    private final JavaSourceBuilder out;
    private final String className;
    private final CField field;
    private final String pascal;
    private final String constant;
    private final String where;

    FlyweightFieldWriter(final JavaSourceBuilder out, final String className, final CField field)
    {
        this.out = out;
        this.className = className;
        this.field = field;
        this.pascal = FlyweightNames.pascal(field.name());
        this.constant = FlyweightNames.constant(field.name());
        this.where = "{@code " + field.cppDeclaration().replace(";", "") + "} at offset " + field.offset();
    }

    /** Writes every accessor the member has. */
    void write()
    {
        if (field.type() instanceof CStruct)
        {
            nestedAccessor();
        }
        else if (CScalar.CHAR == field.type() && field.isArray())
        {
            textAccessors();
        }
        else
        {
            final CScalar scalar = (CScalar)field.type();
            if (scalar.isAtomic())
            {
                atomicAccessors(scalar);
            }
            else
            {
                plainAccessors(scalar);
            }
            if (field.isArray() && 1 == scalar.size() && !scalar.isAtomic())
            {
                bulkAccessors();
            }
        }
    }

    /**
     * @return the name of the private field holding the reusable nested flyweight.
     */
    String nestedFieldName()
    {
        return FlyweightNames.camel(field.name()) + "Flyweight";
    }

    private String at()
    {
        return field.isArray() ?
            "offset + " + constant + "_OFFSET + index(\"" + field.name() + "\", index, " + constant + "_LENGTH) * " +
            field.type().size() :
            "offset + " + constant + "_OFFSET";
    }

    private List<String> indexParam()
    {
        final List<String> params = new ArrayList<>();
        if (field.isArray())
        {
            params.add("int index");
        }
        return params;
    }

    private String[] doc(final String first, final String... tags)
    {
        final List<String> lines = new ArrayList<>();
        lines.add(first);
        lines.add("");
        if (field.isArray())
        {
            lines.add("@param index the element, in [0, {@link #" + constant + "_LENGTH}).");
        }
        for (final String tag : tags)
        {
            if (!tag.isEmpty())
            {
                lines.add(tag);
            }
        }
        if (field.isArray())
        {
            lines.add("@throws IndexOutOfBoundsException naming the index and the length if it is outside.");
        }
        return lines.toArray(new String[0]);
    }

    private void plainAccessors(final CScalar scalar)
    {
        final FlyweightScalar s = new FlyweightScalar(scalar);
        final String order = s.ordered() ? ", BYTE_ORDER" : "";
        method(doc("Reads " + where + "." + s.note(), "@return the value."), s.javaType(), "get" + pascal,
            indexParam(), "return " + s.widen("buffer.get" + s.agronaWidth() + "(" + at() + order + ")") + ";");
        final List<String> params = indexParam();
        params.add(s.javaType() + " value");
        final List<String> body = new ArrayList<>(rangeCheck(s, "value"));
        body.add("mutableBuffer().put" + s.agronaWidth() + "(" + at() + ", " + s.narrowValue() + order + ");");
        body.add("return this;");
        method(doc("Writes " + where + "." + s.note(), "@param value the value.", "@return this flyweight.",
            rangeThrows(s)), className, "put" + pascal, params, body.toArray(new String[0]));
    }

    private void atomicAccessors(final CScalar scalar)
    {
        final FlyweightScalar s = new FlyweightScalar(scalar);
        final List<String[]> modes = new ArrayList<>();
        modes.add(new String[] {"Volatile", "Volatile", "sequentially consistent"});
        if (s.hasOrderedModes())
        {
            modes.add(new String[] {"Acquire", "Release", "acquire (get) and release (put)"});
            modes.add(new String[] {"Opaque", "Opaque", "opaque: atomic, unordered"});
        }
        for (final String[] mode : modes)
        {
            method(doc("Reads " + where + ", " + mode[2] + "." + s.note(), "@return the value."), s.javaType(),
                "get" + pascal + mode[0], indexParam(),
                "return " + s.widen("atomicBuffer().get" + s.agronaWidth() + mode[0] + "(" + at() + ")") + ";");
            final List<String> params = indexParam();
            params.add(s.javaType() + " value");
            final List<String> body = new ArrayList<>(rangeCheck(s, "value"));
            body.add("atomicBuffer().put" + s.agronaWidth() + mode[1] + "(" + at() + ", " + s.narrowValue() + ");");
            body.add("return this;");
            method(doc("Writes " + where + ", " + mode[2] + "." + s.note(), "@param value the value.",
                "@return this flyweight.", rangeThrows(s)), className, "put" + pascal + mode[1], params,
                body.toArray(new String[0]));
        }
        if (s.hasOrderedModes())
        {
            final List<String> params = indexParam();
            params.add(s.javaType() + " expected");
            params.add(s.javaType() + " update");
            final List<String> body = new ArrayList<>(rangeCheck(s, "update"));
            final String narrow = s.javaType().equals(s.agronaType()) ? "" : "(" + s.agronaType() + ")";
            body.add("return atomicBuffer().compareAndSet" + s.agronaWidth() + "(" + at() + ", " + narrow +
                "expected, " + narrow + "update);");
            method(doc("Compares and sets " + where + " atomically (sequentially consistent)." + s.note(),
                "@param expected the value it must hold.", "@param update the value to write.",
                "@return true if it held {@code expected} and now holds {@code update}.", rangeThrows(s)),
                "boolean", "compareAndSet" + pascal, params, body.toArray(new String[0]));
        }
    }

    private List<String> rangeCheck(final FlyweightScalar s, final String name)
    {
        final List<String> lines = new ArrayList<>();
        final String condition = s.outOfRange();
        if (null != condition)
        {
            lines.add("if (" + condition.replace("value", name) + ")");
            lines.add("{");
            lines.add("    throw outOfRange(\"" + field.name() + "\", " + name + ", \"" + s.range() + "\");");
            lines.add("}");
        }
        return lines;
    }

    private static String rangeThrows(final FlyweightScalar s)
    {
        return null == s.outOfRange() ? "" :
            "@throws IllegalArgumentException if the value is outside " + s.range() + ".";
    }

    private void bulkAccessors()
    {
        final String length = constant + "_LENGTH";
        method(new String[] {"Copies the " + field.count() + " bytes of " + where + " out.", "",
            "@param dst       the buffer to copy into.", "@param dstOffset where in {@code dst}."},
            "void", "get" + pascal, List.of("MutableDirectBuffer dst", "int dstOffset"),
            "buffer.getBytes(offset + " + constant + "_OFFSET, dst, dstOffset, " + length + ");");
        method(new String[] {"Copies " + field.count() + " bytes into " + where + ".", "",
            "@param src       the buffer to copy from.", "@param srcOffset where in {@code src}.",
            "@return this flyweight."},
            className, "put" + pascal, List.of("DirectBuffer src", "int srcOffset"),
            "mutableBuffer().putBytes(offset + " + constant + "_OFFSET, src, srcOffset, " + length + ");",
            "return this;");
    }

    private void textAccessors()
    {
        final String base = "offset + " + constant + "_OFFSET";
        final String length = constant + "_LENGTH";
        final String lengthMethod = FlyweightNames.camel(field.name()) + "Length";
        method(new String[] {"The length of the text in " + where + ": its bytes up to the first NUL, at most " +
            "{@link #" + length + "}.", "", "@return the number of characters."}, "int", lengthMethod, List.of(),
            "final int base = " + base + ";", "int length = 0;",
            "while (length < " + length + " && 0 != buffer.getByte(base + length))", "{", "    length++;", "}",
            "return length;");
        method(new String[] {"Reads the ASCII text in " + where + ", up to the first NUL.", "",
            "@return a new string."}, "String", "get" + pascal, List.of(),
            "return buffer.getStringWithoutLengthAscii(" + base + ", " + lengthMethod + "());");
        method(new String[] {"Appends the ASCII text in " + where + ", up to the first NUL, without allocating.", "",
            "@param dst where to append it.", "@return the number of characters appended."}, "int", "get" + pascal,
            List.of("Appendable dst"),
            "return buffer.getStringWithoutLengthAscii(" + base + ", " + lengthMethod + "(), dst);");
        method(new String[] {"Copies all " + field.count() + " bytes of " + where + " out, NULs included.", "",
            "@param dst       the buffer to copy into.", "@param dstOffset where in {@code dst}."},
            "void", "get" + pascal, List.of("MutableDirectBuffer dst", "int dstOffset"),
            "buffer.getBytes(" + base + ", dst, dstOffset, " + length + ");");
        method(new String[] {"Writes ASCII text into " + where + ", NUL-padded to {@link #" + length + "} " +
            "(no terminator when it fills the array).", "", "@param value the text, at most {@link #" + length +
            "} ASCII characters, none NUL.", "@return this flyweight.",
            "@throws IllegalArgumentException naming the value and the limit if it is too long or not ASCII."},
            className, "put" + pascal, List.of("CharSequence value"),
            "final int length = value.length();", "if (length > " + length + ")", "{",
            "    throw new IllegalArgumentException(\"" + field.name() + "=\" + value + \" length=\" + length +",
            "        \" (expected at most " + field.count() + " characters)\");", "}",
            "final MutableDirectBuffer dst = mutableBuffer();", "final int base = " + base + ";",
            "for (int i = 0; i < length; i++)", "{", "    final char c = value.charAt(i);",
            "    if (c == 0 || c > 127)", "    {",
            "        throw new IllegalArgumentException(\"" + field.name() + "=\" + value + \" char at index=\" + i +",
            "            \" is \" + (int)c + \" (expected ASCII other than NUL)\");", "    }",
            "    dst.putByte(base + i, (byte)c);", "}",
            "dst.setMemory(base + length, " + length + " - length, (byte)0);", "return this;");
    }

    private void nestedAccessor()
    {
        final String type = field.type().cppName();
        final String accessor = FlyweightNames.checkJavaIdentifier("accessor", className,
            FlyweightNames.camel(field.name()));
        method(doc("The nested " + where + ", through a flyweight this one reuses: each call re-wraps it.",
            "@return the nested flyweight, valid until the next call."), type, accessor, indexParam(),
            "return " + nestedFieldName() + ".wrap(buffer, " + at() + ");");
    }

    private void method(
        final String[] javadoc, final String returnType, final String name, final List<String> params,
        final String... body)
    {
        final List<String> types = new ArrayList<>();
        final List<String> declared = new ArrayList<>();
        for (final String param : params)
        {
            types.add(param.substring(0, param.indexOf(' ')));
            declared.add("final " + param);
        }
        out.declare(name + "(" + String.join(", ", types) + ")", field.name());
        final List<String> lines = new ArrayList<>();
        for (final String line : javadoc)
        {
            if (!line.isEmpty() || !lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty())
            {
                lines.add(line);
            }
        }
        while (lines.get(lines.size() - 1).isEmpty())
        {
            lines.remove(lines.size() - 1);
        }
        out.line("");
        out.javadoc(wrapDoc(lines));
        out.line("public " + returnType + " " + name + "(" + String.join(", ", declared) + ")");
        out.open();
        final String at = at();
        boolean hoist = field.isArray();
        for (final String line : body)
        {
            hoist |= line.contains(at) && line.length() > 100;
        }
        if (hoist && String.join("\n", body).contains(at))
        {
            final String declaration = "final int at = " + at + ";";
            final int split = declaration.indexOf(" + index(");
            if (declaration.length() > 100 && split > 0)
            {
                out.line(declaration.substring(0, split + 2));
                out.line("    " + declaration.substring(split + 3));
            }
            else
            {
                out.line(declaration);
            }
        }
        for (final String line : body)
        {
            out.line(hoist ? line.replace(at, "at") : line);
        }
        out.close("");
    }

    private static String[] wrapDoc(final List<String> lines)
    {
        final List<String> wrapped = new ArrayList<>();
        for (final String line : lines)
        {
            String rest = line;
            while (rest.length() > 100)
            {
                final int cut = rest.lastIndexOf(' ', 100);
                if (cut <= 4)
                {
                    break;
                }
                wrapped.add(rest.substring(0, cut));
                rest = (rest.startsWith("@") ? "    " : "") + rest.substring(cut + 1);
            }
            wrapped.add(rest);
        }
        return wrapped.toArray(new String[0]);
    }
}
