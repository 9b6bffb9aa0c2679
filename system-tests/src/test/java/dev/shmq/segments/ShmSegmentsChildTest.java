package dev.shmq.segments;

import dev.shmq.core.ShmSegmentInfo;
import dev.shmq.core.ShmSegments;
import dev.shmq.testkit.ChildJvm;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import dev.shmq.tool.ShmqTool;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ShmSegments} liveness as another process changes it: a child JVM (the {@code shmq} tool, receiving) maps a
 * segment and is listed among its mappers only until it exits. The rest of {@link ShmSegments} is tested in core.
 */
@ExtendWith(ShmTestExtension.class)
class ShmSegmentsChildTest
{
    private static final long THIS_PID = ProcessHandle.current().pid();
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void shouldListChildAsMapperOnlyUntilItExits(final ShmTestNames names)
    {
        final String name = names.next("child-mapper");
        final ShmSegments segments = ShmSegments.in(names.directory());
        try (ZeroqQueue queue = ZeroqQueue.create(name, 2, 8);
            ChildProcess child = ChildJvm.mainClass(ShmqTool.class)
                .args("recv", "zeroq", name, "--timeout", Long.toString(CHILD_TIMEOUT.toMillis())).start())
        {
            awaitPids(segments, name, (pids) -> pids.contains(child.pid()), child);

            new ZeroqPyQueue(queue).putNowait(new byte[8]);
            assertEquals(ShmqTool.EXIT_OK, child.waitFor(CHILD_TIMEOUT), child.describe());

            final ShmSegmentInfo after = segments.inspect(name).orElseThrow();
            assertFalse(after.pids().contains(child.pid()), after.toString());
            assertTrue(after.pids().contains(THIS_PID), after.toString());
        }
    }

    private static void awaitPids(
        final ShmSegments segments, final String name, final Predicate<List<Long>> condition, final ChildProcess child)
    {
        final long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        List<Long> pids = segments.inspect(name).orElseThrow().pids();
        while (!condition.test(pids))
        {
            assertTrue(child.isAlive() && System.nanoTime() - deadline < 0,
                "pids=" + pids + " (expected the child among them within " + CHILD_TIMEOUT + ")" + child.describe());
            LockSupport.parkNanos(POLL_NANOS);
            pids = segments.inspect(name).orElseThrow().pids();
        }
    }
}
