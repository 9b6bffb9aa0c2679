package dev.shmq.layout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The C++ headers shmq ships for its two protocols, written by hand from the specification the way a C++ peer
 * declares the structs, and checked against {@code dev.shmq.slick.SlickQueueDescriptor} and
 * {@code dev.shmq.zeroq.ZeroqDescriptor} by core's layout tests. C++ peers (tests, tools, user programs) include them
 * after {@link #extract(Path)}:
 *
 * <pre>{@code
 * Path includeRoot = BundledHeaders.extract(Path.of("target/cpp-include"));
 * // g++ -I<includeRoot> ...   with   #include <shmq/slick_queue_layout.h>
 * }</pre>
 */
public final class BundledHeaders
{
    /** The SlickQueue v1.4.0 header, relative to the include root: structs {@code shmq::SlickQueueHeader/Slot}. */
    public static final String SLICK_QUEUE_HEADER = "shmq/slick_queue_layout.h";

    /** The zeroq 0.1.0 header, relative to the include root: structs {@code shmq::ZeroqHeader/Cell}. */
    public static final String ZEROQ_HEADER = "shmq/zeroq_layout.h";

    /** Every bundled header, relative to the include root. */
    public static final List<String> HEADERS = List.of(SLICK_QUEUE_HEADER, ZEROQ_HEADER);

    /** The C++ name of the SlickQueue header struct, matching {@code dev.shmq.slick.SlickQueueDescriptor.HEADER}. */
    public static final String SLICK_QUEUE_HEADER_TYPE = "shmq::SlickQueueHeader";

    /** The C++ name of the SlickQueue slot struct, matching {@code dev.shmq.slick.SlickQueueDescriptor.SLOT}. */
    public static final String SLICK_QUEUE_SLOT_TYPE = "shmq::SlickQueueSlot";

    /** The C++ name of the zeroq header struct, matching {@code dev.shmq.zeroq.ZeroqDescriptor.HEADER}. */
    public static final String ZEROQ_HEADER_TYPE = "shmq::ZeroqHeader";

    /** The C++ name of the zeroq cell struct, matching {@code dev.shmq.zeroq.ZeroqDescriptor.CELL}. */
    public static final String ZEROQ_CELL_TYPE = "shmq::ZeroqCell";

    private static final String RESOURCE_ROOT = "include/";

    private BundledHeaders()
    {
    }

    /**
     * Writes every bundled header under {@code directory} ({@code directory/shmq/*.h}), leaving a file alone when
     * it already holds the same bytes. Each file is written whole, then moved into place, so concurrent extractions
     * (several test JVMs) never expose a half-written header.
     *
     * @param directory the include root to write into; created if absent.
     * @return {@code directory}, to pass to the compiler as {@code -I}.
     * @throws UncheckedIOException if a header cannot be written.
     */
    public static Path extract(final Path directory)
    {
        for (final String header : HEADERS)
        {
            final Path target = directory.resolve(header);
            final byte[] content = content(header);
            try
            {
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content))
                {
                    continue;
                }
                Files.createDirectories(target.getParent());
                final Path temp = Files.createTempFile(target.getParent(), ".shmq-header-", ".tmp");
                try
                {
                    Files.write(temp, content);
                    moveIntoPlace(temp, target);
                }
                finally
                {
                    Files.deleteIfExists(temp);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot write bundled header " + target, ex);
            }
        }
        return directory;
    }

    /**
     * The text of a bundled header.
     *
     * @param header one of {@link #HEADERS}.
     * @return its bytes.
     * @throws IllegalArgumentException if it is not a bundled header.
     */
    public static byte[] content(final String header)
    {
        if (!HEADERS.contains(header))
        {
            throw new IllegalArgumentException("header=" + header + " (expected one of " + HEADERS + ")");
        }
        try (InputStream in = BundledHeaders.class.getResourceAsStream(RESOURCE_ROOT + header))
        {
            if (null == in)
            {
                throw new IllegalStateException("bundled header=" + header + " missing from the classpath " +
                    "(expected resource dev/shmq/layout/" + RESOURCE_ROOT + header + ")");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read bundled header " + header, ex);
        }
    }

    private static void moveIntoPlace(final Path temp, final Path target) throws IOException
    {
        try
        {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
