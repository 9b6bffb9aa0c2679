package dev.shmq.tool;

import dev.shmq.core.ShmSegmentInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The fields of one {@code shmq stat} row, in output order, for the lines and the JSON alike: name and status first,
 * then what the protocol has, the rates over the window, and the pids last.
 */
final class StatFields
{
    private static final String NO = "no";
    private static final String YES = "yes";
    private static final String SEEN_ONCE = "yes?";

    private StatFields()
    {
    }

    /**
     * @param row a row.
     * @return its fields: for a gone segment its name, status and former protocol; for an error the message.
     */
    static List<StatField> of(final StatRow row)
    {
        final SegmentSample sample = row.sample();
        final List<StatField> fields = new ArrayList<>();
        fields.add(StatField.text("name", sample.name()));
        fields.add(StatField.text("status", row.status().label()));
        switch (row.status())
        {
            case GONE:
                fields.add(StatField.text("protocol", sample.protocol()));
                return fields;
            case ERROR:
                fields.add(StatField.text("error", row.detail()));
                fields.add(pids(sample.info()));
                return fields;
            case CHANGED:
                fields.add(StatField.text("change", row.detail()));
                break;
            default:
                break;
        }
        fields.add(StatField.text("protocol", sample.protocol()));
        fields.add(StatField.size("length", sample.length()));
        if (null != sample.zeroq())
        {
            zeroq(row, fields);
        }
        else if (null != sample.slick())
        {
            slick(row, fields);
        }
        fields.add(pids(sample.info()));
        return fields;
    }

    private static void zeroq(final StatRow row, final List<StatField> fields)
    {
        final SegmentSample sample = row.sample();
        final SegmentSample.Zeroq zeroq = sample.zeroq();
        fields.add(StatField.size("capacity", sample.capacity()));
        fields.add(StatField.size("element_size", sample.elementSize()));
        // dequeue_pos is read before enqueue_pos, so producers may have moved on between the two: at most full.
        final long used = Math.max(0, Math.min(sample.capacity(), zeroq.enqueuePosition() - zeroq.dequeuePosition()));
        fields.add(StatField.number("occupancy", used));
        fields.add(StatField.decimal("enqueue_pos", StatValues.unsigned(zeroq.enqueuePosition())));
        fields.add(StatField.decimal("dequeue_pos", StatValues.unsigned(zeroq.dequeuePosition())));
        fields.add(StatField.flag("stalled", zeroq.stalled(), SEEN_ONCE, NO));
        fields.add(StatField.flag("held", zeroq.held(), SEEN_ONCE, NO));
        window(row, fields);
        if (row.hasRates())
        {
            fields.add(StatField.number("enqueued", row.inDelta()));
            fields.add(StatField.number("dequeued", row.outDelta()));
            fields.add(StatField.decimal("enqueue_per_s", StatValues.rate(row.inPerSecond())));
            fields.add(StatField.decimal("dequeue_per_s", StatValues.rate(row.outPerSecond())));
        }
        else
        {
            fields.add(StatField.none("enqueued"));
            fields.add(StatField.none("dequeued"));
            fields.add(StatField.none("enqueue_per_s"));
            fields.add(StatField.none("dequeue_per_s"));
        }
    }

    private static void slick(final StatRow row, final List<StatField> fields)
    {
        final SegmentSample sample = row.sample();
        final SegmentSample.Slick slick = sample.slick();
        fields.add(StatField.size("capacity", sample.capacity()));
        fields.add(StatField.size("element_size", sample.elementSize()));
        fields.add(StatField.notApplicable("occupancy"));
        if (!slick.legacy())
        {
            fields.add(StatField.text("init_state", StatValues.initState(slick.initState())));
        }
        fields.add(StatField.decimal("write_index", StatValues.unsigned(slick.writeIndex())));
        if (row.hasLastPublished())
        {
            fields.add(StatField.text("last_published", StatValues.lastPublished(slick.lastPublished())));
            fields.add(StatField.number(
                "last_published_age_ms", TimeUnit.NANOSECONDS.toMillis(row.lastPublishedAgeNanos())));
            fields.add(StatField.flag("last_published_moved", row.lastPublishedChangeSeen(), YES, NO));
        }
        window(row, fields);
        if (row.hasRates())
        {
            fields.add(StatField.number("reserved", row.inDelta()));
            fields.add(StatField.decimal("reserve_per_s", StatValues.rate(row.inPerSecond())));
        }
        else
        {
            fields.add(StatField.none("reserved"));
            fields.add(StatField.none("reserve_per_s"));
        }
    }

    private static void window(final StatRow row, final List<StatField> fields)
    {
        fields.add(row.hasRates() ?
            StatField.decimal("window_ms", StatValues.millis(row.windowMillis())) : StatField.none("window_ms"));
    }

    private static StatField pids(final ShmSegmentInfo info)
    {
        final StringJoiner json = new StringJoiner(",", "[", "]");
        switch (info.liveness())
        {
            case LIVE:
                info.pids().forEach((pid) -> json.add(Long.toString(pid)));
                return new StatField("pids", StatValues.pids(info), json.toString());
            case STALE:
                return new StatField("pids", StatValues.pids(info), json.toString());
            default:
                return new StatField("pids", StatValues.pids(info), "null");
        }
    }
}
