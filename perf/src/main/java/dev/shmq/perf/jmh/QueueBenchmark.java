package dev.shmq.perf.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * In-process throughput of shmq's queues in local mode against the JVM's standard and best concurrent queues, 1P1C
 * ({@code spsc}) and 2P2C ({@code mpmc}); offers and polls that find the queue full or empty count as operations, as
 * in JCTools' benchmarks, and return false. Run with {@code -prof gc}: shmq's operations allocate 0 B/op.
 * <pre>{@code java -jar perf/target/benchmarks.jar QueueBenchmark -prof gc}</pre>
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.nio=ALL-UNNAMED"})
public class QueueBenchmark
{
    /** The queue under test. */
    @Param({"shmq-slick", "shmq-zeroq", "ArrayBlockingQueue", "agrona-ManyToManyConcurrentArrayQueue",
        "jctools-MpmcArrayQueue"})
    public String queue;

    private LocalQueue spsc;
    private LocalQueue mpmc;

    /** Creates both queues (each group uses its own). */
    @Setup(Level.Trial)
    public void setUp()
    {
        spsc = LocalQueue.of(queue, false);
        mpmc = LocalQueue.of(queue, true);
    }

    /** Frees the queues' memory. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        spsc.close();
        mpmc.close();
    }

    /**
     * @param producer the thread's scratch.
     * @return whether the offer succeeded.
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public boolean spscOffer(final ProducerState producer)
    {
        return spsc.offer(producer);
    }

    /**
     * @param consumer the thread's scratch.
     * @return whether an element was taken.
     */
    @Benchmark
    @Group("spsc")
    @GroupThreads(1)
    public boolean spscPoll(final ConsumerState consumer)
    {
        return spsc.poll(consumer);
    }

    /**
     * @param producer the thread's scratch.
     * @return whether the offer succeeded.
     */
    @Benchmark
    @Group("mpmc")
    @GroupThreads(2)
    public boolean mpmcOffer(final ProducerState producer)
    {
        return mpmc.offer(producer);
    }

    /**
     * @param consumer the thread's scratch.
     * @return whether an element was taken.
     */
    @Benchmark
    @Group("mpmc")
    @GroupThreads(2)
    public boolean mpmcPoll(final ConsumerState consumer)
    {
        return mpmc.poll(consumer);
    }
}
