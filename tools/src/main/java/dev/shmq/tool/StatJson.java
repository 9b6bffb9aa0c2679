package dev.shmq.tool;

import java.io.PrintStream;

/**
 * {@code shmq stat --json}: one JSON object per sample, on one line, written by hand (no JSON library in the tool):
 * {@code {"time":"...","interval_ms":1000,"directory":"/dev/shm","prefix":"","error":null,"segments":[{...}]}},
 * each segment an object of its {@link StatFields}, values a field does not have now {@code null}.
 */
final class StatJson implements StatRenderer
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final PrintStream out;

    StatJson(final PrintStream out)
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
        final StringBuilder json = new StringBuilder(256 + 512 * frame.rows().size());
        json.append("{\"time\":").append(quote(StatLines.TIMESTAMP.format(frame.time())))
            .append(",\"interval_ms\":").append(frame.intervalMillis())
            .append(",\"directory\":").append(quote(frame.directory().toString()))
            .append(",\"prefix\":").append(quote(frame.prefix()))
            .append(",\"error\":").append(null == frame.error() ? "null" : quote(frame.error()))
            .append(",\"segments\":[");
        for (int i = 0; i < frame.rows().size(); i++)
        {
            json.append(0 == i ? "{" : ",{");
            boolean first = true;
            for (final StatField field : StatFields.of(frame.rows().get(i)))
            {
                json.append(first ? "" : ",").append(quote(field.name())).append(':').append(field.json());
                first = false;
            }
            json.append('}');
        }
        json.append("]}");
        out.println(json);
        out.flush();
    }

    @Override
    public void finish()
    {
        out.flush();
    }

    /**
     * @param text any text.
     * @return a JSON string of it in ASCII, whatever the output's encoding: {@code "} and {@code \} escaped, control
     * characters as {@code \n}, {@code \t} and so on, and every other character below space or above {@code ~} as
     * {@code \}{@code uXXXX} (UTF-16 units, so a pair for a character beyond the BMP).
     */
    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"':
                    quoted.append("\\\"");
                    break;
                case '\\':
                    quoted.append("\\\\");
                    break;
                case '\n':
                    quoted.append("\\n");
                    break;
                case '\r':
                    quoted.append("\\r");
                    break;
                case '\t':
                    quoted.append("\\t");
                    break;
                case '\b':
                    quoted.append("\\b");
                    break;
                case '\f':
                    quoted.append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        quoted.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                            .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
                    }
                    else
                    {
                        quoted.append(c);
                    }
                    break;
            }
        }
        return quoted.append('"').toString();
    }
}
