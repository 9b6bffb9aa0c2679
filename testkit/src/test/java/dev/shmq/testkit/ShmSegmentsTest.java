package dev.shmq.testkit;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmTestExtension.class)
class ShmSegmentsTest
{
    private static final int LENGTH = 4096;
    private static final long THIS_PID = ProcessHandle.current().pid();

    @Test
    void shouldListThisProcessAsMapperOfMappedSegment(final ShmTestNames names)
    {
        final ShmName name = names.nextShmName();
        final ShmSegments segments = ShmSegments.in(names.directory());
        final ShmSegment segment = ShmSegment.create(name, LENGTH);
        try
        {
            final ShmSegmentInfo info = find(segments.list(), name.name());

            assertEquals(LENGTH, info.length());
            assertTrue(info.pids().contains(THIS_PID), info.toString());
            assertTrue(info.isLive());
            assertEquals(info.pids(), segments.inspect(name.name()).orElseThrow().pids());

            segment.close();
            final ShmSegmentInfo closed = segments.inspect(name.name()).orElseThrow();
            assertFalse(closed.pids().contains(THIS_PID), closed.toString());
        }
        finally
        {
            segment.close();
            segments.remove(name.name(), true);
        }
    }

    @Test
    void shouldRefuseToRemoveLiveSegmentUnlessForced(final ShmTestNames names)
    {
        final ShmName name = names.nextShmName();
        final ShmSegments segments = ShmSegments.in(names.directory());
        try (ShmSegment segment = ShmSegment.create(name, LENGTH))
        {
            assertTrue(segment.isCreator());
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> segments.remove(name.name(), false));
            assertTrue(ex.getMessage().contains(" is live: pids=["), ex.getMessage());
            assertTrue(ex.getMessage().contains(Long.toString(THIS_PID)), ex.getMessage());
            assertTrue(Files.exists(name.path()));

            assertTrue(segments.remove(name.name(), true));
            assertFalse(Files.exists(name.path()));
        }
        finally
        {
            segments.remove(name.name(), true);
        }
    }

    @Test
    void shouldRemoveStaleSegment(final ShmTestNames names)
    {
        final ShmName stale = names.nextShmName();
        final ShmName live = names.nextShmName();
        final ShmSegments segments = ShmSegments.in(names.directory());
        try (ShmSegment liveSegment = ShmSegment.create(live, LENGTH))
        {
            assertTrue(liveSegment.isCreator());
            ShmSegment.create(stale, LENGTH).close();
            assertTrue(segments.inspect(stale.name()).orElseThrow().isStale());

            final List<String> removed = segments.removeStale(
                (n) -> n.equals(stale.name()) || n.equals(live.name()));

            assertEquals(List.of(stale.name()), removed);
            assertFalse(Files.exists(stale.path()));
            assertTrue(Files.exists(live.path()));
            assertFalse(segments.remove(stale.name(), false));
        }
        finally
        {
            segments.remove(stale.name(), true);
            segments.remove(live.name(), true);
        }
    }

    @Test
    void shouldNeverFollowSymbolicLinks(@TempDir final Path dir) throws IOException
    {
        final Path target = Files.write(dir.resolve("target"), new byte[LENGTH]);
        Files.createSymbolicLink(dir.resolve("link"), target);
        final ShmSegments segments = ShmSegments.in(dir);

        assertEquals(List.of("target"), segments.list().stream().map(ShmSegmentInfo::name).toList());
        assertThrows(IllegalStateException.class, () -> segments.remove("link", true));
        assertThrows(IllegalStateException.class, () -> segments.inspect("link"));
        assertTrue(Files.exists(dir.resolve("link"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(target));
    }

    @Test
    void shouldRejectInvalidNames(@TempDir final Path dir)
    {
        final ShmSegments segments = ShmSegments.in(dir);

        assertThrows(IllegalArgumentException.class, () -> segments.remove("../etc", true));
        assertThrows(IllegalArgumentException.class, () -> segments.inspect(".."));
        assertEquals(Optional.empty(), segments.inspect("absent"));
        assertFalse(segments.remove("absent", false));
    }

    @Test
    void shouldCountDeletedMappingsOfSameInodeOnly(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        final Path proc = Files.createDirectory(dir.resolve("proc"));
        final Path file = Files.write(shm.resolve("seg"), new byte[LENGTH]);
        final long inode = (Long)Files.getAttribute(file, "unix:ino");
        writeMaps(proc, 101, "7f0000000000-7f0000001000 rw-s 00000000 00:1a " + inode + "    " + file);
        writeMaps(proc, 102, "7f0000000000-7f0000001000 rw-s 00000000 00:1a " + inode + "    " + file + " (deleted)");
        writeMaps(proc, 103, "7f0000000000-7f0000001000 rw-s 00000000 00:1a " + (inode + 1) + "    " + file +
            " (deleted)");
        writeMaps(proc, 104, "7f0000000000-7f0000001000 r-xp 00000000 08:01 42    /usr/lib/libc.so.6");
        Files.createDirectory(proc.resolve("105"));
        Files.createDirectory(proc.resolve("self"));

        final ShmSegments segments = new ShmSegments(shm, proc);

        assertEquals(List.of(101L, 102L), segments.inspect("seg").orElseThrow().pids());
    }

    private static void writeMaps(final Path proc, final long pid, final String line) throws IOException
    {
        Files.writeString(Files.createDirectory(proc.resolve(Long.toString(pid))).resolve("maps"), line + "\n");
    }

    private static ShmSegmentInfo find(final List<ShmSegmentInfo> infos, final String name)
    {
        return infos.stream().filter((i) -> i.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("name=" + name + " (expected in listing " + infos + ")"));
    }
}
