package dev.shmq.reliability;

import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickQueue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child JVM of {@link SlickMixedStressTest}, the Java counterpart of {@code slick_peer}'s {@code produce-mixed}
 * and {@code lapped-read} modes. Each mode prints {@code READY} once attached and {@code DONE ...} (or
 * {@code FAIL ...}, exit 1) at the end.
 *
 * <pre>
 * produce NAME COUNT FIRST_PRODUCER THREADS MAXN     READY, wait for a line, then THREADS producer threads (ids
 *                                                    FIRST_PRODUCER...) each publish COUNT stamped entries of
 *                                                    SlickStamp.entryElements(id, sequence, MAXN) elements, flat
 *                                                    out: reserve() for one, reserve(n) (wrap markers) for more;
 *                                                    DONE produced=ENTRIES elements=ELEMENTS lapped=L (entries
 *                                                    whose producer other producers lapped while it wrote them)
 * copy-read NAME END_NAME MAXN PRODUCERS PAUSE_EVERY the validating copying reader of SlickStampReader
 * </pre>
 */
public final class SlickMixedMain
{
    private SlickMixedMain()
    {
    }

    /**
     * @param args the mode and its arguments.
     * @throws Exception on a bad mode or an interrupted wait.
     */
    public static void main(final String[] args) throws Exception
    {
        final String line;
        switch (args[0])
        {
            case "produce":
                line = produce(args[1], Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
                break;
            case "copy-read":
                line = copyRead(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Long.parseLong(args[5]));
                break;
            default:
                throw new IllegalArgumentException("mode=" + args[0] + " (expected produce or copy-read)");
        }
        say(line);
        if (line.startsWith("FAIL"))
        {
            System.exit(1);
        }
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    private static String produce(
        final String name, final long count, final int firstProducer, final int threads, final int maxN)
        throws Exception
    {
        try (SlickQueue queue = SlickQueue.open(name, SlickStamp.ELEMENT_SIZE))
        {
            final int maxProducerId = firstProducer + threads - 1;
            if (maxN > Math.min(queue.capacity(), SlickStamp.MAX_N) || maxProducerId >= SlickStamp.FLUSH_PRODUCER)
            {
                throw new IllegalArgumentException("maxN=" + maxN + " producer ids up to " + maxProducerId +
                    " (expected at most " + Math.min(queue.capacity(), SlickStamp.MAX_N) + " and below " +
                    SlickStamp.FLUSH_PRODUCER + ')');
            }
            say("READY");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final AtomicLong lapped = new AtomicLong();
            final Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++)
            {
                final long producer = firstProducer + t;
                producers[t] = new Thread(() ->
                {
                    try
                    {
                        long lappedHere = 0;
                        for (long sequence = 0; sequence < count; sequence++)
                        {
                            final int n = SlickStamp.entryElements(producer, sequence, maxN);
                            final long index = 1 == n ? queue.reserve() : queue.reserve(n);
                            SlickStamp.fill(queue.buffer(), queue.offset(index), index, n, producer, sequence);
                            queue.publish(index, n);
                            lappedHere += SlickStamp.lappedProducer(queue, index) ? 1 : 0;
                        }
                        lapped.addAndGet(lappedHere);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "producer-" + producer);
                producers[t].start();
            }
            long elements = 0;
            for (int t = 0; t < threads; t++)
            {
                producers[t].join();
                elements += SlickStamp.elements(firstProducer + t, count, maxN);
            }
            if (null != failure.get())
            {
                return "FAIL " + failure.get();
            }
            return "DONE produced=" + count * threads + " elements=" + elements + " lapped=" + lapped.get();
        }
    }

    private static String copyRead(
        final String name, final String endName, final int maxN, final int producers, final long pauseEvery)
    {
        try (SlickQueue queue = SlickQueue.open(name, SlickStamp.ELEMENT_SIZE);
            AtomicCursor end = AtomicCursor.open(endName))
        {
            say("READY");
            return new SlickStampReader(queue, end, maxN, producers, true, pauseEvery).run();
        }
    }
}
