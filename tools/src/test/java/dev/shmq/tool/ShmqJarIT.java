package dev.shmq.tool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The built {@code tools/target/shmq.jar} (after {@code package}, run by failsafe): it holds no test code, JUnit's
 * least of all, and runs with a plain {@code java -jar}, Agrona's flags coming from its manifest.
 */
class ShmqJarIT
{
    private static final List<String> TEST_CODE = List.of(
        "org/junit/", "org/opentest4j/", "org/apiguardian/", "dev/shmq/testkit/");
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    private static Path jar()
    {
        final String jar = System.getProperty("shmq.tool.jar");
        assertNotNull(jar, "-Dshmq.tool.jar (set by the tools pom)");
        final Path path = Paths.get(jar);
        assertTrue(Files.isRegularFile(path), path + " (expected the shaded jar, built by package)");
        return path;
    }

    @Test
    void shouldContainNoJUnitOrOtherTestClass() throws IOException
    {
        final List<String> testEntries = new ArrayList<>();
        try (JarFile jar = new JarFile(jar().toFile()))
        {
            jar.stream()
                .map(ZipEntry::getName)
                .filter((name) -> TEST_CODE.stream().anyMatch(name::startsWith))
                .forEach(testEntries::add);
            assertNotNull(jar.getEntry("picocli/CommandLine.class"), "picocli shaded in");
            assertNotNull(jar.getEntry("dev/shmq/core/ShmSegments.class"), "core shaded in");
        }
        assertEquals(List.of(), testEntries, "test code in " + jar());
    }

    @Test
    void shouldCarryMainClassAndAgronaFlagsInManifest() throws IOException
    {
        try (JarFile jar = new JarFile(jar().toFile()))
        {
            final Manifest manifest = jar.getManifest();
            final Attributes main = manifest.getMainAttributes();
            assertEquals(ShmqTool.class.getName(), main.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals("java.base/jdk.internal.misc", main.getValue("Add-Exports"));
            assertEquals(
                "java.base/jdk.internal.misc java.base/java.nio java.base/sun.nio.ch", main.getValue("Add-Opens"));
        }
    }

    @Test
    void shouldListInspectAndFailAsDocumentedWithPlainJavaJar() throws IOException, InterruptedException
    {
        final Path shm = Files.createDirectory(dir.resolve("shm"));
        Files.write(shm.resolve("garbage"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

        final Run list = run("--dir", shm.toString(), "list");
        assertEquals(ShmqTool.EXIT_OK, list.exitCode, list.toString());
        assertTrue(list.stdout.startsWith("NAME"), list.toString());
        assertTrue(list.stdout.lines().anyMatch((line) -> line.startsWith("garbage") && line.contains("unknown")),
            list.toString());

        final Run inspect = run("inspect", "garbage", "--dir", shm.toString());
        assertEquals(ShmqTool.EXIT_FAILURE, inspect.exitCode, inspect.toString());
        assertEquals(List.of("shmq: inspect: garbage: no SlickQueue or zeroq header matches length=9"),
            inspect.stderr.lines().toList(), inspect.toString());

        final Run usage = run("frobnicate");
        assertEquals(ShmqTool.EXIT_USAGE, usage.exitCode, usage.toString());
        assertEquals(List.of("shmq: unknown command 'frobnicate' (usage: shmq help)"), usage.stderr.lines().toList());

        final Run help = run("help");
        assertEquals(ShmqTool.EXIT_OK, help.exitCode, help.toString());
        assertTrue(help.stdout.startsWith("Usage: shmq "), help.toString());
    }

    private Run run(final String... args) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        final Path stdout = dir.resolve("stdout");
        final Path stderr = dir.resolve("stderr");
        final Process process = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail(command + " still running after " + TIMEOUT_SECONDS + " s");
        }
        return new Run(command, process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
            Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /**
     * One {@code java -jar shmq.jar ...}.
     *
     * @param command  the command line.
     * @param exitCode its exit code.
     * @param stdout   its standard output.
     * @param stderr   its standard error.
     */
    private record Run(List<String> command, int exitCode, String stdout, String stderr)
    {
        @Override
        public String toString()
        {
            return command + " exit=" + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
