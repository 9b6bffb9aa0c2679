package dev.shmq.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A UDP probe for {@link TwoHostsTest}, run as a child JVM in one of the hosts. Each datagram reads "TAG SEQ".
 *
 * <ul>
 *   <li>{@code receive ADDRESS STOP_TAG STOP_COUNT TIMEOUT_MS TAG...}: binds ADDRESS on a free port, prints
 *   "READY port", counts datagrams by tag until STOP_COUNT of STOP_TAG arrived or TIMEOUT_MS passed, then prints
 *   "DONE TAG=n ... sources=a,b" (a count for every TAG given, the source addresses seen) and exits 0.</li>
 *   <li>{@code send ADDRESS PORT}: prints "READY", then for each stdin line "SEND TAG COUNT" sends COUNT datagrams
 *   "TAG 0" ... to ADDRESS:PORT and prints "SENT TAG COUNT"; exits 0 at end of stdin.</li>
 * </ul>
 */
public final class UdpProbeMain
{
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int MAX_DATAGRAM = 512;

    private UdpProbeMain()
    {
    }

    /**
     * @param args the mode and its arguments.
     * @throws IOException if a socket fails or stdin cannot be read.
     */
    public static void main(final String[] args) throws IOException
    {
        switch (args[0])
        {
            case "receive":
                receive(args);
                break;

            case "send":
                send(args);
                break;

            default:
                throw new IllegalArgumentException("mode=" + args[0] + " (expected receive or send)");
        }
    }

    private static void receive(final String[] args) throws IOException
    {
        final InetAddress address = InetAddress.getByName(args[1]);
        final String stopTag = args[2];
        final int stopCount = Integer.parseInt(args[3]);
        final long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
        final Map<String, Integer> counts = new TreeMap<>();
        final Set<String> sources = new TreeSet<>();
        try (DatagramSocket socket = new DatagramSocket(null))
        {
            // a burst of small datagrams must not overflow the socket while this JVM warms up
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(address, 0));
            System.out.println("READY " + socket.getLocalPort());
            System.out.flush();
            final byte[] buffer = new byte[MAX_DATAGRAM];
            final DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            while (counts.getOrDefault(stopTag, 0) < stopCount)
            {
                final long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (remainingMillis <= 0)
                {
                    break;
                }
                socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, remainingMillis));
                try
                {
                    socket.receive(packet);
                }
                catch (final SocketTimeoutException ex)
                {
                    break;
                }
                final String text = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
                counts.merge(text.substring(0, text.indexOf(' ')), 1, Integer::sum);
                sources.add(packet.getAddress().getHostAddress());
            }
        }
        final StringBuilder done = new StringBuilder("DONE");
        for (int i = 5; i < args.length; i++)
        {
            done.append(' ').append(args[i]).append('=').append(counts.getOrDefault(args[i], 0));
        }
        done.append(" sources=").append(String.join(",", sources));
        System.out.println(done);
        System.out.flush();
    }

    private static void send(final String[] args) throws IOException
    {
        final InetSocketAddress target =
            new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (DatagramSocket socket = new DatagramSocket())
        {
            System.out.println("READY");
            System.out.flush();
            String line;
            while (null != (line = in.readLine()))
            {
                final String[] words = line.split(" ");
                if (3 != words.length || !"SEND".equals(words[0]))
                {
                    throw new IllegalArgumentException("line='" + line + "' (expected SEND TAG COUNT)");
                }
                final int count = Integer.parseInt(words[2]);
                for (int seq = 0; seq < count; seq++)
                {
                    final byte[] payload = (words[1] + ' ' + seq).getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(payload, payload.length, target));
                }
                System.out.println("SENT " + words[1] + ' ' + count);
                System.out.flush();
            }
        }
    }
}
