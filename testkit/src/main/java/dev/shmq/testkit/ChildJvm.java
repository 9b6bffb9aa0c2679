package dev.shmq.testkit;

import dev.shmq.core.ShmName;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds and starts a child JVM running a main class, for tests across processes.
 *
 * <p>By default the child gets this JVM's {@code java}, its {@code java.class.path}, the JVM options Agrona needs
 * ({@link #defaultJvmOptions()}), and this JVM's {@value ShmName#DIRECTORY_PROPERTY} when set, so that both sides
 * agree on the shared-memory directory.
 *
 * <pre>{@code
 * try (ChildProcess child = ChildJvm.mainClass(EchoMain.class).args("hello").start())
 * {
 *     child.awaitLine("READY", Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class ChildJvm
{
    /** The system property holding the JVM options Agrona needs, set by the build for tests. */
    public static final String JAVA_OPENS_PROPERTY = "shmq.javaOpens";

    /** The JVM options Agrona's {@code UnsafeBuffer} needs on JDK 17, when {@value #JAVA_OPENS_PROPERTY} is unset. */
    public static final List<String> AGRONA_JVM_OPTIONS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED");

    /** Keeps Agrona's checks that atomic accesses are aligned on in the child, as in shmq's own tests. */
    public static final String STRICT_ALIGNMENT_OPTION = "-Dagrona.strict.alignment.checks=true";

    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private List<String> jvmOptions = defaultJvmOptions();
    private List<String> commandPrefix = List.of();
    private String classpath = System.getProperty("java.class.path");
    private String name;
    private Path workingDirectory;
    private int captureChars = ChildProcess.DEFAULT_CAPTURE_CHARS;

    private ChildJvm(final String mainClass)
    {
        this.mainClass = mainClass;
        this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        final String shmDirectory = System.getProperty(ShmName.DIRECTORY_PROPERTY);
        if (null != shmDirectory)
        {
            systemProperties.put(ShmName.DIRECTORY_PROPERTY, shmDirectory);
        }
    }

    /**
     * @param mainClass the class whose {@code main} the child runs; it must be on the child's classpath.
     * @return a builder with the defaults.
     */
    public static ChildJvm mainClass(final Class<?> mainClass)
    {
        return mainClass(mainClass.getName());
    }

    /**
     * @param mainClassName the binary name of the class whose {@code main} the child runs.
     * @return a builder with the defaults.
     * @throws IllegalArgumentException if the name is empty.
     */
    public static ChildJvm mainClass(final String mainClassName)
    {
        if (null == mainClassName || mainClassName.isEmpty())
        {
            throw new IllegalArgumentException("mainClassName='" + mainClassName + "' (expected a class name)");
        }
        return new ChildJvm(mainClassName);
    }

    /**
     * @return the options of {@value #JAVA_OPENS_PROPERTY} split at white space (or {@link #AGRONA_JVM_OPTIONS} when
     * unset), then {@link #STRICT_ALIGNMENT_OPTION}.
     */
    public static List<String> defaultJvmOptions()
    {
        final List<String> options = new ArrayList<>();
        final String opens = System.getProperty(JAVA_OPENS_PROPERTY);
        if (null == opens || opens.isBlank())
        {
            options.addAll(AGRONA_JVM_OPTIONS);
        }
        else
        {
            options.addAll(Arrays.asList(opens.trim().split("\\s+")));
        }
        options.add(STRICT_ALIGNMENT_OPTION);
        return options;
    }

    /**
     * @param name a short name for messages; the main class's simple name by default.
     * @return this.
     */
    public ChildJvm name(final String name)
    {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * @param args arguments appended to those given to {@code main}.
     * @return this.
     */
    public ChildJvm args(final String... args)
    {
        this.args.addAll(Arrays.asList(args));
        return this;
    }

    /**
     * @param key   an environment variable of the child.
     * @param value its value.
     * @return this.
     */
    public ChildJvm env(final String key, final String value)
    {
        environment.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param key   a system property of the child, passed as {@code -Dkey=value}.
     * @param value its value.
     * @return this.
     */
    public ChildJvm systemProperty(final String key, final String value)
    {
        systemProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * @param classpath the child's class path; this JVM's {@code java.class.path} by default.
     * @return this.
     */
    public ChildJvm classpath(final String classpath)
    {
        this.classpath = Objects.requireNonNull(classpath, "classpath");
        return this;
    }

    /**
     * @param options the JVM options, replacing {@link #defaultJvmOptions()}.
     * @return this.
     */
    public ChildJvm jvmOptions(final List<String> options)
    {
        this.jvmOptions = new ArrayList<>(options);
        return this;
    }

    /**
     * @param option a JVM option added after the others, e.g. {@code -Xmx64m}.
     * @return this.
     */
    public ChildJvm addJvmOption(final String option)
    {
        jvmOptions.add(Objects.requireNonNull(option, "option"));
        return this;
    }

    /**
     * @param directory the child's working directory; this JVM's by default.
     * @return this.
     */
    public ChildJvm workingDirectory(final Path directory)
    {
        this.workingDirectory = directory;
        return this;
    }

    /**
     * Runs the JVM under another command, e.g. in a network namespace of {@link TwoHosts}:
     * {@code ChildJvm.mainClass(Receiver.class).commandPrefix(hosts.hostB().execPrefix()).start()}. The prefix must
     * replace itself with the command it is given ({@code exec}, as {@code ip netns exec} and {@code nice} do), not
     * start it as a child of its own, for {@link ChildProcess#pid()} and {@link ChildProcess#kill()} to reach the JVM.
     *
     * @param prefix the words put before {@code java} on the command line, replacing any earlier prefix; none by
     *               default.
     * @return this.
     */
    public ChildJvm commandPrefix(final List<String> prefix)
    {
        this.commandPrefix = List.copyOf(prefix);
        return this;
    }

    /**
     * @param captureChars how many characters of each output stream to keep.
     * @return this.
     */
    public ChildJvm captureChars(final int captureChars)
    {
        this.captureChars = captureChars;
        return this;
    }

    /**
     * @return the command line the child will be started with, {@link #commandPrefix(List)} first.
     */
    public List<String> command()
    {
        final List<String> command = new ArrayList<>(commandPrefix);
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        systemProperties.forEach((key, value) -> command.add("-D" + key + '=' + value));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts the child.
     *
     * @return the running child; close it (try-with-resources) so that it does not outlive the test.
     * @throws IllegalStateException if it cannot be started.
     */
    public ChildProcess start()
    {
        final ProcessBuilder builder = new ProcessBuilder(command());
        builder.environment().putAll(environment);
        if (null != workingDirectory)
        {
            builder.directory(workingDirectory.toFile());
        }
        return ChildProcess.start(name, builder, captureChars);
    }

    @Override
    public String toString()
    {
        return "ChildJvm{name=" + name + ", command=" + command() + '}';
    }
}
