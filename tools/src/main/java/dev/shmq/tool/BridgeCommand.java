package dev.shmq.tool;

import dev.shmq.bridge.BridgeAgent;
import dev.shmq.bridge.BridgeRunner;
import dev.shmq.bridge.QueueBridge;
import dev.shmq.slick.AtomicCursor;
import dev.shmq.slick.SlickConfig;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickQueue;
import dev.shmq.zeroq.ZeroqConfig;
import dev.shmq.zeroq.ZeroqQueue;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.CloseHelper;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code shmq bridge out|in zeroq|slick NAME --channel CHANNEL --stream ID}: one direction of a bridge between a local
 * queue and an Aeron stream, in this process, until SIGINT/SIGTERM or {@code --count} elements. {@code out} takes
 * from the queue and publishes; {@code in} subscribes and puts into the queue. Prints {@code READY} once set up,
 * the counters every {@code --log-interval}, and exits 0 when stopped as asked.
 */
@Command(name = "bridge", description = "move a queue's elements to or from an Aeron stream (another host)")
final class BridgeCommand extends ToolCommand
{
    /** Which way the elements go. */
    enum Direction
    {
        /** From the local queue to the stream. */
        OUT,

        /** From the stream to the local queue. */
        IN
    }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "out|in", converter = DirectionConverter.class,
        description = "out: queue to stream; in: stream to queue")
    private Direction direction;

    @Parameters(index = "1", paramLabel = QueueProtocol.LABEL, converter = QueueProtocol.Converter.class,
        description = "the queue's protocol")
    private QueueProtocol protocol;

    @Parameters(index = "2", paramLabel = "NAME", description = "the local queue")
    private String name;

    @Option(names = "--channel", required = true, paramLabel = "CHANNEL",
        description = "the Aeron channel, e.g. aeron:udp?endpoint=10.0.0.2:40123 (the in side's address)")
    private String channel;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "the Aeron stream id")
    private int streamId;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "an external media driver's directory (default: embed one, deleted on exit)")
    private Path aeronDirectory;

    @Option(names = "--create",
        description = "create the queue if it does not exist (needs --capacity, --element-size)")
    private boolean create;

    @Option(names = "--capacity", paramLabel = "N", converter = NonNegativeLong.class,
        description = "with --create: the queue's capacity")
    private long capacity;

    @Option(names = "--element-size", paramLabel = "BYTES", converter = NonNegativeLong.class,
        description = "with --create: the queue's element size")
    private long elementSize;

    @Option(names = "--cursor", paramLabel = "NAME",
        description = "slick out: take entries on this shared AtomicCursor (work-stealing) instead of reading all")
    private String sharedCursorName;

    @Option(names = "--from-start", description = "slick out: read from index 0 instead of new entries only")
    private boolean fromStart;

    @Option(names = "--sole-producer",
        description = "zeroq in: nobody else produces into the queue, so a claim left uncommitted by a killed " +
            "predecessor (a bridge in restarted after a kill) is skipped once consumers reach it")
    private boolean soleProducer;

    @Option(names = "--count", paramLabel = "N", converter = NonNegativeLong.class,
        description = "stop after moving N elements (default: run until SIGINT/SIGTERM)")
    private long stopAfter;

    @Option(names = "--log-interval", paramLabel = "MS", converter = NonNegativeLong.class,
        description = "how often to print the counters (default: ${DEFAULT-VALUE})")
    private long logIntervalMs = TimeUnit.NANOSECONDS.toMillis(BridgeRunner.DEFAULT_LOG_INTERVAL_NANOS);

    @Override
    int execute() throws InterruptedException
    {
        checkOptions();
        final String label = "bridge " + direction.name().toLowerCase() + " " + protocol.name().toLowerCase() + " " +
            name;
        final List<AutoCloseable> resources = new ArrayList<>();
        try (BridgeRunner runner = BridgeRunner.launch(aeronDirectory, tool().out()))
        {
            final BridgeAgent agent = agent(runner, resources);
            tool().out().println("READY " + label + " channel=" + channel + " stream=" + streamId);
            tool().out().flush();
            final boolean stoppedAsAsked = runner.run(
                agent, label, stopAfter, TimeUnit.MILLISECONDS.toNanos(Math.max(1, logIntervalMs)));
            tool().out().println("DONE " + agent.counters());
            return stoppedAsAsked ? ShmqTool.EXIT_OK : ShmqTool.EXIT_FAILURE;
        }
        finally
        {
            for (int i = resources.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(resources.get(i));
            }
        }
    }

    private BridgeAgent agent(final BridgeRunner runner, final List<AutoCloseable> resources)
    {
        if (Direction.OUT == direction)
        {
            final Publication publication = track(resources, runner.aeron().addExclusivePublication(channel, streamId));
            if (QueueProtocol.ZEROQ == protocol)
            {
                return QueueBridge.out(track(resources, zeroq()), publication);
            }
            final SlickQueue queue = track(resources, slick());
            if (null != sharedCursorName)
            {
                final AtomicCursor cursor =
                    track(resources, AtomicCursor.createOrOpen(sharedCursorName, slickConfig()));
                return QueueBridge.out(queue, cursor, publication);
            }
            return QueueBridge.out(
                queue, new SlickCursor(fromStart ? 0 : queue.initialReadingIndex()), publication);
        }
        final Subscription subscription = track(resources, runner.aeron().addSubscription(channel, streamId));
        if (QueueProtocol.SLICK == protocol)
        {
            return QueueBridge.in(subscription, track(resources, slick()));
        }
        final ZeroqQueue queue = track(resources, zeroq());
        if (soleProducer)
        {
            return QueueBridge.inAsSoleProducer(subscription, queue);
        }
        final long uncommitted = queue.newestUncommittedClaim();
        if (ZeroqQueue.NO_POSITION != uncommitted)
        {
            tool().out().println("shmq: bridge in zeroq " + name + ": position " + uncommitted + " is claimed and " +
                "not committed; if a bridge in was killed there, consumers will stop at it: restart with " +
                "--sole-producer, or run 'shmq unblock " + name + "' once they do");
        }
        return QueueBridge.in(subscription, queue);
    }

    private ZeroqQueue zeroq()
    {
        // The queue outlives the bridge: its producers and consumers go on using it, so the bridge never unlinks.
        final ZeroqConfig config = zeroqConfig().unlinkOnClose(false);
        return create ? ZeroqQueue.createOrOpen(name, (int)capacity, (int)elementSize, config) :
            ZeroqQueue.open(name, config);
    }

    private SlickQueue slick()
    {
        final SlickConfig config = slickConfig().unlinkOnClose(false);
        return create ? SlickQueue.createOrOpen(name, (int)capacity, (int)elementSize, config) :
            SlickQueue.open(name, config);
    }

    private static <T extends AutoCloseable> T track(final List<AutoCloseable> resources, final T resource)
    {
        resources.add(resource);
        return resource;
    }

    private void checkOptions()
    {
        if (create && (0 == capacity || 0 == elementSize || capacity > Integer.MAX_VALUE ||
            elementSize > Integer.MAX_VALUE))
        {
            throw new ParameterException(spec.commandLine(), "--create needs --capacity and --element-size " +
                "(capacity=" + capacity + ", elementSize=" + elementSize + "; expected 1 to " + Integer.MAX_VALUE +
                ")");
        }
        if ((null != sharedCursorName || fromStart) && !(Direction.OUT == direction && QueueProtocol.SLICK == protocol))
        {
            throw new ParameterException(
                spec.commandLine(), "--cursor and --from-start are for 'bridge out slick' only");
        }
        if (soleProducer && !(Direction.IN == direction && QueueProtocol.ZEROQ == protocol))
        {
            throw new ParameterException(spec.commandLine(), "--sole-producer is for 'bridge in zeroq' only");
        }
    }

    /** Converts {@code out} or {@code in}; anything else is a usage error. */
    static final class DirectionConverter implements ITypeConverter<Direction>
    {
        @Override
        public Direction convert(final String value)
        {
            for (final Direction direction : Direction.values())
            {
                if (direction.name().toLowerCase().equals(value))
                {
                    return direction;
                }
            }
            throw new TypeConversionException("direction '" + value + "' (expected out or in)");
        }
    }
}
