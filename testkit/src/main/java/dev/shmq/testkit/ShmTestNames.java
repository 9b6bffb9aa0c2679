package dev.shmq.testkit;

import dev.shmq.core.ShmName;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hands out unique shared-memory object names for one test, and remembers them so that {@link ShmTestExtension} can
 * remove whatever the test leaves behind. Names look like {@code shmq-test-<class>-<hint>-<8 hex digits>}.
 */
public final class ShmTestNames
{
    /** The prefix of every name handed out. */
    public static final String PREFIX = "shmq-test-";

    private static final int UNIQUE_HEX_CHARS = 8;
    private static final int MAX_PART_CHARS = 64;

    private final Path directory;
    private final String owner;
    private final List<String> issued = new ArrayList<>();

    ShmTestNames(final Path directory, final String owner)
    {
        this.directory = directory;
        this.owner = sanitise(owner);
    }

    /**
     * @return a new unique name, e.g. {@code shmq-test-QueueTest-1a2b3c4d}.
     */
    public synchronized String next()
    {
        return issue(PREFIX + owner + '-' + unique());
    }

    /**
     * @param hint a word saying what the segment is for, e.g. {@code "requests"}; characters other than letters,
     *             digits, {@code _ . -} become {@code _}.
     * @return a new unique name, e.g. {@code shmq-test-QueueTest-requests-1a2b3c4d}.
     */
    public synchronized String next(final String hint)
    {
        return issue(PREFIX + owner + '-' + sanitise(hint) + '-' + unique());
    }

    /**
     * @return a new unique name in {@link #directory()}, ready for {@link dev.shmq.core.ShmSegment}.
     */
    public ShmName nextShmName()
    {
        return ShmName.of(directory, next());
    }

    /** @return the shared-memory directory the names are for. */
    public Path directory()
    {
        return directory;
    }

    /** @return every name handed out so far, in order. */
    public synchronized List<String> issued()
    {
        return List.copyOf(issued);
    }

    private String issue(final String name)
    {
        ShmName.of(directory, name);
        issued.add(name);
        return name;
    }

    private static String unique()
    {
        return UUID.randomUUID().toString().replace("-", "").substring(0, UNIQUE_HEX_CHARS);
    }

    private static String sanitise(final String part)
    {
        final StringBuilder builder = new StringBuilder(Math.min(part.length(), MAX_PART_CHARS));
        for (int i = 0; i < part.length() && builder.length() < MAX_PART_CHARS; i++)
        {
            final char c = part.charAt(i);
            final boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                '_' == c || '.' == c || '-' == c;
            builder.append(plain ? c : '_');
        }
        return builder.toString().getBytes(StandardCharsets.UTF_8).length > 0 ? builder.toString() : "_";
    }
}
