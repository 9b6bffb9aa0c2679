package dev.shmq.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md shows exactly the code that {@link ReadmeExamplesTest} (and the layout module's example test) run: every
 * {@code java} block is one tagged region of those sources, and every tagged region is in the README.
 */
class ReadmeSnippetsTest
{
    private static final Path ROOT = Path.of("..");
    private static final List<Path> SOURCES = List.of(
        ROOT.resolve("system-tests/src/test/java/dev/shmq/examples/ReadmeExamples.java"),
        ROOT.resolve("layout/src/test/java/dev/shmq/layout/MarketDataTickExampleTest.java"));
    private static final Pattern TAGGED = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]",
        Pattern.DOTALL);
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void shouldShowExactlyTheTestedExamples() throws IOException
    {
        final Map<String, String> regions = new LinkedHashMap<>();
        for (final Path source : SOURCES)
        {
            final Matcher matcher = TAGGED.matcher(Files.readString(source));
            while (matcher.find())
            {
                regions.put(matcher.group(1), dedent(matcher.group(2)));
            }
        }
        assertFalse(regions.isEmpty(), "no tagged regions in " + SOURCES);

        final List<String> blocks = new ArrayList<>();
        final Matcher matcher = JAVA_BLOCK.matcher(Files.readString(ROOT.resolve("README.md")));
        while (matcher.find())
        {
            blocks.add(matcher.group(1));
        }
        for (final Map.Entry<String, String> region : regions.entrySet())
        {
            assertTrue(blocks.contains(region.getValue()), "README.md lacks example '" + region.getKey() +
                "' as it is tested:\n" + region.getValue());
        }
        for (final String block : blocks)
        {
            assertTrue(regions.containsValue(block), "README.md shows untested code:\n" + block);
        }
        assertEquals(regions.size(), blocks.size(), "one README block per example");
    }

    private static String dedent(final String text)
    {
        final List<String> lines = text.lines().toList();
        final int indent = lines.stream().filter((line) -> !line.isBlank())
            .mapToInt((line) -> line.length() - line.stripLeading().length()).min().orElse(0);
        final StringBuilder out = new StringBuilder();
        for (final String line : lines)
        {
            if (out.length() > 0)
            {
                out.append('\n');
            }
            out.append(line.isBlank() ? "" : line.substring(indent));
        }
        return out.toString();
    }
}
