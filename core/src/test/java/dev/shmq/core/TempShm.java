package dev.shmq.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Unique shared-memory names for core's own tests, removed by {@link #close()} even when a test fails.
 * (core cannot depend on testkit, whose JUnit extension does this for everyone else.)
 */
public final class TempShm implements AutoCloseable
{
    private final List<ShmName> names = new ArrayList<>();

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
     * @param name a name from {@link #next(String)}.
     * @return its file.
     */
    public Path path(final String name)
    {
        return ShmName.of(name).path();
    }

    /**
     * @param name a name from {@link #next(String)}.
     * @return the file's bytes.
     */
    public byte[] bytes(final String name)
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
     * @param name  a name from {@link #next(String)}.
     * @param bytes the whole content of a hand-made segment.
     */
    public void write(final String name, final byte[] bytes)
    {
        try
        {
            Files.write(path(name), bytes);
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
        for (final ShmName name : names)
        {
            try
            {
                Files.deleteIfExists(name.path());
            }
            catch (final IOException ignore)
            {
                // best effort
            }
        }
    }
}
