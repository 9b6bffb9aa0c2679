package dev.shmq.perf.jmh;

import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A consumer thread's scratch: where it copies a message to, its own SlickQueue cursor and entry.
 */
@State(Scope.Thread)
public class ConsumerState
{
    final UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
    final SlickCursor cursor = new SlickCursor();
    final SlickEntry entry = new SlickEntry();
    long sink;
}
