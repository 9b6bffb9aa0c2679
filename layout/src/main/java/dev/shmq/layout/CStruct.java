package dev.shmq.layout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private final String name;
    private final List<CField> fields;
    private final Map<String, CField> fieldsByName;
    private final int explicitAlignment;
    private final int size;
    private final int alignment;

    /** Only {@link StructLayout} makes one, from the offsets it computed. */
    CStruct(
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
        return new Builder(DeclarationChecks.checkIdentifier("struct", name, name));
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
        return MemberPath.offsetOf(this, path);
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
        return OffsetTable.format(this);
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


    /**
     * The struct's own {@code alignas} as C++ writes it before the name.
     *
     * @return {@code "alignas(N) "}, or the empty string for a struct declared without one.
     */
    String structAlignasPrefix()
    {
        return CField.NO_EXPLICIT_ALIGNMENT == explicitAlignment ? "" : "alignas(" + explicitAlignment + ") ";
    }

    /**
     * Adds members in declaration order, then {@link #build()} lays them out. Not thread-safe; the result is.
     */
    public static final class Builder
    {
        private final StructDeclaration declaration;

        private Builder(final String name)
        {
            this.declaration = new StructDeclaration(name);
        }

        /**
         * {@code alignas(alignment)} on the next member added.
         *
         * @param alignment a power of two, at least the next member's natural alignment.
         * @return this builder.
         */
        public Builder alignas(final int alignment)
        {
            declaration.alignNextField(alignment);
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
            declaration.alignStruct(alignment);
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
            declaration.add(field, type, 1, false);
            return this;
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
            declaration.add(field, type, count, true);
            return this;
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
            return declaration.build();
        }
    }
}
