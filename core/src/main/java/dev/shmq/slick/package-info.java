/**
 * SlickQueue v1.4.0: a lossy multi-producer ring in shared memory, wire-compatible with C++
 * {@code slick::SlickQueue<T>} and slick_queue_py.
 *
 * <p>{@link dev.shmq.slick.SlickQueue} is the queue, made by {@code create} (fails if the name exists),
 * {@code createOrOpen} (C++ {@code SlickQueue<T>(size, name)}), {@code open} or {@code local}, with a
 * {@link dev.shmq.slick.SlickConfig}. A reader keeps its own {@link dev.shmq.slick.SlickCursor} (broadcast: every
 * reader sees every entry) or shares an {@link dev.shmq.slick.AtomicCursor} with other readers (work-stealing: each
 * entry goes to one of them). Results come back in a reusable {@link dev.shmq.slick.SlickEntry}, a caller's buffer,
 * or through a {@link dev.shmq.core.MessageHandler}, without allocation.
 *
 * <p>Inside: {@link dev.shmq.slick.SlickQueueDescriptor} (the layout), {@code SlickAttach} (the {@code init_state}
 * handshake and header validation), {@code SlickRing} (geometry, reserve and publish), {@code SlickReader} (the read
 * loops and loss counting).
 */
package dev.shmq.slick;
