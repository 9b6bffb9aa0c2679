package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterleavedRoundsTest
{
    private final List<String> ran = new ArrayList<>();
    private final Map<String, InterleavedRounds.Outcome> outcomes = new HashMap<>();

    @Test
    void shouldSpreadEveryGroupsRunsOverTheWholeScheduleAndRotateWithinAGroup()
    {
        final InterleavedRounds.Group tp = group(2, 5, "A", "B", "C");
        final InterleavedRounds.Group rtt = group(2, 5, "x", "y");

        final int next = InterleavedRounds.run(List.of(tp, rtt), this::record, () -> false, 10);

        assertEquals(List.of("A@10", "B@10", "C@10", "x@10", "y@10", "B@11", "C@11", "A@11", "y@11", "x@11"), ran);
        assertEquals(12, next);
        assertEquals(2, tp.kept(0));
        assertEquals(2, rtt.kept(1));
    }

    @Test
    void shouldRunAnAwayRunAgainInItsRoundSoThatTheRoundStillPairsIt()
    {
        outcomes.put("B@1", InterleavedRounds.Outcome.AWAY);
        outcomes.put("B@1#3", InterleavedRounds.Outcome.KEPT);
        final InterleavedRounds.Group short1 = group(1, 5, "A", "B");
        final InterleavedRounds.Group long1 = group(3, 5, "x");

        InterleavedRounds.run(List.of(short1, long1), this::record, () -> false, 1);

        // B's first two runs of round 1 are away and do not count; its third is kept, in round 1, beside A's
        assertEquals(List.of("A@1", "B@1", "B@1", "B@1", "x@1", "x@2", "x@3"), ran);
        assertEquals(1, short1.rounds());
        assertEquals(1, short1.kept(0));
        assertEquals(1, short1.kept(1));
    }

    @Test
    void shouldLeaveARowForTheNextRoundWhenEveryRetryIsAway()
    {
        outcomes.put("B@1", InterleavedRounds.Outcome.AWAY);
        final InterleavedRounds.Group group = group(1, 5, "A", "B");

        InterleavedRounds.run(List.of(group), this::record, () -> false, 1);

        final List<String> expected = new ArrayList<>(List.of("A@1"));
        for (int run = 0; run <= InterleavedRounds.AWAY_RETRIES; run++)
        {
            expected.add("B@1");
        }
        expected.addAll(List.of("B@2", "A@2"));
        assertEquals(expected, ran);
        assertEquals(2, group.rounds());
        assertEquals(2, group.kept(0));
        assertEquals(1, group.kept(1));
    }

    @Test
    void shouldDropAFailedRowAndStopAtTheMostRounds()
    {
        outcomes.put("B@1", InterleavedRounds.Outcome.FAILED);
        outcomes.put("A@1", InterleavedRounds.Outcome.AWAY);
        outcomes.put("A@2", InterleavedRounds.Outcome.AWAY);
        final InterleavedRounds.Group group = group(2, 2, "A", "B");

        InterleavedRounds.run(List.of(group), this::record, () -> false, 1);

        final int runs = 1 + InterleavedRounds.AWAY_RETRIES;
        assertEquals(runs + 1 + runs, ran.size(), ran.toString());
        assertEquals(List.of("A@1", "B@1", "A@2"), ran.stream().distinct().toList());
        assertTrue(group.isDone());
        assertEquals(0, group.kept(0));
    }

    @Test
    void shouldStopBetweenRunsWhenTheSuiteStops()
    {
        final InterleavedRounds.Group group = group(5, 5, "A", "B", "C");

        InterleavedRounds.run(List.of(group), this::record, () -> ran.size() >= 2, 1);

        assertEquals(List.of("A@1", "B@1"), ran);
    }

    @Test
    void shouldRefuseAGroupWithoutRowsOrRuns()
    {
        final IllegalArgumentException empty =
            assertThrows(IllegalArgumentException.class, () -> new InterleavedRounds.Group(List.of(), 1, 1));
        assertTrue(empty.getMessage().contains("rows=0"), empty.getMessage());
        final IllegalArgumentException keep =
            assertThrows(IllegalArgumentException.class, () -> group(0, 1, "A"));
        assertTrue(keep.getMessage().contains("keep=0"), keep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> group(1, 0, "A"));
    }

    private InterleavedRounds.Group group(final int keep, final int maxRounds, final String... names)
    {
        final List<Runnable> rows = new ArrayList<>();
        for (final String name : names)
        {
            rows.add(new NamedRow(name));
        }
        return new InterleavedRounds.Group(rows, keep, maxRounds);
    }

    /**
     * Records a run as row@round; its outcome is the one put for its try ("B@1#2" for the second run of B in round
     * 1), else the one put for row@round, else KEPT.
     */
    private InterleavedRounds.Outcome record(final Runnable row, final int round)
    {
        final String run = row + "@" + round;
        ran.add(run);
        final long tries = ran.stream().filter(run::equals).count();
        return outcomes.getOrDefault(run + "#" + tries, outcomes.getOrDefault(run, InterleavedRounds.Outcome.KEPT));
    }

    private static final class NamedRow implements Runnable
    {
        private final String name;

        NamedRow(final String name)
        {
            this.name = name;
        }

        @Override
        public void run()
        {
        }

        @Override
        public String toString()
        {
            return name;
        }
    }
}
