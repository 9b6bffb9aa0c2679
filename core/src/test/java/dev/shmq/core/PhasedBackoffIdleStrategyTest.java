package dev.shmq.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhasedBackoffIdleStrategyTest
{
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void shouldSpinWhileWithinSpinPhase()
    {
        final PhasedBackoffIdleStrategy idle = new PhasedBackoffIdleStrategy(HOUR, HOUR, 1, 2);
        for (int i = 0; i < 1000; i++)
        {
            idle.idle();
        }
        assertEquals("spin", idle.phase());
    }

    @Test
    void shouldYieldAfterSpinPhase()
    {
        final PhasedBackoffIdleStrategy idle = new PhasedBackoffIdleStrategy(0, HOUR, 1, 2);
        idle.idle();
        assertEquals("yield", idle.phase());
    }

    @Test
    void shouldParkWithoutSpinOrYieldAndStartAgainAfterReset()
    {
        final PhasedBackoffIdleStrategy idle = new PhasedBackoffIdleStrategy(0, 0, 1, 1_000);
        idle.idle();
        idle.idle();
        assertEquals("park", idle.phase());
        idle.idle(1);
        assertEquals("spin", idle.phase(), "work resets the phases");
    }

    @Test
    void shouldRejectInvertedParkBoundsNamingValues()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new PhasedBackoffIdleStrategy(0, 0, 10, 5));
        assertTrue(ex.getMessage().contains("minParkNanos=10, maxParkNanos=5"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PhasedBackoffIdleStrategy(-1, 0, 1, 1));
    }
}
