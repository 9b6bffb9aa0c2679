/**
 * Tools for testing code that shares memory across processes: {@link dev.shmq.testkit.ShmTestExtension} gives JUnit 5
 * tests unique names and catches leaks, {@link dev.shmq.testkit.ChildJvm} and {@link dev.shmq.testkit.NativePeer}
 * start Java and C/C++ peers as {@link dev.shmq.testkit.ChildProcess}es with a handshake, a deadline on every wait and
 * a SIGKILL for fault tests, and {@link dev.shmq.testkit.ShmqPeers} are shmq's own C++ peers of both protocols.
 * {@link dev.shmq.testkit.TwoHosts} makes two network hosts on one machine (network namespaces joined by a veth pair,
 * with random packet loss on demand) for tests across a network, and {@link dev.shmq.testkit.DebianPackages} installs
 * the commands such tests need. Listing and removing segments is core's {@link dev.shmq.core.ShmSegments}.
 */
package dev.shmq.testkit;
