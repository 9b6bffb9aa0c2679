package dev.shmq.layout;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlyweightNamesTest
{
    @Test
    void shouldMapSnakeAndCamelCaseToJavaNames()
    {
        assertEquals("timestampNanos", FlyweightNames.camel("timestamp_nanos"));
        assertEquals("TimestampNanos", FlyweightNames.pascal("timestamp_nanos"));
        assertEquals("TIMESTAMP_NANOS", FlyweightNames.constant("timestamp_nanos"));
        assertEquals("TIMESTAMP_NANOS", FlyweightNames.constant("timestampNanos"));
        assertEquals("AI32", FlyweightNames.pascal("a_i32"));
        assertEquals("A_I32", FlyweightNames.constant("a_i32"));
        assertEquals("pad", FlyweightNames.camel("_pad"));
        assertEquals("PAD", FlyweightNames.constant("_pad_"));
        assertEquals("HTTP2_PORT", FlyweightNames.constant("http2Port"));
    }
}
