package dev.shmq.layout;

import java.util.regex.Pattern;

/**
 * Resolves a path into a struct as C++ would write it ({@code "hdr.size"}, {@code "slots[1].size"},
 * {@code "symbol[3]"}) to its offset: the job behind {@link CStruct#offsetOf(String)}.
 */
final class MemberPath
{
    private static final Pattern PATH_SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[(\\d{1,10})])?");

    private MemberPath()
    {
    }

    /**
     * @param root the struct the path starts in.
     * @param path a member name, optionally indexed, with {@code .} to step into a nested struct.
     * @return the offset in bytes from the start of {@code root}.
     * @throws IllegalArgumentException naming the struct and the part of the path that does not resolve.
     */
    static int offsetOf(final CStruct root, final String path)
    {
        final String name = root.name();
        CStruct struct = root;
        CType current = root;
        long offset = 0;
        final String[] segments = path.split("\\.", -1);
        for (int i = 0; i < segments.length; i++)
        {
            final String segment = segments[i];
            if (null == struct)
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": " +
                    current.cppName() + " has no members (expected a path into a struct)");
            }
            final var matcher = PATH_SEGMENT.matcher(segment);
            if (!matcher.matches())
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": segment=" + segment +
                    " (expected name or name[index])");
            }
            final CField field = struct.field(matcher.group(1));
            offset += field.offset();
            current = field.type();
            if (null != matcher.group(2))
            {
                final long index = Long.parseLong(matcher.group(2));
                if (!field.isArray() || index >= field.count())
                {
                    throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": index=" + index +
                        " (expected " + (field.isArray() ?
                        "less than " + field.count() + " for " + field.cppDeclaration() :
                        "no index: " + field.name() + " is not an array") + ")");
                }
                offset += index * current.size();
            }
            else if (field.isArray() && current instanceof CStruct && i < segments.length - 1)
            {
                throw new IllegalArgumentException("path=" + path + " in struct=" + name + ": segment=" + segment +
                    " (expected an index: " + field.name() + " is an array of " + field.count() + ")");
            }
            struct = current instanceof CStruct ? (CStruct)current : null;
        }
        return (int)offset;
    }
}
