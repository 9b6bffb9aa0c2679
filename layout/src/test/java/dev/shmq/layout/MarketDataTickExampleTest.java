package dev.shmq.layout;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
