package dev.shmq.bridge;

import io.aeron.Publication;
import org.agrona.concurrent.AgentTerminationException;

/** What a bridge does with a refused {@link Publication#offer}: count it and retry later, or stop for good. */
final class PublicationResults
{
    private PublicationResults()
    {
    }

    /**
     * @param result   a result of {@code offer} that is not a position (at most 0).
     * @param counters where the refusal is counted.
     * @param stream   the publication, for the message.
     * @throws AgentTerminationException if the publication is closed or at its maximum position: retrying cannot
     *                                   succeed.
     */
    static void onRefused(final long result, final BridgeCounters counters, final Publication stream)
    {
        if (Publication.BACK_PRESSURED == result)
        {
            counters.countBackPressured();
        }
        else if (Publication.NOT_CONNECTED == result)
        {
            counters.countNotConnected();
        }
        else if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result)
        {
            counters.countError();
            throw new AgentTerminationException("publication " + stream.channel() + " stream " + stream.streamId() +
                " result=" + Publication.errorString(result) + " (expected a live publication)");
        }
        // ADMIN_ACTION: the log rotated or the driver is busy; the next attempt goes through.
    }
}
