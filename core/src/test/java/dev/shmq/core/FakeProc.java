package dev.shmq.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A directory laid out as the part of procfs that {@code ShmSegments} scans: {@code self}, and one directory per
 * process with its {@code maps}. Tests build one to decide which processes exist and which maps can be read, as root
 * can read every real one.
 */
public final class FakeProc
{
    /** The pid of this JVM, whose real maps {@link #withThisJvm(Path)} copies. */
    public static final long THIS_PID = ProcessHandle.current().pid();

    /** A line of {@code maps} that maps no file. */
    public static final String ANONYMOUS_MAPS_LINE = "7f0000002000-7f0000003000 rw-p 00000000 00:00 0";

    private static final Path REAL_SELF_MAPS = Paths.get("/proc/self/maps");

    private final Path root;

    private FakeProc(final Path root)
    {
        this.root = root;
    }

    /**
     * @param parent where to create it, e.g. a {@code @TempDir}.
     * @return an empty fake procfs at {@code parent/proc}, holding only {@code self}.
     * @throws IOException if it cannot be created.
     */
    public static FakeProc in(final Path parent) throws IOException
    {
        final Path root = Files.createDirectory(parent.resolve("proc"));
        Files.createDirectory(root.resolve("self"));
        return new FakeProc(root);
    }

    /**
     * @param parent where to create it.
     * @return a fake procfs in which this JVM is the only process, with its maps as they are now: every object this
     * JVM maps is live, every other one stale.
     * @throws IOException if it cannot be created or this JVM's maps cannot be read.
     */
    public static FakeProc withThisJvm(final Path parent) throws IOException
    {
        return in(parent).process(THIS_PID, Files.readString(REAL_SELF_MAPS));
    }

    /** @return the directory to use as the procfs root. */
    public Path root()
    {
        return root;
    }

    /**
     * @param pid  the process id.
     * @param maps the content of its {@code maps}, one mapping a line.
     * @return this.
     * @throws IOException if it cannot be written.
     */
    public FakeProc process(final long pid, final String maps) throws IOException
    {
        Files.writeString(Files.createDirectory(root.resolve(Long.toString(pid))).resolve("maps"), maps + "\n");
        return this;
    }

    /**
     * Adds a process whose {@code maps} cannot be read, as another user's cannot (EACCES): here a directory, which
     * reads fail on (EISDIR) even for root.
     *
     * @param pid the process id.
     * @return this.
     * @throws IOException if it cannot be created.
     */
    public FakeProc unreadableProcess(final long pid) throws IOException
    {
        Files.createDirectories(root.resolve(Long.toString(pid)).resolve("maps"));
        return this;
    }

    /**
     * @param device the device as {@code maps} prints it, see {@link #device(Path)}.
     * @param inode  the inode.
     * @param path   the path the line shows.
     * @return a line of {@code maps} with a shared read-write mapping of that device and inode.
     */
    public static String mapsLine(final String device, final long inode, final String path)
    {
        return "7f0000000000-7f0000001000 rw-s 00000000 " + device + " " + inode + "    " + path;
    }

    /**
     * @param file a file.
     * @return its device as {@code maps} prints it: major and minor in hex, from Linux's {@code st_dev} encoding
     * (glibc {@code gnu_dev_major}, {@code gnu_dev_minor}).
     * @throws IOException if its attributes cannot be read.
     */
    public static String device(final Path file) throws IOException
    {
        final long dev = (Long)Files.getAttribute(file, "unix:dev");
        final long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & 0xffff_f000L);
        final long minor = (dev & 0xffL) | ((dev >>> 12) & 0xffff_ff00L);
        return String.format("%02x:%02x", major, minor);
    }

    /**
     * @param file a file.
     * @return its inode.
     * @throws IOException if its attributes cannot be read.
     */
    public static long inode(final Path file) throws IOException
    {
        return (Long)Files.getAttribute(file, "unix:ino");
    }
}
