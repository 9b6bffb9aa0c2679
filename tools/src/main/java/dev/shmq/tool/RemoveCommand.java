package dev.shmq.tool;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code shmq rm NAME [--force]}: removes a segment's name; a live one, or one of unknown liveness, only when forced.
 */
@Command(name = "rm", description = "remove a segment; a live one, or one whose liveness is unknown, only with --force")
final class RemoveCommand extends ToolCommand
{
    @Parameters(index = "0", paramLabel = "NAME", description = "the segment")
    private String name;

    @Option(names = "--force", description = "remove it even while processes map it (their mappings stay valid)")
    private boolean force;

    @Override
    int execute()
    {
        if (!tool().segments().remove(name, force))
        {
            throw new IllegalStateException("no segment named '" + name + "' in " + tool().directory());
        }
        tool().out().println("removed " + printable(name));
        return ShmqTool.EXIT_OK;
    }
}
