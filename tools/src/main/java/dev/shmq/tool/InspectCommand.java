package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code shmq inspect NAME}: header fields, positions, occupancy and stalls; exit 1 if corrupt or unknown.
 */
@Command(name = "inspect", description = "header fields and state (exit 1 if corrupt or unknown)")
final class InspectCommand extends ToolCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "the segment")
    private String name;

    @Override
    int execute() throws InterruptedException
    {
        final PrintStream out = tool().out();
        final ShmName shmName = shmName(name);
        // Scanned before this process maps the segment: closing a segment does not unmap it, so it would list itself.
        final Optional<ShmSegmentInfo> info = tool().segments().inspect(shmName.name());
        final SegmentReport report = guarded(shmName, SegmentInspector::inspect);
        out.printf("%-20s %s%n", "name", printable(shmName.name()));
        out.printf("%-20s %s%n", "protocol", report.kind().label());
        for (final String field : report.fieldNames())
        {
            out.printf("%-20s %s%n", field, report.field(field));
        }
        info.ifPresent((segmentInfo) -> out.printf("%-20s %s%n", "mapped_by", mappedBy(segmentInfo)));
        for (final String problem : report.problems())
        {
            out.printf("%-20s %s%n", "PROBLEM", problem);
        }
        if (report.isHealthy())
        {
            return ShmqTool.EXIT_OK;
        }
        final List<String> problems = report.problems();
        fail(shmName.name() + ": " + problems.get(0) +
            (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        return ShmqTool.EXIT_FAILURE;
    }

    private static String mappedBy(final ShmSegmentInfo info)
    {
        switch (info.liveness())
        {
            case LIVE:
                return info.pids().toString();
            case STALE:
                return "nobody (stale)";
            default:
                return info.describeLiveness();
        }
    }
}
