/**
 * C++-compatible memory layouts.
 *
 * <p>Declarations of C structs in Java whose offsets follow the x86-64 System V (LP64) rules that g++
 * applies, the descriptors of the two wire protocols shmq speaks ({@link dev.shmq.layout.SlickQueueDescriptor},
 * {@link dev.shmq.layout.ZeroqDescriptor}), and a checker that proves a declaration against a real C++ compiler.
 */
package dev.shmq.layout;
