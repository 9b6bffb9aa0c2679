package dev.shmq.reliability;

import dev.shmq.core.PhasedBackoffIdleStrategy;
import dev.shmq.core.ShmName;
import dev.shmq.core.MessageHandler;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.QueueEmptyException;
import dev.shmq.zeroq.QueueFullException;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqPyQueue;
import dev.shmq.zeroq.ZeroqQueue;
import dev.shmq.zeroq.ZeroqRange;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child JVM of {@link CloseRaceTest}: queues closed while other threads are inside calls on them.
 *
 * <p>For each kind of call, in process memory ({@code local}) and in shared memory ({@code shm}), it runs
 * {@value #ROUNDS_PROPERTY} rounds (default {@value #DEFAULT_ROUNDS}): set up a fresh queue, release
 * {@value #WORKERS_PROPERTY} worker threads (default {@value #DEFAULT_WORKERS}, the same threads for every round) that
 * make that kind of call in a loop, and close the queue from this thread once the workers have made a random, small
 * number of calls (counted by an {@link AtomicLong}, so the moment varies with the round, not with a sleep). A worker
 * stops at the first {@link IllegalStateException} saying the queue is closed, or {@value #POST_CLOSE_CALLS} calls
 * after {@code close()} returned; a worker blocked in a call must be woken by that exception.
 *
 * <p>Allowed outcomes of every call: it completes (including {@link QueueFullException}, {@link QueueEmptyException},
 * a timeout returning false, 0 or {@link ZeroqQueue#NO_POSITION}), or it throws an {@link IllegalStateException} whose
 * message contains {@code "closed"} and, for a shared queue, the queue's name, and only once {@code close()} has
 * started. Anything else (another throwable, a blocked call that does not wake within
 * {@link #ROUND_TIMEOUT_NANOS} of the close, a blocking call that returns normally) is printed as an
 * {@value #UNEXPECTED_PREFIX}line with its kind, mode and round; a SIGSEGV or SIGBUS ends the JVM with an
 * {@code hs_err_pid*.log}.
 *
 * <pre>
 * CloseRaceMain PREFIX [KIND...]       PREFIX starts every shared-memory name; KINDs, e.g. zeroq.offer-poll, limit
 *                                      the run (all by default)
 * prints: SEED s, one KIND line per kind and mode, then OK ... (exit 0) or FAIL ... (exit 1)
 * </pre>
 *
 * <p>Every shared-memory object a round creates is removed when the round ends, also when it fails; the parent
 * removes whatever a crash leaves behind by the prefix.
 */
public final class CloseRaceMain
{
    /** The system property holding the number of rounds per kind and mode. */
    public static final String ROUNDS_PROPERTY = "shmq.closeRace.rounds";

    /** Rounds per kind and mode unless {@value #ROUNDS_PROPERTY} says otherwise. */
    public static final int DEFAULT_ROUNDS = 10_000;

    /** The system property holding the number of worker threads. */
    public static final String WORKERS_PROPERTY = "shmq.closeRace.workers";

    /** Worker threads unless {@value #WORKERS_PROPERTY} says otherwise. */
    public static final int DEFAULT_WORKERS = 2;

    /** The system property holding the random seed, to replay a run; the time by default. */
    public static final String SEED_PROPERTY = "shmq.closeRace.seed";

    /** The system property holding the modes to run, comma separated: {@code local,shm} by default. */
    public static final String MODES_PROPERTY = "shmq.closeRace.modes";

    /** Starts the summary line of one kind and mode. */
    public static final String KIND_PREFIX = "KIND ";

    /** Starts the line of each unexpected outcome. */
    public static final String UNEXPECTED_PREFIX = "UNEXPECTED ";

    /** Starts the last line of a run without unexpected outcomes. */
    public static final String OK_PREFIX = "OK ";

    /** Starts the last line of a run with unexpected outcomes. */
    public static final String FAIL_PREFIX = "FAIL ";

    /** How long the workers have to finish a round once the queue is closed. */
    public static final long ROUND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private static final long WAIT_FOREVER_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long CLOSE_MOMENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int POST_CLOSE_CALLS = 32;
    private static final int MAX_UNEXPECTED_PER_KIND = 5;
    private static final int STACK_FRAMES = 12;
    private static final int ZEROQ_CAPACITY = 8;
    private static final int SLICK_CAPACITY = 64;
    private static final int ELEMENT_SIZE = 16;
    private static final int BATCH = 4;
    private static final String CLOSED_WORD = "closed";

    /** Waits of the default strategy: spin 10 us, yield 2 ms, then park up to 1 ms. */
    private static final ZeroqConfig DEFAULT_CONFIG = new ZeroqConfig();

    /** Waits that reach the park phase within 11 us, so that closes land in every phase. */
    private static final ZeroqConfig QUICK_PARK_CONFIG = new ZeroqConfig()
        .idleStrategy(() -> new PhasedBackoffIdleStrategy(1_000, 10_000, 1_000, 20_000));

    /** SlickQueue's defaults, for every kind but the waiting read. */
    private static final SlickConfig DEFAULT_SLICK_CONFIG = new SlickConfig();

    private final int workers;
    private final SplittableRandom random;
    private final Phaser phaser;
    private final Thread[] threads;
    private final AtomicLong calls = new AtomicLong();
    private final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final long[] workerCompletions;
    private final boolean[] workerClosed;

    private volatile Kind kind;
    private volatile String mode;
    private volatile int round;
    private volatile String queueName;
    private volatile boolean requireClosedEnd;
    private volatile long closeTarget;
    private volatile boolean closeStarted;
    private volatile boolean closeReturned;
    private volatile boolean stopping;

    private long unexpectedTotal;

    private CloseRaceMain(final int workers, final long seed)
    {
        this.workers = workers;
        this.random = new SplittableRandom(seed);
        this.phaser = new Phaser(workers + 1);
        this.threads = new Thread[workers];
        this.workerCompletions = new long[workers];
        this.workerClosed = new boolean[workers];
    }

    /**
     * @param args the shared-memory name prefix, then optionally the kinds to run.
     */
    public static void main(final String[] args)
    {
        if (args.length < 1)
        {
            throw new IllegalArgumentException("args=" + Arrays.toString(args) + " (expected PREFIX [KIND...])");
        }
        final int rounds = Integer.getInteger(ROUNDS_PROPERTY, DEFAULT_ROUNDS);
        final int workers = Integer.getInteger(WORKERS_PROPERTY, DEFAULT_WORKERS);
        final long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
        final List<String> modes = Arrays.asList(System.getProperty(MODES_PROPERTY, "local,shm").split(","));
        final List<String> only = Arrays.asList(args).subList(1, args.length);
        if (rounds < 1 || workers < 2)
        {
            throw new IllegalArgumentException(ROUNDS_PROPERTY + "=" + rounds + ", " + WORKERS_PROPERTY + "=" +
                workers + " (expected at least 1 round and 2 workers)");
        }
        say("SEED " + seed + " rounds=" + rounds + " workers=" + workers + " boundsChecks=" +
            !Boolean.getBoolean("agrona.disable.bounds.checks"));

        final CloseRaceMain race = new CloseRaceMain(workers, seed);
        final List<Kind> kinds = kinds(workers);
        final long start = System.nanoTime();
        long total = 0;
        int ran = 0;
        race.startWorkers();
        for (final Kind kind : kinds)
        {
            if (!only.isEmpty() && !only.contains(kind.name))
            {
                continue;
            }
            for (final String mode : modes)
            {
                total += race.run(kind, mode.trim(), args[0], rounds);
                ran++;
            }
        }
        race.stopWorkers();
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (0 == race.unexpectedTotal && ran > 0)
        {
            say(OK_PREFIX + "kinds=" + ran + " rounds=" + total + " ms=" + ms);
            System.exit(0);
        }
        say(FAIL_PREFIX + "unexpected=" + race.unexpectedTotal + " kinds=" + ran + " rounds=" + total + " ms=" + ms);
        System.exit(1);
    }

    private static List<Kind> kinds(final int workers)
    {
        return List.of(
            new ZeroqOfferPoll(workers),
            new ZeroqNowait(workers),
            new ZeroqBlocking(workers),
            new ZeroqTimed(workers),
            new ZeroqZeroCopy(workers),
            new ZeroqBatch(workers),
            new ZeroqSize(workers),
            new SlickReserve(workers),
            new SlickReserveN(workers),
            new SlickReadEntry(workers),
            new SlickReadCopy(workers),
            new SlickReadWait(workers),
            new SlickReadAtomic(workers),
            new SlickReadLast(workers),
            new SlickDrain(workers));
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rounds
    // ---------------------------------------------------------------------------------------------------------------

    private void startWorkers()
    {
        for (int w = 0; w < workers; w++)
        {
            final int worker = w;
            threads[w] = new Thread(() -> workerLoop(worker), "close-race-worker-" + w);
            threads[w].setDaemon(true);
            threads[w].start();
        }
    }

    private void stopWorkers()
    {
        stopping = true;
        phaser.arriveAndAwaitAdvance();
    }

    private int run(final Kind kind, final String mode, final String prefix, final int rounds)
    {
        final boolean shared = "shm".equals(mode);
        if (!shared && !"local".equals(mode))
        {
            throw new IllegalArgumentException(MODES_PROPERTY + " mode=" + mode + " (expected local or shm)");
        }
        final long start = System.nanoTime();
        final long unexpectedBefore = unexpectedTotal;
        long closed = 0;
        long completions = 0;
        long bounded = 0;
        int done = 0;
        this.kind = kind;
        this.mode = mode;
        for (int r = 0; r < rounds && unexpectedTotal - unexpectedBefore < MAX_UNEXPECTED_PER_KIND; r++)
        {
            final String name = shared ? prefix + '-' + kind.id + '-' + r : null;
            round = r;
            queueName = name;
            try
            {
                kind.setUp(name, r);
            }
            catch (final Throwable ex)
            {
                report("setUp", ex);
                tearDown(kind);
                continue;
            }
            try
            {
                requireClosedEnd = kind.blocksUntilClosed(r);
                closeStarted = false;
                closeReturned = false;
                calls.set(0);
                closeTarget = kind.closeTarget(random, r, workers);
                final long delayNanos = kind.closeDelayNanos(random, r);

                phaser.arriveAndAwaitAdvance();
                awaitCloseMoment(closeTarget, delayNanos);
                closeStarted = true;
                try
                {
                    kind.closeQueue();
                }
                catch (final Throwable ex)
                {
                    report("close", ex);
                }
                closeReturned = true;
                awaitWorkers();

                for (int w = 0; w < workers; w++)
                {
                    completions += workerCompletions[w];
                    closed += workerClosed[w] ? 1 : 0;
                    bounded += workerClosed[w] ? 0 : 1;
                }
                try
                {
                    kind.closeQueue();
                }
                catch (final Throwable ex)
                {
                    report("second close", ex);
                }
                done++;
            }
            finally
            {
                tearDown(kind);
                drainUnexpected();
            }
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        say(KIND_PREFIX + kind.name + " mode=" + mode + " rounds=" + done + " closed=" + closed +
            " completions=" + completions + " bounded=" + bounded + " unexpected=" +
            (unexpectedTotal - unexpectedBefore) + " ms=" + ms + " maps=" + mappings());
        return done;
    }

    private void awaitCloseMoment(final long target, final long delayNanos)
    {
        final long start = System.nanoTime();
        while (calls.get() < target && System.nanoTime() - start < CLOSE_MOMENT_TIMEOUT_NANOS)
        {
            // the workers need the cores more than the closer
            Thread.yield();
        }
        final long moment = System.nanoTime() + delayNanos;
        while (System.nanoTime() - moment < 0)
        {
            Thread.onSpinWait();
        }
    }

    private void awaitWorkers()
    {
        try
        {
            phaser.awaitAdvanceInterruptibly(phaser.arrive(), ROUND_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException | InterruptedException ex)
        {
            for (final Thread thread : threads)
            {
                final StringBuilder trace = new StringBuilder();
                for (final StackTraceElement frame : thread.getStackTrace())
                {
                    trace.append("\n\tat ").append(frame);
                }
                unexpected.add(where(thread.getName()) + "still running " +
                    TimeUnit.NANOSECONDS.toSeconds(ROUND_TIMEOUT_NANOS) + " s after close() returned (expected " +
                    "every call to complete or throw IllegalStateException closed): state=" + thread.getState() +
                    trace);
            }
            drainUnexpected();
            tearDown(kind);
            say(FAIL_PREFIX + "hung kind=" + kind.name + " mode=" + mode + " round=" + round);
            System.exit(1);
        }
    }

    private void tearDown(final Kind kind)
    {
        try
        {
            kind.tearDown();
        }
        catch (final Throwable ex)
        {
            report("tearDown", ex);
        }
        if (null != queueName)
        {
            for (final String name : kind.shmNames(queueName))
            {
                try
                {
                    Files.deleteIfExists(ShmName.of(name).path());
                }
                catch (final IOException | RuntimeException ex)
                {
                    report("remove " + name, ex);
                }
            }
        }
    }

    private void workerLoop(final int worker)
    {
        while (true)
        {
            phaser.arriveAndAwaitAdvance();
            if (stopping)
            {
                return;
            }
            runRound(worker);
            phaser.arriveAndAwaitAdvance();
        }
    }

    private void runRound(final int worker)
    {
        final Kind kind = this.kind;
        final String who = Thread.currentThread().getName();
        long iteration = 0;
        long completed = 0;
        int afterClose = 0;
        boolean closedSeen = false;
        boolean thrown = false;
        while (!closeReturned || afterClose++ < POST_CLOSE_CALLS)
        {
            if (calls.getAndIncrement() >= closeTarget && !closeStarted)
            {
                // let the closer have a core: on 2 cores it would otherwise wait for a time slice
                Thread.yield();
            }
            try
            {
                kind.call(worker, iteration++);
                completed++;
            }
            catch (final QueueFullException | QueueEmptyException ex)
            {
                completed++;
            }
            catch (final IllegalStateException ex)
            {
                if (closeStarted && isClosedException(ex))
                {
                    closedSeen = true;
                }
                else
                {
                    report(who, ex);
                    thrown = true;
                }
                break;
            }
            catch (final Throwable ex)
            {
                report(who, ex);
                thrown = true;
                break;
            }
        }
        if (requireClosedEnd && !closedSeen && !thrown)
        {
            unexpected.add(where(who) + "a blocking call returned normally " + completed + " times " +
                "(expected it to wait until close() and then throw IllegalStateException closed)");
        }
        workerCompletions[worker] = completed;
        workerClosed[worker] = closedSeen;
    }

    private boolean isClosedException(final IllegalStateException ex)
    {
        final String message = ex.getMessage();
        final String name = queueName;
        return null != message && message.contains(CLOSED_WORD) && (null == name || message.contains(name));
    }

    private String where(final String who)
    {
        return UNEXPECTED_PREFIX + "kind=" + kind.name + " mode=" + mode + " round=" + round + " in=" + who + ": ";
    }

    private void report(final String who, final Throwable ex)
    {
        final StringWriter text = new StringWriter();
        text.append(where(who)).append(String.valueOf(ex));
        if (ex instanceof IllegalStateException && !closeStarted)
        {
            text.append(" (thrown before close() started)");
        }
        appendFrames(text, ex);
        for (Throwable cause = ex.getCause(); null != cause && cause != cause.getCause(); cause = cause.getCause())
        {
            text.append("\nCaused by: ").append(String.valueOf(cause));
            appendFrames(text, cause);
        }
        unexpected.add(text.toString());
    }

    private static void appendFrames(final StringWriter text, final Throwable ex)
    {
        final StackTraceElement[] frames = ex.getStackTrace();
        for (int i = 0; i < Math.min(STACK_FRAMES, frames.length); i++)
        {
            text.append("\n\tat ").append(String.valueOf(frames[i]));
        }
        if (frames.length > STACK_FRAMES)
        {
            text.append("\n\t... ").append(String.valueOf(frames.length - STACK_FRAMES)).append(" more");
        }
    }

    private void drainUnexpected()
    {
        String line;
        while (null != (line = unexpected.poll()))
        {
            unexpectedTotal++;
            say(line);
        }
    }

    private static long mappings()
    {
        try
        {
            return Files.readAllLines(Paths.get("/proc/self/maps")).size();
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Kinds
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * One kind of call: a queue per round, the call the workers make, and how the close moment is chosen.
     */
    private abstract static class Kind
    {
        final String name;
        final String id;

        Kind(final String name, final String id)
        {
            this.name = name;
            this.id = id;
        }

        /** Creates and fills the round's queue: shared under {@code shmName}, or local when it is null. */
        abstract void setUp(String shmName, int round);

        /** One call (or claim-and-commit pair) by one worker. */
        abstract void call(int worker, long iteration) throws Exception;

        abstract void closeQueue();

        /** Closes the queue (again) and releases whatever else {@link #setUp} made; idempotent. */
        abstract void tearDown();

        /** @return every shared-memory name a round with this queue name may create. */
        List<String> shmNames(final String queueName)
        {
            return List.of(queueName);
        }

        /** @return true if, in this round, every call waits until the queue is closed. */
        boolean blocksUntilClosed(final int round)
        {
            return false;
        }

        /** @return how many calls the workers make before the close: 0 in one round of 8, else 1 to 255. */
        long closeTarget(final SplittableRandom random, final int round, final int workers)
        {
            return 0 == random.nextInt(8) ? 0 : random.nextInt(1, 256);
        }

        /** @return how long to spin after the target before closing. */
        long closeDelayNanos(final SplittableRandom random, final int round)
        {
            return 0;
        }

        /** For calls that block: close before, while or after the workers enter, in the spin, yield or park phase. */
        static long blockingCloseTarget(final SplittableRandom random, final int workers)
        {
            return random.nextInt(workers + 1);
        }

        static long blockingCloseDelayNanos(final SplittableRandom random)
        {
            return 0 == random.nextInt(32) ?
                random.nextLong(TimeUnit.MILLISECONDS.toNanos(3)) :
                random.nextLong(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    private abstract static class ZeroqKind extends Kind
    {
        final UnsafeBuffer[] elements;
        final ZeroqRange[] ranges;
        final long[] sinks;
        ZeroqQueue queue;
        ZeroqPyQueue py;
        AtomicBuffer buffer;

        ZeroqKind(final String name, final String id, final int workers)
        {
            super(name, id);
            elements = new UnsafeBuffer[workers];
            ranges = new ZeroqRange[workers];
            sinks = new long[workers];
            for (int w = 0; w < workers; w++)
            {
                elements[w] = new UnsafeBuffer(new byte[ELEMENT_SIZE * BATCH]);
                elements[w].putLong(0, w);
                ranges[w] = new ZeroqRange();
            }
        }

        ZeroqConfig config(final int round)
        {
            return DEFAULT_CONFIG;
        }

        int prefill(final int round)
        {
            return ZEROQ_CAPACITY / 2;
        }

        @Override
        void setUp(final String shmName, final int round)
        {
            final ZeroqConfig config = config(round);
            queue = null == shmName ?
                ZeroqQueue.local(ZEROQ_CAPACITY, ELEMENT_SIZE, config) :
                ZeroqQueue.create(shmName, ZEROQ_CAPACITY, ELEMENT_SIZE, config);
            py = new ZeroqPyQueue(queue);
            buffer = queue.buffer();
            final UnsafeBuffer element = new UnsafeBuffer(new byte[ELEMENT_SIZE]);
            for (int i = 0, count = prefill(round); i < count; i++)
            {
                if (!queue.offer(element, 0, ELEMENT_SIZE))
                {
                    throw new IllegalStateException("cannot prefill " + queue + " with " + count);
                }
            }
        }

        @Override
        void closeQueue()
        {
            queue.close();
        }

        @Override
        void tearDown()
        {
            final ZeroqQueue queue = this.queue;
            this.queue = null;
            this.py = null;
            this.buffer = null;
            if (null != queue)
            {
                queue.close();
            }
        }
    }

    private static final class ZeroqOfferPoll extends ZeroqKind
    {
        ZeroqOfferPoll(final int workers)
        {
            super("zeroq.offer-poll", "zq-op", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == (iteration & 1))
            {
                queue.offer(elements[worker], 0, ELEMENT_SIZE);
            }
            else
            {
                queue.poll(elements[worker], 0);
            }
        }
    }

    private static final class ZeroqNowait extends ZeroqKind
    {
        private final byte[][] items;

        ZeroqNowait(final int workers)
        {
            super("zeroq.putNowait-getNowait", "zq-nw", workers);
            items = new byte[workers][ELEMENT_SIZE];
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == (iteration & 1))
            {
                py.putNowait(items[worker]);
            }
            else
            {
                sinks[worker] += py.getNowait()[0];
            }
        }
    }

    private static final class ZeroqBlocking extends ZeroqKind
    {
        private final byte[][] items;
        private boolean putting;

        ZeroqBlocking(final int workers)
        {
            super("zeroq.put-take-blocking", "zq-bl", workers);
            items = new byte[workers][ELEMENT_SIZE];
        }

        /** Rounds 0, 1 mod 4 wait with the default strategy, 2, 3 with one that parks soon; odd rounds put. */
        @Override
        ZeroqConfig config(final int round)
        {
            return 0 == (round & 2) ? DEFAULT_CONFIG : QUICK_PARK_CONFIG;
        }

        @Override
        void setUp(final String shmName, final int round)
        {
            putting = 0 != (round & 1);
            super.setUp(shmName, round);
        }

        @Override
        int prefill(final int round)
        {
            return putting ? ZEROQ_CAPACITY : 0;
        }

        @Override
        boolean blocksUntilClosed(final int round)
        {
            return true;
        }

        @Override
        long closeTarget(final SplittableRandom random, final int round, final int workers)
        {
            return blockingCloseTarget(random, workers);
        }

        @Override
        long closeDelayNanos(final SplittableRandom random, final int round)
        {
            return blockingCloseDelayNanos(random);
        }

        @Override
        void call(final int worker, final long iteration) throws InterruptedException
        {
            if (putting)
            {
                if (0 == (worker & 1))
                {
                    py.put(items[worker]);
                }
                else
                {
                    queue.put(elements[worker], 0, ELEMENT_SIZE);
                }
            }
            else if (0 == (worker & 1))
            {
                sinks[worker] += py.get()[0];
            }
            else
            {
                queue.take(elements[worker], 0);
            }
        }
    }

    private static final class ZeroqTimed extends ZeroqKind
    {
        private static final long[] TIMEOUTS_NANOS = { 0, 1_000, 10_000, 100_000 };

        ZeroqTimed(final int workers)
        {
            super("zeroq.offer-poll-timeout", "zq-tm", workers);
        }

        @Override
        ZeroqConfig config(final int round)
        {
            return 0 == (round & 1) ? DEFAULT_CONFIG : QUICK_PARK_CONFIG;
        }

        @Override
        long closeTarget(final SplittableRandom random, final int round, final int workers)
        {
            return random.nextInt(64);
        }

        @Override
        void call(final int worker, final long iteration) throws InterruptedException
        {
            final long timeout = TIMEOUTS_NANOS[(int)(iteration & 3)];
            if (0 == (worker & 1))
            {
                queue.offer(elements[worker], 0, ELEMENT_SIZE, timeout, TimeUnit.NANOSECONDS);
            }
            else
            {
                queue.poll(elements[worker], 0, timeout, TimeUnit.NANOSECONDS);
            }
        }
    }

    private static final class ZeroqZeroCopy extends ZeroqKind
    {
        ZeroqZeroCopy(final int workers)
        {
            super("zeroq.tryClaim-commit-tryAcquire-release", "zq-zc", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final AtomicBuffer buffer = this.buffer;
            if (0 == (iteration & 1))
            {
                final long position = queue.tryClaim();
                if (ZeroqQueue.NO_POSITION != position)
                {
                    buffer.putLong(queue.offset(position), iteration);
                    queue.commit(position);
                }
            }
            else
            {
                final long position = queue.tryAcquire();
                if (ZeroqQueue.NO_POSITION != position)
                {
                    sinks[worker] += buffer.getLong(queue.offset(position));
                    queue.release(position);
                }
            }
        }
    }

    private static final class ZeroqBatch extends ZeroqKind
    {
        private final MessageHandler[] handlers;

        ZeroqBatch(final int workers)
        {
            super("zeroq.offerBatch-drain", "zq-bt", workers);
            handlers = new MessageHandler[workers];
            for (int w = 0; w < workers; w++)
            {
                final int worker = w;
                handlers[w] = (buffer, offset, length, position) -> sinks[worker] += buffer.getLong(offset);
            }
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == (iteration & 1))
            {
                queue.offerBatch(elements[worker], 0, 1 + (int)((iteration >> 1) % BATCH), ranges[worker]);
            }
            else
            {
                queue.drain(handlers[worker], BATCH);
            }
        }
    }

    private static final class ZeroqSize extends ZeroqKind
    {
        ZeroqSize(final int workers)
        {
            super("zeroq.size-isEmpty", "zq-sz", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == (iteration & 1))
            {
                sinks[worker] += queue.size();
            }
            else
            {
                sinks[worker] += queue.isEmpty() ? 1 : 0;
            }
        }
    }

    private abstract static class SlickKind extends Kind
    {
        final SlickCursor[] cursors;
        final SlickEntry[] entries;
        final UnsafeBuffer[] copies;
        final long[] sinks;
        SlickQueue queue;
        AtomicBuffer buffer;

        SlickKind(final String name, final String id, final int workers)
        {
            super(name, id);
            cursors = new SlickCursor[workers];
            entries = new SlickEntry[workers];
            copies = new UnsafeBuffer[workers];
            sinks = new long[workers];
            for (int w = 0; w < workers; w++)
            {
                cursors[w] = new SlickCursor();
                entries[w] = new SlickEntry();
                copies[w] = new UnsafeBuffer(new byte[ELEMENT_SIZE * SLICK_CAPACITY]);
            }
        }

        /** @return how many one-element entries to publish before the round. */
        int prefill(final int round)
        {
            return SLICK_CAPACITY;
        }

        /** @return the options of the round's queue: the defaults unless a kind says otherwise. */
        SlickConfig config(final int round)
        {
            return DEFAULT_SLICK_CONFIG;
        }

        @Override
        void setUp(final String shmName, final int round)
        {
            final SlickConfig config = config(round);
            queue = null == shmName ?
                SlickQueue.local(SLICK_CAPACITY, ELEMENT_SIZE, config) :
                SlickQueue.createOrOpen(shmName, SLICK_CAPACITY, ELEMENT_SIZE, config);
            buffer = queue.buffer();
            for (int i = 0, count = prefill(round); i < count; i++)
            {
                final long index = queue.reserve();
                buffer.putLong(queue.offset(index), index);
                queue.publish(index);
            }
            for (final SlickCursor cursor : cursors)
            {
                cursor.position(0);
            }
        }

        @Override
        void closeQueue()
        {
            queue.close();
        }

        @Override
        void tearDown()
        {
            final SlickQueue queue = this.queue;
            this.queue = null;
            this.buffer = null;
            if (null != queue)
            {
                queue.close();
            }
        }
    }

    private static final class SlickReserve extends SlickKind
    {
        SlickReserve(final int workers)
        {
            super("slick.reserve-publish", "sq-rp", workers);
        }

        @Override
        int prefill(final int round)
        {
            return 0;
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final long index = queue.reserve();
            buffer.putLong(queue.offset(index), iteration);
            queue.publish(index);
        }
    }

    private static final class SlickReserveN extends SlickKind
    {
        SlickReserveN(final int workers)
        {
            super("slick.reserveN-publishN", "sq-rn", workers);
        }

        @Override
        int prefill(final int round)
        {
            return 0;
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final int n = 2 + (int)(iteration % 3);
            final long index = queue.reserve(n);
            buffer.putLong(queue.offset(index + n - 1), iteration);
            queue.publish(index, n);
        }
    }

    private static final class SlickReadEntry extends SlickKind
    {
        SlickReadEntry(final int workers)
        {
            super("slick.read-cursor-entry", "sq-re", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final SlickEntry entry = entries[worker];
            if (queue.read(cursors[worker], entry))
            {
                sinks[worker] += buffer.getLong(entry.offset());
            }
            else
            {
                cursors[worker].position(0);
            }
        }
    }

    private static final class SlickReadCopy extends SlickKind
    {
        SlickReadCopy(final int workers)
        {
            super("slick.read-cursor-copy", "sq-rc", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == queue.read(cursors[worker], copies[worker], 0))
            {
                cursors[worker].position(0);
            }
        }
    }

    private static final class SlickReadWait extends SlickKind
    {
        private final IdleStrategy[][] idleStrategies;
        /** The strategy each worker picked for its current call, which its queue's strategy hands the wait to. */
        private final ThreadLocal<IdleStrategy> chosen = new ThreadLocal<>();
        /** Every waiting worker waits with the strategy it picked for the call, as if the call had been given it. */
        private final SlickConfig config = new SlickConfig().idleStrategy(() -> new ChosenIdleStrategy(chosen));
        private boolean blocking;
        private int strategyShift;
        private long shortTimeoutNanos;

        SlickReadWait(final int workers)
        {
            super("slick.read-idle-timeout", "sq-rw", workers);
            idleStrategies = new IdleStrategy[workers][];
            for (int w = 0; w < workers; w++)
            {
                idleStrategies[w] = new IdleStrategy[]
                {
                    new BackoffIdleStrategy(10, 10, 1_000, 50_000),
                    new YieldingIdleStrategy(),
                    new SleepingIdleStrategy(20_000),
                    new PhasedBackoffIdleStrategy(1_000, 10_000, 1_000, 20_000),
                };
            }
        }

        /** Even rounds wait on an empty queue until closed; odd rounds wait up to 0 to 20 us, over and over. */
        @Override
        int prefill(final int round)
        {
            return 0 == (round & 1) ? 0 : SLICK_CAPACITY / 4;
        }

        @Override
        boolean blocksUntilClosed(final int round)
        {
            return 0 == (round & 1);
        }

        @Override
        long closeTarget(final SplittableRandom random, final int round, final int workers)
        {
            shortTimeoutNanos = random.nextLong(20_000);
            return blocksUntilClosed(round) ? blockingCloseTarget(random, workers) : random.nextInt(64);
        }

        @Override
        long closeDelayNanos(final SplittableRandom random, final int round)
        {
            return blocksUntilClosed(round) ? blockingCloseDelayNanos(random) : 0;
        }

        @Override
        SlickConfig config(final int round)
        {
            return config;
        }

        @Override
        void call(final int worker, final long iteration) throws InterruptedException
        {
            final IdleStrategy[] strategies = idleStrategies[worker];
            final IdleStrategy idle = strategies[(int)((iteration + worker + strategyShift) % strategies.length)];
            final SlickEntry entry = entries[worker];
            final long timeout = blocking ? WAIT_FOREVER_NANOS : shortTimeoutNanos;
            chosen.set(idle);
            if (queue.read(cursors[worker], entry, timeout, TimeUnit.NANOSECONDS))
            {
                sinks[worker] += buffer.getLong(entry.offset());
            }
            else if (!blocking)
            {
                cursors[worker].position(0);
            }
        }

        @Override
        void setUp(final String shmName, final int round)
        {
            blocking = blocksUntilClosed(round);
            strategyShift = round >> 1;
            super.setUp(shmName, round);
        }
    }

    /**
     * A waiting thread's strategy that hands every pause and reset to the strategy its thread picked for the call,
     * so one queue waits with a different strategy from call to call, as the worker chose.
     */
    private static final class ChosenIdleStrategy implements IdleStrategy
    {
        private final ThreadLocal<IdleStrategy> chosen;

        ChosenIdleStrategy(final ThreadLocal<IdleStrategy> chosen)
        {
            this.chosen = chosen;
        }

        @Override
        public void idle(final int workCount)
        {
            chosen.get().idle(workCount);
        }

        @Override
        public void idle()
        {
            chosen.get().idle();
        }

        @Override
        public void reset()
        {
            chosen.get().reset();
        }

        @Override
        public String alias()
        {
            return "chosen";
        }
    }

    private static final class SlickReadAtomic extends SlickKind
    {
        private AtomicCursor cursor;

        SlickReadAtomic(final int workers)
        {
            super("slick.read-atomicCursor", "sq-ra", workers);
        }

        @Override
        List<String> shmNames(final String queueName)
        {
            return List.of(queueName, queueName + "-cursor");
        }

        @Override
        void setUp(final String shmName, final int round)
        {
            cursor = null == shmName ? AtomicCursor.local() : AtomicCursor.create(shmName + "-cursor");
            super.setUp(shmName, round);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final SlickEntry entry = entries[worker];
            if (queue.read(cursor, entry))
            {
                sinks[worker] += buffer.getLong(entry.offset());
            }
            else
            {
                cursor.store(0);
            }
        }

        @Override
        void tearDown()
        {
            try
            {
                super.tearDown();
            }
            finally
            {
                final AtomicCursor cursor = this.cursor;
                this.cursor = null;
                if (null != cursor)
                {
                    cursor.close();
                }
            }
        }
    }

    private static final class SlickReadLast extends SlickKind
    {
        SlickReadLast(final int workers)
        {
            super("slick.readLast", "sq-rl", workers);
        }

        @Override
        void call(final int worker, final long iteration)
        {
            final SlickEntry entry = entries[worker];
            if (queue.readLast(entry))
            {
                sinks[worker] += buffer.getLong(entry.offset());
            }
        }
    }

    private static final class SlickDrain extends SlickKind
    {
        private final MessageHandler[] handlers;

        SlickDrain(final int workers)
        {
            super("slick.drain", "sq-dr", workers);
            handlers = new MessageHandler[workers];
            for (int w = 0; w < workers; w++)
            {
                final int worker = w;
                handlers[w] = (buffer, offset, length, index) -> sinks[worker] += buffer.getLong(offset);
            }
        }

        @Override
        void call(final int worker, final long iteration)
        {
            if (0 == queue.drain(cursors[worker], handlers[worker], BATCH * 2))
            {
                cursors[worker].position(0);
            }
        }
    }
}
