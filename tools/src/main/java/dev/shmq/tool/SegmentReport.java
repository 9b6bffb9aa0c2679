package dev.shmq.tool;

import java.util.List;
import java.util.Map;

/**
 * What {@link SegmentInspector} found in a segment: its kind, its fields in display order, and its problems.
 */
public final class SegmentReport
{
    private final SegmentKind kind;
    private final Map<String, String> fields;
    private final List<String> problems;
    private final List<String> order;

    SegmentReport(final SegmentKind kind, final Map<String, String> fields, final List<String> problems)
    {
        this.kind = kind;
        this.fields = Map.copyOf(fields);
        this.problems = List.copyOf(problems);
        this.order = List.copyOf(fields.keySet());
    }

    /** @return the detected protocol. */
    public SegmentKind kind()
    {
        return kind;
    }

    /** @return field names in display order. */
    public List<String> fieldNames()
    {
        return order;
    }

    /**
     * @param name a field name from {@link #fieldNames()}.
     * @return its value as displayed, or null.
     */
    public String field(final String name)
    {
        return fields.get(name);
    }

    /** @return what is wrong with the segment; empty when it is healthy. */
    public List<String> problems()
    {
        return problems;
    }

    /** @return true when the segment is of a known kind and has no problem. */
    public boolean isHealthy()
    {
        return SegmentKind.UNKNOWN != kind && problems.isEmpty();
    }
}
