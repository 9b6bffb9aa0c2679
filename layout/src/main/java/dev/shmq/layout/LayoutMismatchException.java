package dev.shmq.layout;

/**
 * A Java struct declaration disagrees with what a C++ compiler made of the same struct. Carries the first
 * disagreement; the message lists all of them.
 */
public final class LayoutMismatchException extends IllegalStateException
{
    /** {@link #actual()} when the compiler could not evaluate the property at all, e.g. a member it lacks. */
    public static final long NOT_EVALUATED = -1L;

    private static final long serialVersionUID = 1L;

    /** The {@code offsetof} of a member. */
    public static final String OFFSETOF = "offsetof";
    /** The {@code sizeof} of a member or of the struct. */
    public static final String SIZEOF = "sizeof";
    /** The {@code alignof} of the struct. */
    public static final String ALIGNOF = "alignof";
    /** The kind of a member: integer width, signedness, atomicity (compared as a type code). */
    public static final String TYPE = "type";
    /** The value of a constant expression. */
    public static final String VALUE = "value";

    private final String structName;
    private final String field;
    private final String property;
    private final long expected;
    private final long actual;

    /**
     * @param message    the full message, listing every mismatch.
     * @param structName the struct (or header, for constants) of the first mismatch.
     * @param field      the member path of the first mismatch, empty when the property is the struct's own.
     * @param property   one of {@link #OFFSETOF}, {@link #SIZEOF}, {@link #ALIGNOF}, {@link #TYPE}, {@link #VALUE}.
     * @param expected   the value the Java declaration computed.
     * @param actual     the value the C++ compiler computed, or {@link #NOT_EVALUATED}.
     */
    public LayoutMismatchException(
        final String message,
        final String structName,
        final String field,
        final String property,
        final long expected,
        final long actual)
    {
        super(message);
        this.structName = structName;
        this.field = field;
        this.property = property;
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * The struct whose layout disagrees.
     *
     * @return the Java declaration's struct name.
     */
    public String structName()
    {
        return structName;
    }

    /**
     * The member whose layout disagrees.
     *
     * @return a member path such as {@code "size"} or {@code "slots[0].size"}, or empty for the struct's own
     *         {@code sizeof}/{@code alignof}.
     */
    public String field()
    {
        return field;
    }

    /**
     * What disagrees.
     *
     * @return {@link #OFFSETOF}, {@link #SIZEOF}, {@link #ALIGNOF}, {@link #TYPE} or {@link #VALUE}.
     */
    public String property()
    {
        return property;
    }

    /**
     * The Java side's number.
     *
     * @return the value the Java declaration computed.
     */
    public long expected()
    {
        return expected;
    }

    /**
     * The compiler's number.
     *
     * @return the value g++ computed, or {@link #NOT_EVALUATED}.
     */
    public long actual()
    {
        return actual;
    }
}
