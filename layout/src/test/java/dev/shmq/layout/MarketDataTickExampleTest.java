package dev.shmq.layout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketDataTickExampleTest
{
    // README example: between the tags
    @Test
    void shouldShareAMarketDataTickWithCpp()
    {
        // tag::layout-tick[]
        // The struct a C++ feed handler writes into shared memory, declared in Java.
        final CStruct tick = CStruct.builder("MarketDataTick")
            .structAlignas(64)                // one tick per cache line
            .atomicU64("sequence")            // seqlock: odd while the writer updates the tick
            .i64("timestamp_nanos")
            .chars("symbol", 12)
            .i32("price_ticks")
            .u32("quantity")
            .u8("side")                       // 'B' or 'S'
            .i64("exchange_nanos")            // 8-aligned: a 3-byte hole before it
            .build();

        System.out.println(tick);             // pahole-style table: offsets, sizes, the hole, the padding

        // Offsets for an Agrona buffer come from the declaration, not from magic numbers.
        assertEquals(28, tick.offsetOf("price_ticks"));
        assertEquals(40, tick.offsetOf("exchange_nanos"));
        assertEquals(64, tick.size());

        final CppLayoutChecker gpp = new CppLayoutChecker();
        gpp.verify(tick);                     // g++ lays the same declaration out the same way
        // and the C++ peer's own header matches it, member by member:
        gpp.verifyAgainstHeader(Path.of("src/test/resources/cpp/market_data_tick.h"), "md::MarketDataTick", tick);
        // end::layout-tick[]
    }

    @Test
    void shouldGenerateAFlyweightFromTheCppHeader(@TempDir final Path work) throws Exception
    {
        // tag::layout-flyweight[]
        // The C++ header is the single source of truth: read the struct from it (g++ proves what was read) ...
        final CStruct tick = new HeaderImporter().importStruct(
            Path.of("src/test/resources/cpp/market_data_tick.h"), "md::MarketDataTick");

        // ... and generate a flyweight over Agrona buffers: typed getters and setters at g++'s offsets.
        final Path source = FlyweightGenerator.write(
            Path.of("target/generated-test-sources/flyweights"), tick, "com.example.md", "MarketDataTick");
        // com/example/md/MarketDataTick.java: wrap(buffer, offset), getSequenceAcquire(), getSymbol(), ...
        // end::layout-flyweight[]

        assertEquals(64, tick.size());
        final Object flyweight = CompiledFlyweight.compile(work, Map.of("com.example.md.MarketDataTick",
            Files.readString(source))).newInstance("com.example.md.MarketDataTick");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        CompiledFlyweight.call(flyweight, "wrap", buffer, 64);
        CompiledFlyweight.call(flyweight, "putSymbol", "EURUSD");
        CompiledFlyweight.call(flyweight, "putPriceTicks", -42);
        assertEquals("EURUSD", CompiledFlyweight.call(flyweight, "getSymbol"));
        assertEquals(-42, buffer.getInt(64 + tick.offsetOf("price_ticks")));
        assertTrue(flyweight.toString().contains("symbol=\"EURUSD\", price_ticks=-42"), flyweight.toString());
    }
}
