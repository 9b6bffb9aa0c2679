/**
 * zeroq 0.1.0: a bounded, lossless multi-producer multi-consumer FIFO in shared memory (Vyukov's bounded MPMC
 * queue), byte-compatible with the Rust core and the Python {@code zeroq.Queue}.
 *
 * <p>Entry point: {@link dev.shmq.zeroq.ZeroqQueue}.
 */
package dev.shmq.zeroq;
