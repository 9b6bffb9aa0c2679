/**
 * Shared-memory segments: POSIX shared-memory objects ({@code /dev/shm/<name>}) mapped into the JVM and wrapped in
 * Agrona {@link org.agrona.concurrent.AtomicBuffer}s, on which both queue protocols are built.
 */
package dev.shmq.core;
