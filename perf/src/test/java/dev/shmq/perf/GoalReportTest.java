package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoalReportTest
{
    @Test
    void shouldSayMetMissedOrNotApplicable()
    {
        final BenchResult fast = BenchResult.throughput("tp", "a", 8, 40e6, null);
        final BenchResult slow = BenchResult.throughput("tp", "b", 8, 1e6, null);

        assertTrue(GoalReport.atLeast("g", fast, slow, 30).startsWith("g: MET"));
        assertTrue(GoalReport.atLeast("g", slow, fast, 1).startsWith("g: MISSED"));
        assertTrue(GoalReport.atLeast("g", fast, null, 1).startsWith("g: n/a"));
        assertEquals(null, GoalReport.atLeast("g", null, fast, 1));
        assertTrue(GoalReport.atLeast("g", BenchResult.missing("tp", "c", 8, "n/a (peer missing)"), fast, 1)
            .contains("peer missing"));
    }

    @Test
    void shouldReadTheIdleFractionFromTheWakeNote()
    {
        assertEquals(0.034, GoalReport.idleFraction("idle waiter 3.4% of a core"), 1e-9);
        assertTrue(Double.isNaN(GoalReport.idleFraction("no figure")));
    }

    @Test
    void shouldOnlyReportGoalsWhoseSubjectRan()
    {
        final List<BenchResult> results = new ArrayList<>();
        results.add(BenchResult.throughput("tp", "shmq-zeroq-spin", 64, 10e6, null));
        results.add(BenchResult.throughput("tp", "cpp-zeroq", 64, 5e6, null));

        final List<String> goals = new GoalReport(new ResultTable(results), results).evaluate();

        assertEquals(1, goals.size(), goals.toString());
        assertTrue(goals.get(0).startsWith("zeroq >= C++ zeroq, 1P1C 64 B: MET"), goals.get(0));
    }
}
