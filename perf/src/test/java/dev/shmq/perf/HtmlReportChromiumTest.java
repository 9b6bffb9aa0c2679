package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.DebianPackages;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main job's HTML report renders its latency charts in a real browser: headless Chromium (Debian's package,
 * installed by the test run when missing) takes a screenshot of a report with two known distributions, and both
 * series' colours are drawn, as lines across the plot, not a blank page or a broken SVG.
 */
class HtmlReportChromiumTest
{
    private static final Duration SCREENSHOT_TIMEOUT = Duration.ofSeconds(120);
    private static final int FIRST_SERIES = 0x1f77b4;
    private static final int SECOND_SERIES = 0xd62728;
    private static final int TOLERANCE = 24;

    @Test
    void shouldDrawEverySeriesOfTheLatencyChart(@TempDir final Path directory) throws Exception
    {
        final Path chromium = DebianPackages.require("chromium", "chromium");
        final Path page = directory.resolve("report.html");
        Files.writeString(page, HtmlReport.render(List.of(
            BenchResult.latency("rtt", "fast", 64, histogram(1_000), ""),
            BenchResult.latency("rtt", "slow", 64, histogram(20_000), "")), "table", "header"),
            StandardCharsets.UTF_8);
        final Path screenshot = directory.resolve("report.png");

        try (ChildProcess browser = ChildProcess.start("chromium", new ProcessBuilder(chromium.toString(),
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=900,600",
            "--screenshot=" + screenshot, page.toUri().toString())))
        {
            assertEquals(0, browser.waitFor(SCREENSHOT_TIMEOUT), browser.describe());
        }

        final BufferedImage image = ImageIO.read(screenshot.toFile());
        assertTrue(null != image, "no PNG at " + screenshot);
        final int[] first = columnsWith(image, FIRST_SERIES);
        final int[] second = columnsWith(image, SECOND_SERIES);
        // A series is a polyline across the plot: its colour appears in many columns, not only in the legend.
        assertTrue(first[1] - first[0] > 300, "first series spans columns " + first[0] + ".." + first[1]);
        assertTrue(second[1] - second[0] > 300, "second series spans columns " + second[0] + ".." + second[1]);
    }

    /** @return the leftmost and rightmost column holding a pixel of the colour, or {max, -1} if none. */
    private static int[] columnsWith(final BufferedImage image, final int rgb)
    {
        int left = Integer.MAX_VALUE;
        int right = -1;
        for (int x = 0; x < image.getWidth(); x++)
        {
            for (int y = 0; y < image.getHeight(); y++)
            {
                if (near(image.getRGB(x, y), rgb))
                {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    break;
                }
            }
        }
        return new int[]{left, right};
    }

    private static boolean near(final int argb, final int rgb)
    {
        return Math.abs(((argb >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= TOLERANCE &&
            Math.abs(((argb >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= TOLERANCE &&
            Math.abs((argb & 0xff) - (rgb & 0xff)) <= TOLERANCE;
    }

    /** A spread of latencies around {@code medianNanos}, with a tail. */
    private static Histogram histogram(final long medianNanos)
    {
        final Histogram histogram = new Histogram(3);
        for (int i = 1; i <= 10_000; i++)
        {
            histogram.recordValue(medianNanos / 2 + medianNanos * i / 10_000 + (i > 9_990 ? medianNanos * 10 : 0));
        }
        return histogram;
    }
}
