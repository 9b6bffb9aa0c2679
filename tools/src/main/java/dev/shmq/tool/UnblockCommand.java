package dev.shmq.tool;

import dev.shmq.core.ShmSegment;
import dev.shmq.zeroq.ZeroqQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.locks.LockSupport;

/**
 * {@code shmq unblock NAME}: frees a zeroq cell claimed by a producer that never committed it, or acquired by a
 * consumer that never released it, once the stall persists.
 */
@Command(name = "unblock", description = "zeroq: free a cell held by a process that died holding it")
final class UnblockCommand extends ToolCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "the zeroq segment")
    private String name;

    @Override
    int execute() throws InterruptedException
    {
        final String outcome = guarded(shmName(name), this::unblock);
        tool().out().println(outcome);
        return ShmqTool.EXIT_OK;
    }

    private String unblock(final ShmSegment guard)
    {
        try (ZeroqQueue queue = ZeroqQueue.open(name, zeroqConfig()))
        {
            guard.checkLength();
            final boolean stalled = queue.isStalled();
            final boolean held = queue.isHeldByConsumer();
            if (!stalled && !held)
            {
                return "not blocked: nothing to do";
            }
            // A stall seen once may be a live process between two instructions: it must persist to count.
            LockSupport.parkNanos(SegmentInspector.STALL_SAMPLE_NANOS);
            guard.checkLength();
            final boolean stillBlocked = stalled && queue.isStalled() || held && queue.isHeldByConsumer();
            guard.checkLength();
            if (stillBlocked && queue.unblock())
            {
                return "unblocked: freed a cell " + (stalled ?
                    "claimed by a producer that never committed (position skipped, nothing committed was lost)" :
                    "acquired by a consumer that never released it");
            }
            return "not blocked any more: the holder moved on";
        }
    }
}
