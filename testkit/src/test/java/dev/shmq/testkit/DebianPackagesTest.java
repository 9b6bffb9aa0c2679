package dev.shmq.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DebianPackagesTest
{
    private static final String MISSING_COMMAND = "shmq-no-such-command";
    private static final String MISSING_PACKAGE = "shmq-no-such-package";

    @Test
    void shouldFindPresentCommandWithoutRunningApt(@TempDir final Path directory) throws IOException
    {
        final Path log = directory.resolve("apt.log");
        final Path sh = DebianPackages.require("sh", "dash", fakeAptGet(directory, log).toString());

        assertTrue(sh.isAbsolute() && Files.isExecutable(sh), sh::toString);
        assertEquals(sh, DebianPackages.require("sh", "dash"));
        assertEquals(sh, DebianPackages.find("sh").orElseThrow());
        assertFalse(Files.exists(log));
    }

    @Test
    void shouldUpdateInstallAndNameEverythingWhenCommandStaysMissing(@TempDir final Path directory)
        throws IOException
    {
        final Path log = directory.resolve("apt.log");
        final Path aptGet = fakeAptGet(directory, log);

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> DebianPackages.require(MISSING_COMMAND, MISSING_PACKAGE, aptGet.toString()));

        final String message = ex.getMessage();
        assertTrue(message.startsWith("command=" + MISSING_COMMAND + " is missing after installing package=" +
            MISSING_PACKAGE + " (expected the package to provide it"), message);
        assertTrue(message.contains(" update: exit=100, last lines:\n  Reading package lists...\n"), message);
        assertTrue(message.contains(" install -y --no-install-recommends " + MISSING_PACKAGE + ": exit=100"),
            message);
        assertTrue(message.endsWith("  E: Unable to locate package " + MISSING_PACKAGE), message);
        assertEquals(List.of(
            "frontend=noninteractive -o DPkg::Lock::Timeout=120 update",
            "frontend=noninteractive -o DPkg::Lock::Timeout=120 install -y --no-install-recommends " +
                MISSING_PACKAGE),
            Files.readAllLines(log));
    }

    @Test
    void shouldSayWhenAptGetCannotRun()
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> DebianPackages.require(MISSING_COMMAND, MISSING_PACKAGE, "/nonexistent/apt-get"));

        assertTrue(ex.getMessage().contains("cannot run (expected a Debian system with apt-get)"), ex.getMessage());
    }

    @Test
    void shouldRejectNamesThatAreNotPlain()
    {
        assertThrows(IllegalArgumentException.class, () -> DebianPackages.require("/usr/sbin/nft", "nftables"));
        assertThrows(IllegalArgumentException.class, () -> DebianPackages.require("nft", "nftables; true"));
        assertThrows(IllegalArgumentException.class, () -> DebianPackages.require("", "nftables"));
        assertFalse(DebianPackages.find(MISSING_COMMAND).isPresent());
    }

    /** @return an apt-get that logs its arguments and fails as apt-get does for an unknown package. */
    private static Path fakeAptGet(final Path directory, final Path log) throws IOException
    {
        final Path script = directory.resolve("apt-get");
        Files.writeString(script, "#!/bin/sh\n" +
            "echo \"frontend=$DEBIAN_FRONTEND $*\" >> '" + log + "'\n" +
            "echo 'Reading package lists...'\n" +
            "echo \"E: Unable to locate package " + MISSING_PACKAGE + "\" >&2\n" +
            "exit 100\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
