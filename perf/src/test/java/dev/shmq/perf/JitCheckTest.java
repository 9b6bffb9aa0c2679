package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitCheckTest
{
    // A bench consumer's standard output under -XX:+PrintCompilation, JDK 17 (columns: ms since JVM start, compile
    // id, flags %sb!n, tier, method), with the worker's own lines among them; the window is 800..1300 ms.
    private static final String STDOUT = String.join("\n",
        "     19    1       3       java.lang.Object::<init> (1 bytes)",
        "     21    4     n 0       jdk.internal.misc.Unsafe::getReferenceVolatile (native)   ",
        "     44   49   !   3       java.lang.ref.ReferenceQueue::poll (28 bytes)",
        "    310  512 %     3       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)",
        "    312  513       3       dev.shmq.zeroq.ZeroqCells::tryAcquire (96 bytes)",
        "READY",
        "    402  530 %     4       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)",
        "    405  512 %     3       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)   made not entrant",
        "    799  540       4       dev.shmq.zeroq.ZeroqCells::tryAcquire (96 bytes)   made not entrant",
        "    800  541       3       dev.shmq.zeroq.ZeroqCells::tryAcquire (96 bytes)   made not entrant",
        "    950  530 %     4       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)   made not entrant",
        "    951  561 %     3       dev.shmq.perf.BenchWorker::receive @ 148 (473 bytes)",
        "   1012  570  s    4       java.lang.StringBuffer::append (13 bytes)",
        "   1100  575       4       RESULT received=123 warmReceived=4",
        "dev.shmq.perf.ZeroqEndpoints$Receiver::poll (63 bytes)   made not entrant",
        "   1300  577     n 0       java.lang.Object::hashCode (native)      made not entrant",
        "   1301  580       4       dev.shmq.perf.BenchControl::received (12 bytes)   made not entrant",
        "   2040  601       1       java.lang.Enum::ordinal (5 bytes)   made not entrant",
        "");

    @Test
    void shouldCountOnlyTheLinesMadeNotEntrantInsideTheWindow()
    {
        final JitCheck.Result result = JitCheck.deoptsInWindow(STDOUT, 800, 1300);

        assertEquals(3, result.count(), result.toString());
        assertEquals(List.of("dev.shmq.zeroq.ZeroqCells::tryAcquire", "dev.shmq.perf.BenchWorker::receive @ 148",
            "java.lang.Object::hashCode"), result.methods());
        assertEquals(1, result.optimisedCount());
        assertTrue(result.complete());
    }

    @Test
    void shouldReadTimeIdTierAndOsrOfEachLine()
    {
        final List<JitCheck.Deopt> deopts = JitCheck.deoptsInWindow(STDOUT, 0, 1000).deopts();

        assertEquals(new JitCheck.Deopt(405, 512, 3, true, "dev.shmq.perf.BenchWorker::receive @ 148"), deopts.get(0));
        assertEquals(new JitCheck.Deopt(799, 540, 4, false, "dev.shmq.zeroq.ZeroqCells::tryAcquire"), deopts.get(1));
        assertEquals(new JitCheck.Deopt(950, 530, 4, true, "dev.shmq.perf.BenchWorker::receive @ 148"), deopts.get(3));
    }

    @Test
    void shouldReadLinesOfAJvmWithoutTiers()
    {
        final String stdout =
            "    900   77             dev.shmq.perf.BenchWorker::receive (473 bytes)   made not entrant\n";

        final JitCheck.Result result = JitCheck.deoptsInWindow(stdout, 800, 1300);

        assertEquals(List.of(new JitCheck.Deopt(900, 77, 0, false, "dev.shmq.perf.BenchWorker::receive")),
            result.deopts());
    }

    @Test
    void shouldFindNothingInAnEmptyWindowOrWithoutCompilationLines()
    {
        assertEquals(0, JitCheck.deoptsInWindow(STDOUT, 1400, 2000).count());
        assertEquals(0, JitCheck.deoptsInWindow(STDOUT, 1300, 800).count());
        assertEquals(0, JitCheck.deoptsInWindow("READY\nRESULT received=5 warmReceived=1\n", 0, 5000).count());
    }

    @Test
    void shouldSayWhenTheCaptureLostLinesFromBeforeTheWindow()
    {
        final String dropped = "[... 5000 earlier lines dropped]\n" + STDOUT.substring(STDOUT.indexOf("    950"));

        assertFalse(JitCheck.deoptsInWindow(dropped, 800, 1300).complete());
        assertTrue(JitCheck.deoptsInWindow(dropped, 950, 1300).complete());
        assertEquals(2, JitCheck.deoptsInWindow(dropped, 950, 1300).count());
    }
}
