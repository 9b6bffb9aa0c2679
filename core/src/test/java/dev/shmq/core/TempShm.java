package dev.shmq.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Unique shared-memory names for core's own tests, and everything they name removed by {@link #close()} (call it
 * from {@code @AfterEach}), also when a test fails. core cannot depend on testkit, whose JUnit extension does this
 * for everyone else.
 */
public final class TempShm implements AutoCloseable
{
    private final List<ShmName> names = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * @param hint a readable part of the name.
     * @return a fresh, unused name in the default shm directory.
     */
    public String next(final String hint)
    {
        final ShmName name = ShmName.of("shmq-test-" + hint + "-" + UUID.randomUUID().toString().substring(0, 8));
        names.add(name);
        return name.name();
    }

    /**
     * Closes a queue or segment in {@link #close()}, before the names are removed.
     *
     * @param closeable what to close.
     * @param <T>       its type.
     * @return the argument.
     */
    public <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    /**
     * @param name a shared-memory name.
     * @return its file.
     */
    public static Path path(final String name)
    {
        return ShmName.of(name).path();
    }

    /**
     * @param name a shared-memory name.
     * @return the file's bytes.
     */
    public static byte[] bytes(final String name)
    {
        try
        {
            return Files.readAllBytes(path(name));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writes a new segment by hand, as a foreign or broken creator would leave it.
     *
     * @param name     a name from {@link #next(String)}; must not exist yet.
     * @param contents the whole content.
     */
    public static void write(final String name, final ByteBuffer contents)
    {
        try (FileChannel channel =
            FileChannel.open(path(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            contents.rewind();
            while (contents.hasRemaining())
            {
                channel.write(contents);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param length bytes.
     * @return a zeroed little-endian heap buffer, as shared memory is laid out.
     */
    public static ByteBuffer littleEndian(final int length)
    {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Fails if this process still maps the object: a failed open must release its mapping.
     *
     * @param name a shared-memory name.
     */
    public static void assertNotMapped(final String name)
    {
        try
        {
            final String maps = Files.readString(Path.of("/proc/self/maps"));
            assertFalse(maps.contains(path(name).toString()), () -> name + " is still mapped");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return true if any name handed out still exists. */
    public boolean anyExists()
    {
        return names.stream().anyMatch((name) -> Files.exists(name.path()));
    }

    @Override
    public void close()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            try
            {
                closeables.get(i).close();
            }
            catch (final Exception ignore)
            {
                // keep cleaning up
            }
        }
        closeables.clear();
        for (final ShmName name : names)
        {
            try
            {
                Files.deleteIfExists(name.path());
            }
            catch (final IOException ignore)
            {
                // keep cleaning up
            }
        }
        names.clear();
    }
}
