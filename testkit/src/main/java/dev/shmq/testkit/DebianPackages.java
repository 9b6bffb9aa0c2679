package dev.shmq.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes sure a command a test needs is installed, installing its Debian package with {@code apt-get} when it is not,
 * so that a test on a fresh machine installs what it uses instead of skipping.
 *
 * <pre>{@code
 * final Path nft = DebianPackages.require("nft", "nftables");
 * }</pre>
 *
 * <p>A command is looked for in the directories of {@code PATH}, then in {@link #SYSTEM_DIRECTORIES} (a JVM started
 * without {@code /usr/sbin} on its {@code PATH} still finds {@code ip}); the answer is the absolute path, which callers
 * run so that the child's {@code PATH} does not matter. Calls are serialised on the class, so two tests of one JVM
 * never run {@code apt-get} at once; {@code apt-get} waits up to {@link #LOCK_TIMEOUT} for another process's lock.
 */
public final class DebianPackages
{
    /** Where a command is looked for after the directories of {@code PATH}. */
    public static final List<String> SYSTEM_DIRECTORIES =
        List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** How long {@code apt-get update} may take before it is killed. */
    public static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(5);

    /** How long {@code apt-get install} may take before it is killed. */
    public static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    /** How long {@code apt-get} waits for the package manager's lock held by another process. */
    public static final Duration LOCK_TIMEOUT = Duration.ofMinutes(2);

    /** How many of {@code apt-get}'s last output lines a failure message holds. */
    public static final int APT_TAIL_LINES = 15;

    private static final String APT_GET = "apt-get";
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    // Debian policy 5.6.1: lower case letters, digits, '+', '-', '.'; at least two characters; a letter or digit first
    private static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Map<String, Path> FOUND = new HashMap<>();

    private DebianPackages()
    {
    }

    /**
     * Finds a command, installing its package first if it is missing: {@code apt-get update}, then
     * {@code apt-get install -y --no-install-recommends debianPackage}, both with
     * {@code DEBIAN_FRONTEND=noninteractive} and a timeout, their output captured for the failure message. Quick when
     * the command is already there.
     *
     * @param command       the command's file name, e.g. {@code nft}.
     * @param debianPackage the Debian package that provides it, e.g. {@code nftables}.
     * @return the command's absolute path.
     * @throws IllegalArgumentException if a name is not a plain command or package name.
     * @throws IllegalStateException    if the command is still missing afterwards, naming the command, the package and
     *                                  the last lines {@code apt-get} printed.
     */
    public static synchronized Path require(final String command, final String debianPackage)
    {
        return require(command, debianPackage, APT_GET);
    }

    /**
     * Looks for a command without installing anything.
     *
     * @param command the command's file name, e.g. {@code ip}.
     * @return its absolute path in the first directory of {@code PATH}, then of {@link #SYSTEM_DIRECTORIES}, that holds
     * it as an executable file; empty if none does.
     * @throws IllegalArgumentException if the name is not a plain command name.
     */
    public static Optional<Path> find(final String command)
    {
        checkCommandName(command);
        for (final String directory : searchDirectories())
        {
            final Path candidate = Paths.get(directory, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate))
            {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * {@link #require(String, String)} with another {@code apt-get}, for testing the failure path.
     */
    static synchronized Path require(final String command, final String debianPackage, final String aptGet)
    {
        checkCommandName(command);
        if (null == debianPackage || !PACKAGE_NAME.matcher(debianPackage).matches())
        {
            throw new IllegalArgumentException("debianPackage='" + debianPackage +
                "' (expected a Debian package name such as nftables)");
        }
        final Path known = FOUND.get(command);
        if (null != known && Files.isExecutable(known))
        {
            return known;
        }
        final Optional<Path> present = find(command);
        if (present.isPresent())
        {
            FOUND.put(command, present.get());
            return present.get();
        }

        final String lock = "DPkg::Lock::Timeout=" + LOCK_TIMEOUT.toSeconds();
        final String update = runApt(List.of(aptGet, "-o", lock, "update"), UPDATE_TIMEOUT);
        final String install = runApt(
            List.of(aptGet, "-o", lock, "install", "-y", "--no-install-recommends", debianPackage), INSTALL_TIMEOUT);

        final Optional<Path> installed = find(command);
        if (installed.isPresent())
        {
            FOUND.put(command, installed.get());
            return installed.get();
        }
        throw new IllegalStateException("command=" + command + " is missing after installing package=" +
            debianPackage + " (expected the package to provide it on PATH=" + System.getenv("PATH") +
            " or in " + SYSTEM_DIRECTORIES + ")\n" + update + '\n' + install);
    }

    private static void checkCommandName(final String command)
    {
        if (null == command || !COMMAND_NAME.matcher(command).matches())
        {
            throw new IllegalArgumentException("command='" + command + "' (expected a file name such as nft)");
        }
    }

    private static Set<String> searchDirectories()
    {
        final Set<String> directories = new LinkedHashSet<>();
        final String path = System.getenv("PATH");
        if (null != path)
        {
            for (final String directory : path.split(Pattern.quote(File.pathSeparator)))
            {
                if (!directory.isEmpty())
                {
                    directories.add(directory);
                }
            }
        }
        directories.addAll(SYSTEM_DIRECTORIES);
        return directories;
    }

    /**
     * Runs one apt-get command to its end or its timeout.
     *
     * @return a summary for a failure message: the command, how it ended and its last lines of output.
     */
    private static String runApt(final List<String> command, final Duration timeout)
    {
        final ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
        builder.environment().put("LC_ALL", "C");
        final ChildProcess apt;
        try
        {
            apt = ChildProcess.start(APT_GET, builder);
        }
        catch (final IllegalStateException ex)
        {
            return String.join(" ", command) + ": cannot run (expected a Debian system with apt-get): " +
                ex.getMessage();
        }
        try (apt)
        {
            apt.closeStdin();
            final String ended = awaitExit(apt, timeout);
            return String.join(" ", command) + ": " + ended + ", last lines:\n" +
                tail(apt.stdout() + apt.stderr(), APT_TAIL_LINES);
        }
    }

    private static String awaitExit(final ChildProcess apt, final Duration timeout)
    {
        try
        {
            return "exit=" + apt.waitFor(timeout);
        }
        catch (final IllegalStateException ex)
        {
            return "did not exit within " + timeout + " (killed)";
        }
    }

    private static String tail(final String text, final int lines)
    {
        final String[] all = text.split("\n");
        final List<String> kept = new ArrayList<>();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++)
        {
            kept.add("  " + all[i]);
        }
        return String.join("\n", kept);
    }
}
