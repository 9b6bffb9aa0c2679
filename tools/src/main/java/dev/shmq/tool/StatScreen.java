package dev.shmq.tool;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmq stat} on a terminal: the screen redrawn every sample with ANSI escapes, a header line with the time and
 * the interval, then one row per segment in aligned columns, then a legend. The cursor is hidden while it runs and
 * shown again at the end.
 */
final class StatScreen implements StatRenderer
{
    private static final String ESC = "\u001b[";
    private static final String CLEAR_SCREEN = ESC + "2J";
    private static final String HOME = ESC + "H";
    private static final String CLEAR_TO_LINE_END = ESC + "K";
    private static final String CLEAR_TO_SCREEN_END = ESC + "J";
    private static final String HIDE_CURSOR = ESC + "?25l";
    private static final String SHOW_CURSOR = ESC + "?25h";
    private static final DateTimeFormatter CLOCK =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int MAX_NAME_CHARS = 64;
    private static final int MAX_NOTE_CHARS = 100;
    private static final String ELLIPSIS = "...";
    private static final long SECONDS_PER_MINUTE = 60;
    private static final long SECONDS_PER_HOUR = 3600;
    private static final int NAME_COLUMN = 0;
    private static final int PROTOCOL_COLUMN = 1;
    private static final int STATUS_COLUMN = 2;
    private static final int CAPACITY_COLUMN = 3;
    private static final int ELEM_COLUMN = 4;
    private static final int OCCUPANCY_COLUMN = 5;
    private static final int IN_COLUMN = 6;
    private static final int OUT_COLUMN = 7;
    private static final int STATE_COLUMN = 8;
    private static final int LAST_PUB_COLUMN = 9;
    private static final int AGE_COLUMN = 10;
    private static final int PIDS_COLUMN = 11;
    private static final int NOTE_COLUMN = 12;
    private static final String[] HEADINGS = {
        "NAME", "PROTOCOL", "STATUS", "CAPACITY", "ELEM", "OCCUPANCY", "IN/S", "OUT/S", "STATE", "LAST_PUB", "AGE",
        "PIDS", "NOTE"};
    /** Columns of numbers, aligned right. */
    private static final boolean[] RIGHT = {
        false, false, false, true, true, true, true, true, false, true, true, false, false};
    private static final String[] LEGEND = {
        "IN/S: zeroq enqueue/s, slick reserve/s (of the write index)   OUT/S: zeroq dequeue/s",
        "STATE: zeroq stalled?/held? (seen in this sample), slick init_state   " +
            "AGE: since stat saw last_published change (>: unchanged since stat started)"};

    private final PrintStream out;
    private boolean cleared;

    StatScreen(final PrintStream out)
    {
        this.out = out;
    }

    @Override
    public boolean showsFirstSample()
    {
        return true;
    }

    @Override
    public void render(final StatFrame frame)
    {
        final StringBuilder screen = new StringBuilder(4096);
        if (!cleared)
        {
            screen.append(HIDE_CURSOR).append(CLEAR_SCREEN);
            cleared = true;
        }
        screen.append(HOME);
        line(screen, "shmq stat  " + CLOCK.format(frame.time()) + "  interval " + frame.intervalMillis() + " ms  " +
            frame.directory() + (frame.prefix().isEmpty() ? "" : "  prefix " + ToolCommand.printable(frame.prefix())) +
            "  " + frame.rows().size() + (1 == frame.rows().size() ? " segment" : " segments") + "  (Ctrl-C to quit)");
        line(screen, "");
        if (null != frame.error())
        {
            line(screen, "error: " + ToolCommand.printable(frame.error()));
        }
        final List<String[]> table = new ArrayList<>(frame.rows().size() + 1);
        table.add(HEADINGS);
        frame.rows().forEach((row) -> table.add(cells(row)));
        for (final String tableLine : align(table))
        {
            line(screen, tableLine);
        }
        line(screen, "");
        for (final String legend : LEGEND)
        {
            line(screen, legend);
        }
        screen.append(CLEAR_TO_SCREEN_END);
        out.print(screen);
        out.flush();
    }

    @Override
    public void finish()
    {
        out.print(SHOW_CURSOR);
        out.flush();
    }

    private static void line(final StringBuilder screen, final String text)
    {
        screen.append(text).append(CLEAR_TO_LINE_END).append('\n');
    }

    private static String[] cells(final StatRow row)
    {
        final SegmentSample sample = row.sample();
        final String[] cells = new String[HEADINGS.length];
        Arrays.fill(cells, StatValues.NONE);
        cells[NAME_COLUMN] = clip(ToolCommand.printable(sample.name()), MAX_NAME_CHARS);
        cells[PROTOCOL_COLUMN] = sample.protocol();
        cells[STATUS_COLUMN] = row.status().label();
        if (null != row.detail())
        {
            cells[NOTE_COLUMN] = clip(ToolCommand.printable(row.detail()), MAX_NOTE_CHARS);
        }
        if (StatRow.Status.GONE == row.status() || StatRow.Status.ERROR == row.status())
        {
            return cells;
        }
        cells[CAPACITY_COLUMN] = size(sample.capacity());
        cells[ELEM_COLUMN] = size(sample.elementSize());
        cells[PIDS_COLUMN] = StatValues.pids(sample.info());
        if (null != sample.zeroq())
        {
            zeroq(row, cells);
        }
        else if (null != sample.slick())
        {
            slick(row, cells);
        }
        return cells;
    }

    private static void zeroq(final StatRow row, final String[] cells)
    {
        final SegmentSample sample = row.sample();
        final SegmentSample.Zeroq zeroq = sample.zeroq();
        final long used = Math.max(0, Math.min(sample.capacity(), zeroq.enqueuePosition() - zeroq.dequeuePosition()));
        cells[OCCUPANCY_COLUMN] = used + "/" + sample.capacity();
        if (row.hasRates())
        {
            cells[IN_COLUMN] = StatValues.rate(row.inPerSecond());
            cells[OUT_COLUMN] = StatValues.rate(row.outPerSecond());
        }
        final String state = (zeroq.stalled() ? ",stalled?" : "") + (zeroq.held() ? ",held?" : "");
        cells[STATE_COLUMN] = state.isEmpty() ? "ok" : state.substring(1);
    }

    private static void slick(final StatRow row, final String[] cells)
    {
        final SegmentSample.Slick slick = row.sample().slick();
        cells[OCCUPANCY_COLUMN] = StatValues.NOT_APPLICABLE;
        if (row.hasRates())
        {
            cells[IN_COLUMN] = StatValues.rate(row.inPerSecond());
        }
        cells[STATE_COLUMN] = slick.legacy() ? "legacy" : StatValues.initState(slick.initState());
        if (row.hasLastPublished())
        {
            cells[LAST_PUB_COLUMN] = StatValues.lastPublished(slick.lastPublished());
            cells[AGE_COLUMN] = (row.lastPublishedChangeSeen() ? "" : ">") + age(row.lastPublishedAgeNanos());
        }
    }

    private static String size(final long value)
    {
        return SegmentSample.UNKNOWN == value ? StatValues.NONE : Long.toString(value);
    }

    /** @return e.g. {@code 0.5s}, {@code 42.0s}, {@code 5m03s}, {@code 2h05m}. */
    static String age(final long nanos)
    {
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        if (seconds < SECONDS_PER_MINUTE)
        {
            return String.format(Locale.ROOT, "%.1fs", nanos / (double)TimeUnit.SECONDS.toNanos(1));
        }
        if (seconds < SECONDS_PER_HOUR)
        {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / SECONDS_PER_MINUTE, seconds % SECONDS_PER_MINUTE);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / SECONDS_PER_HOUR,
            (seconds % SECONDS_PER_HOUR) / SECONDS_PER_MINUTE);
    }

    private static String clip(final String text, final int maxChars)
    {
        return text.length() <= maxChars ? text : text.substring(0, maxChars - ELLIPSIS.length()) + ELLIPSIS;
    }

    private static List<String> align(final List<String[]> table)
    {
        final int[] widths = new int[HEADINGS.length];
        for (final String[] cells : table)
        {
            for (int i = 0; i < cells.length; i++)
            {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        final List<String> lines = new ArrayList<>(table.size());
        for (final String[] cells : table)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.length; i++)
            {
                final boolean last = cells.length - 1 == i;
                final String padded = last ? cells[i] :
                    String.format("%" + (RIGHT[i] ? "" : "-") + widths[i] + "s", cells[i]);
                line.append(0 == i ? "" : "  ").append(padded);
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }
}
