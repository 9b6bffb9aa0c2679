package dev.shmq.layout;

/**
 * How a generated flyweight reads and writes one {@link CScalar}: the Java type (unsigned types widened:
 * {@code uint8_t} and {@code uint16_t} to {@code int}, {@code uint32_t} to {@code long}; {@code uint64_t} stays a
 * {@code long} with the same bits), the Agrona accessor of that width, and the masks, casts and range checks
 * between them.
 */
final class FlyweightScalar
{
    private final CScalar scalar;

    FlyweightScalar(final CScalar scalar)
    {
        this.scalar = scalar;
    }

    /**
     * @return the Java type of the value a getter returns and a setter takes.
     */
    String javaType()
    {
        switch (scalar.size())
        {
            case 1:
                return scalar.isSigned() ? "byte" : "int";
            case 2:
                return scalar.isSigned() ? "short" : "int";
            case 4:
                return scalar.isSigned() ? "int" : "long";
            default:
                return "long";
        }
    }

    /**
     * @return the Agrona accessor's width: {@code Byte}, {@code Short}, {@code Int} or {@code Long}.
     */
    String agronaWidth()
    {
        switch (scalar.size())
        {
            case 1:
                return "Byte";
            case 2:
                return "Short";
            case 4:
                return "Int";
            default:
                return "Long";
        }
    }

    /**
     * @return the Java primitive of the Agrona accessor: {@code byte}, {@code short}, {@code int} or {@code long}.
     */
    String agronaType()
    {
        return agronaWidth().equals("Int") ? "int" : agronaWidth().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @param access an Agrona read of {@link #agronaType()}, e.g. {@code buffer.getInt(i, BYTE_ORDER)}.
     * @return the expression widened to {@link #javaType()}.
     */
    String widen(final String access)
    {
        if (scalar.isSigned() || 8 == scalar.size())
        {
            return access;
        }
        switch (scalar.size())
        {
            case 1:
                return access + " & 0xFF";
            case 2:
                return access + " & 0xFFFF";
            default:
                return access + " & 0xFFFF_FFFFL";
        }
    }

    /**
     * @return {@code value} narrowed to {@link #agronaType()}.
     */
    String narrowValue()
    {
        return javaType().equals(agronaType()) ? "value" : "(" + agronaType() + ")value";
    }

    /**
     * @return the condition under which {@code value} does not fit the unsigned type, or null when every value of
     *         {@link #javaType()} fits.
     */
    String outOfRange()
    {
        if (scalar.isSigned() || 8 == scalar.size())
        {
            return null;
        }
        switch (scalar.size())
        {
            case 1:
                return "value < 0 || value > 0xFF";
            case 2:
                return "value < 0 || value > 0xFFFF";
            default:
                return "value < 0 || value > 0xFFFF_FFFFL";
        }
    }

    /**
     * @return the range {@link #outOfRange()} checks, for the message.
     */
    String range()
    {
        switch (scalar.size())
        {
            case 1:
                return "[0, 255]";
            case 2:
                return "[0, 65535]";
            default:
                return "[0, 4294967295]";
        }
    }

    /**
     * @return does the plain access take a byte order (wider than one byte).
     */
    boolean ordered()
    {
        return scalar.size() > 1;
    }

    /**
     * @return true for {@code uint64_t}, whose {@code long} holds values above {@link Long#MAX_VALUE} as negatives.
     */
    boolean unsigned64()
    {
        return !scalar.isSigned() && 8 == scalar.size();
    }

    /**
     * @return does Agrona have acquire/release, opaque and compare-and-set for this width (int and long).
     */
    boolean hasOrderedModes()
    {
        return scalar.size() >= 4;
    }

    /**
     * @return the Javadoc note on the Java type for an unsigned member.
     */
    String note()
    {
        if (scalar.isSigned())
        {
            return "";
        }
        return unsigned64() ?
            " Unsigned: values above {@link Long#MAX_VALUE} read as negative; use {@link Long#toUnsignedString(long)}" +
            " and {@link Long#compareUnsigned(long, long)}." :
            " Unsigned, widened to {@code " + javaType() + "}.";
    }
}
