package dev.shmq.layout;

import java.util.HashMap;
import java.util.Map;

/**
 * Java source under construction for {@link FlyweightGenerator}: lines at the current indentation (four spaces a
 * level), and a registry of the members declared in the current class, so two C++ names that map to one Java
 * member fail the generation instead of the compilation.
 */
final class JavaSourceBuilder
{
    private static final String INDENT = "    ";

    private final StringBuilder text = new StringBuilder();
    private Map<String, String> members = new HashMap<>();
    private String structName = "";
    private int depth;

    /**
     * Starts the member registry of a new class.
     *
     * @param name the struct the class is generated from, for messages.
     * @return the previous registry, to restore with {@link #endClass(Map, String)} after a nested class.
     */
    Map<String, String> beginClass(final String name)
    {
        final Map<String, String> previous = members;
        members = new HashMap<>();
        structName = name;
        return previous;
    }

    /**
     * Restores the registry of the enclosing class.
     *
     * @param previous what {@link #beginClass(String)} returned.
     * @param name     the enclosing class's struct name.
     */
    void endClass(final Map<String, String> previous, final String name)
    {
        members = previous;
        structName = name;
    }

    /**
     * Registers a member of the current class.
     *
     * @param signature a field name, or a method name with its parameter types: {@code getPrice()}.
     * @param field     the C++ member it is generated for.
     * @throws IllegalArgumentException if another member already took the signature.
     */
    void declare(final String signature, final String field)
    {
        final String previous = members.putIfAbsent(signature, field);
        if (null != previous)
        {
            throw new IllegalArgumentException("struct=" + structName + " field=" + field + " maps to Java member " +
                signature + " (expected a Java name of its own; already taken by " + previous + ")");
        }
    }

    /**
     * Appends a line at the current indentation; an empty string appends an empty line.
     *
     * @param line the line without indentation or newline.
     * @return this.
     */
    JavaSourceBuilder line(final String line)
    {
        if (!line.isEmpty())
        {
            text.append(INDENT.repeat(depth)).append(line);
        }
        text.append('\n');
        return this;
    }

    /**
     * Appends {@code {} on its own line and indents.
     *
     * @return this.
     */
    JavaSourceBuilder open()
    {
        line("{");
        depth++;
        return this;
    }

    /**
     * Outdents and appends the closing brace, with an optional suffix such as {@code ;}.
     *
     * @param suffix text after the brace.
     * @return this.
     */
    JavaSourceBuilder close(final String suffix)
    {
        depth--;
        return line("}" + suffix);
    }

    /**
     * Appends a Javadoc comment of one or more lines.
     *
     * @param lines the comment's lines, without {@code *}.
     * @return this.
     */
    JavaSourceBuilder javadoc(final String... lines)
    {
        final int width = 120 - depth * INDENT.length() - 3;
        if (1 == lines.length && lines[0].length() + 4 <= width)
        {
            return line("/** " + lines[0] + " */");
        }
        line("/**");
        for (final String l : lines)
        {
            String rest = l;
            while (rest.length() > width)
            {
                final int cut = rest.lastIndexOf(' ', width);
                if (cut <= 0)
                {
                    break;
                }
                line(" * " + rest.substring(0, cut));
                rest = rest.substring(cut + 1);
            }
            line(rest.isEmpty() ? " *" : " * " + rest);
        }
        return line(" */");
    }

    /**
     * The source so far.
     *
     * @return Java text.
     */
    @Override
    public String toString()
    {
        return text.toString();
    }
}
