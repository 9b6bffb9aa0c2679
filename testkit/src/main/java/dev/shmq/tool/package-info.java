/**
 * The {@code shmq} command-line tool: list, inspect, remove and clean shared-memory queues, and send to or receive
 * from them. Entry point: {@link dev.shmq.tool.ShmqTool}.
 */
package dev.shmq.tool;
