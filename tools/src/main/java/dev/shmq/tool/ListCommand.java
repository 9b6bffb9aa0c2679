package dev.shmq.tool;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegment;
import dev.shmq.core.ShmSegmentInfo;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code shmq list}: every segment of the directory with its protocol, length and the pids mapping it.
 */
@Command(name = "list", description = "segments with protocol, length and the pids mapping them")
final class ListCommand extends ToolCommand
{
    @Override
    int execute()
    {
        final PrintStream out = tool().out();
        out.printf("%-40s %-18s %12s  %s%n", "NAME", "PROTOCOL", "LENGTH", "PIDS");
        for (final ShmSegmentInfo info : tool().segments().list())
        {
            out.printf("%-40s %-18s %12d  %s%n", printable(info.name()),
                kindOf(tool().directory(), info.name()).label(), info.length(), pidsColumn(info));
        }
        return ShmqTool.EXIT_OK;
    }

    private static String pidsColumn(final ShmSegmentInfo info)
    {
        switch (info.liveness())
        {
            case LIVE:
                return info.pids().toString();
            case STALE:
                return "-";
            default:
                return "unknown";
        }
    }

    private static SegmentKind kindOf(final Path directory, final String name)
    {
        try (ShmSegment segment = ShmSegment.openReadOnly(ShmName.of(directory, name)))
        {
            segment.checkLength();
            return SegmentInspector.detect(segment.buffer(), segment.length());
        }
        catch (final IllegalArgumentException | IllegalStateException ex)
        {
            return SegmentKind.UNKNOWN;
        }
    }
}
