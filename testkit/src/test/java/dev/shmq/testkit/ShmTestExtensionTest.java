package dev.shmq.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

class ShmTestExtensionTest
{
    private static final String SELF_TEST = "shmq.testkit.selfTest";
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    @Test
    void shouldPassCleanTestAndHandOutUniqueNames()
    {
        final TestExecutionSummary summary = run(CleanTest.class);

        assertEquals(1, summary.getTestsSucceededCount(), () -> failures(summary));
        assertEquals(2, CREATED.size());
        assertNotEquals(CREATED.get(0), CREATED.get(1));
        final String name = CREATED.get(0).getFileName().toString();
        assertTrue(name.matches("shmq-test-CleanTest-[0-9a-f]{8}"), name);
        assertTrue(CREATED.get(1).getFileName().toString().matches("shmq-test-CleanTest-queue_1-[0-9a-f]{8}"));
    }

    @Test
    void shouldFailAndCleanUpTestThatLeaks()
    {
        final TestExecutionSummary summary = run(LeakyTest.class);

        assertEquals(1, summary.getTestsFailedCount());
        final Throwable failure = summary.getFailures().get(0).getException();
        assertTrue(failure instanceof AssertionError, failure.toString());
        assertTrue(failure.getMessage().contains("leaked=[" + CREATED.get(0).getFileName() + "]"),
            failure.getMessage());
        assertFalse(Files.exists(CREATED.get(0)));
    }

    @Test
    void shouldCleanUpAfterFailingTest()
    {
        final TestExecutionSummary summary = run(FailingTest.class);

        assertEquals(1, summary.getTestsFailedCount());
        final Throwable failure = summary.getFailures().get(0).getException();
        assertEquals("the test itself failed", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertTrue(failure.getSuppressed()[0].getMessage().contains("leaked="));
        assertEquals(1, CREATED.size());
        assertFalse(Files.exists(CREATED.get(0)));
    }

    @Test
    void shouldCleanUpNamesHandedOutAtClassLevel()
    {
        final TestExecutionSummary summary = run(ClassLevelTest.class);

        assertEquals(1, summary.getTestsSucceededCount(), () -> failures(summary));
        assertEquals(1, summary.getContainersFailedCount());
        assertEquals(2, CREATED.size());
        CREATED.forEach((path) -> assertFalse(Files.exists(path), path::toString));
    }

    private static TestExecutionSummary run(final Class<?> testClass)
    {
        CREATED.clear();
        final LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(testClass))
            .configurationParameter(SELF_TEST, "true")
            .build();
        final SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        return listener.getSummary();
    }

    private static String failures(final TestExecutionSummary summary)
    {
        final StringBuilder builder = new StringBuilder();
        summary.getFailures().forEach((f) -> builder.append(f.getTestIdentifier().getDisplayName()).append(": ")
            .append(f.getException()).append('\n'));
        return builder.toString();
    }

    private static Path create(final ShmTestNames names, final String name) throws IOException
    {
        final Path path = Files.write(names.directory().resolve(name), new byte[64]);
        CREATED.add(path);
        return path;
    }

    /**
     * Runs the test classes below only when launched by this test, never by the build's own discovery.
     */
    static final class OnlyWhenLaunchedBySelfTest implements ExecutionCondition
    {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(final ExtensionContext context)
        {
            return context.getConfigurationParameter(SELF_TEST).isPresent() ?
                ConditionEvaluationResult.enabled("launched by ShmTestExtensionTest") :
                ConditionEvaluationResult.disabled("run only by ShmTestExtensionTest");
        }
    }

    @ExtendWith({ OnlyWhenLaunchedBySelfTest.class, ShmTestExtension.class })
    static final class CleanTest
    {
        @Test
        void shouldRemoveWhatItCreates(final ShmTestNames names) throws IOException
        {
            Files.delete(create(names, names.next()));
            Files.delete(create(names, names.next("queue#1")));
        }
    }

    @ExtendWith({ OnlyWhenLaunchedBySelfTest.class, ShmTestExtension.class })
    static final class LeakyTest
    {
        @Test
        void shouldLeak(final ShmTestNames names) throws IOException
        {
            create(names, names.next());
        }
    }

    @ExtendWith({ OnlyWhenLaunchedBySelfTest.class, ShmTestExtension.class })
    static final class FailingTest
    {
        @Test
        void shouldFailAfterCreating(final ShmTestNames names) throws IOException
        {
            create(names, names.next());
            throw new IllegalStateException("the test itself failed");
        }
    }

    @ExtendWith({ OnlyWhenLaunchedBySelfTest.class, ShmTestExtension.class })
    static final class ClassLevelTest
    {
        private static ShmTestNames classNames;

        @org.junit.jupiter.api.BeforeAll
        static void createShared(final ShmTestNames names) throws IOException
        {
            classNames = names;
            create(names, names.next("shared"));
        }

        @Test
        void shouldGetItsOwnNames(final ShmTestNames names) throws IOException
        {
            assertNotEquals(classNames, names);
            Files.delete(create(names, names.next()));
        }
    }
}
