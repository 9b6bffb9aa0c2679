package dev.shmq.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable C struct declaration laid out by the x86-64 System V (LP64) rules g++ applies.
 * (Minimal first cut: scalar and byte-array fields; extended by the layout issue.)
 */
public final class CStruct
{
    private final String name;
    private final Map<String, Integer> offsets;
    private final int size;
    private final int alignment;

    private CStruct(final String name, final Map<String, Integer> offsets, final int size, final int alignment)
    {
        this.name = name;
        this.offsets = offsets;
        this.size = size;
        this.alignment = alignment;
    }

    /**
     * @param name the struct's C++ name.
     * @return a builder that adds fields in declaration order.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /** @return the struct's C++ name. */
    public String name()
    {
        return name;
    }

    /** @return {@code sizeof} the struct. */
    public int size()
    {
        return size;
    }

    /** @return {@code alignof} the struct. */
    public int alignment()
    {
        return alignment;
    }

    /**
     * @param field a field name.
     * @return {@code offsetof} the field.
     */
    public int offsetOf(final String field)
    {
        final Integer offset = offsets.get(field);
        if (null == offset)
        {
            throw new IllegalArgumentException("field=" + field + " (expected one of " + offsets.keySet() + ")");
        }
        return offset;
    }

    /** Adds fields in declaration order. */
    public static final class Builder
    {
        private final String name;
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private final List<String> order = new ArrayList<>();
        private int cursor;
        private int alignment = 1;

        private Builder(final String name)
        {
            this.name = name;
        }

        private Builder add(final String field, final int size, final int align)
        {
            cursor = (cursor + align - 1) & -align;
            offsets.put(field, cursor);
            order.add(field);
            cursor += size;
            alignment = Math.max(alignment, align);
            return this;
        }

        /**
         * @param field the field name.
         * @return this builder.
         */
        public Builder u32(final String field)
        {
            return add(field, 4, 4);
        }

        /**
         * @param field the field name.
         * @return this builder.
         */
        public Builder u64(final String field)
        {
            return add(field, 8, 8);
        }

        /**
         * @param field the field name.
         * @return this builder.
         */
        public Builder atomicU32(final String field)
        {
            return add(field, 4, 4);
        }

        /**
         * @param field the field name.
         * @return this builder.
         */
        public Builder atomicU64(final String field)
        {
            return add(field, 8, 8);
        }

        /**
         * @param field  the field name.
         * @param length the number of bytes.
         * @return this builder.
         */
        public Builder bytes(final String field, final int length)
        {
            return add(field, length, 1);
        }

        /** @return the declaration. */
        public CStruct build()
        {
            final int size = (cursor + alignment - 1) & -alignment;
            return new CStruct(name, Map.copyOf(offsets), size, alignment);
        }
    }
}
