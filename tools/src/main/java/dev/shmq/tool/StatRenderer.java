package dev.shmq.tool;

/**
 * Shows the samples of {@code shmq stat}: a redrawn screen, one line per segment, or one JSON object per sample.
 */
interface StatRenderer
{
    /**
     * @return true to be shown the first sample too, which has no rates yet (the screen, so that it is not blank
     * for an interval); false to be shown only samples that follow another.
     */
    boolean showsFirstSample();

    /**
     * Shows one sample and flushes.
     *
     * @param frame the sample.
     */
    void render(StatFrame frame);

    /** Called once at the end, also when stopped by a signal: restores what the renderer changed, and flushes. */
    void finish();
}
