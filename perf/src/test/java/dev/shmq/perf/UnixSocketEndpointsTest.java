package dev.shmq.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class UnixSocketEndpointsTest
{
    @Test
    void shouldHandOutNoMoreMessagesPerPollThanAskedAndThenSeeTheEnd()
    {
        final WorkerSpec spec = new WorkerSpec()
            .set(WorkerSpec.NAME, "shmq-test-" + UUID.randomUUID())
            .set(WorkerSpec.PAYLOAD, 64);
        try (MessageReceiver receiver = UnixSocketEndpoints.receiver(spec))
        {
            try (MessageSender sender = UnixSocketEndpoints.sender(spec))
            {
                for (long stamp = 1; stamp <= 3; stamp++)
                {
                    sender.offer(stamp);
                }
            }
            long taken = 0;
            while (taken < 3)
            {
                final int polled = receiver.poll(1);
                assertEquals(1, polled);
                taken++;
                assertEquals(taken, receiver.lastStamp());
            }
            assertEquals(MessageReceiver.END, receiver.poll(1));
        }
        assertFalse(Files.exists(UnixSocketEndpoints.socketPath(spec.string(WorkerSpec.NAME))));
    }
}
