package dev.shmq.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TwoHostsTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String RECEIVE_TIMEOUT_MILLIS = "20000";
    private static final int DATAGRAMS = 200;
    private static final int LOSSY_DATAGRAMS = 2000;
    private static final Pattern READY_PORT = Pattern.compile("^READY (\\d+)$");
    private static final String PID36 = Long.toString(ProcessHandle.current().pid(), Character.MAX_RADIX);
    private static final Pattern OUR_NAMES = Pattern.compile("^" + TwoHosts.NAME_PREFIX + "\\d+p" + PID36 + "[ab]$");

    @Test
    void shouldCarryDatagramsBothWays()
    {
        try (TwoHosts hosts = TwoHosts.create();
            ChildProcess receiverA = receiver(hosts.hostA(), "ping", DATAGRAMS, "ping");
            ChildProcess receiverB = receiver(hosts.hostB(), "ping", DATAGRAMS, "ping"))
        {
            final int portA = port(receiverA);
            final int portB = port(receiverB);
            try (ChildProcess senderA = sender(hosts.hostA(), hosts.hostB(), portB);
                ChildProcess senderB = sender(hosts.hostB(), hosts.hostA(), portA))
            {
                senderA.send("SEND ping " + DATAGRAMS);
                senderB.send("SEND ping " + DATAGRAMS);
                senderA.awaitLine("SENT", TIMEOUT);
                senderB.awaitLine("SENT", TIMEOUT);
            }
            assertEquals("DONE ping=" + DATAGRAMS + " sources=" + hosts.hostA().address(),
                receiverB.awaitLine("DONE", TIMEOUT), receiverB::describe);
            assertEquals("DONE ping=" + DATAGRAMS + " sources=" + hosts.hostB().address(),
                receiverA.awaitLine("DONE", TIMEOUT), receiverA::describe);
            assertEquals(0, receiverA.waitFor(TIMEOUT));
            assertEquals(0, receiverB.waitFor(TIMEOUT));
        }
    }

    @Test
    void shouldDropEverythingUntilDropsCleared()
    {
        try (TwoHosts hosts = TwoHosts.create();
            ChildProcess receiver = receiver(hosts.hostB(), "clear", DATAGRAMS, "lossy", "clear"))
        {
            hosts.hostB().dropIncoming(1.0);
            try (ChildProcess sender = sender(hosts.hostA(), hosts.hostB(), port(receiver)))
            {
                sender.send("SEND lossy " + DATAGRAMS);
                sender.awaitLine("SENT lossy", TIMEOUT);
                hosts.hostB().clearDrops();
                sender.send("SEND clear " + DATAGRAMS);
                sender.awaitLine("SENT clear", TIMEOUT);
            }
            // the receiver stops once every "clear" datagram is in: "lossy" ones that got through would be counted
            assertEquals("DONE lossy=0 clear=" + DATAGRAMS + " sources=" + hosts.hostA().address(),
                receiver.awaitLine("DONE", TIMEOUT), receiver::describe);
        }
    }

    @Test
    void shouldDropAboutOnePercent()
    {
        try (TwoHosts hosts = TwoHosts.create();
            ChildProcess receiver = receiver(hosts.hostB(), "end", 1, "lossy", "end"))
        {
            hosts.hostB().dropIncoming(0.01);
            hosts.hostB().dropIncoming(0.01); // replacing a rule keeps one rule, not two
            try (ChildProcess sender = sender(hosts.hostA(), hosts.hostB(), port(receiver)))
            {
                sender.send("SEND lossy " + LOSSY_DATAGRAMS);
                sender.awaitLine("SENT lossy", TIMEOUT);
                hosts.hostB().clearDrops();
                // sent after every lossy datagram was delivered or dropped, so "end" marks the end of the count
                sender.send("SEND end 10");
                sender.awaitLine("SENT end", TIMEOUT);
            }
            final Matcher done = Pattern.compile("^DONE lossy=(\\d+) end=\\d+ ")
                .matcher(receiver.awaitLine("DONE", TIMEOUT));
            assertTrue(done.find(), receiver::describe);
            // 1 % of 2000: 20 expected, none lost has odds of 2e-9, and 100 lost is beyond 17 standard deviations
            final int received = Integer.parseInt(done.group(1));
            assertTrue(received < LOSSY_DATAGRAMS && received > LOSSY_DATAGRAMS - 100, "received=" + received);
        }
    }

    @Test
    void shouldRunChildJvmInHostAsJavaProcess() throws IOException
    {
        try (TwoHosts hosts = TwoHosts.create();
            ChildProcess child = ChildJvm.mainClass(ChildMain.class).commandPrefix(hosts.hostB().execPrefix())
                .args("handshake").start())
        {
            // ip netns exec replaced itself with java: the pid the child reports is the one ChildProcess holds
            assertEquals("READY " + child.pid(), child.awaitLine("READY", TIMEOUT), child::describe);
            final Path proc = Paths.get("/proc", Long.toString(child.pid()));
            final String argv0 = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                .split("\0")[0];
            assertTrue(argv0.endsWith("/java"), argv0);
            final String childNet = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
            assertEquals("net:[" + Files.getAttribute(Paths.get("/run/netns", hosts.hostB().name()), "unix:ino") +
                ']', childNet);
            assertNotEquals(Files.readSymbolicLink(Paths.get("/proc/self/ns/net")).toString(), childNet);

            assertEquals(ChildProcess.SIGKILL_EXIT_CODE, child.kill());
            assertFalse(Files.exists(proc));
        }
    }

    @Test
    void shouldLeaveNothingBehindOnClose()
    {
        final TwoHosts hosts = TwoHosts.create();
        final List<String> names = List.of(hosts.hostA().name(), hosts.hostB().name());
        try (hosts)
        {
            assertTrue(namespaces().containsAll(names), () -> namespaces().toString());
            assertTrue(names.stream().allMatch(name -> name.length() <= 15), names::toString);
            assertEquals(names, List.of(hosts.hostA().interfaceName(), hosts.hostB().interfaceName()));
            assertEquals(List.of(), ourInterfacesOutside());
            hosts.hostA().dropIncoming(0.5);
        }
        assertEquals(List.of(), ourNamespaces());
        assertEquals(List.of(), ourInterfacesOutside());

        hosts.close();
        assertThrows(IllegalArgumentException.class, () -> hosts.hostB().dropIncoming(1.5));
        assertThrows(IllegalArgumentException.class, () -> hosts.hostB().dropIncoming(Double.NaN));
        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> hosts.hostB().dropIncoming(0.5));
        assertTrue(ex.getMessage().startsWith("closed=true (expected open TwoHosts)"), ex.getMessage());
    }

    @Test
    void shouldLeaveNothingBehindWhenCreationFailsHalfWay()
    {
        // host B's address 10.200.N.300 is refused by ip after both namespaces and the veth exist
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> TwoHosts.create(1, 300));

        assertTrue(ex.getMessage().contains(" address add 10.200.") && ex.getMessage().contains("exit="),
            ex.getMessage());
        assertEquals(List.of(), ourNamespaces());
        assertEquals(List.of(), ourInterfacesOutside());
    }

    @Test
    void shouldKeepConcurrentInstancesApart()
    {
        try (TwoHosts first = TwoHosts.create();
            TwoHosts second = TwoHosts.create())
        {
            assertNotEquals(first.subnet(), second.subnet());
            assertNotEquals(first.hostA().name(), second.hostA().name());
            assertTrue(first.subnet().matches("^10\\.200\\.\\d{1,3}\\.0/24$"), first.subnet());
            assertTrue(second.hostB().address().startsWith(second.subnet().replace("0/24", "")));
        }
    }

    @Test
    void shouldAvoidSubnetOfAnotherProcess()
    {
        final String taken;
        try (TwoHosts hosts = TwoHosts.create())
        {
            taken = hosts.subnet();
        }
        // a namespace as another JVM (pid "zzzzz" in base 36) would make it, holding the subnet this JVM would pick
        final String third = taken.split("\\.")[2];
        final String decoy = TwoHosts.NAME_PREFIX + third + "pzzzzza";
        final Path ip = DebianPackages.require("ip", "iproute2");
        TwoHosts.run(List.of(ip.toString(), "netns", "add", decoy), null);
        try (TwoHosts hosts = TwoHosts.create())
        {
            assertNotEquals(taken, hosts.subnet());
        }
        finally
        {
            TwoHosts.run(List.of(ip.toString(), "netns", "delete", decoy), null);
        }
    }

    @Test
    void shouldNoticeAnotherProcessTakingSameSubnetAtOnce()
    {
        final Path ip = DebianPackages.require("ip", "iproute2");
        try (TwoHosts hosts = TwoHosts.create())
        {
            assertFalse(hosts.isContested());
            final String rival = TwoHosts.NAME_PREFIX + hosts.subnet().split("\\.")[2] + "pzzzzzb";
            TwoHosts.run(List.of(ip.toString(), "netns", "add", rival), null);
            try
            {
                // what create() checks after building: it would give this subnet up and pick another
                assertTrue(hosts.isContested());
            }
            finally
            {
                TwoHosts.run(List.of(ip.toString(), "netns", "delete", rival), null);
            }
        }
    }

    @Test
    void shouldExplainMissingCapabilities()
    {
        final String unprivileged = "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nCapInh:\t0000000000000000\n" +
            "CapEff:\t0000000000001000\n";
        assertEquals("TwoHosts cannot make network namespaces: uid=1000 CapEff=0000000000001000 lacks " +
            "CAP_SYS_ADMIN (expected CAP_NET_ADMIN and CAP_SYS_ADMIN: run as root with its capabilities; a " +
            "container needs --cap-add NET_ADMIN --cap-add SYS_ADMIN, or --privileged)",
            TwoHosts.missingCapabilities(unprivileged));
        assertTrue(TwoHosts.missingCapabilities("Uid:\t1000\t1000\t1000\t1000\nCapEff:\t0000000000000000\n")
            .contains(" lacks CAP_NET_ADMIN and CAP_SYS_ADMIN ("));
        assertEquals(null, TwoHosts.missingCapabilities("Uid:\t0\t0\t0\t0\nCapEff:\t000001ffffffffff\n"));
    }

    private static ChildProcess receiver(
        final TwoHosts.Host host, final String stopTag, final int stopCount, final String... tags)
    {
        return ChildJvm.mainClass(UdpProbeMain.class)
            .name("receiver-" + host.name())
            .commandPrefix(host.execPrefix())
            .args("receive", host.address(), stopTag, Integer.toString(stopCount), RECEIVE_TIMEOUT_MILLIS)
            .args(tags)
            .start();
    }

    private static ChildProcess sender(final TwoHosts.Host from, final TwoHosts.Host to, final int port)
    {
        final ChildProcess sender = ChildJvm.mainClass(UdpProbeMain.class)
            .name("sender-" + from.name())
            .commandPrefix(from.execPrefix())
            .args("send", to.address(), Integer.toString(port))
            .start();
        sender.awaitLine("READY", TIMEOUT);
        return sender;
    }

    private static int port(final ChildProcess receiver)
    {
        final Matcher ready = READY_PORT.matcher(receiver.awaitLine(READY_PORT, TIMEOUT));
        assertTrue(ready.matches());
        return Integer.parseInt(ready.group(1));
    }

    private static List<String> namespaces()
    {
        return TwoHosts.namespaceNames(DebianPackages.require("ip", "iproute2"));
    }

    private static List<String> ourNamespaces()
    {
        return namespaces().stream().filter(name -> OUR_NAMES.matcher(name).matches()).collect(Collectors.toList());
    }

    /** @return interfaces of this machine's own namespace named as this JVM's hosts would be. */
    private static List<String> ourInterfacesOutside()
    {
        final String links = TwoHosts.run(
            List.of(DebianPackages.require("ip", "iproute2").toString(), "-o", "link", "show"), null);
        return links.lines()
            .map(line -> line.split(":\\s+")[1].split("@")[0])
            .filter(name -> OUR_NAMES.matcher(name).matches())
            .collect(Collectors.toList());
    }
}
