package dev.shmq.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link CStruct} declarations as C++ a peer process can compile: integer members as {@code <cstdint>}
 * types, atomic members as {@code std::atomic<uintN_t>}, nested struct types defined before the structs that use
 * them, {@code alignas} where the Java declaration has it.
 */
public final class CppStructGenerator
{
    private CppStructGenerator()
    {
    }

    /**
     * The structs and every struct they nest, each defined once, dependencies first, preceded by the includes
     * they need.
     *
     * @param structs the structs to declare.
     * @return a self-contained C++ fragment, fit for a header.
     * @throws IllegalArgumentException if two different structs share a name.
     */
    public static String declarations(final CStruct... structs)
    {
        return declarations(null, structs);
    }

    /**
     * As {@link #declarations(CStruct...)}, with the structs inside a namespace.
     *
     * @param namespace the C++ namespace to declare the structs in, or null for the global namespace.
     * @param structs   the structs to declare.
     * @return a self-contained C++ fragment, fit for a header.
     * @throws IllegalArgumentException if two different structs share a name.
     */
    public static String declarations(final String namespace, final CStruct... structs)
    {
        final StringBuilder out = new StringBuilder();
        out.append("#include <atomic>\n#include <cstdint>\n\n");
        if (null != namespace)
        {
            out.append("namespace ").append(namespace).append("\n{\n\n");
        }
        for (final CStruct struct : inDependencyOrder(structs))
        {
            out.append(struct.cppDefinition()).append('\n');
        }
        if (null != namespace)
        {
            out.append("}\n");
        }
        return out.toString();
    }

    /**
     * The structs and every struct they nest, each once, every struct after the structs it nests.
     *
     * @param structs the structs to order.
     * @return the ordered list.
     * @throws IllegalArgumentException if two different structs share a name.
     */
    public static List<CStruct> inDependencyOrder(final CStruct... structs)
    {
        final Map<String, CStruct> ordered = new LinkedHashMap<>();
        for (final CStruct struct : structs)
        {
            visit(struct, ordered);
        }
        return new ArrayList<>(ordered.values());
    }

    private static void visit(final CStruct struct, final Map<String, CStruct> ordered)
    {
        final CStruct seen = ordered.get(struct.name());
        if (null != seen)
        {
            if (!seen.equals(struct))
            {
                throw new IllegalArgumentException("struct=" + struct.name() +
                    " declared twice with different layouts (expected one declaration per name):\n" + seen + struct);
            }
            return;
        }
        for (final CField field : struct.fields())
        {
            if (field.type() instanceof CStruct)
            {
                visit((CStruct)field.type(), ordered);
            }
        }
        ordered.put(struct.name(), struct);
    }
}
