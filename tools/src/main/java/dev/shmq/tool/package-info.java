/**
 * The {@code shmq} command-line tool: list, watch ({@code stat}), inspect, remove and clean shared-memory queues, and
 * send to or receive from them. Entry point: {@link dev.shmq.tool.ShmqTool}, a picocli command with one subcommand
 * per verb; the segment directory it works on is core's {@link dev.shmq.core.ShmSegments}.
 */
package dev.shmq.tool;
