/**
 * C++-compatible memory layouts.
 *
 * <p>Declarations of C structs in Java whose offsets follow the x86-64 System V (LP64) rules that g++
 * applies, a checker that proves a declaration against a real C++ compiler, and the C++ headers of shmq's two wire
 * protocols, bundled for peers to include. {@link dev.shmq.layout.HeaderImporter} reads a declaration from a C++
 * header (and proves it with g++); {@link dev.shmq.layout.FlyweightGenerator} writes the Java source of a typed
 * flyweight over Agrona buffers from one. The protocols' descriptors live beside their code, in
 * {@code dev.shmq.slick} and {@code dev.shmq.zeroq} (module core).
 */
package dev.shmq.layout;
