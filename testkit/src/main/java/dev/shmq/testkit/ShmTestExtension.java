package dev.shmq.testkit;

import dev.shmq.core.ShmName;
import dev.shmq.core.ShmSegments;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A JUnit 5 extension that hands each test unique shared-memory names and makes sure none outlives it.
 *
 * <p>A test (or {@code @BeforeEach}, {@code @BeforeAll}, a constructor) takes a {@link ShmTestNames} parameter. After
 * each test, every object whose name was handed out for it is removed, also when the test failed; if any was still
 * there, the test then fails, so that a leak is reported and yet cleaned. Removal is forced: a segment the test
 * still maps loses its name, and its mapping stays valid until closed. Names handed out at class level
 * ({@code @BeforeAll}, or a constructor under JUnit 5.11) are removed and checked after all tests of the
 * class.
 *
 * <pre>{@code
 * @ExtendWith(ShmTestExtension.class)
 * class QueueTest
 * {
 *     @Test
 *     void shouldRoundTrip(final ShmTestNames names)
 *     {
 *         final ShmName name = names.nextShmName();
 *         try (ShmSegment segment = ShmSegment.create(name, 4096))
 *         {
 *             ...
 *         }
 *         finally
 *         {
 *             ShmSegments.in(names.directory()).remove(name.name(), true);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>For another directory: {@code @RegisterExtension static final ShmTestExtension SHM = new
 * ShmTestExtension(Path.of("/mnt/huge"));}.
 */
public final class ShmTestExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback
{
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(ShmTestExtension.class);

    private final Path directory;

    /**
     * Uses {@link ShmName#defaultDirectory()}, read when a test first asks for names.
     */
    public ShmTestExtension()
    {
        this.directory = null;
    }

    /**
     * @param directory the shared-memory directory, e.g. another tmpfs or hugetlbfs mount.
     */
    public ShmTestExtension(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        return ShmTestNames.class == parameterContext.getParameter().getType();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        return names(extensionContext);
    }

    /**
     * Removes the objects named for the test and fails it if any was left behind.
     *
     * @param context the test's context.
     */
    @Override
    public void afterEach(final ExtensionContext context)
    {
        removeLeftovers(context);
    }

    /**
     * Removes the objects named at class level and fails the class if any was left behind.
     *
     * @param context the class's context.
     */
    @Override
    public void afterAll(final ExtensionContext context)
    {
        removeLeftovers(context);
    }

    /**
     * @param context a test's or class's context.
     * @return the names handed out for exactly this context, created on first use.
     */
    public ShmTestNames names(final ExtensionContext context)
    {
        // keyed by unique id: a test's store would otherwise find its class's names through the parent store
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(
            context.getUniqueId(),
            (key) -> new ShmTestNames(
                null != directory ? directory : ShmName.defaultDirectory(),
                context.getTestClass().map(Class::getSimpleName).orElse("test")),
            ShmTestNames.class);
    }

    private static void removeLeftovers(final ExtensionContext context)
    {
        final ShmTestNames names = context.getStore(NAMESPACE).remove(context.getUniqueId(), ShmTestNames.class);
        if (null == names)
        {
            return;
        }
        final ShmSegments segments = ShmSegments.in(names.directory());
        final List<String> leaked = new ArrayList<>();
        RuntimeException failure = null;
        for (final String name : names.issued())
        {
            try
            {
                if (segments.remove(name, true))
                {
                    leaked.add(name);
                }
            }
            catch (final RuntimeException ex)
            {
                if (null == failure)
                {
                    failure = ex;
                }
                else
                {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (null != failure)
        {
            throw new IllegalStateException("cannot remove shared-memory objects left by " +
                context.getDisplayName() + " in " + names.directory(), failure);
        }
        if (!leaked.isEmpty())
        {
            throw new AssertionError("test left shared-memory objects behind in " + names.directory() +
                ": leaked=" + leaked + " (expected each removed by the test; the extension removed them)");
        }
    }
}
