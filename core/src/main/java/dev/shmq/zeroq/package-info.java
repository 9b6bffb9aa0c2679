/**
 * zeroq 0.1.0: a bounded, lossless multi-producer multi-consumer FIFO in shared memory (Vyukov's bounded MPMC
 * queue), byte-compatible with the Rust core and the Python {@code zeroq.Queue}.
 *
 * <p>{@link dev.shmq.zeroq.ZeroqQueue} is the queue, made by {@code create} (fails if the name exists),
 * {@code createOrOpen}, {@code open} or {@code local}, with a {@link dev.shmq.zeroq.ZeroqConfig}. Its calls come in
 * three kinds:
 * <ul>
 *   <li>copying, allocation-free: {@code offer} and {@code poll} return {@code false} on full/empty, their
 *   {@code (timeout, TimeUnit)} forms wait up to a timeout, and {@code put} and {@code take} wait indefinitely;</li>
 *   <li>zero-copy: {@code tryClaim}/{@code commit} on the producer side, {@code tryAcquire}/{@code release} on the
 *   consumer side, writing and reading in place at {@code offset(position)};</li>
 *   <li>batches: {@code tryClaim(limit, range)}, {@code tryAcquire(limit, range)}, {@code offerBatch},
 *   {@code drain} and {@code controlledDrain} claim up to k cells with one CAS on the shared position; peers that
 *   move one element at a time cannot tell.</li>
 * </ul>
 * zeroq's Python dialect ({@code put}/{@code get} of byte arrays, raising {@link dev.shmq.zeroq.QueueFullException}
 * and {@link dev.shmq.zeroq.QueueEmptyException}) is {@link dev.shmq.zeroq.ZeroqPyQueue}.
 *
 * <p>Inside: {@link dev.shmq.zeroq.ZeroqDescriptor} (the layout and the read-only checks), {@code ZeroqAttach}
 * (creating and attaching), {@code ZeroqCells} (the protocol over a validated buffer), {@code ZeroqDrain} (runs and
 * kept-back elements).
 */
package dev.shmq.zeroq;
