package dev.shmq.tool;

import dev.shmq.core.ShmSegments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code shmq clean}: removes stale segments, those mapped by no process and changed at least a minimum age ago, as
 * {@link ShmSegments#clean(ShmSegments.CleanOptions)} does; reports every failure and still cleans the rest.
 */
@Command(
    name = "clean",
    description = {
        "remove stale segments: mapped by no process, and changed at least --min-age seconds ago.",
        "Kept and listed: segments of unknown liveness (some process's maps cannot be read: run as root) and " +
            "younger ones."
    })
final class CleanCommand extends ToolCommand
{
    @Option(names = "--prefix", paramLabel = "P", description = "only names that start with P")
    private String prefix = "";

    @Option(
        names = "--min-age",
        paramLabel = "S",
        converter = NonNegativeLong.class,
        description = "seconds since a segment last changed, at least (default: ${DEFAULT-VALUE})")
    private long minAgeSeconds = ShmSegments.DEFAULT_MIN_AGE.toSeconds();

    @Option(names = "--dry-run", description = "list what would be removed and remove nothing")
    private boolean dryRun;

    @Option(names = "--force", description = "remove live and unknown ones too, never younger ones")
    private boolean force;

    @Override
    int execute()
    {
        final PrintStream out = tool().out();
        final ShmSegments.CleanReport report = tool().segments().clean(
            ShmSegments.CleanOptions.DEFAULT
                .names((name) -> name.startsWith(prefix))
                .minAge(Duration.ofSeconds(minAgeSeconds))
                .force(force)
                .dryRun(dryRun));
        final String removedVerb = dryRun ? "would remove " : "removed ";
        report.removed().forEach((name) -> out.println(removedVerb + printable(name)));
        report.kept().forEach((kept) -> out.println("kept " + printable(kept.name()) + ": " + kept.detail()));
        report.failed().forEach((failed) -> fail(failed.detail()));
        out.println(report.removed().size() + (dryRun ? " would be removed" : " removed"));
        return report.failed().isEmpty() ? ShmqTool.EXIT_OK : ShmqTool.EXIT_FAILURE;
    }
}
