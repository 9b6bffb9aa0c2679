package dev.shmq.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proves {@link CStruct} declarations against a real C++ compiler (g++ by default).
 *
 * <p>The checker writes one translation unit that {@code static_assert}s, for every member, its {@code offsetof},
 * its {@code sizeof} and its kind (width, signedness, atomicity), and for every struct its {@code sizeof} and
 * {@code alignof}, then compiles it with {@code -std=c++20 -fsyntax-only}. Each check is a template instantiation
 * {@code shmq_check<Id, Expected, Actual>}, so a failing check makes g++ print its own number beside Java's;
 * the checker maps the id back to the struct and member and throws a {@link LayoutMismatchException} naming both
 * numbers. One compiler run covers any number of structs: batch them.
 *
 * <p>Two ways to check:
 * <ul>
 *     <li>{@link #verify(CStruct...)} declares the structs in C++ from the Java declarations
 *     ({@link CppStructGenerator}): does Java lay them out as g++ does?</li>
 *     <li>{@link #verifyAgainstHeader(String, String, CStruct)} includes a header a C++ peer compiles and checks
 *     its type: does the peer's struct match the Java declaration, member by member (by name)?</li>
 * </ul>
 *
 * <p>A missing compiler is an {@link IllegalStateException}, never a silent pass. Instances are immutable.
 */
public final class CppLayoutChecker
{
    /** System property naming the compiler to run instead of {@link #DEFAULT_COMPILER}. */
    public static final String COMPILER_PROPERTY = "shmq.cxx";

    /** The compiler run when {@link #COMPILER_PROPERTY} is not set. */
    public static final String DEFAULT_COMPILER = "g++";

    /** How long one compiler run may take before it is killed and the check fails. */
    public static final long COMPILE_TIMEOUT_SECONDS = 120;

    /**
     * The flags every check compiles with. {@code -Wno-invalid-offsetof}: {@code std::atomic} members may make a
     * struct non-standard-layout, where {@code offsetof} is conditionally supported (g++ supports it).
     */
    public static final List<String> COMPILER_FLAGS = List.of(
        "-std=c++20", "-fsyntax-only", "-Wno-invalid-offsetof", "-fdiagnostics-color=never");

    private static final String GENERATED_NAMESPACE = "shmq_generated";
    private static final String NO_FIELD = "";
    private static final Pattern CHECK_INSTANTIATION =
        Pattern.compile("shmq_check<(\\d+)[uUlL]*,\\s*(\\d+)[uUlL]*,\\s*(\\d+)[uUlL]*>");
    private static final Pattern ERROR_LINE =
        Pattern.compile("^(.*?):(\\d+):(?:\\d+:)? (?:fatal )?error: (.*)$", Pattern.MULTILINE);
    private static final int MAX_DIAGNOSTICS_IN_MESSAGE = 8_000;

    private final String compiler;
    private final List<Path> includeDirectories;

    /**
     * A checker that runs {@link #DEFAULT_COMPILER} from the {@code PATH}, or the compiler named by the system
     * property {@link #COMPILER_PROPERTY}, with no extra include directories.
     */
    public CppLayoutChecker()
    {
        this(System.getProperty(COMPILER_PROPERTY, DEFAULT_COMPILER), List.of());
    }

    /**
     * A checker that runs the given compiler.
     *
     * @param compiler           a g++-compatible compiler: a name on the {@code PATH} or a path.
     * @param includeDirectories directories passed as {@code -I}, searched by {@code #include} directives.
     */
    public CppLayoutChecker(final String compiler, final List<Path> includeDirectories)
    {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.includeDirectories = List.copyOf(includeDirectories);
    }

    /**
     * A checker like this one that also searches a directory for {@code #include}s, such as the include root
     * {@link BundledHeaders#extract(Path)} returns.
     *
     * @param directory the include directory.
     * @return a new checker.
     */
    public CppLayoutChecker withIncludeDirectory(final Path directory)
    {
        final List<Path> directories = new ArrayList<>(includeDirectories);
        directories.add(directory);
        return new CppLayoutChecker(compiler, directories);
    }

    /**
     * The compiler this checker runs.
     *
     * @return the compiler's name or path.
     */
    public String compiler()
    {
        return compiler;
    }

    /**
     * Asks the compiler for its version ({@code -dumpfullversion}).
     *
     * @return e.g. {@code 12.2.0}.
     * @throws IllegalStateException if the compiler cannot be run.
     */
    public String compilerVersion()
    {
        final CompilerRun run = run(List.of(compiler, "-dumpfullversion"), null);
        if (0 != run.exitCode)
        {
            throw new IllegalStateException("compiler=" + compiler + " -dumpfullversion exit code=" + run.exitCode +
                " (expected 0): " + run.output);
        }
        return run.output.trim();
    }

    /**
     * Declares the structs (and the structs they nest) in C++ as {@link CppStructGenerator} writes them, and
     * checks that g++ lays every one out as Java does.
     *
     * @param structs the structs to check, all in one compiler run.
     * @throws LayoutMismatchException naming struct, member, Java's and g++'s numbers on the first mismatch.
     * @throws IllegalStateException   if the compiler is missing or rejects the source for another reason.
     */
    public void verify(final CStruct... structs)
    {
        final CheckSource source = new CheckSource();
        source.raw(CppStructGenerator.declarations(GENERATED_NAMESPACE, structs));
        for (final CStruct struct : CppStructGenerator.inDependencyOrder(structs))
        {
            source.structChecks(struct, GENERATED_NAMESPACE + "::" + struct.name(), false);
        }
        compile(source, "generated declarations of " + names(structs));
    }

    /**
     * Checks a struct a C++ header declares against a Java declaration, member by member (matched by name, nested
     * members by path), plus the struct's {@code sizeof} and {@code alignof}.
     *
     * @param includeDirective   {@code #include <a/b.h>}, or just {@code <a/b.h>}, {@code "a/b.h"} or {@code a/b.h};
     *                           resolved against {@link #withIncludeDirectory(Path) the include directories}.
     * @param cppQualifiedTypeName the struct's C++ name as seen after the include, e.g. {@code shmq::ZeroqHeader}.
     * @param struct             the Java declaration it must match.
     * @throws LayoutMismatchException naming struct, member, Java's and g++'s numbers on the first mismatch.
     * @throws IllegalStateException   if the compiler is missing or the header does not compile.
     */
    public void verifyAgainstHeader(
        final String includeDirective, final String cppQualifiedTypeName, final CStruct struct)
    {
        verifyAgainstHeader(includeDirective, Map.of(cppQualifiedTypeName, struct));
    }

    /**
     * As {@link #verifyAgainstHeader(String, String, CStruct)}, for a header given by its path.
     *
     * @param header               the header file.
     * @param cppQualifiedTypeName the struct's C++ name as seen after the include.
     * @param struct               the Java declaration it must match.
     * @throws LayoutMismatchException naming struct, member, Java's and g++'s numbers on the first mismatch.
     * @throws IllegalStateException   if the compiler is missing or the header does not compile.
     */
    public void verifyAgainstHeader(final Path header, final String cppQualifiedTypeName, final CStruct struct)
    {
        verifyAgainstHeader(includeOf(header), cppQualifiedTypeName, struct);
    }

    /**
     * Checks several structs one header declares, in one compiler run.
     *
     * @param includeDirective      the header, as for {@link #verifyAgainstHeader(String, String, CStruct)}.
     * @param structsByCppTypeName  each C++ qualified type name with the Java declaration it must match.
     * @throws LayoutMismatchException naming struct, member, Java's and g++'s numbers on the first mismatch.
     * @throws IllegalStateException   if the compiler is missing or the header does not compile.
     */
    public void verifyAgainstHeader(final String includeDirective, final Map<String, CStruct> structsByCppTypeName)
    {
        final CheckSource source = new CheckSource();
        source.raw(normaliseInclude(includeDirective) + "\n");
        for (final Map.Entry<String, CStruct> entry : new TreeMap<>(structsByCppTypeName).entrySet())
        {
            source.structChecks(entry.getValue(), entry.getKey(), true);
        }
        compile(source, structsByCppTypeName.keySet() + " in " + includeDirective);
    }

    /**
     * Checks the values of integral constant expressions a header defines, such as its magic number or lengths.
     *
     * @param includeDirective     the header, as for {@link #verifyAgainstHeader(String, String, CStruct)}.
     * @param expectedByExpression each C++ constant expression with the value Java has for it; negative values
     *                             are compared as unsigned 64-bit numbers, so {@code -1L} matches {@code ~0ull}.
     * @throws LayoutMismatchException naming the expression, Java's and g++'s values on the first mismatch.
     * @throws IllegalStateException   if the compiler is missing or the header does not compile.
     */
    public void verifyConstants(final String includeDirective, final Map<String, Long> expectedByExpression)
    {
        final CheckSource source = new CheckSource();
        source.raw(normaliseInclude(includeDirective) + "\n");
        for (final Map.Entry<String, Long> entry : new TreeMap<>(expectedByExpression).entrySet())
        {
            source.check(includeDirective, entry.getKey(), LayoutMismatchException.VALUE, entry.getValue(),
                "static_cast<std::size_t>(" + entry.getKey() + ")");
        }
        compile(source, "constants of " + includeDirective);
    }

    /**
     * The translation unit {@link #verify(CStruct...)} compiles, for reading or for compiling elsewhere.
     *
     * @param structs the structs to check.
     * @return C++ source.
     */
    public static String generatedCheckSource(final CStruct... structs)
    {
        final CheckSource source = new CheckSource();
        source.raw(CppStructGenerator.declarations(GENERATED_NAMESPACE, structs));
        for (final CStruct struct : CppStructGenerator.inDependencyOrder(structs))
        {
            source.structChecks(struct, GENERATED_NAMESPACE + "::" + struct.name(), false);
        }
        return source.text();
    }

    private void compile(final CheckSource source, final String what)
    {
        final Path sourceFile = createTempFile(".cpp");
        try
        {
            Files.writeString(sourceFile, source.text(), StandardCharsets.UTF_8);
            final List<String> command = new ArrayList<>();
            command.add(compiler);
            command.addAll(COMPILER_FLAGS);
            for (final Path directory : includeDirectories)
            {
                command.add("-I" + directory.toAbsolutePath());
            }
            command.add("-x");
            command.add("c++");
            command.add(sourceFile.toString());
            final CompilerRun run = run(command, what);
            if (0 != run.exitCode)
            {
                throw failure(source, sourceFile.toString(), run, what);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + sourceFile, ex);
        }
        finally
        {
            deleteQuietly(sourceFile);
        }
    }

    private RuntimeException failure(
        final CheckSource source, final String sourceName, final CompilerRun run, final String what)
    {
        final Map<Integer, Mismatch> mismatches = new TreeMap<>();
        final Matcher instantiation = CHECK_INSTANTIATION.matcher(run.output);
        while (instantiation.find())
        {
            final int id = Integer.parseInt(instantiation.group(1));
            if (id < source.checks.size())
            {
                mismatches.putIfAbsent(id, new Mismatch(
                    source.checks.get(id), Long.parseUnsignedLong(instantiation.group(3)), null));
            }
        }
        final List<String> otherErrors = new ArrayList<>();
        final Matcher error = ERROR_LINE.matcher(run.output);
        while (error.find())
        {
            final int line = Integer.parseInt(error.group(2));
            final boolean inSource = error.group(1).equals(sourceName);
            if (inSource && line == source.checkTemplateLine)
            {
                continue;
            }
            final Check check = inSource ? source.checksByLine.get(line) : null;
            if (null != check)
            {
                mismatches.putIfAbsent(check.id, new Mismatch(check, LayoutMismatchException.NOT_EVALUATED,
                    error.group(3)));
            }
            else
            {
                otherErrors.add(error.group(0));
            }
        }
        if (!otherErrors.isEmpty() || mismatches.isEmpty())
        {
            return new IllegalStateException("compiler=" + compiler + " rejected the layout check of " + what +
                " (exit code=" + run.exitCode + ", expected 0):\n" + truncate(run.output) +
                "\n--- source ---\n" + truncate(source.text()));
        }
        final StringBuilder message = new StringBuilder();
        message.append("C++ layout differs from the Java declaration (").append(mismatches.size())
            .append(mismatches.size() == 1 ? " mismatch" : " mismatches").append(", compiler=").append(compiler)
            .append("):");
        for (final Mismatch mismatch : mismatches.values())
        {
            message.append("\n  ").append(mismatch.describe(compiler));
        }
        final Mismatch first = mismatches.values().iterator().next();
        return new LayoutMismatchException(message.toString(), first.check.structName, first.check.field,
            first.check.property, first.check.expected, first.actual);
    }

    private CompilerRun run(final List<String> command, final String what)
    {
        final Path outputFile = createTempFile(".log");
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
            // ASCII quotes in diagnostics, whatever the user's locale.
            builder.environment().put("LC_ALL", "C");
            final Process process;
            try
            {
                process = builder.start();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("compiler=" + compiler + " cannot be run (expected g++ on the PATH " +
                    "or -D" + COMPILER_PROPERTY + "=<path to a g++-compatible compiler>; install g++ to check C++ " +
                    "layouts): " + ex.getMessage(), ex);
            }
            if (!process.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("compiler=" + compiler + " still running after " +
                    COMPILE_TIMEOUT_SECONDS + " s (expected to finish) while checking " + what);
            }
            return new CompilerRun(process.exitValue(), Files.readString(outputFile, StandardCharsets.UTF_8));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running compiler=" + compiler, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the output of compiler=" + compiler, ex);
        }
        finally
        {
            deleteQuietly(outputFile);
        }
    }

    private static java.io.File nullDevice()
    {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static Path createTempFile(final String suffix)
    {
        try
        {
            return Files.createTempFile("shmq-layout-check-", suffix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a temporary file for the layout check", ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // a leftover temp file is harmless; the check's outcome matters more
        }
    }

    private static String truncate(final String text)
    {
        return text.length() <= MAX_DIAGNOSTICS_IN_MESSAGE ?
            text : text.substring(0, MAX_DIAGNOSTICS_IN_MESSAGE) + "\n... (truncated)";
    }

    private static String names(final CStruct... structs)
    {
        final List<String> names = new ArrayList<>(structs.length);
        for (final CStruct struct : structs)
        {
            names.add(struct.name());
        }
        return names.toString();
    }

    static String includeOf(final Path header)
    {
        return "#include \"" + header.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") +
            "\"";
    }

    static String normaliseInclude(final String includeDirective)
    {
        final String trimmed = includeDirective.trim();
        if (trimmed.startsWith("#"))
        {
            return trimmed;
        }
        if (trimmed.startsWith("<") || trimmed.startsWith("\""))
        {
            return "#include " + trimmed;
        }
        return "#include \"" + trimmed + "\"";
    }

    private static final class CompilerRun
    {
        private final int exitCode;
        private final String output;

        private CompilerRun(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    private static final class Check
    {
        private final int id;
        private final String structName;
        private final String field;
        private final String property;
        private final long expected;

        private Check(final int id, final String structName, final String field, final String property,
            final long expected)
        {
            this.id = id;
            this.structName = structName;
            this.field = field;
            this.property = property;
            this.expected = expected;
        }
    }

    private static final class Mismatch
    {
        private final Check check;
        private final long actual;
        private final String compilerError;

        private Mismatch(final Check check, final long actual, final String compilerError)
        {
            this.check = check;
            this.actual = actual;
            this.compilerError = compilerError;
        }

        private String describe(final String compiler)
        {
            final String subject = LayoutMismatchException.VALUE.equals(check.property) ?
                "constant " + check.field :
                "struct=" + check.structName + (NO_FIELD.equals(check.field) ? "" : " field=" + check.field) + " " +
                check.property;
            if (null != compilerError)
            {
                return subject + ": Java=" + check.expected + ", " + compiler + " could not evaluate it: " +
                    compilerError;
            }
            if (LayoutMismatchException.TYPE.equals(check.property))
            {
                return subject + ": Java=" + CScalar.describeTypeCode(check.expected) + " (code " + check.expected +
                    "), " + compiler + "=" + CScalar.describeTypeCode(actual) + " (code " + actual + ")";
            }
            return subject + ": Java=" + Long.toUnsignedString(check.expected) + ", " + compiler + "=" +
                Long.toUnsignedString(actual);
        }
    }

    /** One translation unit under construction: a preamble, the declarations, and numbered checks. */
    private static final class CheckSource
    {
        private final StringBuilder text = new StringBuilder();
        private final List<Check> checks = new ArrayList<>();
        private final Map<Integer, Check> checksByLine = new LinkedHashMap<>();
        private int lines;
        private int checkTemplateLine;

        private CheckSource()
        {
            raw("#include <atomic>\n#include <cstddef>\n#include <cstdint>\n#include <type_traits>\n" +
                "#include <utility>\n\n");
            raw("// A failed check names Java's number (Expected) and g++'s (Actual) in the diagnostic.\n");
            raw("template<std::size_t Id, std::size_t Expected, std::size_t Actual>\n");
            checkTemplateLine = lines + 1;
            raw("struct shmq_check { static_assert(Expected == Actual, \"shmq layout mismatch\"); " +
                "static constexpr bool ok = true; };\n\n");
            raw("// size | 16 signed | 32 std::atomic | 64 plain char; 0 for anything that is not an integer.\n");
            raw("template<typename T> struct shmq_type_code : std::integral_constant<std::size_t, 0> {};\n");
            raw("template<typename T> requires std::is_integral_v<T> struct shmq_type_code<T>\n");
            raw("    : std::integral_constant<std::size_t, sizeof(T) | (std::is_signed_v<T> ? " +
                CScalar.CODE_SIGNED + " : 0) | (std::is_same_v<T, char> ? " + CScalar.CODE_CHAR + " : 0)> {};\n");
            raw("template<typename T> struct shmq_type_code<std::atomic<T>>\n");
            raw("    : std::integral_constant<std::size_t, shmq_type_code<T>::value | " + CScalar.CODE_ATOMIC +
                "> {};\n");
            raw("template<typename T, std::size_t N> struct shmq_type_code<T[N]> : shmq_type_code<T> {};\n\n");
        }

        private void raw(final String fragment)
        {
            text.append(fragment);
            for (int i = 0; i < fragment.length(); i++)
            {
                if ('\n' == fragment.charAt(i))
                {
                    lines++;
                }
            }
        }

        private void structChecks(final CStruct struct, final String cppType, final boolean recurse)
        {
            raw("\n// " + struct.name() + " as " + cppType + "\n");
            memberChecks(struct.name(), cppType, struct, "", 0, recurse);
            check(struct.name(), NO_FIELD, LayoutMismatchException.SIZEOF, struct.size(), "sizeof(" + cppType + ")");
            check(struct.name(), NO_FIELD, LayoutMismatchException.ALIGNOF, struct.alignment(),
                "alignof(" + cppType + ")");
        }

        private void memberChecks(
            final String structName,
            final String cppType,
            final CStruct struct,
            final String prefix,
            final long baseOffset,
            final boolean recurse)
        {
            for (final CField field : struct.fields())
            {
                final String path = prefix + field.name();
                final String member = "std::declval<" + cppType + "&>()." + path;
                check(structName, path, LayoutMismatchException.OFFSETOF, baseOffset + field.offset(),
                    "offsetof(" + cppType + ", " + path + ")");
                check(structName, path, LayoutMismatchException.SIZEOF, field.size(), "sizeof(" + member + ")");
                check(structName, path, LayoutMismatchException.TYPE,
                    field.type() instanceof CScalar ? ((CScalar)field.type()).typeCode() : 0,
                    "shmq_type_code<std::remove_cv_t<decltype(" + member + ")>>::value");
                if (recurse && field.type() instanceof CStruct)
                {
                    // The header names its nested types as it likes: reach their members through this struct.
                    memberChecks(structName, cppType, (CStruct)field.type(),
                        path + (field.isArray() ? "[0]." : "."), baseOffset + field.offset(), true);
                }
            }
        }

        private void check(
            final String structName, final String field, final String property, final long expected,
            final String actualExpression)
        {
            final Check check = new Check(checks.size(), structName, field, property, expected);
            checks.add(check);
            checksByLine.put(lines + 1, check);
            raw("static_assert(shmq_check<" + check.id + ", " + Long.toUnsignedString(expected) + "ull, " +
                actualExpression + ">::ok); // " + structName + " " + field + " " + property + "\n");
        }

        private String text()
        {
            return text.toString();
        }
    }
}
