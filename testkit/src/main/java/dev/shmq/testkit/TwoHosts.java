package dev.shmq.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two hosts on this machine for tests across a network: two Linux network namespaces joined by a veth pair, each end
 * with an IPv4 address of its own in one {@code /24} ({@code 10.200.N.1} on host A, {@code 10.200.N.2} on host B),
 * loopback and the veth up. A process started with a host's {@link Host#execPrefix()} (a {@link ChildJvm} with
 * {@link ChildJvm#commandPrefix(List)}, any command with {@link Host#processBuilder(List)}) sees only that host's
 * network; {@link Host#dropIncoming(double)} adds random packet loss on the way in.
 *
 * <pre>{@code
 * try (TwoHosts hosts = TwoHosts.create();
 *     ChildProcess receiver = ChildJvm.mainClass(Receiver.class).commandPrefix(hosts.hostB().execPrefix())
 *         .args(hosts.hostB().address()).start())
 * {
 *     receiver.awaitLine("READY", Duration.ofSeconds(10));
 *     hosts.hostB().dropIncoming(0.01);
 *     ...
 * }
 * }</pre>
 *
 * <p>Only the network is apart: both hosts share this machine's file systems, {@code /dev/shm} included, and its
 * processes. Making namespaces needs root (precisely CAP_NET_ADMIN and CAP_SYS_ADMIN) and {@code ip} from iproute2,
 * packet loss needs {@code nft} from nftables; both are installed with {@link DebianPackages} when missing. Without
 * the capabilities {@link #create()} throws, saying so: a test that needs two hosts fails rather than skips.
 *
 * <p>Names are {@code shmq<N>p<pid>a} and {@code shmq<N>p<pid>b} (pid in base 36, at most 14 characters), for both
 * namespace and interface, where {@code N} (1 to 254) is also the subnet's third byte. {@code N} starts from this
 * JVM's pid, skips any taken by a namespace of that form (from another JVM, or left behind by a killed one: remove it
 * with {@code ip netns del NAME}) or by another instance of this JVM, and a creation that finds another process took
 * the same {@code N} at the same time yields and picks again, so instances in one JVM or in several never share a
 * name or a subnet. The veth is made inside the namespaces and never appears in this machine's own namespace.
 *
 * <p>{@link #close()} deletes both namespaces, which removes the veth and the loss rules. Close the processes that run
 * in a host first (try-with-resources does, in reverse order): a namespace outlives its deletion while a process
 * still runs in it, although its name is gone at once.
 */
public final class TwoHosts implements AutoCloseable
{
    /** The start of every namespace and interface name. */
    public static final String NAME_PREFIX = "shmq";

    /** The first two bytes of every address: host addresses are {@code 10.200.N.1} and {@code 10.200.N.2}. */
    public static final String NETWORK_PREFIX = "10.200.";

    /** The length in bits of each pair's network prefix. */
    public static final int PREFIX_LENGTH = 24;

    /** The nftables table (family {@code inet}) holding a host's loss rule. */
    public static final String LOSS_TABLE = "shmqloss";

    /** How long one {@code ip} or {@code nft} command may take. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** The resolution of {@link Host#dropIncoming(double)}: the fraction is rounded to a multiple of its inverse. */
    public static final int LOSS_RESOLUTION = 10_000;

    private static final int FIRST_SUBNET = 1;
    private static final int SUBNETS = 254;
    private static final int HOST_A_OCTET = 1;
    private static final int HOST_B_OCTET = 2;
    private static final int MAX_ATTEMPTS = 16;
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final Path PROC_SELF_STATUS = Paths.get("/proc/self/status");
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^" + NAME_PREFIX + "(\\d{1,3})p([0-9a-z]+)([ab])$");
    private static final Set<Integer> CLAIMED_SUBNETS = new HashSet<>();

    private final Path ip;
    private final int subnet;
    private final Host hostA;
    private final Host hostB;
    private final List<String> createdNamespaces = new ArrayList<>();
    private boolean closed;

    private TwoHosts(final Path ip, final long pid, final int subnet, final int octetA, final int octetB)
    {
        this.ip = ip;
        this.subnet = subnet;
        final String stem = NAME_PREFIX + subnet + 'p' + Long.toString(pid, Character.MAX_RADIX);
        this.hostA = new Host(this, stem + 'a', NETWORK_PREFIX + subnet + '.' + octetA);
        this.hostB = new Host(this, stem + 'b', NETWORK_PREFIX + subnet + '.' + octetB);
    }

    /**
     * Makes the two hosts. On any failure everything made so far is removed before the exception leaves.
     *
     * @return the hosts; close them (try-with-resources).
     * @throws IllegalStateException saying why, if this process may not make namespaces (not root, no CAP_NET_ADMIN
     *                               or CAP_SYS_ADMIN), {@code ip} cannot be installed, a command fails, or no subnet
     *                               is free.
     */
    public static TwoHosts create()
    {
        return create(HOST_A_OCTET, HOST_B_OCTET);
    }

    /**
     * {@link #create()} with other last address bytes: a bad one makes creation fail half way, for testing cleanup.
     */
    static TwoHosts create(final int octetA, final int octetB)
    {
        final Path ip = DebianPackages.require("ip", "iproute2");
        final String missing = missingCapabilities(readProcSelfStatus());
        if (null != missing)
        {
            throw new IllegalStateException(missing);
        }
        final long pid = ProcessHandle.current().pid();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
        {
            final TwoHosts hosts = new TwoHosts(ip, pid, claimSubnet(ip, pid, attempt), octetA, octetB);
            try
            {
                hosts.build();
                if (!hosts.isContested())
                {
                    return hosts;
                }
            }
            catch (final RuntimeException ex)
            {
                try
                {
                    hosts.close();
                }
                catch (final RuntimeException closeEx)
                {
                    ex.addSuppressed(closeEx);
                }
                throw ex;
            }
            // another process made namespaces with the same subnet at the same time: give it up, pick again
            hosts.close();
        }
        throw new IllegalStateException("attempts=" + MAX_ATTEMPTS + " all met another process taking the same " +
            "subnet (expected one to succeed); namespaces=" + namespaceNames(ip));
    }

    /** @return host A, address {@code 10.200.N.1}. */
    public Host hostA()
    {
        return hostA;
    }

    /** @return host B, address {@code 10.200.N.2}. */
    public Host hostB()
    {
        return hostB;
    }

    /** @return the network both hosts are on, e.g. {@code 10.200.17.0/24}. */
    public String subnet()
    {
        return NETWORK_PREFIX + subnet + ".0/" + PREFIX_LENGTH;
    }

    /**
     * Deletes both namespaces, with the veth and any loss rules. Idempotent; also cleans up after a creation that
     * failed half way.
     *
     * @throws IllegalStateException if a namespace cannot be deleted, after trying the other.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final List<String> failures = new ArrayList<>();
        for (int i = createdNamespaces.size() - 1; i >= 0; i--)
        {
            try
            {
                run(List.of(ip.toString(), "netns", "delete", createdNamespaces.get(i)), null);
            }
            catch (final IllegalStateException ex)
            {
                failures.add(ex.getMessage());
            }
        }
        createdNamespaces.clear();
        releaseSubnet(subnet);
        if (!failures.isEmpty())
        {
            throw new IllegalStateException("cannot delete namespaces of " + this + ": " + failures);
        }
    }

    @Override
    public synchronized String toString()
    {
        return "TwoHosts{subnet=" + subnet() + ", hostA=" + hostA + ", hostB=" + hostB + ", closed=" + closed + '}';
    }

    /**
     * Why this process cannot make network namespaces, from the text of {@code /proc/self/status}.
     *
     * @return the reason, or null if it has the capabilities or the text does not tell.
     */
    static String missingCapabilities(final String procStatus)
    {
        if (null == procStatus)
        {
            return null;
        }
        final String capEff = statusField(procStatus, "CapEff");
        if (null == capEff)
        {
            return null;
        }
        final long capabilities = Long.parseUnsignedLong(capEff, 16);
        final List<String> missing = new ArrayList<>();
        if (0 == (capabilities & (1L << CAP_NET_ADMIN)))
        {
            missing.add("CAP_NET_ADMIN");
        }
        if (0 == (capabilities & (1L << CAP_SYS_ADMIN)))
        {
            missing.add("CAP_SYS_ADMIN");
        }
        if (missing.isEmpty())
        {
            return null;
        }
        final String uid = statusField(procStatus, "Uid");
        return "TwoHosts cannot make network namespaces: uid=" + (null == uid ? "?" : uid.split("\\s+")[1]) +
            " CapEff=" + capEff + " lacks " + String.join(" and ", missing) +
            " (expected CAP_NET_ADMIN and CAP_SYS_ADMIN: run as root with its capabilities; a container needs " +
            "--cap-add NET_ADMIN --cap-add SYS_ADMIN, or --privileged)";
    }

    /**
     * @return the names of this machine's named network namespaces ({@code ip netns list}).
     */
    static List<String> namespaceNames(final Path ip)
    {
        final List<String> names = new ArrayList<>();
        for (final String line : run(List.of(ip.toString(), "netns", "list"), null).split("\n"))
        {
            // "name" or "name (id: 3)"
            final String name = line.trim().split("\\s+")[0];
            if (!name.isEmpty())
            {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Runs a command to its end.
     *
     * @param input lines for its standard input, or null.
     * @return its standard output.
     * @throws IllegalStateException with its output if it fails or takes longer than {@link #COMMAND_TIMEOUT}.
     */
    static String run(final List<String> command, final String input)
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        final String name = Paths.get(command.get(0)).getFileName().toString();
        try (ChildProcess process = ChildProcess.start(name, builder))
        {
            if (null != input)
            {
                process.send(input);
            }
            process.closeStdin();
            final int exit = process.waitFor(COMMAND_TIMEOUT);
            if (0 != exit)
            {
                throw new IllegalStateException("command='" + String.join(" ", command) + "' exit=" + exit +
                    " (expected 0): " + (process.stderr() + process.stdout()).trim());
            }
            return process.stdout();
        }
    }

    private void build()
    {
        for (final Host host : List.of(hostA, hostB))
        {
            run(List.of(ip.toString(), "netns", "add", host.name), null);
            createdNamespaces.add(host.name);
        }
        // both ends are made inside their namespaces: the veth never shows in this machine's own namespace
        run(List.of(ip.toString(), "link", "add", hostA.interfaceName, "netns", hostA.name, "type", "veth",
            "peer", "name", hostB.interfaceName, "netns", hostB.name), null);
        for (final Host host : List.of(hostA, hostB))
        {
            run(List.of(ip.toString(), "-n", host.name, "address", "add", host.address + '/' + PREFIX_LENGTH,
                "dev", host.interfaceName), null);
            run(List.of(ip.toString(), "-n", host.name, "link", "set", "lo", "up"), null);
            run(List.of(ip.toString(), "-n", host.name, "link", "set", host.interfaceName, "up"), null);
        }
    }

    /** @return true if a namespace of another process or instance has this instance's subnet. */
    boolean isContested()
    {
        for (final String name : namespaceNames(ip))
        {
            final Matcher matcher = OUR_NAMESPACE.matcher(name);
            if (matcher.matches() && Integer.parseInt(matcher.group(1)) == subnet &&
                !name.equals(hostA.name) && !name.equals(hostB.name))
            {
                return true;
            }
        }
        return false;
    }

    private static int claimSubnet(final Path ip, final long pid, final int attempt)
    {
        final List<String> names = namespaceNames(ip);
        synchronized (CLAIMED_SUBNETS)
        {
            final Set<Integer> taken = new TreeSet<>(CLAIMED_SUBNETS);
            for (final String name : names)
            {
                final Matcher matcher = OUR_NAMESPACE.matcher(name);
                if (matcher.matches())
                {
                    taken.add(Integer.parseInt(matcher.group(1)));
                }
            }
            // the first try starts from the pid, so that JVMs started together spread; later ones at random
            final int start = 0 == attempt ? (int)Math.floorMod(pid, (long)SUBNETS) :
                ThreadLocalRandom.current().nextInt(SUBNETS);
            for (int i = 0; i < SUBNETS; i++)
            {
                final int candidate = FIRST_SUBNET + (start + i) % SUBNETS;
                if (!taken.contains(candidate))
                {
                    CLAIMED_SUBNETS.add(candidate);
                    return candidate;
                }
            }
            throw new IllegalStateException("no free subnet: taken=" + taken + " (expected fewer than " + SUBNETS +
                " pairs at once; remove leftovers with ip netns delete NAME) namespaces=" + names);
        }
    }

    private static void releaseSubnet(final int subnet)
    {
        synchronized (CLAIMED_SUBNETS)
        {
            CLAIMED_SUBNETS.remove(subnet);
        }
    }

    private static String readProcSelfStatus()
    {
        try
        {
            return Files.readString(PROC_SELF_STATUS);
        }
        catch (final IOException ex)
        {
            // not Linux, or no /proc: let ip say what is wrong
            return null;
        }
    }

    private static String statusField(final String procStatus, final String field)
    {
        for (final String line : procStatus.split("\n"))
        {
            if (line.startsWith(field + ':'))
            {
                return line.substring(field.length() + 1).trim();
            }
        }
        return null;
    }

    private synchronized void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("closed=true (expected open TwoHosts) " + this);
        }
    }

    /**
     * One of the two hosts: a network namespace with one veth end and its address.
     */
    public static final class Host
    {
        private final TwoHosts owner;
        private final String name;
        private final String address;
        private final String interfaceName;

        private Host(final TwoHosts owner, final String name, final String address)
        {
            this.owner = owner;
            this.name = name;
            this.address = address;
            this.interfaceName = name;
        }

        /** @return the network namespace's name, as {@code ip netns list} shows it. */
        public String name()
        {
            return name;
        }

        /** @return the host's IPv4 address, e.g. {@code 10.200.17.2}, without its prefix length. */
        public String address()
        {
            return address;
        }

        /** @return the host's end of the veth pair, the same as {@link #name()}. */
        public String interfaceName()
        {
            return interfaceName;
        }

        /**
         * @return {@code ip netns exec <name>}, with {@code ip}'s absolute path: put before a command to run it in
         * this host. {@code ip netns exec} replaces itself with the command, so the process started is the command.
         */
        public List<String> execPrefix()
        {
            return List.of(owner.ip.toString(), "netns", "exec", name);
        }

        /**
         * @param command a command and its arguments.
         * @return the command run in this host: {@link #execPrefix()} then {@code command}.
         */
        public List<String> command(final List<String> command)
        {
            final List<String> full = new ArrayList<>(execPrefix());
            full.addAll(Objects.requireNonNull(command, "command"));
            return Collections.unmodifiableList(full);
        }

        /**
         * @param command a command and its arguments.
         * @return a builder for the command run in this host, for {@link ChildProcess#start(String, ProcessBuilder)}.
         */
        public ProcessBuilder processBuilder(final List<String> command)
        {
            return new ProcessBuilder(command(command));
        }

        /**
         * Drops a random fraction of the IP packets (IPv4 and IPv6) that arrive on this host's veth, each on its own
         * chance, with an nftables rule ({@code numgen random mod 10000 < N drop}, a plain drop for 1.0) in table
         * {@value TwoHosts#LOSS_TABLE} of this host. ARP is not dropped, so address resolution never stalls. Replaces
         * any earlier fraction; {@code 0.0} is {@link #clearDrops()}.
         *
         * @param fraction from {@code 0.0} (none) to {@code 1.0} (all), e.g. {@code 0.01} for 1 %; rounded to a
         *                 multiple of {@code 1 / LOSS_RESOLUTION}.
         * @throws IllegalArgumentException if the fraction is outside {@code [0.0, 1.0]}.
         * @throws IllegalStateException    if the hosts are closed, {@code nft} cannot be installed or the rule is
         *                                  refused.
         */
        public void dropIncoming(final double fraction)
        {
            if (!(fraction >= 0.0 && fraction <= 1.0))
            {
                throw new IllegalArgumentException("fraction=" + fraction + " (expected 0.0 to 1.0)");
            }
            if (0.0 == fraction)
            {
                clearDrops();
                return;
            }
            final long dropped = Math.round(fraction * LOSS_RESOLUTION);
            // nft checks the bound against numgen's range 0..9999: dropping everything needs no numgen
            final String chance = dropped >= LOSS_RESOLUTION ? "" :
                String.format(Locale.ROOT, "numgen random mod %d < %d ", LOSS_RESOLUTION, dropped);
            // declaring the table before deleting it makes the delete succeed when there is none; one nft run is one
            // transaction, so the old rule is replaced without a moment of no loss or double loss
            final String script = String.format(Locale.ROOT,
                "table inet %1$s {}%n" +
                "delete table inet %1$s%n" +
                "table inet %1$s {%n" +
                "    chain input {%n" +
                "        type filter hook input priority 0; policy accept;%n" +
                "        iifname \"%2$s\" %3$scounter drop%n" +
                "    }%n" +
                "}",
                LOSS_TABLE, interfaceName, chance);
            nft(script);
        }

        /**
         * Removes the loss rule of {@link #dropIncoming(double)}, if any. Idempotent.
         *
         * @throws IllegalStateException if the hosts are closed, {@code nft} cannot be installed or fails.
         */
        public void clearDrops()
        {
            nft(String.format(Locale.ROOT, "table inet %1$s {}%ndelete table inet %1$s", LOSS_TABLE));
        }

        @Override
        public String toString()
        {
            return "Host{name=" + name + ", address=" + address + ", interface=" + interfaceName + '}';
        }

        private void nft(final String script)
        {
            owner.checkOpen();
            final Path nft = DebianPackages.require("nft", "nftables");
            run(command(List.of(nft.toString(), "-f", "-")), script);
        }
    }
}
