package dev.shmq.reliability;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The environment a segment lives in: a full tmpfs, hostile names, symbolic links, file modes, permissions, and a
 * file truncated by another process while mapped.
 */
@ExtendWith(ShmTestExtension.class)
class ShmEnvironmentTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private static int run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    @Test
    void shouldFailAtCreationWithAClearErrorWhenTheTmpfsIsFull() throws Exception
    {
        final Path mount = Files.createTempDirectory("shmq-full-");
        try
        {
            // Needs root (or CAP_SYS_ADMIN); elsewhere the test is skipped, not faked.
            Assumptions.assumeTrue(0 == run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()),
                "cannot mount a 1 MiB tmpfs at " + mount);
            try
            {
                final ShmName big = ShmName.of(mount, "shmq-too-big");
                final IllegalStateException ex = assertThrows(IllegalStateException.class,
                    () -> ShmSegment.create(big, 2 << 20));
                assertTrue(ex.getMessage().contains("cannot allocate " + (2 << 20) + " bytes") &&
                    ex.getMessage().contains("full?"), ex.getMessage());
                assertFalse(Files.exists(big.path()), "the failed object is removed");

                final String previous = System.setProperty(ShmName.DIRECTORY_PROPERTY, mount.toString());
                try
                {
                    final IllegalStateException zeroq = assertThrows(IllegalStateException.class,
                        () -> ZeroqQueue.create("shmq-zq-too-big", 1 << 14, 128));
                    final IllegalStateException slick = assertThrows(IllegalStateException.class,
                        () -> SlickQueue.createOrOpen("shmq-slick-too-big", 1 << 16, 16));
                    System.out.println("RELIABILITY /dev/shm full: " + zeroq.getMessage() + " | " + slick.getMessage());
                    // What fits is usable to the last byte: pages were allocated up front, no SIGBUS later.
                    try (ZeroqQueue fits = ZeroqQueue.create("shmq-zq-fits", 1 << 10, 512))
                    {
                        final byte[] item = new byte[512];
                        final ZeroqPyQueue py = new ZeroqPyQueue(fits);
                        for (int i = 0; i < fits.capacity(); i++)
                        {
                            py.putNowait(item);
                        }
                        assertTrue(fits.isFull());
                    }
                }
                finally
                {
                    if (null == previous)
                    {
                        System.clearProperty(ShmName.DIRECTORY_PROPERTY);
                    }
                    else
                    {
                        System.setProperty(ShmName.DIRECTORY_PROPERTY, previous);
                    }
                }
                try (var files = Files.list(mount))
                {
                    assertEquals(0, files.count(), "nothing left on the full tmpfs");
                }
            }
            finally
            {
                // Lazy: queues closed above stay mapped until the garbage collector frees them (never under a call).
                assertEquals(0, run("umount", "--lazy", mount.toString()), "umount --lazy " + mount);
            }
        }
        finally
        {
            Files.deleteIfExists(mount);
        }
    }

    @Test
    void shouldRejectNamesThatCouldEscapeTheDirectoryOrThatLinuxRefuses()
    {
        final Path dir = Paths.get("/dev/shm");
        for (final String bad : List.of("a/b", "/a/b", "..", ".", "/..", "", "/", "a\0b", "x".repeat(256)))
        {
            assertThrows(IllegalArgumentException.class, () -> ShmName.of(dir, bad), "name '" + bad + "'");
        }
        assertThrows(IllegalArgumentException.class, () -> ShmName.of(dir, "\u00e9".repeat(128)), "256 bytes");
        assertEquals("x".repeat(255), ShmName.of(dir, "/" + "x".repeat(255)).name());
        assertEquals(dir.resolve("..a"), ShmName.of(dir, "..a").path());
        assertThrows(IllegalArgumentException.class, () -> ZeroqQueue.create("../etc/passwd", 2, 8));
        assertThrows(IllegalArgumentException.class, () -> SlickQueue.open("a/../b", 8));
    }

    @Test
    void shouldNeverFollowASymbolicLinkInTheShmDirectory(final ShmTestNames names) throws IOException
    {
        final String name = names.next("symlink");
        final Path target = Files.createTempFile("shmq-symlink-target-", ".bin");
        final Path link = names.directory().resolve(name);
        try
        {
            Files.write(target, new byte[4096]);
            Files.createSymbolicLink(link, target);
            final IllegalStateException opened = assertThrows(IllegalStateException.class, () -> ZeroqQueue.open(name));
            assertTrue(opened.getMessage().contains("symbolic link, never followed"), opened.getMessage());
            assertThrows(IllegalStateException.class, () -> SlickQueue.open(name, 16));
            assertThrows(IllegalStateException.class, () -> SlickQueue.createOrOpen(name, 64, 16));
            assertThrows(IllegalStateException.class, () -> ZeroqQueue.create(name, 64, 16));
            assertEquals(0, Files.readAllBytes(target)[0]);
            assertEquals(4096, Files.size(target), "the link's target is untouched");
        }
        finally
        {
            Files.deleteIfExists(link);
            Files.deleteIfExists(target);
        }
    }

    @Test
    void shouldCreateWithMode0600ByDefaultAndTheConfiguredModeOtherwise(final ShmTestNames names)
    {
        final String zeroqName = names.next("mode-default");
        final String configuredName = names.next("mode-0640");
        final String slickName = names.next("mode-slick");
        final String slickGroupName = names.next("mode-slick-0640");
        try (ZeroqQueue byDefault = ZeroqQueue.create(zeroqName, 2, 8);
            ZeroqQueue configured = ZeroqQueue.create(configuredName, 2, 8,
                new ZeroqConfig().permissions(PosixFilePermissions.fromString("rw-r-----")));
            SlickQueue slick = SlickQueue.createOrOpen(slickName, 2, 8);
            SlickQueue slickGroup = SlickQueue.createOrOpen(slickGroupName, 2, 8,
                new SlickConfig().permissions(PosixFilePermissions.fromString("rw-r-----"))))
        {
            assertEquals("rw-------", mode(names, byDefault.name()));
            assertEquals("rw-r-----", mode(names, configured.name()));
            assertTrue(slick.isCreator() && slickGroup.isCreator(), "both SlickQueues created their objects");
            assertEquals("rw-------", mode(names, slickName));
            assertEquals("rw-r-----", mode(names, slickGroupName));
        }
    }

    private static String mode(final ShmTestNames names, final String name)
    {
        try
        {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(names.directory().resolve(name)));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @Test
    void shouldNameTheFileAndTheAccessWhenAnotherUserIsDenied(final ShmTestNames names) throws Exception
    {
        Assumptions.assumeTrue(0 == run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"),
            "needs root and setpriv to run a child as nobody");
        final String name = names.next("denied");
        final Path jars = Files.createTempDirectory("shmq-nobody-cp-");
        final Path rootOnly = Files.createTempDirectory("shmq-root-only-");
        try (ZeroqQueue queue = ZeroqQueue.create(name, 2, 8))
        {
            // nobody cannot read ~/.m2 under /root: give the child a copy of the class path it can read.
            final List<String> classpath = new ArrayList<>();
            for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
            {
                final Path source = Paths.get(entry);
                if (Files.isRegularFile(source) && entry.startsWith("/root"))
                {
                    final Path copy = jars.resolve(classpath.size() + "-" + source.getFileName());
                    Files.copy(source, copy);
                    classpath.add(copy.toString());
                }
                else
                {
                    classpath.add(entry);
                }
            }
            run("chmod", "-R", "a+rX", jars.toString());
            Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
            final List<String> command = new ArrayList<>(List.of(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
            command.addAll(ChildJvm.mainClass(ReliabilityMain.class).classpath(String.join(File.pathSeparator,
                classpath)).args("open-denied", name, rootOnly.toString()).command());
            try (ChildProcess child = ChildProcess.start("nobody", new ProcessBuilder(command)))
            {
                final String open = child.awaitLine("ERROR", DEADLINE);
                final String create = child.awaitLine("ERROR", DEADLINE);
                assertEquals(0, child.waitFor(DEADLINE), child.describe());
                assertEquals("ERROR permission denied opening " + names.directory().resolve(queue.name()) +
                    " for reading and writing", open);
                assertEquals("ERROR permission denied creating " + rootOnly.resolve("shmq-denied") +
                    " (need write access to " + rootOnly + ")", create);
                System.out.println("RELIABILITY permissions (child as nobody): " + open + " | " + create);
            }
        }
        finally
        {
            run("rm", "-rf", jars.toString(), rootOnly.toString());
        }
    }

    @Test
    void shouldReportWhatHappensWhenAnotherProcessTruncatesAMappedSegment(final ShmTestNames names) throws Exception
    {
        final String name = names.next("truncated");
        try (ChildProcess victim = ChildJvm.mainClass(ReliabilityMain.class).args("truncate-victim", name).start())
        {
            victim.awaitLine("READY", DEADLINE);
            try (FileChannel channel = FileChannel.open(names.directory().resolve(name), StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            victim.send("GO");
            final int exit = victim.waitFor(DEADLINE);
            System.out.println("RELIABILITY ftruncate while mapped: exit=" + exit + "\n" + victim.stdout() +
                victim.stderr().lines().limit(5).reduce("", (a, b) -> a + b + "\n"));
            // HotSpot turns the SIGBUS of an Unsafe access to a truncated mapping into an InternalError
            // (asynchronously, at the next safepoint check): the JVM survives and the error is catchable.
            assertEquals(0, exit, victim.describe());
            assertTrue(victim.stdout().contains("CAUGHT java.lang.InternalError"), victim.describe());
        }
    }
    @ParameterizedTest
    @ValueSource(strings = {"zeroq", "slick"})
    void shouldWakeAParkedWaiterWithAnErrorWhenAnotherProcessTruncatesTheObject(
        final String protocol, final ShmTestNames names) throws Exception
    {
        final String name = names.next("truncated-" + protocol);
        try (ChildProcess victim = ChildJvm.mainClass(ParkedTruncationMain.class).args(protocol, name).start())
        {
            victim.awaitLine("READY", DEADLINE);
            try (FileChannel channel = FileChannel.open(names.directory().resolve(name), StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            victim.send("GO");
            final String outcome = victim.awaitLine("WAITER", DEADLINE);
            assertEquals(0, victim.waitFor(DEADLINE), victim.describe());
            assertTrue(outcome.startsWith("WAITER java.lang.IllegalStateException: shared-memory object ") &&
                outcome.contains(" was truncated by another process: length=0 (expected at least "), outcome);
        }
    }
}
