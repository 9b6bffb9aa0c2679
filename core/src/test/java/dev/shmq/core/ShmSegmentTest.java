package dev.shmq.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShmSegmentTest
{
    private final TempShm shm = new TempShm();

    @AfterEach
    void removeSegments()
    {
        shm.close();
    }

    private static long stagingFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(ShmName.defaultDirectory()))
        {
            return files.filter((path) -> path.getFileName().toString().startsWith(ShmSegment.STAGING_PREFIX))
                .count();
        }
    }

    @Test
    void shouldCreateZeroedObjectWithOwnerOnlyPermissionsAndNoStagingFileLeft() throws IOException
    {
        final String name = shm.next("segment");
        final long stagingBefore = stagingFiles();
        try (ShmSegment segment = shm.track(ShmSegment.create(ShmName.of(name), 4096)))
        {
            assertTrue(segment.isCreator());
            assertEquals(4096, segment.length());
            assertEquals(4096, Files.size(TempShm.path(name)));
            assertEquals(0, segment.buffer().getLong(4088));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(TempShm.path(name))));
            assertThrows(IllegalStateException.class, () -> ShmSegment.create(ShmName.of(name), 4096));
        }
        assertEquals(stagingBefore, stagingFiles());
    }

    @Test
    void shouldNotExposeObjectToOpenersBeforeItsPagesAreAllocated() throws Exception
    {
        // Big enough that zero-filling takes a while: an opener that got in early and wrote its mark would have the
        // mark wiped by the creator's zero-fill. Publishing only the finished object keeps every mark.
        final String name = shm.next("publish");
        final int length = 128 << 20;
        final CompletableFuture<ShmSegment> creator = CompletableFuture.supplyAsync(
            () -> ShmSegment.create(ShmName.of(name), length));
        try
        {
            ShmSegment opener = null;
            while (null == opener)
            {
                assertFalse(creator.isCompletedExceptionally());
                opener = tryOpen(name, length);
            }
            try (ShmSegment segment = opener)
            {
                segment.buffer().putLong(length - Long.BYTES, 0xFEED);
                try (ShmSegment created = shm.track(creator.get(60, TimeUnit.SECONDS)))
                {
                    assertEquals(0xFEED, created.buffer().getLong(length - Long.BYTES), "opener's write survived");
                }
            }
        }
        finally
        {
            creator.thenAccept(ShmSegment::close);
        }
    }

    private static ShmSegment tryOpen(final String name, final int length)
    {
        try
        {
            return ShmSegment.open(ShmName.of(name), length, 0);
        }
        catch (final ShmMissingException ex)
        {
            Thread.onSpinWait();
            return null;
        }
    }

    @Test
    void shouldLetExactlyOneOfRacingCreatorsCreate() throws Exception
    {
        final String name = shm.next("race");
        final int creators = 6;
        final List<CompletableFuture<ShmSegment>> attempts = new ArrayList<>();
        for (int i = 0; i < creators; i++)
        {
            attempts.add(CompletableFuture.supplyAsync(() -> ShmSegment.createOrOpen(
                ShmName.of(name), 1 << 20, ShmSegment.DEFAULT_PERMISSIONS, 1 << 20, TimeUnit.SECONDS.toNanos(30))));
        }
        int created = 0;
        for (final CompletableFuture<ShmSegment> attempt : attempts)
        {
            final ShmSegment segment = shm.track(attempt.get(60, TimeUnit.SECONDS));
            created += segment.isCreator() ? 1 : 0;
            assertEquals(1 << 20, segment.length());
        }
        assertEquals(1, created);
    }
}
