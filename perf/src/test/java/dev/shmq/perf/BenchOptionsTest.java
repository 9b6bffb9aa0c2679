package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchOptionsTest
{
    @Test
    void shouldDefaultToEverySystemAndScenario()
    {
        final BenchOptions options = BenchOptions.parse();

        assertEquals(EnumSet.allOf(BenchSystem.class), options.systems);
        assertEquals(EnumSet.allOf(BenchOptions.Scenario.class), options.scenarios);
        assertEquals(List.of(8, 64, 1024, 65536, Payloads.FRAME), options.payloads);
        assertEquals(Runtime.getRuntime().availableProcessors() >= 2, options.pin, "pinned where there are 2 CPUs");
        assertEquals(7, options.runs);
        assertEquals(10, options.maxRounds);
        assertTrue(options.boundsChecksOn && options.boundsChecksOff);
        assertFalse(options.full);
    }

    @Test
    void shouldParseSpaceAndEqualsForms()
    {
        final BenchOptions options = BenchOptions.parse(
            "--systems", "shmq-slick,unix-socket", "--scenarios=tp,rtt", "--payloads", "8,64k,frame",
            "--duration-ms=250", "--count", "1000", "--no-pin", "--runs", "3", "--bounds-checks", "off",
            "--out", "/tmp/x", "--jvm-opt", "-Xmx1g",
            "--jvm-opt=-XX:+UseParallelGC");

        assertEquals(EnumSet.of(BenchSystem.SLICK, BenchSystem.UNIX_SOCKET), options.systems);
        assertEquals(EnumSet.of(BenchOptions.Scenario.TP, BenchOptions.Scenario.RTT), options.scenarios);
        assertEquals(List.of(8, 65536, Payloads.FRAME), options.payloads);
        assertEquals(250, options.durationMs);
        assertEquals(1000, options.count);
        assertFalse(options.pin);
        assertEquals(3, options.runs);
        assertEquals(6, options.maxRounds, "3 + 3");
        assertFalse(options.boundsChecksOn);
        assertTrue(options.boundsChecksOff);
        assertEquals(Paths.get("/tmp/x"), options.out);
        assertEquals(List.of("-Xmx1g", "-XX:+UseParallelGC"), options.jvmOptions);
    }

    @Test
    void shouldLengthenEverythingNotSetExplicitlyWithFull()
    {
        final BenchOptions options = BenchOptions.parse("--full", "--rtt-count", "7");

        assertTrue(options.full);
        assertEquals(3000, options.durationMs);
        assertEquals(1000, options.warmupMs);
        assertEquals(7, options.rttCount);
        assertEquals(1_000_000, options.pacedCount);
    }

    @Test
    void shouldRejectUnknownOptionsSystemsAndTinyPayloads()
    {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--nope", "1"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--systems", "kafka"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--payloads", "4"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--count", "0"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--count"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--runs", "many"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--bounds-checks", "maybe"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--idle", "nap"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--runs", "5", "--max-rounds", "4"));
    }

    @Test
    void shouldNameTheOptionAndWhatItExpectsInEveryRefusal()
    {
        assertEquals("--count=0 (expected at least 1)",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--count", "0")).getMessage());
        assertEquals("--warmup-ms=-1 (expected at least 0)",
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--warmup-ms=-1")).getMessage());
        final String notANumber =
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--runs", "many")).getMessage();
        assertTrue(notANumber.contains("--runs") && notANumber.contains("many"), notANumber);
        final String unknown =
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--nope", "1")).getMessage();
        assertTrue(unknown.contains("--nope"), unknown);
        final String missing =
            assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--count")).getMessage();
        assertTrue(missing.contains("--count"), missing);
    }

    @Test
    void shouldRecogniseHelp()
    {
        assertTrue(BenchOptions.parse("--help").help);
        final String usage = BenchOptions.usage();
        assertTrue(usage.contains("--systems") && usage.contains("--jvm-opt=OPT"), usage);
        for (final BenchSystem system : BenchSystem.values())
        {
            assertTrue(usage.contains(system.id()), "every system id is listed: " + system.id());
        }
    }
}
