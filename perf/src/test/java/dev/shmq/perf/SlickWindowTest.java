package dev.shmq.perf;

import dev.shmq.core.ShmSegments;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmTestExtension.class)
class SlickWindowTest
{
    private static final int WINDOW = 4;

    @Test
    void shouldHoldTheProducerBackUntilTheConsumersReportProgress(final ShmTestNames names)
    {
        final String name = names.next("window");
        try (BenchControl control = BenchControl.create(name))
        {
            final SlickWindow window = new SlickWindow(control, 1, WINDOW);
            assertTrue(window.mayReserve(WINDOW));
            window.reservedTo(WINDOW);

            assertFalse(window.mayReserve(1), "a whole window outstanding");
            assertFalse(window.mayReserve(1), "still, with no report");
            control.received(0, 1);
            assertTrue(window.mayReserve(1), "one reported received");
        }
        finally
        {
            ShmSegments.in(names.directory()).remove(name, true);
        }
    }

    @Test
    void shouldWriteOffWhatConsumersLostOnceTheirReportsStandStill(final ShmTestNames names)
    {
        final String name = names.next("window-loss");
        try (BenchControl control = BenchControl.create(name))
        {
            final SlickWindow window = new SlickWindow(control, 1, WINDOW);
            window.reservedTo(WINDOW);
            control.received(0, 2);
            assertTrue(window.mayReserve(2));
            window.reservedTo(WINDOW + 2);
            assertFalse(window.mayReserve(1), "held back: two of six received, the rest lost in a lossy queue");

            // a run of a fixed count ended here for good before: the consumers never report the lost entries
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean reopened = false;
            while (!reopened && System.nanoTime() - deadline < 0)
            {
                reopened = window.mayReserve(1);
            }
            assertTrue(reopened, "the window reopens once reports stood still for the loss timeout");
            window.reservedTo(WINDOW + 2 + WINDOW);
            assertFalse(window.mayReserve(1), "and the next window is held back again");
            control.received(0, 3);
            assertTrue(window.mayReserve(1), "progress counts on top of what was written off");
        }
        finally
        {
            ShmSegments.in(names.directory()).remove(name, true);
        }
    }
}
