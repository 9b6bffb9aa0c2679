package dev.shmq.perf.jmh;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A producer thread's scratch: the message it copies in.
 */
@State(Scope.Thread)
public class ProducerState
{
    final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    long sequence;
}
