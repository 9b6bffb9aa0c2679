package dev.shmq.testkit;

import dev.shmq.layout.BundledHeaders;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A C or C++ program compiled for a test (an interop peer written from the protocol spec), built once per content and
 * run as a {@link ChildProcess}.
 *
 * <p>The build is cached: a SHA-256 of the compiler, flags, sources, headers and every file under the include
 * directories names a directory under the build directory ({@link #DEFAULT_BUILD_DIRECTORY}, relative to the working
 * directory, which Maven sets to the module), and a later build with the same content reuses its executable. A build
 * compiles into a private directory and renames it into place, so concurrent builds of the same peer (parallel test
 * forks) are safe. Sources ending in {@code .c} alone are compiled with {@code gcc} and {@link #DEFAULT_C_FLAGS};
 * anything else with {@code g++} and {@link #DEFAULT_CXX_FLAGS}. Headers ({@code .h}, {@code .hpp}, {@code .hh},
 * {@code .hxx}, {@code .inc}) are hashed and, from the classpath, placed beside the sources, but not compiled.
 *
 * <pre>{@code
 * NativePeer peer = NativePeer.builder("slick_producer")
 *     .sourceResource("/peers/slick_producer.cpp")
 *     .includeDir(headers)
 *     .build();
 * try (ChildProcess child = peer.start(segmentName, "1000"))
 * {
 *     child.awaitLine("READY", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class NativePeer
{
    /** Flags for C++ unless told otherwise. */
    public static final List<String> DEFAULT_CXX_FLAGS =
        List.of("-O2", "-std=c++20", "-pthread", "-Wall", "-Wextra", "-Werror");

    /** Flags for C unless told otherwise. */
    public static final List<String> DEFAULT_C_FLAGS =
        List.of("-O2", "-std=c17", "-pthread", "-Wall", "-Wextra", "-Werror");

    /** Where executables are cached unless told otherwise, relative to the working directory. */
    public static final Path DEFAULT_BUILD_DIRECTORY = Paths.get("target", "native-peers");

    /** How long a compilation may take unless told otherwise. */
    public static final Duration DEFAULT_COMPILE_TIMEOUT = Duration.ofMinutes(2);

    private static final Set<String> HEADER_SUFFIXES = Set.of(".h", ".hpp", ".hh", ".hxx", ".inc");
    private static final int HASH_HEX_CHARS = 16;
    private static final String SOURCE_DIRECTORY = "src";
    private static final String COMPILE_LOG = "compile.log";

    private final String name;
    private final Path executable;
    private final boolean compiled;

    private NativePeer(final String name, final Path executable, final boolean compiled)
    {
        this.name = name;
        this.executable = executable;
        this.compiled = compiled;
    }

    /**
     * @param name the peer's name, used for the executable and messages: letters, digits, {@code _ . -}.
     * @return a builder with the defaults.
     * @throws IllegalArgumentException if the name holds other characters.
     */
    public static Builder builder(final String name)
    {
        if (null == name || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*"))
        {
            throw new IllegalArgumentException("name='" + name + "' (expected letters, digits, '_', '.', '-')");
        }
        return new Builder(name);
    }

    /** @return the peer's name. */
    public String name()
    {
        return name;
    }

    /** @return the compiled executable. */
    public Path executable()
    {
        return executable;
    }

    /** @return true if building this peer ran the compiler, false if the cached executable was reused. */
    public boolean wasCompiled()
    {
        return compiled;
    }

    /**
     * Runs the peer.
     *
     * @param args its command-line arguments.
     * @return the running child; close it (try-with-resources) so that it does not outlive the test.
     * @throws IllegalStateException if it cannot be started.
     */
    public ChildProcess start(final String... args)
    {
        return start(Arrays.asList(args), Map.of());
    }

    /**
     * Runs the peer with extra environment variables.
     *
     * @param args        its command-line arguments.
     * @param environment variables added to this JVM's environment.
     * @return the running child; close it (try-with-resources) so that it does not outlive the test.
     * @throws IllegalStateException if it cannot be started.
     */
    public ChildProcess start(final List<String> args, final Map<String, String> environment)
    {
        final List<String> command = new ArrayList<>(args.size() + 1);
        command.add(executable.toString());
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return ChildProcess.start(name, builder);
    }

    @Override
    public String toString()
    {
        return "NativePeer{name=" + name + ", executable=" + executable + ", compiled=" + compiled + '}';
    }

    /**
     * Collects the sources and options of a {@link NativePeer}, then compiles it or finds it in the cache.
     */
    public static final class Builder
    {
        private final String name;
        private final Map<String, String> resourceSources = new LinkedHashMap<>();
        private final List<Path> fileSources = new ArrayList<>();
        private final List<Path> includeDirs = new ArrayList<>();
        private final List<String> extraFlags = new ArrayList<>();
        private final List<String> linkFlags = new ArrayList<>();
        private List<String> flags;
        private String compiler;
        private Path buildDirectory = DEFAULT_BUILD_DIRECTORY;
        private Duration compileTimeout = DEFAULT_COMPILE_TIMEOUT;
        private boolean shmqLayoutHeaders;

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * Adds a source or header from the classpath. It is copied beside the other classpath sources, so that
         * {@code #include "x.h"} finds a header added the same way.
         *
         * @param resourcePath its path on the classpath, e.g. {@code "/dev/shmq/peers/producer.cpp"}.
         * @return this.
         * @throws IllegalArgumentException if another classpath source has the same file name.
         */
        public Builder sourceResource(final String resourcePath)
        {
            final String path = resourcePath.startsWith("/") ? resourcePath.substring(1) : resourcePath;
            final String fileName = path.substring(path.lastIndexOf('/') + 1);
            if (fileName.isEmpty() || null != resourceSources.putIfAbsent(fileName, path))
            {
                throw new IllegalArgumentException("resourcePath=" + resourcePath +
                    " (expected a file name not used by another classpath source)");
            }
            return this;
        }

        /**
         * Adds a source or header file, compiled where it is (so its own relative includes work).
         *
         * @param file the file.
         * @return this.
         */
        public Builder sourceFile(final Path file)
        {
            fileSources.add(file.toAbsolutePath());
            return this;
        }

        /**
         * Adds an include directory ({@code -I}); every file under it is part of the cache key.
         *
         * @param directory the directory.
         * @return this.
         */
        public Builder includeDir(final Path directory)
        {
            includeDirs.add(directory.toAbsolutePath());
            return this;
        }

        /**
         * Adds the shmq layout headers ({@code shmq/slick_queue_layout.h}, {@code shmq/zeroq_layout.h}) from the
         * {@code shmq-layout} jar as an include directory.
         *
         * @return this.
         */
        public Builder shmqLayoutHeaders()
        {
            shmqLayoutHeaders = true;
            return this;
        }

        /**
         * @param flags the compiler flags, replacing the defaults.
         * @return this.
         */
        public Builder flags(final String... flags)
        {
            this.flags = new ArrayList<>(Arrays.asList(flags));
            return this;
        }

        /**
         * @param flags compiler flags added after the defaults (or those given to {@link #flags(String...)}).
         * @return this.
         */
        public Builder addFlags(final String... flags)
        {
            extraFlags.addAll(Arrays.asList(flags));
            return this;
        }

        /**
         * @param flags flags placed after the sources, e.g. {@code -lrt}.
         * @return this.
         */
        public Builder linkFlags(final String... flags)
        {
            linkFlags.addAll(Arrays.asList(flags));
            return this;
        }

        /**
         * @param compiler the compiler command, instead of {@code g++} or {@code gcc}.
         * @return this.
         */
        public Builder compiler(final String compiler)
        {
            this.compiler = Objects.requireNonNull(compiler, "compiler");
            return this;
        }

        /**
         * @param directory where executables are cached; {@link #DEFAULT_BUILD_DIRECTORY} by default.
         * @return this.
         */
        public Builder buildDirectory(final Path directory)
        {
            this.buildDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * @param timeout how long a compilation may take; {@link #DEFAULT_COMPILE_TIMEOUT} by default.
         * @return this.
         */
        public Builder compileTimeout(final Duration timeout)
        {
            this.compileTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Compiles the peer, or reuses the executable of an earlier build with the same content.
         *
         * @return the peer.
         * @throws IllegalArgumentException if no source is compiled or a source cannot be found.
         * @throws IllegalStateException    with the compiler's output, if compilation fails or times out.
         */
        public NativePeer build()
        {
            final Map<String, byte[]> resources = readResources();
            final List<String> compiled = new ArrayList<>();
            resources.keySet().stream().filter((f) -> !isHeader(f)).forEach(compiled::add);
            fileSources.stream().map(Path::toString).filter((f) -> !isHeader(f)).forEach(compiled::add);
            if (compiled.isEmpty())
            {
                throw new IllegalArgumentException("sources of " + name + " (expected at least one .c or .cpp)");
            }
            final boolean c = compiled.stream().allMatch((f) -> f.endsWith(".c"));
            final String compilerCommand = null != compiler ? compiler : (c ? "gcc" : "g++");
            final List<String> allFlags =
                new ArrayList<>(null != flags ? flags : (c ? DEFAULT_C_FLAGS : DEFAULT_CXX_FLAGS));
            allFlags.addAll(extraFlags);

            final List<Path> includes = new ArrayList<>(includeDirs);
            if (shmqLayoutHeaders)
            {
                includes.add(extractShmqLayoutHeaders(buildDirectory.resolve("shmq-layout-headers")).toAbsolutePath());
            }

            final String hash = hash(compilerCommand, allFlags, resources, includes);
            final Path entry = buildDirectory.resolve(name + '-' + hash).toAbsolutePath();
            final Path executable = entry.resolve(name);
            if (Files.isRegularFile(executable, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(executable))
            {
                return new NativePeer(name, executable, false);
            }
            compileInto(entry, compilerCommand, allFlags, resources, includes);
            return new NativePeer(name, executable, true);
        }

        private void compileInto(
            final Path entry,
            final String compilerCommand,
            final List<String> allFlags,
            final Map<String, byte[]> resources,
            final List<Path> includes)
        {
            final Path staging = entry.resolveSibling(".tmp-" + name + '-' + UUID.randomUUID());
            try
            {
                final Path sources = Files.createDirectories(staging.resolve(SOURCE_DIRECTORY));
                final List<String> command = new ArrayList<>();
                command.add(compilerCommand);
                command.addAll(allFlags);
                includes.forEach((dir) -> command.add("-I" + dir));
                command.add("-o");
                command.add(staging.resolve(name).toString());
                for (final Map.Entry<String, byte[]> resource : resources.entrySet())
                {
                    final Path file = Files.write(sources.resolve(resource.getKey()), resource.getValue());
                    if (!isHeader(resource.getKey()))
                    {
                        command.add(file.toString());
                    }
                }
                fileSources.stream().filter((f) -> !isHeader(f.toString())).forEach((f) -> command.add(f.toString()));
                command.addAll(linkFlags);

                runCompiler(command, staging.resolve(COMPILE_LOG));
                publish(staging, entry);
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot build " + name + " in " + staging + ": " + ex, ex);
            }
            finally
            {
                deleteTree(staging);
            }
        }

        private void runCompiler(final List<String> command, final Path log) throws IOException
        {
            final ProcessBuilder builder = new ProcessBuilder(command);
            // plain ASCII diagnostics whatever the user's locale, so messages can be searched
            builder.environment().put("LC_ALL", "C");
            final Process process;
            try
            {
                process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot run compiler=" + command.get(0) + " for " + name +
                    " (expected it on the PATH): " + ex, ex);
            }
            process.getOutputStream().close();
            try
            {
                if (!process.waitFor(compileTimeout.toNanos(), TimeUnit.NANOSECONDS))
                {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException("compiling " + name + " took longer than " + compileTimeout +
                        ": " + String.join(" ", command) + '\n' + Files.readString(log));
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted compiling " + name, ex);
            }
            if (0 != process.exitValue())
            {
                throw new IllegalStateException("compiling " + name + " failed exit=" + process.exitValue() +
                    " (expected 0): " + String.join(" ", command) + '\n' + Files.readString(log));
            }
        }

        private static void publish(final Path staging, final Path entry) throws IOException
        {
            try
            {
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException ex)
            {
                // another build of the same content won the race: its executable is identical
                if (!Files.isDirectory(entry))
                {
                    throw ex;
                }
            }
        }

        private Map<String, byte[]> readResources()
        {
            final ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
            final ClassLoader loader = null != contextLoader ? contextLoader : NativePeer.class.getClassLoader();
            final Map<String, byte[]> contents = new LinkedHashMap<>();
            for (final Map.Entry<String, String> resource : resourceSources.entrySet())
            {
                try (InputStream in = loader.getResourceAsStream(resource.getValue()))
                {
                    if (null == in)
                    {
                        throw new IllegalArgumentException("resourcePath=" + resource.getValue() +
                            " (expected a resource on the classpath)");
                    }
                    contents.put(resource.getKey(), in.readAllBytes());
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException("cannot read resource " + resource.getValue() + ": " + ex, ex);
                }
            }
            return contents;
        }

        private String hash(
            final String compilerCommand,
            final List<String> allFlags,
            final Map<String, byte[]> resources,
            final List<Path> includes)
        {
            final MessageDigest digest = sha256();
            update(digest, "compiler", compilerCommand);
            allFlags.forEach((flag) -> update(digest, "flag", flag));
            linkFlags.forEach((flag) -> update(digest, "link", flag));
            resources.forEach((fileName, content) -> update(digest, "resource:" + fileName, content));
            for (final Path file : fileSources)
            {
                update(digest, "file:" + file, readFile(file));
            }
            for (final Path dir : includes)
            {
                update(digest, "include", dir.toString());
                for (final Path file : filesUnder(dir))
                {
                    update(digest, "header:" + dir.relativize(file), readFile(file));
                }
            }
            final StringBuilder hex = new StringBuilder(HASH_HEX_CHARS);
            for (final byte b : digest.digest())
            {
                if (hex.length() == HASH_HEX_CHARS)
                {
                    break;
                }
                hex.append(String.format(Locale.ROOT, "%02x", b));
            }
            return hex.toString();
        }

        private static List<Path> filesUnder(final Path dir)
        {
            if (!Files.isDirectory(dir))
            {
                throw new IllegalArgumentException("includeDir=" + dir + " (expected a directory)");
            }
            try (Stream<Path> files = Files.walk(dir))
            {
                return files.filter((f) -> Files.isRegularFile(f)).sorted().collect(Collectors.toList());
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot list includeDir=" + dir + ": " + ex, ex);
            }
        }

        private static byte[] readFile(final Path file)
        {
            try
            {
                return Files.readAllBytes(file);
            }
            catch (final IOException ex)
            {
                throw new IllegalArgumentException("source=" + file + " (expected a readable file): " + ex, ex);
            }
        }

        private static MessageDigest sha256()
        {
            try
            {
                return MessageDigest.getInstance("SHA-256");
            }
            catch (final NoSuchAlgorithmException ex)
            {
                throw new IllegalStateException("SHA-256 unavailable", ex);
            }
        }

        private static void update(final MessageDigest digest, final String label, final String value)
        {
            update(digest, label, value.getBytes(StandardCharsets.UTF_8));
        }

        private static void update(final MessageDigest digest, final String label, final byte[] value)
        {
            // length-prefixed fields: no two different inputs hash the same bytes
            final byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
            digest.update(lengthBytes(labelBytes.length));
            digest.update(labelBytes);
            digest.update(lengthBytes(value.length));
            digest.update(value);
        }

        private static byte[] lengthBytes(final int length)
        {
            return new byte[]{ (byte)(length >>> 24), (byte)(length >>> 16), (byte)(length >>> 8), (byte)length };
        }

        private static boolean isHeader(final String fileName)
        {
            final int dot = fileName.lastIndexOf('.');
            return dot >= 0 && HEADER_SUFFIXES.contains(fileName.substring(dot));
        }

        private static void deleteTree(final Path root)
        {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS))
            {
                return;
            }
            try (Stream<Path> paths = Files.walk(root))
            {
                final List<Path> all = paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
                for (final Path path : all)
                {
                    Files.deleteIfExists(path);
                }
            }
            catch (final IOException ex)
            {
                // a leftover staging directory under target/ is harmless
            }
        }

        private static Path extractShmqLayoutHeaders(final Path directory)
        {
            return BundledHeaders.extract(directory);
        }
    }
}
