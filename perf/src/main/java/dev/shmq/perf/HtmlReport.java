package dev.shmq.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML page (inline SVG, no script) with one latency-distribution chart per latency scenario and
 * payload, in HdrHistogram's plotter style: latency (log) against percentile on a 1/(1-p) axis, then the table.
 */
final class HtmlReport
{
    private static final int WIDTH = 820;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    private static final int POINTS = 120;
    private static final double NINES = 5;
    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

    private HtmlReport()
    {
    }

    static String render(final List<BenchResult> results, final String table, final String header)
    {
        final Map<String, List<BenchResult>> groups = new LinkedHashMap<>();
        for (final BenchResult result : results)
        {
            if (result.hasLatency())
            {
                groups.computeIfAbsent(result.scenario + " " + Payloads.label(result.payload),
                    (k) -> new ArrayList<>()).add(result);
            }
        }
        final StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>shmq bench</title>\n")
            .append("<style>body{font-family:sans-serif;margin:20px}pre{font-size:12px}")
            .append("svg{border:1px solid #ccc;margin:8px 0}</style></head><body>\n")
            .append("<h1>shmq cross-process benchmark</h1>\n<p>").append(escape(header)).append("</p>\n");
        for (final Map.Entry<String, List<BenchResult>> group : groups.entrySet())
        {
            html.append("<h2>").append(escape(group.getKey())).append("</h2>\n");
            chart(html, group.getValue());
        }
        html.append("<h2>Table</h2>\n<pre>").append(escape(table)).append("</pre>\n</body></html>\n");
        return html.toString();
    }

    private static void chart(final StringBuilder html, final List<BenchResult> series)
    {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (final BenchResult result : series)
        {
            min = Math.min(min, Math.max(1, result.histogram.getMinValue()));
            max = Math.max(max, Math.max(1, result.histogram.getMaxValue()));
        }
        final double logMin = Math.floor(Math.log10(min));
        final double logMax = Math.max(logMin + 1, Math.ceil(Math.log10(max)));
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        html.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">%n", WIDTH, HEIGHT));
        for (int nines = 0; nines <= NINES; nines++)
        {
            final double x = LEFT + plotWidth * nines / NINES;
            final String label = 0 == nines ? "0%" : percentLabel(nines);
            html.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>" +
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP, x, TOP + plotHeight, x, TOP + plotHeight + 15, label));
        }
        for (double decade = logMin; decade <= logMax; decade++)
        {
            final double y = TOP + plotHeight - plotHeight * (decade - logMin) / (logMax - logMin);
            html.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT, y, LEFT + plotWidth, y, LEFT - 5, y + 4, ResultTable.micros(Math.pow(10, decade)) + " us"));
        }
        html.append(String.format(Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            LEFT + plotWidth / 2, HEIGHT - 10));
        int colour = 0;
        for (final BenchResult result : series)
        {
            final StringBuilder points = new StringBuilder();
            for (int i = 0; i <= POINTS; i++)
            {
                final double nines = NINES * i / POINTS;
                final double percentile = 100.0 * (1.0 - Math.pow(10, -nines));
                final double value = Math.max(1, result.histogram.getValueAtPercentile(percentile));
                final double x = LEFT + plotWidth * nines / NINES;
                final double y = TOP + plotHeight - plotHeight * (Math.log10(value) - logMin) / (logMax - logMin);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            final String stroke = COLOURS[colour % COLOURS.length];
            html.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(stroke)
                .append("\" points=\"").append(points).append("\"/>\n");
            html.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>" +
                "<text x=\"%d\" y=\"%d\">%s</text>%n",
                WIDTH - RIGHT + 10, TOP + 14 * colour + 4, stroke, WIDTH - RIGHT + 26, TOP + 14 * colour + 9,
                escape(result.system)));
            colour++;
        }
        html.append("</svg>\n");
    }

    private static String percentLabel(final int nines)
    {
        return String.format(Locale.ROOT, "%." + Math.max(0, nines - 2) + "f%%", 100.0 * (1.0 - Math.pow(10, -nines)));
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
