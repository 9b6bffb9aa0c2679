package dev.shmq.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: builds a C++ program with g++ and runs it, returning its exit code and output. (layout cannot see
 * testkit's NativePeer: testkit depends on this module.)
 */
final class NativeProgram
{
    private final Path executable;

    private NativeProgram(final Path executable)
    {
        this.executable = executable;
    }

    static NativeProgram build(final Path source, final Path includeDirectory, final Path executable)
    {
        final Result result = run(List.of("g++", "-std=c++20", "-O1", "-Wall", "-Wextra", "-Werror",
            "-Wno-invalid-offsetof", "-I" + includeDirectory.toAbsolutePath(), "-o", executable.toString(),
            source.toAbsolutePath().toString()));
        if (0 != result.exitCode)
        {
            throw new AssertionError("g++ exit code=" + result.exitCode + " (expected 0): " + result.output);
        }
        return new NativeProgram(executable);
    }

    Result run(final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        return run(command);
    }

    private static Result run(final List<String> command)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new AssertionError(command + " still running after 60 s (expected to finish)");
            }
            return new Result(process.exitValue(), output);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot run " + command, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    static final class Result
    {
        final int exitCode;
        final String output;

        Result(final int exitCode, final String output)
        {
            this.exitCode = exitCode;
            this.output = output;
        }
    }
}
