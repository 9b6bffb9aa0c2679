package dev.shmq.tool;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code shmq stat} for logs and scripts: per sample, one line per segment, a UTC timestamp then {@code key=value}
 * pairs ({@link StatFields}), name first. A value with a space, a quote, an {@code =}, a backslash or a control
 * character is quoted ({@code "..."}, with {@code \"}, {@code \\} and {@code \xNN} inside), so each line splits at its
 * spaces. A sample without segments is one line {@code segments=0}; a directory that cannot be listed,
 * {@code error="..."}.
 */
final class StatLines implements StatRenderer
{
    /** The timestamp each line starts with, e.g. {@code 2025-06-01T12:00:00.123Z}. */
    static final DateTimeFormatter TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final PrintStream out;

    StatLines(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public boolean showsFirstSample()
    {
        return false;
    }

    @Override
    public void render(final StatFrame frame)
    {
        final String timestamp = TIMESTAMP.format(frame.time());
        final StringBuilder lines = new StringBuilder();
        if (null != frame.error())
        {
            lines.append(timestamp).append(" error=").append(value(frame.error())).append('\n');
        }
        else if (frame.rows().isEmpty())
        {
            lines.append(timestamp).append(" segments=0\n");
        }
        for (final StatRow row : frame.rows())
        {
            lines.append(timestamp);
            for (final StatField field : StatFields.of(row))
            {
                lines.append(' ').append(field.name()).append('=').append(value(field.text()));
            }
            lines.append('\n');
        }
        out.print(lines);
        out.flush();
    }

    @Override
    public void finish()
    {
        out.flush();
    }

    /**
     * @param text a value.
     * @return it as is, or quoted when it holds a space, {@code "}, {@code =}, {@code \} or a control character, or is
     * empty.
     */
    static String value(final String text)
    {
        boolean plain = !text.isEmpty();
        for (int i = 0; i < text.length() && plain; i++)
        {
            final char c = text.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c != '\\' && !Character.isISOControl(c) &&
                !Character.isWhitespace(c);
        }
        if (plain)
        {
            return text;
        }
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                quoted.append('\\').append(c);
            }
            else if (Character.isISOControl(c))
            {
                quoted.append(String.format("\\x%02x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
