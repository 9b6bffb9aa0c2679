package dev.shmq.perf;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A Unix-domain stream socket (JDK 16+) in blocking mode: the baseline, what Python's multiprocessing.Queue does
 * underneath (a pipe or socket and the kernel copying every byte twice). Fixed-length messages back to back.
 */
final class UnixSocketEndpoints
{
    private static final int READ_BUFFER_TARGET = 64 * 1024;
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private UnixSocketEndpoints()
    {
    }

    /**
     * @param name the run's name for this channel.
     * @return the socket's path: in the temporary directory, as socket files do not belong in /dev/shm.
     */
    static Path socketPath(final String name)
    {
        return Paths.get(System.getProperty("java.io.tmpdir"), name + ".sock");
    }

    static MessageReceiver receiver(final WorkerSpec spec)
    {
        final Path path = socketPath(spec.string(WorkerSpec.NAME));
        try
        {
            Files.deleteIfExists(path);
            final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            return new Receiver(server, path, spec.integer(WorkerSpec.PAYLOAD, Long.BYTES));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot listen on " + path, ex);
        }
    }

    static MessageSender sender(final WorkerSpec spec)
    {
        final Path path = socketPath(spec.string(WorkerSpec.NAME));
        final long deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
        while (true)
        {
            try
            {
                final SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
                return new Sender(channel, spec.integer(WorkerSpec.PAYLOAD, Long.BYTES));
            }
            catch (final IOException ex)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new UncheckedIOException("cannot connect to " + path, ex);
                }
                LockSupport.parkNanos(CONNECT_RETRY_NANOS);
            }
        }
    }

    static final class Sender implements MessageSender
    {
        private final SocketChannel channel;
        private final ByteBuffer message;
        private final UnsafeBuffer messageView;
        private final MessageBody body;

        Sender(final SocketChannel channel, final int payload)
        {
            this.channel = channel;
            this.message = ByteBuffer.allocateDirect(payload).order(ByteOrder.LITTLE_ENDIAN);
            this.messageView = new UnsafeBuffer(message);
            this.body = MessageBody.of(payload);
        }

        @Override
        public boolean offer(final long stamp)
        {
            // the message is built in the socket's user buffer (in place, for a frame); the kernel copies it out
            body.prepare(stamp);
            body.write(messageView, 0, stamp);
            message.clear();
            try
            {
                while (message.hasRemaining())
                {
                    channel.write(message);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            return true;
        }

        @Override
        public void close()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // closing: nothing to do
            }
        }
    }

    static final class Receiver implements MessageReceiver
    {
        private final ServerSocketChannel server;
        private final Path path;
        private final int payload;
        private final ByteBuffer buffer;
        private final UnsafeBuffer bufferView;
        private final MessageBody body;
        private SocketChannel channel;
        private long lastStamp;

        Receiver(final ServerSocketChannel server, final Path path, final int payload)
        {
            this.server = server;
            this.path = path;
            this.payload = payload;
            final int messages = Math.max(1, READ_BUFFER_TARGET / payload);
            this.buffer = ByteBuffer.allocateDirect(messages * payload).order(ByteOrder.LITTLE_ENDIAN);
            this.bufferView = new UnsafeBuffer(buffer);
            this.body = MessageBody.of(payload);
        }

        @Override
        public int poll(final int limit)
        {
            try
            {
                if (null == channel)
                {
                    channel = server.accept();
                }
                // blocking read only when no whole message is buffered: at least one byte, as many as fit
                if (buffer.position() < payload && channel.read(buffer) < 0)
                {
                    return END;
                }
                final int taken = Math.min(limit, buffer.position() / payload);
                if (taken > 0)
                {
                    for (int i = 0; i < taken; i++)
                    {
                        lastStamp = body.read(bufferView, i * payload);
                    }
                    buffer.flip();
                    buffer.position(taken * payload);
                    buffer.compact();
                }
                return taken;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public long lastStamp()
        {
            return lastStamp;
        }

        @Override
        public long corrupt()
        {
            return body.corrupt();
        }

        @Override
        public void close()
        {
            try
            {
                if (null != channel)
                {
                    channel.close();
                }
                server.close();
                Files.deleteIfExists(path);
            }
            catch (final IOException ex)
            {
                // closing: nothing to do
            }
        }
    }
}
