package dev.shmq.tool;

/**
 * One field of a {@code shmq stat} row, written once for both outputs that carry keys: as text for the lines
 * ({@code key=text}) and as a JSON value.
 *
 * @param name the key, e.g. {@code enqueue_per_s}.
 * @param text the value in a line, unquoted, e.g. {@code 2000.0} or {@code -}.
 * @param json the value in JSON, already written, e.g. {@code 2000.0}, {@code null} or {@code "zeroq"}.
 */
record StatField(String name, String text, String json)
{
    private static final String JSON_NULL = "null";

    /** @return a field the segment does not have now: {@code -}, JSON {@code null}. */
    static StatField none(final String name)
    {
        return new StatField(name, StatValues.NONE, JSON_NULL);
    }

    /** @return a field the protocol does not have: {@code n/a}, JSON {@code null}. */
    static StatField notApplicable(final String name)
    {
        return new StatField(name, StatValues.NOT_APPLICABLE, JSON_NULL);
    }

    /** @return a string. */
    static StatField text(final String name, final String value)
    {
        return new StatField(name, value, StatJson.quote(value));
    }

    /** @return a signed number. */
    static StatField number(final String name, final long value)
    {
        return new StatField(name, Long.toString(value), Long.toString(value));
    }

    /** @return a number already written in decimal, e.g. a rate or an unsigned position. */
    static StatField decimal(final String name, final String value)
    {
        return new StatField(name, value, value);
    }

    /** @return a size that may be unknown ({@link SegmentSample#UNKNOWN}). */
    static StatField size(final String name, final long value)
    {
        return SegmentSample.UNKNOWN == value ? none(name) : number(name, value);
    }

    /** @return a yes/no field: the given texts in a line, {@code true}/{@code false} in JSON. */
    static StatField flag(final String name, final boolean value, final String yes, final String no)
    {
        return new StatField(name, value ? yes : no, Boolean.toString(value));
    }
}
