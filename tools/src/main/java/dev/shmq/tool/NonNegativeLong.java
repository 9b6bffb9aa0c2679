package dev.shmq.tool;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a count, id, age or timeout option: a decimal number, zero or more. A bad value is a usage error,
 * reported as {@code --option=value (expected ...)}.
 */
final class NonNegativeLong implements ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new TypeConversionException("expected a number");
        }
        if (parsed < 0)
        {
            throw new TypeConversionException("expected a number >= 0");
        }
        return parsed;
    }
}
