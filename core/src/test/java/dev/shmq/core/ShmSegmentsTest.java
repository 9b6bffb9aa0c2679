package dev.shmq.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment directory of {@link ShmSegments}: listing, liveness by device and inode, removal and cleaning. Liveness
 * as seen by another process is tested in system-tests ({@code ShmSegmentsChildTest}), which can start one.
 */
class ShmSegmentsTest
{
    private static final int LENGTH = 4096;
    private static final long THIS_PID = ProcessHandle.current().pid();

    private final TempShm shm = new TempShm();
    private final Path directory = ShmName.defaultDirectory();

    @AfterEach
    void removeSegments()
    {
        shm.close();
    }

    @Test
    void shouldListThisProcessAsMapperOfMappedSegment()
    {
        final ShmName name = ShmName.of(shm.next("listed"));
        final ShmSegments segments = ShmSegments.in(directory);
        try (ShmSegment segment = ShmSegment.create(name, LENGTH))
        {
            assertTrue(segment.isCreator());
            final ShmSegmentInfo info = find(segments.list(), name.name());

            assertEquals(LENGTH, info.length());
            assertTrue(info.pids().contains(THIS_PID), info.toString());
            assertTrue(info.isLive());
            assertEquals(ShmSegmentInfo.Liveness.LIVE, info.liveness());
            assertEquals(info.pids(), segments.inspect(name.name()).orElseThrow().pids());
            // Closing no longer unmaps (the cleaner does, once the buffer is unreachable), so this JVM stays a mapper
            // after close: ShmSegmentsChildTest (system-tests) shows a process leaving the list.
        }
        finally
        {
            segments.remove(name.name(), true);
        }
    }

    @Test
    void shouldRefuseToRemoveLiveSegmentUnlessForced()
    {
        final ShmName name = ShmName.of(shm.next("live"));
        final ShmSegments segments = ShmSegments.in(directory);
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
    void shouldCleanStaleSegmentOnly(@TempDir final Path dir) throws IOException
    {
        final ShmName stale = ShmName.of(shm.next("stale"));
        final ShmName live = ShmName.of(shm.next("live"));
        try (ShmSegment liveSegment = ShmSegment.create(live, LENGTH))
        {
            assertTrue(liveSegment.isCreator());
            Files.write(stale.path(), new byte[LENGTH]);
            // This JVM as the only process: the real /proc may hold maps nobody can read (then nothing is stale).
            final ShmSegments segments = ShmSegments.in(directory, FakeProc.withThisJvm(dir).root());
            assertTrue(segments.inspect(stale.name()).orElseThrow().isStale());

            final ShmSegments.CleanReport report = segments.clean(ShmSegments.CleanOptions.DEFAULT
                .names(Set.of(stale.name(), live.name())::contains)
                .minAge(Duration.ZERO));

            assertEquals(List.of(stale.name()), report.removed(), report.toString());
            assertEquals(List.of(), report.kept(), report.toString());
            assertEquals(List.of(), report.failed(), report.toString());
            assertFalse(Files.exists(stale.path()));
            assertTrue(Files.exists(live.path()));
            assertFalse(segments.remove(stale.name(), false));
            assertTrue(segments.remove(live.name(), true));
        }
    }

    @Test
    void shouldFindMappersByDeviceAndInodeWhateverTheName()
    {
        // The kernel shows an unlinked file's path with " (deleted)" appended and a newline as \012: a name-based scan
        // takes the first for an unlinked "x" and never finds the second.
        final String base = shm.next("odd-names");
        final List<ShmName> odd = List.of(
            ShmName.of(directory, base + " (deleted)"), ShmName.of(directory, base + "\nline"));
        final ShmSegments segments = ShmSegments.in(directory);
        try (ShmSegment deletedLookalike = ShmSegment.create(odd.get(0), LENGTH);
            ShmSegment withNewline = ShmSegment.create(odd.get(1), LENGTH))
        {
            assertTrue(deletedLookalike.isCreator() && withNewline.isCreator());
            for (final ShmName name : odd)
            {
                final ShmSegmentInfo info = segments.inspect(name.name()).orElseThrow();
                assertTrue(info.isLive() && info.pids().contains(THIS_PID), info.toString());
            }

            final ShmSegments.CleanReport report = segments.clean(ShmSegments.CleanOptions.DEFAULT
                .names((n) -> n.startsWith(base))
                .minAge(Duration.ZERO));

            assertEquals(List.of(), report.removed(), report.toString());
            assertTrue(Files.exists(odd.get(0).path()) && Files.exists(odd.get(1).path()));
        }
        finally
        {
            removeAll(segments, odd);
        }
    }

    @Test
    void shouldKeepSegmentOfUnknownLivenessWhenSomeMapsCannotBeRead(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        Files.write(shm.resolve("seg"), new byte[LENGTH]);
        final FakeProc proc = FakeProc.in(dir).process(201, FakeProc.ANONYMOUS_MAPS_LINE).unreadableProcess(202);
        final ShmSegments segments = new ShmSegments(shm, proc.root());

        final ShmSegmentInfo info = segments.inspect("seg").orElseThrow();
        assertFalse(info.isStale(), info.toString());
        assertFalse(info.isLive(), info.toString());
        assertEquals(ShmSegmentInfo.Liveness.UNKNOWN, info.liveness());
        assertEquals(List.of(202L), info.unreadablePids());

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> segments.remove("seg", false));
        assertTrue(ex.getMessage().contains("liveness unknown: "), ex.getMessage());
        assertTrue(ex.getMessage().contains("(pids 202;"), ex.getMessage());

        final ShmSegments.CleanReport report = segments.clean(ShmSegments.CleanOptions.DEFAULT.minAge(Duration.ZERO));
        assertEquals(List.of(), report.removed(), report.toString());
        assertEquals(1, report.kept().size(), report.toString());
        assertEquals("seg", report.kept().get(0).name());
        assertTrue(report.kept().get(0).detail().startsWith("liveness unknown: "), report.toString());
        assertTrue(Files.exists(shm.resolve("seg")));

        assertTrue(segments.remove("seg", true));
    }

    @Test
    void shouldReportEachFailureAndStillCleanTheRest(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        final FakeProc proc = FakeProc.in(dir).process(301, FakeProc.ANONYMOUS_MAPS_LINE);
        for (final String name : List.of("a", "b", "c", "d"))
        {
            Files.write(shm.resolve(name), new byte[LENGTH]);
        }
        final Set<String> undeletable = Set.of("b", "d");
        final ShmSegments segments = new ShmSegments(shm, proc.root(), (path) ->
        {
            if (undeletable.contains(path.getFileName().toString()))
            {
                throw new AccessDeniedException(path.toString());
            }
            Files.delete(path);
        });

        final ShmSegments.CleanReport report = segments.clean(ShmSegments.CleanOptions.DEFAULT.minAge(Duration.ZERO));

        assertEquals(Set.of("a", "c"), Set.copyOf(report.removed()), report.toString());
        assertEquals(undeletable, report.failed().stream().map(ShmSegments.Outcome::name).collect(Collectors.toSet()));
        for (final ShmSegments.Outcome failure : report.failed())
        {
            assertTrue(failure.detail().startsWith("cannot remove " + shm.resolve(failure.name()) + ": "),
                failure.detail());
            assertTrue(failure.detail().contains("AccessDeniedException"), failure.detail());
        }
        try (Stream<Path> left = Files.list(shm))
        {
            assertEquals(List.of("b", "d"), left.map((p) -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void shouldRemoveNothingInDryRun(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        final FakeProc proc = FakeProc.in(dir).process(401, FakeProc.ANONYMOUS_MAPS_LINE);
        Files.write(shm.resolve("seg"), new byte[LENGTH]);
        final ShmSegments segments = new ShmSegments(shm, proc.root());

        final ShmSegments.CleanReport report =
            segments.clean(ShmSegments.CleanOptions.DEFAULT.minAge(Duration.ZERO).dryRun(true));

        assertTrue(report.isDryRun());
        assertEquals(List.of("seg"), report.removed());
        assertTrue(Files.exists(shm.resolve("seg")));
    }

    @Test
    void shouldKeepYoungSegmentsUnlessMinAgeAllows(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        final FakeProc proc = FakeProc.in(dir).process(501, FakeProc.ANONYMOUS_MAPS_LINE);
        final String staging = ShmSegment.STAGING_PREFIX + "0123456789abcdef";
        Files.write(shm.resolve(staging), new byte[LENGTH]);
        Files.write(shm.resolve("young"), new byte[LENGTH]);
        final ShmSegments segments = new ShmSegments(shm, proc.root());

        final ShmSegments.CleanReport kept = segments.clean(ShmSegments.CleanOptions.DEFAULT.force(true));

        assertEquals(List.of(), kept.removed(), kept.toString());
        assertEquals(Set.of(staging, "young"), kept.kept().stream().map(ShmSegments.Outcome::name)
            .collect(Collectors.toSet()));
        assertTrue(kept.kept().get(0).detail().startsWith("too young: changed "), kept.toString());

        final ShmSegments.CleanReport removed = segments.clean(ShmSegments.CleanOptions.DEFAULT.minAge(Duration.ZERO));
        assertEquals(Set.of(staging, "young"), Set.copyOf(removed.removed()), removed.toString());
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
    void shouldCountMappingsOfSameDeviceAndInodeOnly(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        final Path file = Files.write(shm.resolve("seg"), new byte[LENGTH]);
        final long inode = FakeProc.inode(file);
        final String device = FakeProc.device(file);
        final FakeProc proc = FakeProc.in(dir)
            .process(101, FakeProc.mapsLine(device, inode, file.toString()))
            .process(102, FakeProc.mapsLine(device, inode, file + " (deleted)"))
            .process(103, FakeProc.mapsLine(device, inode + 1, file + " (deleted)"))
            .process(104, "7f0000000000-7f0000001000 r-xp 00000000 08:01 42    /usr/lib/libc.so.6")
            .process(105, FakeProc.mapsLine("ff:ff", inode, file.toString()))
            .process(106, FakeProc.mapsLine(device, inode, "/elsewhere/renamed"));

        final ShmSegments segments = new ShmSegments(shm, proc.root());

        assertEquals(List.of(101L, 102L, 106L), segments.inspect("seg").orElseThrow().pids());
    }

    @Test
    void shouldRefuseProcRootThatIsNoProcfs(@TempDir final Path dir) throws IOException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm")).toRealPath();
        Files.write(shm.resolve("seg"), new byte[LENGTH]);
        final ShmSegments segments = ShmSegments.in(shm, Files.createDirectory(dir.resolve("empty")));

        final IllegalStateException ex = assertThrows(IllegalStateException.class, segments::list);

        assertTrue(ex.getMessage().endsWith(" has no self (expected Linux procfs)"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> segments.clean(ShmSegments.CleanOptions.DEFAULT));
        assertTrue(Files.exists(shm.resolve("seg")));
    }

    private static void removeAll(final ShmSegments segments, final List<ShmName> names)
    {
        for (final ShmName name : names)
        {
            segments.remove(name.name(), true);
        }
    }

    private static ShmSegmentInfo find(final List<ShmSegmentInfo> infos, final String name)
    {
        return infos.stream().filter((i) -> i.name().equals(name)).findFirst()
            .orElseThrow(() -> new AssertionError("name=" + name + " (expected in listing " + infos + ")"));
    }
}
