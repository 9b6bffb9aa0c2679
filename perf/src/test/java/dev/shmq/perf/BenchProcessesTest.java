package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BenchProcessesTest
{
    @Test
    void shouldReadReadyAndResultAfterAPrintCompilationFragmentOnTheSameLine()
    {
        // -XX:+PrintCompilation writes its lines in pieces: a worker's line may land in the middle of one
        final String script = "echo '     12    3 %     4       READY'; read go; " +
            "echo '   1100  575       4       RESULT received=123 warmReceived=4'; " +
            "echo 'dev.shmq.perf.ZeroqEndpoints$Receiver::poll (63 bytes)   made not entrant'";
        try (ChildProcess child = ChildProcess.start("fragments", new ProcessBuilder("sh", "-c", script)))
        {
            BenchProcesses.awaitReady(child);
            child.send("GO");

            final Map<String, String> result = BenchProcesses.resultOf(child, Duration.ofSeconds(30));

            assertEquals(Map.of("received", "123", "warmReceived", "4"), result);
        }
    }
}
