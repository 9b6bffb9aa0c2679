package dev.shmq.tool;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for the tests of {@code shmq stat --json}, since no JSON library is on the
 * classpath: objects become {@link Map}s in order, arrays {@link List}s, numbers {@link BigDecimal}s, {@code null}
 * null. Anything else, trailing text included, is an {@link IllegalArgumentException} naming the offset.
 */
final class TinyJson
{
    private final String text;
    private int at;

    private TinyJson(final String text)
    {
        this.text = text;
    }

    /**
     * @param text one JSON value, with optional white space around it.
     * @return the value.
     */
    static Object parse(final String text)
    {
        final TinyJson parser = new TinyJson(text);
        final Object value = parser.value();
        parser.skipSpace();
        if (parser.at != text.length())
        {
            throw parser.error("trailing text");
        }
        return value;
    }

    private Object value()
    {
        skipSpace();
        if (at >= text.length())
        {
            throw error("end of text");
        }
        final char c = text.charAt(at);
        switch (c)
        {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object()
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek('}'))
        {
            return object;
        }
        do
        {
            skipSpace();
            if (at >= text.length() || '"' != text.charAt(at))
            {
                throw error("a key");
            }
            final String key = string();
            skipSpace();
            expect(':');
            if (object.containsKey(key))
            {
                throw error("key " + key + " twice");
            }
            object.put(key, value());
            skipSpace();
        }
        while (next(','));
        expect('}');
        return object;
    }

    private List<Object> array()
    {
        final List<Object> array = new ArrayList<>();
        at++;
        skipSpace();
        if (peek(']'))
        {
            return array;
        }
        do
        {
            array.add(value());
            skipSpace();
        }
        while (next(','));
        expect(']');
        return array;
    }

    private String string()
    {
        expect('"');
        final StringBuilder string = new StringBuilder();
        while (true)
        {
            if (at >= text.length())
            {
                throw error("an unterminated string");
            }
            final char c = text.charAt(at++);
            if ('"' == c)
            {
                return string.toString();
            }
            if (c < ' ')
            {
                throw error("a raw control character in a string");
            }
            string.append('\\' == c ? escape() : c);
        }
    }

    private char escape()
    {
        final char c = at < text.length() ? text.charAt(at++) : 0;
        switch (c)
        {
            case '"':
            case '\\':
            case '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (at + 4 > text.length())
                {
                    throw error("four hex digits");
                }
                final char unit = (char)Integer.parseInt(text.substring(at, at + 4), 16);
                at += 4;
                return unit;
            default:
                throw error("an escape");
        }
    }

    private BigDecimal number()
    {
        final int start = at;
        while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
        final String number = text.substring(start, at);
        if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))
        {
            throw error("a value");
        }
        return new BigDecimal(number);
    }

    private Object literal(final String word, final Object value)
    {
        if (!text.startsWith(word, at))
        {
            throw error(word);
        }
        at += word.length();
        return value;
    }

    private void skipSpace()
    {
        while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0)
        {
            at++;
        }
    }

    private boolean peek(final char c)
    {
        if (at < text.length() && text.charAt(at) == c)
        {
            at++;
            return true;
        }
        return false;
    }

    private boolean next(final char c)
    {
        skipSpace();
        return peek(c);
    }

    private void expect(final char c)
    {
        if (!peek(c))
        {
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(final String expected)
    {
        return new IllegalArgumentException("offset " + at + ": expected " + expected + " in " + text);
    }
}
