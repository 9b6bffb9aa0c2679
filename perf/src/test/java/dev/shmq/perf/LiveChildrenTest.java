package dev.shmq.perf;

import dev.shmq.testkit.ChildProcess;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveChildrenTest
{
    @Test
    void shouldKillEveryChildStillRunningAndStartNoneAfterTheStop()
    {
        final LiveChildren children = new LiveChildren("test");
        final ChildProcess started = children.start("sleeper", LiveChildrenTest::sleeper);
        final ChildProcess handedOver = children.track(sleeper());
        final ChildProcess forgotten = children.start("forgotten", LiveChildrenTest::sleeper);
        children.forget(forgotten);
        try
        {
            children.stopAll();

            assertTrue(children.isStopping());
            assertFalse(started.isAlive(), "a child started through it is killed");
            assertFalse(handedOver.isAlive(), "a child handed over is killed");
            assertTrue(forgotten.isAlive(), "a child forgotten is its owner's to close");
            final AtomicInteger starts = new AtomicInteger();
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> children.start("late", () ->
                {
                    starts.incrementAndGet();
                    return sleeper();
                }));
            assertEquals("stopping: not starting late", refused.getMessage());
            assertEquals(0, starts.get(), "nothing is started once stopping");
            final ChildProcess late = sleeper();
            assertThrows(IllegalStateException.class, () -> children.track(late));
            assertFalse(late.isAlive(), "a child handed over once stopping is killed");
            children.stopAll();
        }
        finally
        {
            forgotten.close();
            started.close();
            handedOver.close();
        }
    }

    private static ChildProcess sleeper()
    {
        return ChildProcess.start("sleep", new ProcessBuilder("sleep", "60"));
    }
}
