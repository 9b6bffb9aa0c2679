package dev.shmq.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.agrona.DirectBuffer;

/**
 * Test helper: compiles generated sources with javac ({@code --release 17 -Xlint:all -Werror -Xdoclint:all/protected},
 * this project compiles its own) against Agrona, loads them, and calls their methods by name.
 */
final class CompiledFlyweight
{
    private final ClassLoader loader;

    private CompiledFlyweight(final ClassLoader loader)
    {
        this.loader = loader;
    }

    /**
     * @param directory where to write sources and classes.
     * @param sources   each class's binary name with its source.
     * @return the loaded classes' loader.
     */
    static CompiledFlyweight compile(final Path directory, final Map<String, String> sources)
    {
        try
        {
            final Path sourceRoot = Files.createDirectories(directory.resolve("src"));
            final Path classes = Files.createDirectories(directory.resolve("classes"));
            final List<Path> files = new ArrayList<>();
            for (final Map.Entry<String, String> entry : sources.entrySet())
            {
                final Path file = sourceRoot.resolve(entry.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, entry.getValue());
                files.add(file);
            }
            final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, null, null))
            {
                final List<String> options = List.of("--release", "17", "-Xlint:all", "-Werror",
                    "-Xdoclint:all/protected",
                    "-classpath", agronaJar().toString(), "-d", classes.toString());
                final boolean ok = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
                if (!ok || !diagnostics.getDiagnostics().isEmpty())
                {
                    throw new AssertionError("generated source does not compile cleanly: " +
                        diagnostics.getDiagnostics());
                }
            }
            return new CompiledFlyweight(new URLClassLoader(new URL[] {classes.toUri().toURL()},
                CompiledFlyweight.class.getClassLoader()));
        }
        catch (final MalformedURLException ex)
        {
            throw new IllegalStateException(ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    static Path agronaJar()
    {
        try
        {
            return Path.of(DirectBuffer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    Object newInstance(final String className)
    {
        try
        {
            return loader.loadClass(className).getDeclaredConstructor().newInstance();
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError("cannot instantiate " + className, ex);
        }
    }

    Class<?> loadClass(final String className)
    {
        try
        {
            return loader.loadClass(className);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /**
     * Calls a public method by name, choosing the overload whose parameters take the arguments.
     *
     * @param target the object.
     * @param name   the method.
     * @param args   the arguments, boxed as the parameters' exact primitive types.
     * @return what it returned.
     * @throws RuntimeException what the method threw, unwrapped.
     */
    static Object call(final Object target, final String name, final Object... args)
    {
        for (final Method method : target.getClass().getMethods())
        {
            if (method.getName().equals(name) && method.getParameterCount() == args.length &&
                accepts(method.getParameterTypes(), args))
            {
                try
                {
                    return method.invoke(target, args);
                }
                catch (final InvocationTargetException ex)
                {
                    if (ex.getCause() instanceof RuntimeException)
                    {
                        throw (RuntimeException)ex.getCause();
                    }
                    throw new AssertionError(ex.getCause());
                }
                catch (final IllegalAccessException ex)
                {
                    throw new AssertionError(ex);
                }
            }
        }
        throw new AssertionError("no method " + name + " taking " + args.length + " arguments on " +
            target.getClass().getName());
    }

    private static boolean accepts(final Class<?>[] types, final Object[] args)
    {
        for (int i = 0; i < types.length; i++)
        {
            final Class<?> type = types[i];
            final Object arg = args[i];
            final boolean ok = type.isPrimitive() ?
                null != arg && boxOf(type).equals(arg.getClass()) : null == arg || type.isInstance(arg);
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static Class<?> boxOf(final Class<?> primitive)
    {
        if (primitive == byte.class)
        {
            return Byte.class;
        }
        if (primitive == short.class)
        {
            return Short.class;
        }
        if (primitive == int.class)
        {
            return Integer.class;
        }
        if (primitive == long.class)
        {
            return Long.class;
        }
        return primitive == boolean.class ? Boolean.class : Character.class;
    }
}
