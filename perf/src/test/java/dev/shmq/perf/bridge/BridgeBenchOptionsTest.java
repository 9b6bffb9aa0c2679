package dev.shmq.perf.bridge;

import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeBenchOptionsTest
{
    @Test
    void shouldDefaultToBothScenariosAndDeriveCountsFromThePayload()
    {
        final BridgeBenchOptions options = BridgeBenchOptions.parse();

        assertTrue(options.throughput && options.latency);
        assertEquals(List.of(64, 1024), options.payloads);
        assertEquals(10_000_000, options.count(64));
        assertEquals(1_500_000, options.count(1024));
        assertEquals(375_000, options.warmup(1024), "a quarter of the count");
        assertEquals(20_000, options.latencyWarmup(), "two seconds at 10,000 msg/s");
    }

    @Test
    void shouldParseSpaceAndEqualsForms()
    {
        final BridgeBenchOptions options = BridgeBenchOptions.parse("--runs", "2", "--payloads=64,4096",
            "--count", "4000", "--warmup=0", "--scenarios", "latency", "--capacity", "1024", "--out", "/tmp/b");

        assertEquals(2, options.runs);
        assertEquals(List.of(64, 4096), options.payloads);
        assertEquals(4000, options.count(64));
        assertEquals(0, options.warmup(64));
        assertFalse(options.throughput);
        assertTrue(options.latency);
        assertEquals(1024, options.capacity);
        assertEquals(Paths.get("/tmp/b"), options.out);
    }

    @Test
    void shouldNameTheOptionAndWhatItExpectsInEveryRefusal()
    {
        assertEquals("--capacity=1000 (expected a power of two, at least 2)", refusal("--capacity", "1000"));
        assertEquals("--count=0 (expected at least 1)", refusal("--count", "0"));
        assertEquals("--scenarios=paced (expected tp or latency)", refusal("--scenarios", "paced"));
        assertTrue(refusal("--payloads", "8").startsWith("--payloads=8 (expected 16 to 65536 bytes"),
            refusal("--payloads", "8"));
        assertTrue(refusal("--rate", "fast").contains("fast"), refusal("--rate", "fast"));
        assertTrue(refusal("--nope").contains("--nope"), refusal("--nope"));
        assertTrue(BridgeBenchOptions.parse("--help").help);
        assertTrue(BridgeBenchOptions.usage().contains("--latency-payload=N"), BridgeBenchOptions.usage());
    }

    private static String refusal(final String... args)
    {
        return assertThrows(IllegalArgumentException.class, () -> BridgeBenchOptions.parse(args)).getMessage();
    }
}
