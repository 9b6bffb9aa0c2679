package dev.shmq.tool;

import picocli.CommandLine.Parameters;

/**
 * The queue a {@code send} or {@code recv} works on: its protocol and its name, the first two parameters of both
 * (a picocli mixin, so they are declared once).
 */
final class QueueTarget
{
    @Parameters(
        index = "0",
        paramLabel = QueueProtocol.LABEL,
        converter = QueueProtocol.Converter.class,
        description = "the queue's protocol")
    QueueProtocol protocol;

    @Parameters(index = "1", paramLabel = "NAME", description = "the queue")
    String name;
}
