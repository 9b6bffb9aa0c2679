package dev.shmq.tool;

import java.time.Instant;
import java.util.List;

/**
 * One sample of a directory for {@code shmq stat}: the segments it read, or why the directory could not be listed.
 *
 * @param time     when the sample began.
 * @param segments the segments whose names start with the prefix, ordered by name; empty when the listing failed.
 * @param error    why the directory could not be listed, or null.
 */
record StatSample(Instant time, List<SegmentSample> segments, String error)
{
    StatSample
    {
        segments = List.copyOf(segments);
    }
}
