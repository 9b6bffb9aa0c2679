/**
 * Shared-memory segments: POSIX shared-memory objects ({@code /dev/shm/<name>}) mapped into the JVM and wrapped in
 * Agrona {@link org.agrona.concurrent.AtomicBuffer}s, on which both queue protocols are built; and the directory of
 * segments, for operations: {@link dev.shmq.core.ShmSegments} lists, inspects, removes and cleans them, telling
 * live segments from stale ones by the processes that map them ({@link dev.shmq.core.ShmSegmentInfo}).
 * {@link dev.shmq.core.CheckedPayload} is the self-checking payload of the {@code shmq send}/{@code recv} commands and
 * of shmq's native peers.
 */
package dev.shmq.core;
