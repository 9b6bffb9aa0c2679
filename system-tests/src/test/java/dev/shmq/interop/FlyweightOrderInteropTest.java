package dev.shmq.interop;

import dev.shmq.layout.CStruct;
import dev.shmq.layout.FlyweightGenerator;
import dev.shmq.layout.HeaderImporter;
import dev.shmq.slick.SlickCursor;
import dev.shmq.slick.SlickEntry;
import dev.shmq.slick.SlickQueue;
import dev.shmq.testkit.ChildProcess;
import dev.shmq.testkit.NativePeer;
import dev.shmq.testkit.PeerLines;
import dev.shmq.testkit.ShmTestExtension;
import dev.shmq.testkit.ShmTestNames;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example end to end: a C++ {@code struct md::Order} in a header ({@code order.h}), imported with
 * {@link HeaderImporter}, its flyweight generated with {@link FlyweightGenerator} and compiled with javac; a C++
 * producer ({@code order_producer.cpp}, compiled in the test) publishes orders on a SlickQueue in its own process,
 * and Java reads each one through the flyweight.
 */
@ExtendWith(ShmTestExtension.class)
class FlyweightOrderInteropTest
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String RESOURCES = "dev/shmq/interop/flyweight/";
    private static final Path HEADER = Path.of("src/test/resources/" + RESOURCES + "order.h");
    private static final String PACKAGE = "dev.shmq.generated.md";
    private static final String CHECKER = String.join("\n",
        "package " + PACKAGE + ";",
        "",
        "import org.agrona.DirectBuffer;",
        "",
        "/** Checks order i as order_producer.cpp writes it, through the generated flyweight. */",
        "public final class OrderCheck",
        "{",
        "    private final Order order = new Order();",
        "",
        "    /** A check with a flyweight of its own. */",
        "    public OrderCheck()",
        "    {",
        "    }",
        "",
        "    /**",
        "     * Compares an entry with what the producer wrote for order {@code i}.",
        "     *",
        "     * @param buffer the queue's buffer.",
        "     * @param offset the entry's offset.",
        "     * @param i      the order's number.",
        "     * @return null if it holds what the producer wrote, else what differs.",
        "     */",
        "    public String check(final DirectBuffer buffer, final int offset, final long i)",
        "    {",
        "        order.wrap(buffer, offset);",
        "        final boolean ok = order.getOrderId() == Long.MIN_VALUE + i && order.getPriceTicks() == -7 * i &&",
        "            order.getQuantity() == 4_000_000_000L - i && order.getSymbol().equals(\"S\" + i % 1000) &&",
        "            order.getSide() == (0 == i % 2 ? 'B' : 'S');",
        "        return ok ? null : order.toString();",
        "    }",
        "}",
        "");

    @TempDir
    Path work;

    @Test
    void shouldReadOrdersACppProducerPublishesThroughTheFlyweightGeneratedFromItsHeader(final ShmTestNames names)
        throws Exception
    {
        final CStruct order = new HeaderImporter().importStruct(HEADER, "md::Order");
        assertEquals(32, order.size());
        final Object checker = compile(FlyweightGenerator.generate(order, PACKAGE, "Order"));
        final Method check = checker.getClass().getMethod("check", DirectBuffer.class, int.class, long.class);
        final NativePeer producer = NativePeer.builder("order_producer")
            .sourceResource(RESOURCES + "order_producer.cpp")
            .sourceResource(RESOURCES + "order.h")
            .sourceResource("dev/shmq/testkit/peers/peer_common.hpp")
            .sourceResource("dev/shmq/testkit/peers/slick_queue.hpp")
            .shmqLayoutHeaders()
            .build();
        final String name = names.next("flyweight-orders");
        final int count = 2_000;

        try (SlickQueue queue = SlickQueue.createOrOpen(name, 4096, order.size());
            ChildProcess cpp = producer.start(name, Integer.toString(count)))
        {
            final SlickCursor cursor = new SlickCursor();
            final SlickEntry entry = new SlickEntry();
            for (long i = 0; i < count; i++)
            {
                assertTrue(queue.read(cursor, entry, DEADLINE.toNanos(), TimeUnit.NANOSECONDS),
                    "order " + i + " of " + count + ": " + cpp.describe());
                assertEquals(order.size(), entry.length());
                assertNull(check.invoke(checker, queue.buffer(), entry.offset(), i), "order " + i);
            }
            assertEquals(count, PeerLines.numbers(cpp.awaitLine("DONE", DEADLINE)).get("produced"));
            assertEquals(0, cpp.waitFor(DEADLINE), cpp.describe());
            assertEquals(0, cursor.lossCount());
            queue.unlink();
        }
    }

    private Object compile(final String flyweight) throws Exception
    {
        final Path sources = Files.createDirectories(work.resolve("src/" + PACKAGE.replace('.', '/')));
        final Path classes = Files.createDirectories(work.resolve("classes"));
        final List<Path> files = new ArrayList<>();
        files.add(Files.writeString(sources.resolve("Order.java"), flyweight));
        files.add(Files.writeString(sources.resolve("OrderCheck.java"), CHECKER));
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, null))
        {
            final Path agrona = Path.of(DirectBuffer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            final List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror",
                "-Xdoclint:all/protected", "-classpath", agrona.toString(), "-d", classes.toString());
            assertTrue(javac.getTask(null, fileManager, diagnostics, options, null,
                fileManager.getJavaFileObjectsFromPaths(files)).call(), diagnostics.getDiagnostics().toString());
        }
        final URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
            getClass().getClassLoader());
        return loader.loadClass(PACKAGE + ".OrderCheck").getDeclaredConstructor().newInstance();
    }
}
