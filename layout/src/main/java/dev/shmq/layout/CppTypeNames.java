package dev.shmq.layout;

import java.util.HashMap;
import java.util.Map;

/**
 * The C++ spellings of the integer types a {@link CStruct} can hold, as {@link HeaderParser} meets them in a
 * header: the {@code <cstdint>} names with or without {@code std::}, the built-in names with their LP64 widths
 * ({@code long} is 64 bits), {@code std::atomic<T>} and {@code std::atomic_T}.
 */
final class CppTypeNames
{
    private static final Map<String, CScalar> SCALARS = new HashMap<>();
    private static final Map<CScalar, CScalar> ATOMICS = new HashMap<>();

    static
    {
        scalar(CScalar.INT8, "int8_t", "signed char");
        scalar(CScalar.UINT8, "uint8_t", "unsigned char");
        scalar(CScalar.INT16, "int16_t", "short", "short int", "signed short", "signed short int");
        scalar(CScalar.UINT16, "uint16_t", "unsigned short", "unsigned short int");
        scalar(CScalar.INT32, "int32_t", "int", "signed", "signed int");
        scalar(CScalar.UINT32, "uint32_t", "unsigned", "unsigned int");
        scalar(CScalar.INT64, "int64_t", "long", "long int", "signed long", "signed long int", "long long",
            "long long int", "signed long long", "signed long long int", "ptrdiff_t", "intptr_t", "ssize_t");
        scalar(CScalar.UINT64, "uint64_t", "unsigned long", "unsigned long int", "unsigned long long",
            "unsigned long long int", "size_t", "uintptr_t");
        scalar(CScalar.CHAR, "char");
        ATOMICS.put(CScalar.INT8, CScalar.ATOMIC_INT8);
        ATOMICS.put(CScalar.UINT8, CScalar.ATOMIC_UINT8);
        ATOMICS.put(CScalar.INT16, CScalar.ATOMIC_INT16);
        ATOMICS.put(CScalar.UINT16, CScalar.ATOMIC_UINT16);
        ATOMICS.put(CScalar.INT32, CScalar.ATOMIC_INT32);
        ATOMICS.put(CScalar.UINT32, CScalar.ATOMIC_UINT32);
        ATOMICS.put(CScalar.INT64, CScalar.ATOMIC_INT64);
        ATOMICS.put(CScalar.UINT64, CScalar.ATOMIC_UINT64);
    }

    private CppTypeNames()
    {
    }

    private static void scalar(final CScalar scalar, final String... names)
    {
        for (final String name : names)
        {
            SCALARS.put(name, scalar);
        }
    }

    /**
     * @param spelling a type as written, words joined by one space, e.g. {@code std::uint64_t} or
     *                 {@code unsigned long}.
     * @return the scalar, or null if the spelling names no integer type CStruct has.
     */
    static CScalar scalar(final String spelling)
    {
        final String name = unqualified(spelling);
        if (name.startsWith("atomic_"))
        {
            final CScalar plain = SCALARS.get(name.substring("atomic_".length()));
            return null == plain ? null : ATOMICS.get(plain);
        }
        return SCALARS.get(name);
    }

    /**
     * @param plain an integer scalar.
     * @return its {@code std::atomic} counterpart, or null (plain {@code char} has none in CStruct).
     */
    static CScalar atomic(final CScalar plain)
    {
        return ATOMICS.get(plain);
    }

    /**
     * @param name a name, possibly qualified.
     * @return is it {@code std::atomic} (or {@code atomic}).
     */
    static boolean isAtomicTemplate(final String name)
    {
        return unqualified(name).equals("atomic");
    }

    private static String unqualified(final String spelling)
    {
        String name = spelling.startsWith("::") ? spelling.substring(2) : spelling;
        if (name.startsWith("std::"))
        {
            name = name.substring("std::".length());
        }
        return name;
    }
}
