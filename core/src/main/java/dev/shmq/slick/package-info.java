/**
 * SlickQueue v1.4.0: a lossy multi-producer ring in shared memory, wire-compatible with C++
 * {@code slick::SlickQueue<T>} and slick_queue_py.
 *
 * <p>{@link dev.shmq.slick.SlickQueue} is the queue; a reader keeps its own {@link dev.shmq.slick.SlickCursor}
 * (broadcast: every reader sees every entry) or shares an {@link dev.shmq.slick.AtomicCursor} with other readers
 * (work-stealing: each entry goes to one of them). Results come back in a reusable {@link dev.shmq.slick.SlickEntry}
 * or through a {@link dev.shmq.slick.SlickEntryHandler}, without allocation.
 */
package dev.shmq.slick;
