package dev.shmq.layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BundledHeadersTest
{
    @TempDir
    Path dir;

    @Test
    void shouldExtractEveryHeaderUnderTheIncludeRoot() throws IOException
    {
        final Path root = BundledHeaders.extract(dir.resolve("include"));

        assertEquals(dir.resolve("include"), root);
        for (final String header : BundledHeaders.HEADERS)
        {
            assertArrayEquals(BundledHeaders.content(header), Files.readAllBytes(root.resolve(header)));
        }
    }

    @Test
    void shouldLeaveIdenticalHeadersAloneAndRewriteChangedOnes() throws IOException
    {
        BundledHeaders.extract(dir);
        final Path slick = dir.resolve(BundledHeaders.SLICK_QUEUE_HEADER);
        final Path zeroq = dir.resolve(BundledHeaders.ZEROQ_HEADER);
        final FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(slick, old);
        Files.writeString(zeroq, "// stale\n");

        assertSame(dir, BundledHeaders.extract(dir));

        assertEquals(old, Files.getLastModifiedTime(slick));
        assertArrayEquals(BundledHeaders.content(BundledHeaders.ZEROQ_HEADER), Files.readAllBytes(zeroq));
        try (var files = Files.list(zeroq.getParent()))
        {
            assertEquals(BundledHeaders.HEADERS.size(), files.count(), "no temporary files left behind");
        }
    }

    @Test
    void shouldRejectAHeaderThatIsNotBundled()
    {
        assertThrows(IllegalArgumentException.class, () -> BundledHeaders.content("shmq/other.h"));
    }
}
