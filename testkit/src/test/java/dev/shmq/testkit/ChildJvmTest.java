package dev.shmq.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildJvmTest
{
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NEVER_COMING = Duration.ofMillis(300);

    @Test
    void shouldSeeHandshakeLineAndFollowSteps()
    {
        try (ChildProcess child = ChildJvm.mainClass(ChildMain.class).args("handshake").start())
        {
            final String ready = child.awaitLine(Pattern.compile("^READY (\\d+)$"), HANDSHAKE_TIMEOUT);
            assertEquals("READY " + child.pid(), ready);

            child.send("ECHO step one");
            assertEquals("step one", child.awaitLine("step", HANDSHAKE_TIMEOUT));
            child.send("EXIT 7");

            assertEquals(7, child.waitFor(HANDSHAKE_TIMEOUT));
            assertEquals("READY " + child.pid() + "\nstep one\n", child.stdout());
        }
    }

    @Test
    void shouldTimeOutWhenLineNeverComesAndKillOnClose()
    {
        final ChildProcess child = ChildJvm.mainClass(ChildMain.class).args("silent").start();
        try (child)
        {
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> child.awaitLine("READY", NEVER_COMING));
            assertTrue(ex.getMessage().startsWith("no line matching /^\\QREADY\\E/ from ChildMain within"),
                ex.getMessage());
            assertTrue(child.isAlive());
        }
        assertFalse(child.isAlive());
    }

    @Test
    void shouldReportEarlyExitWithOutput()
    {
        try (ChildProcess child = ChildJvm.mainClass(ChildMain.class).args("fail").start())
        {
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> child.awaitLine("READY", HANDSHAKE_TIMEOUT));
            final String message = ex.getMessage();
            assertTrue(message.contains("closed stdout before printing a line matching"), message);
            assertTrue(message.contains(" exit=" + ChildMain.FAIL_EXIT_CODE), message);
            assertTrue(message.contains("--- stdout ---\nstarting\n"), message);
            assertTrue(message.contains("--- stderr ---\nboom: cannot open segment\n"), message);
        }
    }

    @Test
    void shouldObserveSigkill()
    {
        try (ChildProcess child = ChildJvm.mainClass(ChildMain.class).args("handshake").start())
        {
            child.awaitLine("READY", HANDSHAKE_TIMEOUT);

            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, child.kill());
            assertFalse(child.isAlive());
            assertThrows(IllegalStateException.class, () -> child.send("ECHO too late"));
        }
    }

    @Test
    void shouldKillChildThatOutlivesWaitFor()
    {
        try (ChildProcess child = ChildJvm.mainClass(ChildMain.class).args("silent").start())
        {
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> child.waitFor(NEVER_COMING));
            assertTrue(ex.getMessage().startsWith("ChildMain did not exit within"), ex.getMessage());
            assertFalse(child.isAlive());
        }
    }

    @Test
    void shouldPutCommandPrefixBeforeJava()
    {
        final ChildJvm jvm = ChildJvm.mainClass(ChildMain.class).commandPrefix(List.of("nice", "-n", "5"));

        assertEquals(List.of("nice", "-n", "5"), jvm.command().subList(0, 3));
        assertTrue(jvm.command().get(3).endsWith("/bin/java"), jvm.command()::toString);
        assertEquals(List.of("nice"), jvm.commandPrefix(List.of("nice")).command().subList(0, 1));
        assertTrue(jvm.commandPrefix(List.of()).command().get(0).endsWith("/bin/java"));
    }

    @Test
    void shouldKeepPidOfJvmStartedUnderExecingPrefix()
    {
        // nice execs its command, as ip netns exec does: the child's pid is the JVM's own
        try (ChildProcess child = ChildJvm.mainClass(ChildMain.class).commandPrefix(List.of("nice", "-n", "1"))
            .args("handshake").start())
        {
            assertEquals("READY " + child.pid(), child.awaitLine("READY", HANDSHAKE_TIMEOUT));
            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, child.kill());
        }
    }

    @Test
    void shouldPassAgronaOptionsToChild()
    {
        final ChildJvm jvm = ChildJvm.mainClass(ChildMain.class);

        assertTrue(jvm.command().contains(ChildJvm.STRICT_ALIGNMENT_OPTION));
        assertTrue(jvm.command().contains("java.base/java.nio=ALL-UNNAMED"));
        assertEquals(System.getProperty("java.class.path"), jvm.command().get(jvm.command().indexOf("-cp") + 1));
    }
}
