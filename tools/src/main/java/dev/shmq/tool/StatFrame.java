package dev.shmq.tool;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One sample of {@code shmq stat} as the renderers get it.
 *
 * @param time           when the sample began.
 * @param intervalMillis the interval between samples, as asked.
 * @param directory      the directory sampled.
 * @param prefix         the names' prefix; empty for all.
 * @param rows           one row per segment, ordered by name.
 * @param error          why the directory could not be listed, or null.
 */
record StatFrame(Instant time, long intervalMillis, Path directory, String prefix, List<StatRow> rows, String error)
{
    StatFrame
    {
        rows = List.copyOf(rows);
    }
}
