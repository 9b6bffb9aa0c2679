package dev.shmq.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativePeerTest
{
    private static final String PEER_SOURCE = "/dev/shmq/testkit/handshake_peer.cpp";
    private static final String PEER_HEADER = "/dev/shmq/testkit/handshake_peer.h";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void shouldHandshakeWithCompiledPeer()
    {
        final NativePeer peer = NativePeer.builder("handshake_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .build();

        try (ChildProcess child = peer.start())
        {
            assertEquals("READY " + child.pid(), child.awaitLine("READY", TIMEOUT));
            child.send("ECHO hello");
            assertEquals("hello", child.awaitLine("hello", TIMEOUT));
            child.send("EXIT 5");
            assertEquals(5, child.waitFor(TIMEOUT));
        }
    }

    @Test
    void shouldObserveSigkillOfPeer()
    {
        final NativePeer peer = NativePeer.builder("handshake_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .build();

        try (ChildProcess child = peer.start())
        {
            child.awaitLine("READY", TIMEOUT);
            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, child.kill());
        }
    }

    @Test
    void shouldReuseCachedExecutableOnSecondBuild(@TempDir final Path buildDirectory) throws IOException
    {
        final NativePeer first = NativePeer.builder("cached_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .buildDirectory(buildDirectory)
            .build();
        final FileTime builtAt = Files.getLastModifiedTime(first.executable());

        final NativePeer second = NativePeer.builder("cached_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .buildDirectory(buildDirectory)
            .build();

        assertTrue(first.wasCompiled());
        assertFalse(second.wasCompiled());
        assertEquals(first.executable(), second.executable());
        assertEquals(builtAt, Files.getLastModifiedTime(second.executable()));
    }

    @Test
    void shouldRebuildWhenFlagsChange(@TempDir final Path buildDirectory)
    {
        final NativePeer first = NativePeer.builder("flagged_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .buildDirectory(buildDirectory)
            .flags("-O0", "-std=c++20")
            .build();
        final NativePeer second = NativePeer.builder("flagged_peer")
            .sourceResource(PEER_SOURCE)
            .sourceResource(PEER_HEADER)
            .buildDirectory(buildDirectory)
            .flags("-O1", "-std=c++20")
            .build();

        assertTrue(second.wasCompiled());
        assertFalse(first.executable().equals(second.executable()));
    }

    @Test
    void shouldReportCompilerDiagnostic(@TempDir final Path dir) throws IOException
    {
        final Path source =
            Files.writeString(dir.resolve("broken.cpp"), "int main()\n{\n    return undeclared_thing;\n}\n");
        final NativePeer.Builder builder = NativePeer.builder("broken").sourceFile(source).buildDirectory(dir);

        final IllegalStateException ex = assertThrows(IllegalStateException.class, builder::build);

        assertTrue(ex.getMessage().startsWith("compiling broken failed exit=1"), ex.getMessage());
        assertTrue(ex.getMessage().contains("'undeclared_thing' was not declared in this scope"), ex.getMessage());
    }

    @Test
    void shouldCompileCWithGcc(@TempDir final Path dir) throws IOException
    {
        final Path source = Files.writeString(dir.resolve("hello.c"),
            "#include <stdio.h>\nint main(void)\n{\n    puts(\"READY c\");\n    return 0;\n}\n");
        final NativePeer peer = NativePeer.builder("hello_c").sourceFile(source).buildDirectory(dir).build();

        try (ChildProcess child = peer.start())
        {
            assertEquals("READY c", child.awaitLine("READY", TIMEOUT));
            assertEquals(0, child.waitFor(TIMEOUT));
        }
    }

    @Test
    void shouldRejectMissingResource()
    {
        final NativePeer.Builder builder = NativePeer.builder("missing").sourceResource("/no/such/peer.cpp");

        assertThrows(IllegalArgumentException.class, builder::build);
    }
}
