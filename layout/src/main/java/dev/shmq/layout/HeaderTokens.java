package dev.shmq.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokens of a C++ header as {@link HeaderParser} reads them: comments and preprocessor lines dropped,
 * qualified names ({@code std::atomic}, {@code md::Order}) as one token, numbers, and single punctuation
 * characters, each with its line for messages.
 */
final class HeaderTokens
{
    private static final Pattern TOKEN = Pattern.compile(
        "(::)?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*|0[xX][0-9A-Fa-f']+[uUlL]*|[0-9][0-9']*[uUlL]*|\\S");

    private final List<String> texts = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private int position;

    HeaderTokens(final String source)
    {
        final String[] sourceLines = stripComments(source).split("\n", -1);
        for (int i = 0; i < sourceLines.length; i++)
        {
            final String line = sourceLines[i];
            if (line.trim().startsWith("#"))
            {
                continue;
            }
            final Matcher matcher = TOKEN.matcher(line);
            while (matcher.find())
            {
                texts.add(matcher.group());
                lines.add(i + 1);
            }
        }
    }

    private static String stripComments(final String source)
    {
        final StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length())
        {
            if (source.startsWith("//", i))
            {
                while (i < source.length() && source.charAt(i) != '\n')
                {
                    i++;
                }
            }
            else if (source.startsWith("/*", i))
            {
                final int end = source.indexOf("*/", i + 2);
                final int stop = end < 0 ? source.length() : end + 2;
                for (int j = i; j < stop; j++)
                {
                    if (source.charAt(j) == '\n')
                    {
                        out.append('\n');
                    }
                }
                i = stop;
            }
            else
            {
                out.append(source.charAt(i));
                i++;
            }
        }
        return out.toString().replace("\\\n", " ");
    }

    int mark()
    {
        return position;
    }

    void reset(final int mark)
    {
        position = mark;
    }

    boolean atEnd()
    {
        return position >= texts.size();
    }

    String peek()
    {
        return peek(0);
    }

    String peek(final int ahead)
    {
        return position + ahead < texts.size() ? texts.get(position + ahead) : "";
    }

    String next()
    {
        final String text = peek();
        position++;
        return text;
    }

    boolean accept(final String text)
    {
        if (peek().equals(text))
        {
            position++;
            return true;
        }
        return false;
    }

    /**
     * @return the line of the next token, or of the last one at the end.
     */
    int line()
    {
        return lines.isEmpty() ? 0 : lines.get(Math.min(position, lines.size() - 1));
    }

    /**
     * Skips tokens up to and including the closing bracket matching the one just consumed.
     *
     * @param open  the opening bracket, already consumed.
     * @param close its closing bracket.
     */
    void skipBalanced(final String open, final String close)
    {
        int depth = 1;
        while (!atEnd() && depth > 0)
        {
            final String text = next();
            if (text.equals(open))
            {
                depth++;
            }
            else if (text.equals(close))
            {
                depth--;
            }
        }
    }

    /**
     * Skips a declaration the importer does not need, up to its {@code ;} or its balanced {@code {...}} (and a
     * {@code ;} after it).
     */
    void skipDeclaration()
    {
        while (!atEnd())
        {
            final String text = next();
            if (text.equals(";"))
            {
                return;
            }
            if (text.equals("("))
            {
                skipBalanced("(", ")");
            }
            else if (text.equals("{"))
            {
                skipBalanced("{", "}");
                accept(";");
                return;
            }
        }
    }
}
