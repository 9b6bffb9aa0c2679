package dev.shmq.tool;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The protocol {@code send} and {@code recv} speak, as named on the command line.
 */
enum QueueProtocol
{
    /** zeroq 0.1.0. */
    ZEROQ("zeroq"),

    /** SlickQueue v1.4.0. */
    SLICK("slick");

    /** The parameter's label in usage and errors. */
    static final String LABEL = "zeroq|slick";

    private final String commandName;

    QueueProtocol(final String commandName)
    {
        this.commandName = commandName;
    }

    /** Converts {@code zeroq} or {@code slick}; anything else is a usage error. */
    static final class Converter implements ITypeConverter<QueueProtocol>
    {
        @Override
        public QueueProtocol convert(final String value)
        {
            for (final QueueProtocol protocol : values())
            {
                if (protocol.commandName.equals(value))
                {
                    return protocol;
                }
            }
            throw new TypeConversionException("protocol '" + value + "' (expected zeroq or slick)");
        }
    }
}
