package dev.shmq.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Imports a struct from a C++ header as a {@link CStruct}, so the header stays the single source of truth and
 * Java (a {@link FlyweightGenerator flyweight}, a descriptor) follows it.
 *
 * <p>Two steps. The importer reads the header's plain structs (namespaces, {@code alignas}, fixed-width and
 * built-in integers with their LP64 widths, {@code char}, {@code std::atomic<integer>}, arrays with literal or
 * {@code constexpr} lengths, nested structs declared earlier, {@code using}/{@code typedef} aliases; member
 * functions, static members and {@code static_assert}s are skipped). Then it proves the result with
 * {@link CppLayoutChecker#verifyAgainstHeader(Path, String, CStruct)}: g++ compiles the header itself and checks
 * every member's offset, size and kind and the struct's size and alignment, so what the reading got wrong (a
 * macro, a {@code #pragma pack}, an attribute) fails the import instead of passing silently.
 *
 * <p>What CStruct cannot express fails with an {@link IllegalArgumentException} naming header, line, struct and
 * member: bit-fields, unions, pointers and references, templates other than {@code std::atomic}, floating point and
 * {@code bool}, base classes, virtual functions, multidimensional arrays, nested struct definitions.
 *
 * <pre>{@code
 * CStruct order = new HeaderImporter().importStruct(Path.of("include/md/order.h"), "md::Order");
 * FlyweightGenerator.write(Path.of("target/generated-sources/shmq"), order, "com.example.md", "Order");
 * }</pre>
 */
public final class HeaderImporter
{
    private final CppLayoutChecker checker;

    /** An importer that proves its results with a default {@link CppLayoutChecker} (g++ from the PATH). */
    public HeaderImporter()
    {
        this(new CppLayoutChecker());
    }

    /**
     * An importer that proves its results with the given checker (its compiler and include directories, for
     * headers that include others).
     *
     * @param checker the checker.
     */
    public HeaderImporter(final CppLayoutChecker checker)
    {
        this.checker = Objects.requireNonNull(checker, "checker");
    }

    /**
     * Reads a struct from a header and proves the declaration against g++.
     *
     * @param header     the header file.
     * @param structName the struct's C++ name, qualified ({@code md::Order}) or, if unique in the header, not.
     * @return the declaration, named by the struct's unqualified name, its nested structs included.
     * @throws IllegalArgumentException naming the struct and the member if the header has no such struct or it has
     *                                  something CStruct cannot express.
     * @throws LayoutMismatchException  if g++ lays the header's struct out differently from what was read.
     * @throws IllegalStateException    if g++ is missing or rejects the header.
     * @throws UncheckedIOException     if the header cannot be read.
     */
    public CStruct importStruct(final Path header, final String structName)
    {
        final String source;
        try
        {
            source = Files.readString(header, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read header=" + header, ex);
        }
        final HeaderParser parser = new HeaderParser(header.toString(), source).parse();
        final CStruct struct = parser.struct(structName);
        checker.verifyAgainstHeader(header, parser.qualifiedName(structName), struct);
        return struct;
    }
}
