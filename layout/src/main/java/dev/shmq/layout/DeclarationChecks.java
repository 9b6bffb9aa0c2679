package dev.shmq.layout;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the names and {@code alignas} values a {@link CStruct} declaration may use: names are C++ identifiers that
 * are not keywords, alignments are powers of two up to {@link CStruct#MAX_ALIGNMENT} and no weaker than the natural
 * alignment, as C++ requires.
 */
final class DeclarationChecks
{
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> CPP_KEYWORDS = Set.of(
        "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
        "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
        "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
        "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
        "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
        "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
        "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
        "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
        "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq");

    private DeclarationChecks()
    {
    }

    /**
     * @param what       {@code "struct"} for the struct's own name, else what the name is of (e.g. {@code "field"}).
     * @param structName the struct the name belongs to, for the message.
     * @param identifier the name to check.
     * @return the identifier.
     * @throws IllegalArgumentException if it is not a C++ identifier or is a keyword.
     */
    static String checkIdentifier(final String what, final String structName, final String identifier)
    {
        if (null == identifier || !IDENTIFIER.matcher(identifier).matches() || CPP_KEYWORDS.contains(identifier))
        {
            throw new IllegalArgumentException((what.equals("struct") ? "" : "struct=" + structName + " ") +
                what + " name=" + identifier + " (expected a C++ identifier that is not a keyword)");
        }
        return identifier;
    }

    /**
     * @param where            the struct or member the alignment is for, for the message.
     * @param alignas          the requested alignment.
     * @param naturalAlignment the alignment the type has without {@code alignas}.
     * @return the alignment.
     * @throws IllegalArgumentException if it is not a power of two in [1, {@link CStruct#MAX_ALIGNMENT}] or is
     *                                  weaker than the natural alignment.
     */
    static int checkAlignas(final String where, final long alignas, final int naturalAlignment)
    {
        if (alignas < 1 || alignas > CStruct.MAX_ALIGNMENT || (alignas & (alignas - 1)) != 0)
        {
            throw new IllegalArgumentException(where + " alignas=" + alignas +
                " (expected a power of two in [1, " + CStruct.MAX_ALIGNMENT + "])");
        }
        if (alignas < naturalAlignment)
        {
            throw new IllegalArgumentException(where + " alignas=" + alignas + " (expected at least the natural " +
                "alignment " + naturalAlignment + ": a weaker alignas is ill-formed C++)");
        }
        return (int)alignas;
    }
}
