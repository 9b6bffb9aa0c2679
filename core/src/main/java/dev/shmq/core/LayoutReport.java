package dev.shmq.core;

import dev.shmq.layout.BundledHeaders;
import dev.shmq.layout.CStruct;
import dev.shmq.layout.CppLayoutChecker;
import dev.shmq.layout.LayoutMismatchException;
import dev.shmq.slick.SlickQueueDescriptor;
import dev.shmq.zeroq.ZeroqDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints both protocols' structs as pahole-style offset tables and proves them against g++: the Java declarations
 * as g++ lays them out, the bundled C++ headers member by member, and the headers' constants against the
 * descriptors'.
 *
 * <pre>{@code
 * java -cp shmq-layout.jar dev.shmq.layout.LayoutReport
 * }</pre>
 */
public final class LayoutReport
{
    private static final String BOTH_HEADERS = "#include <" + BundledHeaders.SLICK_QUEUE_HEADER + ">\n" +
        "#include <" + BundledHeaders.ZEROQ_HEADER + ">";

    private LayoutReport()
    {
    }

    /**
     * Prints the report to standard output; exits non-zero (by exception) when g++ disagrees or is missing.
     *
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        print(System.out, new CppLayoutChecker());
    }

    /**
     * Prints the tables, then verifies everything against the checker's compiler.
     *
     * @param out     where to print.
     * @param checker the compiler to prove the layouts with.
     * @throws LayoutMismatchException if a layout differs.
     * @throws IllegalStateException   if the compiler is missing.
     */
    public static void print(final PrintStream out, final CppLayoutChecker checker)
    {
        out.println("SlickQueue v1.4.0: " + SlickQueueDescriptor.HEADER_LENGTH + " + " +
            SlickQueueDescriptor.SLOT_LENGTH + " * size + element_size * size bytes");
        out.println(SlickQueueDescriptor.HEADER);
        out.println(SlickQueueDescriptor.SLOT);
        out.println("zeroq 0.1.0: " + ZeroqDescriptor.HEADER_LENGTH + " + " + ZeroqDescriptor.CELL_LENGTH +
            " * capacity + element_size * capacity bytes");
        out.println(ZeroqDescriptor.HEADER);
        out.println(ZeroqDescriptor.CELL);

        final int checks = verifyProtocols(checker);
        out.println("verified against " + checker.compiler() + " " + checker.compilerVersion() + ": " + checks +
            " structs (generated and " + BundledHeaders.HEADERS + ") and " + constants().size() + " constants");
    }

    /**
     * Verifies the protocol declarations: generated, against the bundled headers, and the headers' constants.
     *
     * @param checker the compiler to prove the layouts with.
     * @return the number of struct declarations checked.
     */
    static int verifyProtocols(final CppLayoutChecker checker)
    {
        final CStruct[] structs =
            { SlickQueueDescriptor.HEADER, SlickQueueDescriptor.SLOT, ZeroqDescriptor.HEADER, ZeroqDescriptor.CELL };
        checker.verify(structs);

        final Path includeRoot = createTempDirectory();
        try
        {
            final CppLayoutChecker withHeaders = checker.withIncludeDirectory(BundledHeaders.extract(includeRoot));
            withHeaders.verifyAgainstHeader(BOTH_HEADERS, headerTypes());
            withHeaders.verifyConstants(BOTH_HEADERS, constants());
        }
        finally
        {
            deleteRecursively(includeRoot);
        }
        return structs.length;
    }

    /**
     * The bundled headers' struct names with the Java declarations they must match.
     *
     * @return C++ qualified name to declaration.
     */
    static Map<String, CStruct> headerTypes()
    {
        final Map<String, CStruct> types = new LinkedHashMap<>();
        types.put(BundledHeaders.SLICK_QUEUE_HEADER_TYPE, SlickQueueDescriptor.HEADER);
        types.put(BundledHeaders.SLICK_QUEUE_SLOT_TYPE, SlickQueueDescriptor.SLOT);
        types.put(BundledHeaders.ZEROQ_HEADER_TYPE, ZeroqDescriptor.HEADER);
        types.put(BundledHeaders.ZEROQ_CELL_TYPE, ZeroqDescriptor.CELL);
        return types;
    }

    /**
     * The bundled headers' constants and helpers with the values the descriptors give them.
     *
     * @return C++ expression to expected value.
     */
    static Map<String, Long> constants()
    {
        final int capacity = 1024;
        final int elementSize = 24;
        final int slot = 5;
        final Map<String, Long> constants = new LinkedHashMap<>();
        constants.put("shmq::slick_queue::MAGIC", (long)SlickQueueDescriptor.MAGIC);
        constants.put("shmq::slick_queue::NONE", SlickQueueDescriptor.NONE);
        constants.put("shmq::slick_queue::INIT_STATE_UNINITIALISED",
            (long)SlickQueueDescriptor.INIT_STATE_UNINITIALISED);
        constants.put("shmq::slick_queue::INIT_STATE_LEGACY", (long)SlickQueueDescriptor.INIT_STATE_LEGACY);
        constants.put("shmq::slick_queue::INIT_STATE_INITIALISING", (long)SlickQueueDescriptor.INIT_STATE_INITIALISING);
        constants.put("shmq::slick_queue::INIT_STATE_READY", (long)SlickQueueDescriptor.INIT_STATE_READY);
        constants.put("shmq::slick_queue::RESERVED_INDEX_SHIFT", (long)SlickQueueDescriptor.RESERVED_INDEX_SHIFT);
        constants.put("shmq::slick_queue::RESERVED_SIZE_MASK", SlickQueueDescriptor.RESERVED_SIZE_MASK);
        constants.put("shmq::slick_queue::HEADER_LENGTH", (long)SlickQueueDescriptor.HEADER_LENGTH);
        constants.put("shmq::slick_queue::SLOT_LENGTH", (long)SlickQueueDescriptor.SLOT_LENGTH);
        constants.put("shmq::slick_queue::pack_reserved(123456789, 300)",
            SlickQueueDescriptor.packReserved(123456789, 300));
        constants.put("shmq::slick_queue::slot_offset(" + slot + ")", (long)SlickQueueDescriptor.slotOffset(slot));
        constants.put("shmq::slick_queue::data_offset(" + capacity + ")",
            (long)SlickQueueDescriptor.dataOffset(capacity));
        constants.put("shmq::slick_queue::total_length(" + capacity + ", " + elementSize + ")",
            (long)SlickQueueDescriptor.totalLength(capacity, elementSize));
        final long index = 3L * capacity + slot;
        constants.put("shmq::slick_queue::element_offset(" + capacity + ", " + elementSize + ", " + index + ")",
            SlickQueueDescriptor.dataOffset(capacity) + (index & (capacity - 1)) * elementSize);
        constants.put("shmq::zeroq::element_offset(" + capacity + ", " + elementSize + ", " + index + ")",
            ZeroqDescriptor.dataOffset(capacity) + (index & (capacity - 1)) * elementSize);
        constants.put("shmq::zeroq::HEADER_LENGTH", (long)ZeroqDescriptor.HEADER_LENGTH);
        constants.put("shmq::zeroq::CELL_LENGTH", (long)ZeroqDescriptor.CELL_LENGTH);
        constants.put("shmq::zeroq::MIN_CAPACITY", (long)ZeroqDescriptor.MIN_CAPACITY);
        constants.put("shmq::zeroq::cell_offset(" + slot + ")", (long)ZeroqDescriptor.cellOffset(slot));
        constants.put("shmq::zeroq::data_offset(" + capacity + ")", (long)ZeroqDescriptor.dataOffset(capacity));
        constants.put("shmq::zeroq::total_length(" + capacity + ", " + elementSize + ")",
            (long)ZeroqDescriptor.totalLength(capacity, elementSize));
        return constants;
    }

    private static Path createTempDirectory()
    {
        try
        {
            return Files.createTempDirectory("shmq-layout-include-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a temporary include directory", ex);
        }
    }

    private static void deleteRecursively(final Path root)
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(LayoutReport::deleteQuietly);
        }
        catch (final IOException ignore)
        {
            // a leftover temp directory is harmless
        }
    }

    private static void deleteQuietly(final Path path)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ignore)
        {
            // a leftover temp file is harmless
        }
    }
}
