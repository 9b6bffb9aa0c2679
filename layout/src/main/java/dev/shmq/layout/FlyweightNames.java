package dev.shmq.layout;

import java.util.Set;

/**
 * The Java names {@link FlyweightGenerator} gives a C++ struct's members: {@code timestamp_nanos} becomes the
 * property {@code TimestampNanos} ({@code getTimestampNanos()}), the accessor {@code timestampNanos()} and the
 * constant prefix {@code TIMESTAMP_NANOS}; and the checks that a name is usable in Java.
 */
final class FlyweightNames
{
    private static final Set<String> JAVA_KEYWORDS = Set.of(
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
        "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
        "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
        "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
        "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "record",
        "yield", "sealed", "permits", "non-sealed", "_");

    /** Simple type names the generated source uses unqualified: a struct may not take one as its class name. */
    private static final Set<String> RESERVED_TYPE_NAMES = Set.of(
        "DirectBuffer", "MutableDirectBuffer", "AtomicBuffer", "ByteOrder", "String", "StringBuilder", "Object",
        "Appendable", "CharSequence", "Long", "Integer", "Math", "System", "Override", "IllegalArgumentException",
        "IllegalStateException", "IndexOutOfBoundsException", "IOException", "UncheckedIOException");

    private FlyweightNames()
    {
    }

    /**
     * @param cppName a C++ identifier, snake_case or camelCase.
     * @return lowerCamelCase: {@code timestamp_nanos} gives {@code timestampNanos}.
     */
    static String camel(final String cppName)
    {
        final StringBuilder out = new StringBuilder(cppName.length());
        boolean upperNext = false;
        for (int i = 0; i < cppName.length(); i++)
        {
            final char c = cppName.charAt(i);
            if ('_' == c)
            {
                upperNext = out.length() > 0;
                continue;
            }
            if (0 == out.length())
            {
                out.append(Character.toLowerCase(c));
            }
            else
            {
                out.append(upperNext ? Character.toUpperCase(c) : c);
            }
            upperNext = false;
        }
        return out.length() == 0 ? "field" : out.toString();
    }

    /**
     * @param cppName a C++ identifier.
     * @return UpperCamelCase, for {@code get}/{@code put} methods: {@code timestamp_nanos} gives
     *         {@code TimestampNanos}.
     */
    static String pascal(final String cppName)
    {
        final String camel = camel(cppName);
        return Character.toUpperCase(camel.charAt(0)) + camel.substring(1);
    }

    /**
     * @param cppName a C++ identifier.
     * @return UPPER_SNAKE_CASE: {@code timestamp_nanos} and {@code timestampNanos} both give
     *         {@code TIMESTAMP_NANOS}.
     */
    static String constant(final String cppName)
    {
        final StringBuilder out = new StringBuilder(cppName.length() + 4);
        char previous = '_';
        for (int i = 0; i < cppName.length(); i++)
        {
            final char c = cppName.charAt(i);
            if ('_' == c)
            {
                if (out.length() > 0 && '_' != previous)
                {
                    out.append('_');
                }
            }
            else
            {
                if (Character.isUpperCase(c) && (Character.isLowerCase(previous) || Character.isDigit(previous)))
                {
                    out.append('_');
                }
                out.append(Character.toUpperCase(c));
            }
            previous = c;
        }
        int end = out.length();
        while (end > 0 && '_' == out.charAt(end - 1))
        {
            end--;
        }
        return end == 0 ? "FIELD" : out.substring(0, end);
    }

    /**
     * @param what       what the name is for, for the message.
     * @param structName the struct it belongs to.
     * @param javaName   the Java name to use.
     * @return the name.
     * @throws IllegalArgumentException if it is a Java keyword.
     */
    static String checkJavaIdentifier(final String what, final String structName, final String javaName)
    {
        if (JAVA_KEYWORDS.contains(javaName))
        {
            throw new IllegalArgumentException("struct=" + structName + " " + what + "=" + javaName +
                " (expected a name that is not a Java keyword)");
        }
        return javaName;
    }

    /**
     * @param structName a struct's name, used as the Java class name of its flyweight.
     * @return the name.
     * @throws IllegalArgumentException if it is a Java keyword or a type name the generated source imports.
     */
    static String checkClassName(final String structName)
    {
        checkJavaIdentifier("class name", structName, structName);
        if (RESERVED_TYPE_NAMES.contains(structName))
        {
            throw new IllegalArgumentException("struct=" + structName + " class name=" + structName +
                " (expected a name other than " + RESERVED_TYPE_NAMES + ": the flyweight source uses those)");
        }
        return structName;
    }
}
