package dev.shmq.layout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the plain structs of a C++ header into {@link CStruct} declarations for {@link HeaderImporter}: namespaces,
 * {@code struct [alignas(N)] Name { ... };} with integer, {@code std::atomic}, array and nested-struct members,
 * {@code alignas} on members, {@code constexpr} integer constants as array lengths, {@code using}/{@code typedef}
 * aliases; static members, member functions, access specifiers and {@code static_assert}s are skipped (they do not
 * change the layout). A struct with a member CStruct cannot express (bit-field, union, pointer, reference,
 * template other than {@code std::atomic}, floating point, base class, virtual function, ...) is recorded as an
 * error naming struct and field, thrown only if that struct is asked for. Not thread-safe.
 */
final class HeaderParser
{
    private final String header;
    private final HeaderTokens tokens;
    private final Deque<String> namespaces = new ArrayDeque<>();
    private final Map<String, CStruct> structs = new LinkedHashMap<>();
    private final Map<String, IllegalArgumentException> failed = new HashMap<>();
    private final Map<String, Long> constants = new HashMap<>();
    private final Map<String, List<String>> aliases = new HashMap<>();
    private final Set<String> unions = new HashSet<>();

    HeaderParser(final String header, final String source)
    {
        this.header = header;
        this.tokens = new HeaderTokens(source);
    }

    /**
     * Parses the whole header.
     *
     * @return this parser.
     */
    HeaderParser parse()
    {
        scope();
        return this;
    }

    /**
     * @param name a struct's name, qualified ({@code md::Order}) or, if unique, not.
     * @return its declaration.
     * @throws IllegalArgumentException if the header has no such struct or it cannot be expressed.
     */
    CStruct struct(final String name)
    {
        final String key = name.startsWith("::") ? name.substring(2) : name;
        final List<String> matches = new ArrayList<>();
        for (final String candidate : allNames())
        {
            if (candidate.equals(key) || candidate.endsWith("::" + key))
            {
                matches.add(candidate);
            }
        }
        if (matches.size() != 1)
        {
            throw new IllegalArgumentException("header=" + header + " struct=" + name + (matches.isEmpty() ?
                " not found (expected one of " + allNames() + ")" : " ambiguous (expected one of " + matches + ")"));
        }
        final IllegalArgumentException error = failed.get(matches.get(0));
        if (null != error)
        {
            throw error;
        }
        return structs.get(matches.get(0));
    }

    /**
     * @param name a struct's name as {@link #struct(String)} takes it.
     * @return its qualified name, without leading {@code ::}.
     */
    String qualifiedName(final String name)
    {
        final CStruct struct = struct(name);
        for (final Map.Entry<String, CStruct> entry : structs.entrySet())
        {
            if (entry.getValue() == struct)
            {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("struct=" + name + " (expected it among the parsed structs)");
    }

    private List<String> allNames()
    {
        final List<String> names = new ArrayList<>(structs.keySet());
        names.addAll(failed.keySet());
        return names;
    }

    private void scope()
    {
        while (!tokens.atEnd() && !tokens.peek().equals("}"))
        {
            final String token = tokens.peek();
            if (token.equals("inline") && tokens.peek(1).equals("namespace") || token.equals("namespace"))
            {
                tokens.accept("inline");
                namespace();
            }
            else if (token.equals("extern") && tokens.peek(1).equals("\""))
            {
                tokens.next();
                while (!tokens.atEnd() && !tokens.next().equals("\""))
                {
                    continue;
                }
                block();
            }
            else if (token.equals("struct") || token.equals("union"))
            {
                record(false);
            }
            else if (token.equals("typedef") && tokens.peek(1).equals("struct"))
            {
                tokens.next();
                record(true);
            }
            else if (token.equals("using") || token.equals("typedef"))
            {
                alias();
            }
            else if (token.equals("constexpr") || token.equals("static") || token.equals("inline"))
            {
                constant();
            }
            else
            {
                tokens.skipDeclaration();
            }
        }
    }

    private void block()
    {
        if (tokens.accept("{"))
        {
            scope();
            tokens.accept("}");
        }
        else
        {
            tokens.skipDeclaration();
        }
    }

    private void namespace()
    {
        tokens.next();
        final String name = tokens.peek().equals("{") ? "" : tokens.next();
        if (!tokens.peek().equals("{"))
        {
            tokens.skipDeclaration();
            return;
        }
        namespaces.addLast(name);
        block();
        namespaces.removeLast();
    }

    private String qualify(final String name)
    {
        final StringBuilder out = new StringBuilder();
        for (final String ns : namespaces)
        {
            if (!ns.isEmpty())
            {
                out.append(ns).append("::");
            }
        }
        return out.append(name).toString();
    }

    private void alias()
    {
        final boolean using = tokens.next().equals("using");
        final List<String> words = new ArrayList<>();
        String name = null;
        if (using)
        {
            name = tokens.next();
            if (!tokens.accept("="))
            {
                tokens.skipDeclaration();
                return;
            }
        }
        while (!tokens.atEnd() && !tokens.peek().equals(";"))
        {
            words.add(tokens.next());
        }
        tokens.accept(";");
        if (!using && !words.isEmpty())
        {
            name = words.remove(words.size() - 1);
        }
        if (null != name && !words.isEmpty())
        {
            aliases.put(qualify(name), words);
        }
    }

    private void constant()
    {
        final List<String> words = new ArrayList<>();
        while (!tokens.atEnd() && !tokens.peek().equals(";") && !tokens.peek().equals("(") &&
            !tokens.peek().equals("{"))
        {
            words.add(tokens.next());
        }
        final int equals = words.indexOf("=");
        if (tokens.peek().equals(";") && equals > 0 && equals == words.size() - 2 && words.contains("constexpr"))
        {
            final Long value = number(words.get(words.size() - 1));
            if (null != value)
            {
                constants.put(qualify(words.get(equals - 1)), value);
            }
        }
        tokens.skipDeclaration();
    }

    private Long number(final String text)
    {
        final String digits = text.replace("'", "").replaceAll("[uUlL]+$", "");
        try
        {
            return digits.startsWith("0x") || digits.startsWith("0X") ?
                Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            return lookupConstant(text);
        }
    }

    private Long lookupConstant(final String name)
    {
        for (final String candidate : candidates(name))
        {
            final Long value = constants.get(candidate);
            if (null != value)
            {
                return value;
            }
        }
        return null;
    }

    /** The names a name written in the current namespace may refer to, innermost first. */
    private List<String> candidates(final String written)
    {
        final String name = written.startsWith("::") ? written.substring(2) : written;
        final List<String> candidates = new ArrayList<>();
        if (!written.startsWith("::"))
        {
            final List<String> open = new ArrayList<>();
            for (final String ns : namespaces)
            {
                if (!ns.isEmpty())
                {
                    open.add(ns);
                }
            }
            for (int depth = open.size(); depth > 0; depth--)
            {
                candidates.add(String.join("::", open.subList(0, depth)) + "::" + name);
            }
        }
        candidates.add(name);
        return candidates;
    }

    private void record(final boolean typedef)
    {
        final boolean union = tokens.next().equals("union");
        final int line = tokens.line();
        int structAlignas = CField.NO_EXPLICIT_ALIGNMENT;
        if (tokens.accept("alignas"))
        {
            structAlignas = (int)alignas("struct=" + tokens.peek(3), line);
        }
        String name = tokens.peek().equals("{") ? null : tokens.next();
        if (!tokens.peek().equals("{") && !tokens.peek().equals(":") && !tokens.peek().equals("final"))
        {
            tokens.skipDeclaration();
            return;
        }
        if (typedef || null == name)
        {
            // typedef struct [Tag] { ... } Name;  the C spelling: the struct goes by Name
            name = typedef ? typedefName() : null;
            if (null == name)
            {
                tokens.skipDeclaration();
                return;
            }
        }
        final String qualified = qualify(name);
        if (union)
        {
            unions.add(qualified);
            tokens.skipDeclaration();
            return;
        }
        final int start = tokens.mark();
        try
        {
            final HeaderStructBody body = new HeaderStructBody(this, tokens, name, structAlignas, typedef);
            structs.put(qualified, body.parse());
        }
        catch (final IllegalArgumentException ex)
        {
            failed.put(qualified, ex);
            tokens.reset(start);
            while (!tokens.atEnd() && !tokens.peek().equals("{"))
            {
                tokens.next();
            }
            tokens.skipDeclaration();
        }
    }

    /**
     * @return the name after the closing brace of the struct body ahead, or null if none follows.
     */
    private String typedefName()
    {
        final int mark = tokens.mark();
        while (!tokens.atEnd() && !tokens.peek().equals("{"))
        {
            tokens.next();
        }
        tokens.next();
        tokens.skipBalanced("{", "}");
        final String name = tokens.peek();
        tokens.reset(mark);
        return name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0)) ? null : name;
    }

    /**
     * Reads {@code (N)} after {@code alignas}.
     *
     * @param field the struct and member it is for, for messages.
     * @param line  the line, for messages.
     * @return N.
     */
    long alignas(final String field, final int line)
    {
        expect("(", field, line);
        final String value = tokens.next();
        expect(")", field, line);
        return length(value, field, line);
    }

    /**
     * @param text  a number or a {@code constexpr} integer of the header.
     * @param field the struct and member it is for, for messages.
     * @param line  the line, for messages.
     * @return the value.
     */
    long length(final String text, final String field, final int line)
    {
        final Long value = number(text);
        if (null == value)
        {
            throw error(line, field, "value=" + text, "an integer literal or a constexpr integer of the header");
        }
        return value;
    }

    void expect(final String text, final String field, final int line)
    {
        final String actual = tokens.next();
        if (!actual.equals(text))
        {
            throw error(line, field, "token=" + actual, "'" + text + "'");
        }
    }

    /**
     * Resolves a member's type as written.
     *
     * @param words the type's tokens, e.g. {@code [std::atomic, <, std::uint64_t, >]} or {@code [unsigned, long]}.
     * @param field the member, for messages.
     * @param line  the line, for messages.
     * @return the type.
     */
    CType type(final List<String> words, final String field, final int line)
    {
        final String spelling = String.join(" ", words);
        if (words.size() == 4 && CppTypeNames.isAtomicTemplate(words.get(0)) && words.get(1).equals("<") &&
            words.get(3).equals(">"))
        {
            final CType inner = type(List.of(words.get(2)), field, line);
            final CScalar atomic = inner instanceof CScalar ? CppTypeNames.atomic((CScalar)inner) : null;
            if (null == atomic)
            {
                throw error(line, field, "type=" + spelling, "std::atomic of a fixed-width integer");
            }
            return atomic;
        }
        if (words.contains("<"))
        {
            throw error(line, field, "type=" + spelling, "no template other than std::atomic<integer>");
        }
        final CScalar scalar = CppTypeNames.scalar(spelling);
        if (null != scalar)
        {
            return scalar;
        }
        if (words.size() == 1)
        {
            for (final String candidate : candidates(words.get(0)))
            {
                if (aliases.containsKey(candidate))
                {
                    return type(aliases.get(candidate), field, line);
                }
                if (structs.containsKey(candidate))
                {
                    return structs.get(candidate);
                }
                if (failed.containsKey(candidate))
                {
                    throw error(line, field, "type=" + spelling, "a struct CStruct can express: " +
                        failed.get(candidate).getMessage());
                }
                if (unions.contains(candidate))
                {
                    throw error(line, field, "type=" + spelling + " is a union", "no unions: CStruct has none");
                }
            }
        }
        throw error(line, field, "type=" + spelling, "a fixed-width integer, char, std::atomic<integer>, or a " +
            "struct declared before it in the header");
    }

    /**
     * @param line     the line.
     * @param where    the struct and member, e.g. {@code struct=Order field=next}.
     * @param what     what is wrong, e.g. {@code type=Order*}.
     * @param expected what was expected.
     * @return the exception to throw.
     */
    IllegalArgumentException error(final int line, final String where, final String what, final String expected)
    {
        return new IllegalArgumentException("header=" + header + " line=" + line + " " + where + " " + what +
            " (expected " + expected + ")");
    }
}
