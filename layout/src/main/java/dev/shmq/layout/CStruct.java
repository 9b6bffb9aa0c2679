package dev.shmq.layout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An immutable C struct declaration laid out by the x86-64 System V (LP64) rules g++ applies.
 *
 * <p>Members are fixed-width integers (signed or unsigned, optionally {@code std::atomic}), {@code char} and byte
 * arrays, nested structs, arrays of any of these, each with an optional {@code alignas}; the struct itself may have
 * an {@code alignas}. The rules: each member goes at the next multiple of its alignment (the stricter of its type's
 * and its {@code alignas}); the struct's alignment is the strictest of its members' and its own {@code alignas}; its
 * size is the end of the last member rounded up to that alignment.
 *
 * <pre>{@code
 * CStruct tick = CStruct.builder("Tick")
 *     .u64("sequence")
 *     .chars("symbol", 12)
 *     .alignas(16).i64("price")
 *     .build();
 * int priceOffset = tick.offsetOf("price");   // 32
 * System.out.println(tick);                   // pahole-style offset table
 * }</pre>
 *
 * <p>{@link CppLayoutChecker} proves a declaration against g++; {@link CppStructGenerator} writes it as C++.
 */
public final class CStruct implements CType
{
    /** The strictest {@code alignas} accepted: a page, the alignment a shared-memory mapping guarantees. */
    public static final int MAX_ALIGNMENT = 4096;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PATH_SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[(\\d{1,10})])?");
    private static final Set<String> CPP_KEYWORDS = Set.of(
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
        "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
        "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
        "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
        "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq");

    private final String name;
    private final List<CField> fields;
    private final Map<String, CField> fieldsByName;
    private final int explicitAlignment;
    private final int size;
    private final int alignment;

    private CStruct(
        final String name,
        final List<CField> fields,
        final int explicitAlignment,
        final int size,
        final int alignment)
    {
        this.name = name;
        this.fields = List.copyOf(fields);
        final Map<String, CField> byName = new HashMap<>();
        for (final CField field : fields)
        {
            byName.put(field.name(), field);
        }
        this.fieldsByName = Map.copyOf(byName);
        this.explicitAlignment = explicitAlignment;
        this.size = size;
        this.alignment = alignment;
    }

    /**
     * Starts a declaration.
     *
     * @param name the struct's C++ name, an identifier.
     * @return a builder that adds fields in declaration order.
     * @throws IllegalArgumentException if the name is not a C++ identifier.
     */
    public static Builder builder(final String name)
    {
        return new Builder(checkIdentifier("struct", name, name));
    }

    /**
     * The struct's name.
     *
     * @return the C++ name.
     */
    public String name()
    {
        return name;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String cppName()
    {
        return name;
    }

    /**
     * {@code sizeof} the struct, trailing padding included.
     *
     * @return the size in bytes.
     */
    @Override
    public int size()
    {
        return size;
    }

    /**
     * {@code alignof} the struct.
     *
     * @return the alignment in bytes.
     */
    @Override
    public int alignment()
    {
        return alignment;
    }

    /**
     * The struct's own {@code alignas}.
     *
     * @return the requested alignment, or {@link CField#NO_EXPLICIT_ALIGNMENT}.
     */
    public int explicitAlignment()
    {
        return explicitAlignment;
    }

    /**
     * The members in declaration order.
     *
     * @return an unmodifiable list, never empty.
     */
    public List<CField> fields()
    {
        return fields;
    }

    /**
     * A member by name.
     *
     * @param fieldName a member of this struct (not a path).
     * @return the member.
     * @throws IllegalArgumentException if the struct has no such member.
     */
    public CField field(final String fieldName)
    {
        final CField field = fieldsByName.get(fieldName);
        if (null == field)
        {
            throw new IllegalArgumentException("struct=" + name + " field=" + fieldName +
                " (expected one of " + fieldNames() + ")");
        }
        return field;
    }

    /**
     * {@code offsetof} a member, or of something inside one, addressed by a path as C++ would write it:
     * {@code "size"}, {@code "hdr.size"}, {@code "slots[1]"}, {@code "slots[1].size"}, {@code "symbol[3]"}.
     *
     * @param path a member name, optionally indexed, with {@code .} to step into a nested struct.
     * @return the offset in bytes from the start of this struct.
     * @throws IllegalArgumentException naming the struct and the part of the path that does not resolve.
     */
    public int offsetOf(final String path)
    {
        CStruct struct = this;
        CType current = this;
        long offset = 0;
        final String[] segments = path.split("\\.", -1);
        for (int i = 0; i < segments.length; i++)
        {
            final String segment = segments[i];
            if (null == struct)
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": " +
                    current.cppName() + " has no members (expected a path into a struct)");
            }
            final var matcher = PATH_SEGMENT.matcher(segment);
            if (!matcher.matches())
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": segment=" + segment +
                    " (expected name or name[index])");
            }
            final CField field = struct.field(matcher.group(1));
            offset += field.offset();
            current = field.type();
            if (null != matcher.group(2))
            {
                final long index = Long.parseLong(matcher.group(2));
                if (!field.isArray() || index >= field.count())
                {
                    throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": index=" + index +
                        " (expected " + (field.isArray() ?
                        "less than " + field.count() + " for " + field.cppDeclaration() :
                        "no index: " + field.name() + " is not an array") + ")");
                }
                offset += index * current.size();
            }
            else if (field.isArray() && current instanceof CStruct && i < segments.length - 1)
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": segment=" + segment +
                    " (expected an index: " + field.name() + " is an array of " + field.count() + ")");
            }
            struct = current instanceof CStruct ? (CStruct)current : null;
        }
        return (int)offset;
    }

    /**
     * The struct as a C++ definition with the same layout. Nested struct types are named, not defined: see
     * {@link CppStructGenerator} for a complete, self-contained declaration.
     *
     * @return a {@code struct Name { ... };} definition.
     */
    public String cppDefinition()
    {
        final StringBuilder out = new StringBuilder();
        out.append("struct ").append(structAlignasPrefix()).append(name).append("\n{\n");
        for (final CField field : fields)
        {
            out.append("    ").append(field.cppDeclaration()).append('\n');
        }
        return out.append("};\n").toString();
    }

    /**
     * The layout as a pahole-style table: each member's offset, size, type and name, the holes alignment left
     * between members, and the trailing padding.
     *
     * @return a multi-line table.
     */
    public String toOffsetTable()
    {
        int typeWidth = 4;
        int nameWidth = 4;
        for (final CField field : fields)
        {
            typeWidth = Math.max(typeWidth, (alignasPrefix(field) + field.type().cppName()).length());
            nameWidth = Math.max(nameWidth, field.name().length() + (field.isArray() ? 3 + digits(field.count()) : 1));
        }
        final String row = "    %-" + typeWidth + "s %-" + nameWidth + "s /* %6d %6d */%n";
        final StringBuilder out = new StringBuilder();
        final String opening = "struct " + structAlignasPrefix() + name + " {";
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
        out.append("\n    /* size: ").append(size).append(", align: ").append(alignment)
            .append(", members: ").append(fields.size())
            .append(", holes: ").append(holes).append(" (").append(holeBytes).append(" bytes)")
            .append(", padding: ").append(size - cursor).append(" */\n");
        return out.append("};\n").toString();
    }

    /**
     * The pahole-style offset table, as {@link #toOffsetTable()}.
     *
     * @return a multi-line table.
     */
    @Override
    public String toString()
    {
        return toOffsetTable();
    }

    /**
     * Structs are equal when they have the same name and the same members with the same types and alignment.
     *
     * @param other another object.
     * @return true when both declare the same layout under the same name.
     */
    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof CStruct))
        {
            return false;
        }
        final CStruct that = (CStruct)other;
        return name.equals(that.name) && explicitAlignment == that.explicitAlignment && fields.equals(that.fields);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int hashCode()
    {
        return Objects.hash(name, explicitAlignment, fields);
    }

    private List<String> fieldNames()
    {
        final List<String> names = new ArrayList<>(fields.size());
        for (final CField field : fields)
        {
            names.add(field.name());
        }
        return Collections.unmodifiableList(names);
    }

    private String structAlignasPrefix()
    {
        return CField.NO_EXPLICIT_ALIGNMENT == explicitAlignment ? "" : "alignas(" + explicitAlignment + ") ";
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

    private static String checkIdentifier(final String what, final String structName, final String identifier)
    {
        if (null == identifier || !IDENTIFIER.matcher(identifier).matches() || CPP_KEYWORDS.contains(identifier))
        {
            throw new IllegalArgumentException((what.equals("struct") ? "" : "struct=" + structName + " ") +
                what + " name=" + identifier + " (expected a C++ identifier that is not a keyword)");
        }
        return identifier;
    }

    private static int checkAlignas(final String where, final long alignas, final int naturalAlignment)
    {
        if (alignas < 1 || alignas > MAX_ALIGNMENT || (alignas & (alignas - 1)) != 0)
        {
            throw new IllegalArgumentException(where + " alignas=" + alignas +
                " (expected a power of two in [1, " + MAX_ALIGNMENT + "])");
        }
        if (alignas < naturalAlignment)
        {
            throw new IllegalArgumentException(where + " alignas=" + alignas + " (expected at least the natural " +
                "alignment " + naturalAlignment + ": a weaker alignas is ill-formed C++)");
        }
        return (int)alignas;
    }

    /**
     * Adds members in declaration order, then {@link #build()} lays them out. Not thread-safe; the result is.
     */
    public static final class Builder
    {
        private final String name;
        private final List<PendingField> pending = new ArrayList<>();
        private long nextFieldAlignas = CField.NO_EXPLICIT_ALIGNMENT;
        private long structAlignas = CField.NO_EXPLICIT_ALIGNMENT;

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * {@code alignas(alignment)} on the next member added.
         *
         * @param alignment a power of two, at least the next member's natural alignment.
         * @return this builder.
         */
        public Builder alignas(final int alignment)
        {
            nextFieldAlignas = checkAlignas("struct=" + name + " next field", alignment, 1);
            return this;
        }

        /**
         * {@code struct alignas(alignment) Name}: the alignment of the whole struct, which also rounds its size up.
         *
         * @param alignment a power of two, at least the strictest member alignment.
         * @return this builder.
         */
        public Builder structAlignas(final int alignment)
        {
            structAlignas = checkAlignas("struct=" + name, alignment, 1);
            return this;
        }

        /**
         * Adds a member.
         *
         * @param field the member name.
         * @param type  its type: a {@link CScalar} or a nested {@link CStruct}.
         * @return this builder.
         */
        public Builder field(final String field, final CType type)
        {
            return add(field, type, 1, false);
        }

        /**
         * Adds an array member, {@code type field[count]}.
         *
         * @param field the member name.
         * @param type  the element type: a {@link CScalar} or a nested {@link CStruct}.
         * @param count the number of elements, at least 1.
         * @return this builder.
         */
        public Builder array(final String field, final CType type, final int count)
        {
            return add(field, type, count, true);
        }

        /**
         * Adds an {@code int8_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder i8(final String field)
        {
            return field(field, CScalar.INT8);
        }

        /**
         * Adds a {@code uint8_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder u8(final String field)
        {
            return field(field, CScalar.UINT8);
        }

        /**
         * Adds an {@code int16_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder i16(final String field)
        {
            return field(field, CScalar.INT16);
        }

        /**
         * Adds a {@code uint16_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder u16(final String field)
        {
            return field(field, CScalar.UINT16);
        }

        /**
         * Adds an {@code int32_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder i32(final String field)
        {
            return field(field, CScalar.INT32);
        }

        /**
         * Adds a {@code uint32_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder u32(final String field)
        {
            return field(field, CScalar.UINT32);
        }

        /**
         * Adds an {@code int64_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder i64(final String field)
        {
            return field(field, CScalar.INT64);
        }

        /**
         * Adds a {@code uint64_t}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder u64(final String field)
        {
            return field(field, CScalar.UINT64);
        }

        /**
         * Adds a {@code std::atomic<int32_t>}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder atomicI32(final String field)
        {
            return field(field, CScalar.ATOMIC_INT32);
        }

        /**
         * Adds a {@code std::atomic<uint32_t>}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder atomicU32(final String field)
        {
            return field(field, CScalar.ATOMIC_UINT32);
        }

        /**
         * Adds a {@code std::atomic<int64_t>}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder atomicI64(final String field)
        {
            return field(field, CScalar.ATOMIC_INT64);
        }

        /**
         * Adds a {@code std::atomic<uint64_t>}.
         *
         * @param field the member name.
         * @return this builder.
         */
        public Builder atomicU64(final String field)
        {
            return field(field, CScalar.ATOMIC_UINT64);
        }

        /**
         * Adds a byte array, {@code uint8_t field[length]}: opaque bytes or explicit padding.
         *
         * @param field  the member name.
         * @param length the number of bytes, at least 1.
         * @return this builder.
         */
        public Builder bytes(final String field, final int length)
        {
            return array(field, CScalar.UINT8, length);
        }

        /**
         * Adds a character array, {@code char field[length]}: fixed-width text such as a symbol.
         *
         * @param field  the member name.
         * @param length the number of characters, at least 1.
         * @return this builder.
         */
        public Builder chars(final String field, final int length)
        {
            return array(field, CScalar.CHAR, length);
        }

        /**
         * Lays the members out.
         *
         * @return the immutable declaration.
         * @throws IllegalArgumentException if the struct has no members, an {@code alignas} is invalid, or the
         *                                  size exceeds {@link Integer#MAX_VALUE}.
         */
        public CStruct build()
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
                checkSize(cursor);
                alignment = Math.max(alignment, fieldAlignment);
            }
            int explicitAlignment = CField.NO_EXPLICIT_ALIGNMENT;
            if (CField.NO_EXPLICIT_ALIGNMENT != structAlignas)
            {
                explicitAlignment = checkAlignas("struct=" + name, structAlignas, alignment);
                alignment = explicitAlignment;
            }
            final long size = alignUp(cursor, alignment);
            checkSize(size);
            return new CStruct(name, fields, explicitAlignment, (int)size, alignment);
        }

        private Builder add(final String field, final CType type, final int count, final boolean array)
        {
            checkIdentifier("field", name, field);
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
                explicitAlignment = checkAlignas(
                    "struct=" + name + " field=" + field, requested, type.alignment());
            }
            pending.add(new PendingField(field, type, count, array, explicitAlignment));
            return this;
        }

        private void checkSize(final long size)
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

    private static final class PendingField
    {
        private final String name;
        private final CType type;
        private final int count;
        private final boolean array;
        private final int explicitAlignment;

        private PendingField(
            final String name, final CType type, final int count, final boolean array, final int explicitAlignment)
        {
            this.name = name;
            this.type = type;
            this.count = count;
            this.array = array;
            this.explicitAlignment = explicitAlignment;
        }
    }
}
