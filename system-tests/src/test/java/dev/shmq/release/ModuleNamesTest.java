package dev.shmq.release;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every published jar, as the build just packaged it, names its module for users on the module path
 * ({@code Automatic-Module-Name}), and no two share a package (which the module path refuses).
 */
class ModuleNamesTest
{
    private static final Path ROOT = Path.of("..");
    private static final Map<String, String> MODULES = Map.of(
        "layout", "dev.shmq.layout",
        "core", "dev.shmq.core",
        "testkit", "dev.shmq.testkit",
        "bridge", "dev.shmq.bridge",
        "tools", "dev.shmq.tools");

    @Test
    void shouldNameTheModuleOfEveryPublishedJar() throws IOException
    {
        for (final Map.Entry<String, String> module : MODULES.entrySet())
        {
            try (JarFile jar = new JarFile(mainJar(module.getKey()).toFile()))
            {
                final String name = jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                assertEquals(module.getValue(), name, module.getKey());
            }
        }
    }

    @Test
    void shouldNotSplitAPackageBetweenTwoJars() throws IOException
    {
        final Map<String, String> owners = new HashMap<>();
        for (final String module : MODULES.keySet())
        {
            try (JarFile jar = new JarFile(mainJar(module).toFile()))
            {
                final List<String> packages = jar.stream()
                    .map(ZipEntry::getName)
                    .filter((name) -> name.endsWith(".class") && name.contains("/"))
                    .map((name) -> name.substring(0, name.lastIndexOf('/')))
                    .distinct()
                    .toList();
                for (final String name : packages)
                {
                    final String other = owners.putIfAbsent(name, module);
                    assertTrue(null == other || other.equals(module), name + " in " + module + " and " + other);
                }
            }
        }
    }

    private static Path mainJar(final String module) throws IOException
    {
        final Path target = ROOT.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target))
        {
            return files
                .filter((file) -> file.getFileName().toString().matches("shmq-" + module + "-[^-]+(-SNAPSHOT)?\\.jar"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no main jar of " + module + " in " + target));
        }
    }
}
