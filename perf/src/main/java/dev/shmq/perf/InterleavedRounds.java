package dev.shmq.perf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The schedule of the suite's compared rows. A {@link Group} is rows compared with one another: the 1P1C rows of one
 * payload, the round trips of one payload, the wake-up rows. Every round runs each group that is not done, one group
 * after the other, and within a group each row once, the order rotated from round to round (A B C, then B C A, ...).
 *
 * <p>So the runs of a row are spread over the whole suite, not bunched into the few minutes its group would take on
 * its own: drift of the host over the suite (where it places our vCPUs, what its other guests do) lands on the runs
 * of every row, and shows in each row's spread, instead of making one group's few minutes unlike another's, or one
 * run of the suite unlike the next. Rows compared by a goal are in one group and so still run back to back in each
 * round.
 *
 * <p>A run whose probes say the CPUs were placed unlike usual ({@link Outcome#AWAY}) is run again at once, in the
 * same round, up to {@link #AWAY_RETRIES} times, so that the round still pairs the row with the others: a goal pairs
 * runs of one round, and an away run left for the next round would waste the other rows' runs of this one.
 *
 * <p>A group is done when each of its rows has its kept runs, or it has run its most rounds. A row whose run fails
 * runs no more: it would fail again.
 */
final class InterleavedRounds
{
    /**
     * How many times an away run is run again within its round. Placement episodes last seconds and a run takes
     * about two, so a few tries usually find the usual placement again; more would spend the suite on one episode.
     */
    static final int AWAY_RETRIES = 3;

    /** What one run of a row came to. */
    enum Outcome
    {
        /** A result, both placement probes at the suite's usual placement. */
        KEPT,
        /** A result, a probe away from the usual placement: it does not count towards the row's kept runs. */
        AWAY,
        /** No result: the row runs no more. */
        FAILED,
        /** Nothing was added (the suite is stopping). */
        NONE
    }

    /** Runs one row once in the given round, between its probes. */
    @FunctionalInterface
    interface RowRunner
    {
        /**
         * @param row   the row to run once.
         * @param round the suite's round number this run belongs to.
         * @return what it came to.
         */
        Outcome run(Runnable row, int round);
    }

    /** Rows compared with one another, with how many kept runs each wants and how many rounds the group may take. */
    static final class Group
    {
        private final List<Runnable> rows;
        private final List<Runnable> active;
        private final int[] kept;
        private final int keep;
        private final int maxRounds;
        private int rounds;

        /**
         * @param rows      each adds one result per call.
         * @param keep      kept runs wanted per row.
         * @param maxRounds the most rounds the group runs.
         * @throws IllegalArgumentException if there is no row, or keep or maxRounds is below 1.
         */
        Group(final List<Runnable> rows, final int keep, final int maxRounds)
        {
            if (rows.isEmpty() || keep < 1 || maxRounds < 1)
            {
                throw new IllegalArgumentException("rows=" + rows.size() + ", keep=" + keep + ", maxRounds=" +
                    maxRounds + " (expected at least one row, keep >= 1, maxRounds >= 1)");
            }
            this.rows = List.copyOf(rows);
            this.active = new ArrayList<>(rows);
            this.kept = new int[rows.size()];
            this.keep = keep;
            this.maxRounds = maxRounds;
        }

        boolean isDone()
        {
            if (active.isEmpty() || rounds >= maxRounds)
            {
                return true;
            }
            for (final int count : kept)
            {
                if (count < keep)
                {
                    return false;
                }
            }
            return true;
        }

        /** @return the rounds this group has run. */
        int rounds()
        {
            return rounds;
        }

        /** @return the kept runs of the row at {@code index} of the rows given. */
        int kept(final int index)
        {
            return kept[index];
        }

        private void runRound(final RowRunner runner, final int round, final BooleanSupplier stopping)
        {
            final List<Runnable> order = new ArrayList<>(active);
            Collections.rotate(order, -rounds);
            rounds++;
            for (final Runnable row : order)
            {
                if (stopping.getAsBoolean())
                {
                    return;
                }
                Outcome outcome = runner.run(row, round);
                for (int retry = 0; Outcome.AWAY == outcome && retry < AWAY_RETRIES; retry++)
                {
                    if (stopping.getAsBoolean())
                    {
                        return;
                    }
                    outcome = runner.run(row, round);
                }
                if (Outcome.FAILED == outcome)
                {
                    active.remove(row);
                    kept[rows.indexOf(row)] = keep;
                }
                else if (Outcome.KEPT == outcome)
                {
                    kept[rows.indexOf(row)]++;
                }
            }
        }
    }

    private InterleavedRounds()
    {
    }

    /**
     * Runs the groups round after round until every group is done or {@code stopping} says so.
     *
     * @param groups     the groups, run in this order within each round.
     * @param runner     runs one row once.
     * @param stopping   true once the suite is stopping.
     * @param firstRound the number of the first round.
     * @return the number the next round would have.
     */
    static int run(
        final List<Group> groups, final RowRunner runner, final BooleanSupplier stopping, final int firstRound)
    {
        int round = firstRound;
        while (!stopping.getAsBoolean() && !allDone(groups))
        {
            for (final Group group : groups)
            {
                if (!group.isDone() && !stopping.getAsBoolean())
                {
                    group.runRound(runner, round, stopping);
                }
            }
            round++;
        }
        return round;
    }

    private static boolean allDone(final List<Group> groups)
    {
        for (final Group group : groups)
        {
            if (!group.isDone())
            {
                return false;
            }
        }
        return true;
    }
}
