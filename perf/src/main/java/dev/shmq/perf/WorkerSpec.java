package dev.shmq.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one child process of a run does, as {@code key=value} command-line arguments (the C++ peers parse the same).
 */
final class WorkerSpec
{
    static final String ROLE = "role";
    static final String SYSTEM = "system";
    static final String PAYLOAD = "payload";
    static final String NAME = "name";
    static final String CONTROL = "ctl";
    static final String INDEX = "index";
    static final String PRODUCERS = "producers";
    static final String CONSUMERS = "consumers";
    static final String CREATOR = "creator";
    static final String SLOTS = "slots";
    static final String DURATION_MS = "durationMs";
    static final String WARMUP_MS = "warmupMs";
    static final String COUNT = "count";
    static final String RATE = "rate";
    static final String IDLE = "idle";
    static final String IDLE_MS = "idleMs";
    static final String SAMPLES = "samples";
    /** false: the child JVM runs with {@code -Dagrona.disable.bounds.checks=true}. */
    static final String BOUNDS_CHECKS = "boundsChecks";

    private final Map<String, String> values = new LinkedHashMap<>();

    WorkerSpec set(final String key, final Object value)
    {
        values.put(key, String.valueOf(value));
        return this;
    }

    WorkerSpec copy()
    {
        final WorkerSpec copy = new WorkerSpec();
        copy.values.putAll(values);
        return copy;
    }

    static WorkerSpec parse(final String[] args)
    {
        final WorkerSpec spec = new WorkerSpec();
        for (final String arg : args)
        {
            final int eq = arg.indexOf('=');
            if (eq < 1)
            {
                throw new IllegalArgumentException("arg=" + arg + " (expected key=value)");
            }
            spec.values.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return spec;
    }

    String string(final String key)
    {
        final String value = values.get(key);
        if (null == value)
        {
            throw new IllegalArgumentException(key + "=null (expected a value)");
        }
        return value;
    }

    String string(final String key, final String defaultValue)
    {
        return values.getOrDefault(key, defaultValue);
    }

    int integer(final String key, final int defaultValue)
    {
        return values.containsKey(key) ? Integer.parseInt(values.get(key)) : defaultValue;
    }

    long longValue(final String key, final long defaultValue)
    {
        return values.containsKey(key) ? Long.parseLong(values.get(key)) : defaultValue;
    }

    boolean flag(final String key)
    {
        return Boolean.parseBoolean(values.get(key));
    }

    BenchSystem system()
    {
        return BenchSystem.byId(string(SYSTEM));
    }

    List<String> toArgs()
    {
        final List<String> args = new ArrayList<>();
        values.forEach((key, value) -> args.add(key + '=' + value));
        return args;
    }

    @Override
    public String toString()
    {
        return String.join(" ", toArgs());
    }
}
