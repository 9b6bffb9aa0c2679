package dev.shmq.perf;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * What a message's bytes are and what each side does with them, the same for every system of a run. Small messages
 * are a fixed pattern copied into the transport with the stamp in its first 8 bytes, as an application sends a
 * struct it has built ({@link CopiedBody}); the consumer reads the stamp in place. A 1080p frame is written word by
 * word straight into the transport's slot, as a decoder or camera driver fills it, and the consumer checksums every
 * word in place ({@link FrameBody}), so that a frame costs what producing and consuming it costs, and a frame torn by
 * the transport is caught.
 * <p>
 * Senders call {@link #prepare} before they claim and {@link #write} between claim and commit, so that the claim
 * window holds one pass over the message. One process uses one implementation, so the calls inline.
 */
interface MessageBody
{
    /**
     * @param payload message length in bytes.
     * @return the body for that length: {@link FrameBody} for {@link Payloads#FRAME}, {@link CopiedBody} otherwise.
     */
    static MessageBody of(final int payload)
    {
        return Payloads.FRAME == payload ? new FrameBody(payload) : new CopiedBody(payload);
    }

    /** @return the message length in bytes. */
    int length();

    /**
     * Does what can be done before the claim (the copied body puts the stamp into its source).
     *
     * @param stamp the message's stamp.
     */
    void prepare(long stamp);

    /**
     * Writes the whole message, {@link #length()} bytes, in place.
     *
     * @param buffer the transport's memory.
     * @param offset where the message starts.
     * @param stamp  the message's stamp, as given to {@link #prepare}.
     */
    void write(MutableDirectBuffer buffer, int offset, long stamp);

    /**
     * Consumes one message in place.
     *
     * @param buffer the transport's memory.
     * @param offset where the message starts.
     * @return its stamp.
     */
    long read(DirectBuffer buffer, int offset);

    /** @return how many messages {@link #read} found whose content does not match their stamp. */
    long corrupt();
}
