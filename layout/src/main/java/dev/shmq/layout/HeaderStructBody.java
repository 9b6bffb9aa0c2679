package dev.shmq.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one struct's body for {@link HeaderParser}, from after its name to the {@code ;} after its closing brace,
 * into a {@link CStruct}. Data members become fields in order; what does not change the layout is skipped; what
 * CStruct cannot express is an {@link IllegalArgumentException} naming the struct and the member.
 */
final class HeaderStructBody
{
    private static final Set<String> SKIPPED = Set.of("static", "static_assert", "using", "typedef", "friend");
    private static final Set<String> ACCESS = Set.of("public", "private", "protected");
    private static final Set<String> IGNORED_QUALIFIERS = Set.of("mutable");
    private static final Set<String> REJECTED = Set.of(
        "union", "struct", "class", "enum", "template", "virtual", "volatile", "const", "bool", "float", "double",
        "wchar_t", "char8_t", "char16_t", "char32_t", "operator");

    private final HeaderParser parser;
    private final HeaderTokens tokens;
    private final String name;
    private final boolean typedef;
    private final CStruct.Builder builder;

    /**
     * @param parser        the parser, for types, lengths and messages.
     * @param tokens        positioned after the struct's name (at {@code {}, {@code :} or {@code final}).
     * @param name          the struct's name.
     * @param structAlignas its {@code alignas}, or {@link CField#NO_EXPLICIT_ALIGNMENT}.
     * @param typedef       whether the name follows the closing brace, as in {@code typedef struct { ... } Name;}.
     */
    HeaderStructBody(
        final HeaderParser parser, final HeaderTokens tokens, final String name, final int structAlignas,
        final boolean typedef)
    {
        this.parser = parser;
        this.typedef = typedef;
        this.tokens = tokens;
        this.name = name;
        this.builder = CStruct.builder(name);
        if (CField.NO_EXPLICIT_ALIGNMENT != structAlignas)
        {
            builder.structAlignas(structAlignas);
        }
    }

    CStruct parse()
    {
        tokens.accept("final");
        if (tokens.peek().equals(":"))
        {
            throw parser.error(tokens.line(), "struct=" + name, "base class=" + tokens.peek(1),
                "no base classes: declare the members in the struct");
        }
        parser.expect("{", "struct=" + name, tokens.line());
        while (!tokens.atEnd() && !tokens.peek().equals("}"))
        {
            member();
        }
        parser.expect("}", "struct=" + name, tokens.line());
        if (typedef)
        {
            tokens.next();
        }
        if (tokens.accept("__attribute__") && tokens.accept("("))
        {
            // left to g++: the importer's check compiles the header and catches what the attribute changes
            tokens.skipBalanced("(", ")");
        }
        if (!tokens.accept(";"))
        {
            throw parser.error(tokens.line(), "struct=" + name, "token=" + tokens.peek(),
                "';' after the struct: declare variables separately");
        }
        try
        {
            return builder.build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw parser.error(tokens.line(), "struct=" + name, "declaration", "one CStruct accepts: " +
                ex.getMessage());
        }
    }

    private void member()
    {
        final int line = tokens.line();
        final String first = tokens.peek();
        if (ACCESS.contains(first) && tokens.peek(1).equals(":"))
        {
            tokens.next();
            tokens.next();
            return;
        }
        if (first.equals("virtual"))
        {
            throw parser.error(line, "struct=" + name + " member=" + tokens.peek(1) + tokens.peek(2), "'virtual'",
                what(first));
        }
        if (SKIPPED.contains(first) || first.equals("~") || first.equals(name) && tokens.peek(1).equals("(") ||
            first.equals("explicit") || first.equals("constexpr"))
        {
            tokens.skipDeclaration();
            return;
        }
        int alignas = CField.NO_EXPLICIT_ALIGNMENT;
        if (tokens.accept("alignas"))
        {
            alignas = (int)parser.alignas("struct=" + name + " field=" + tokens.peek(3), line);
        }
        if (isFunction())
        {
            tokens.skipDeclaration();
            return;
        }
        final String pointer = pointerDeclarator();
        if (null != pointer)
        {
            throw parser.error(line, "struct=" + name + " field=" + pointer, "pointer or reference",
                "no pointers or references: an address in one process means nothing in another");
        }
        final List<String> type = typeWords(line);
        declarators(type, alignas, line);
    }

    /** Is the member ahead a function: a {@code (} before its {@code ;}, initializer or body. */
    private boolean isFunction()
    {
        for (int i = 0; !tokens.peek(i).isEmpty(); i++)
        {
            final String token = tokens.peek(i);
            if (token.equals("("))
            {
                return true;
            }
            if (token.equals(";") || token.equals("=") || token.equals("{") || token.equals(":") ||
                token.equals("["))
            {
                return false;
            }
        }
        return false;
    }

    /** The name of the member ahead if it is declared as a pointer or reference, else null. */
    private String pointerDeclarator()
    {
        boolean pointer = false;
        for (int i = 0; !tokens.peek(i).isEmpty(); i++)
        {
            final String token = tokens.peek(i);
            if (token.equals("*") || token.equals("&"))
            {
                pointer = true;
            }
            if (token.equals(";") || token.equals("=") || token.equals("{") || token.equals("[") ||
                token.equals(","))
            {
                return pointer ? tokens.peek(i - 1) : null;
            }
        }
        return null;
    }

    private List<String> typeWords(final int line)
    {
        final List<String> words = new ArrayList<>();
        while (!tokens.atEnd())
        {
            final String token = tokens.peek();
            if (IGNORED_QUALIFIERS.contains(token))
            {
                tokens.next();
                continue;
            }
            if (REJECTED.contains(token))
            {
                throw parser.error(line, "struct=" + name + " field=" + declaratorName(), "'" + token + "'",
                    what(token));
            }
            if (token.equals("<"))
            {
                words.add(tokens.next());
                while (!tokens.atEnd() && !tokens.peek().equals(">"))
                {
                    words.add(tokens.next());
                }
                words.add(tokens.next());
                continue;
            }
            final boolean builtin = Set.of("unsigned", "signed", "short", "long", "int", "char").contains(token);
            if (!words.isEmpty() && !(builtin && isBuiltin(words)))
            {
                return words;
            }
            if (!Character.isLetter(token.charAt(0)) && token.charAt(0) != '_' && token.charAt(0) != ':')
            {
                throw parser.error(line, "struct=" + name, "token=" + token, "a member declaration");
            }
            words.add(tokens.next());
        }
        return words;
    }

    private static boolean isBuiltin(final List<String> words)
    {
        return Set.of("unsigned", "signed", "short", "long", "int", "char").contains(words.get(words.size() - 1));
    }

    private String declaratorName()
    {
        for (int i = 0; i < 8; i++)
        {
            final String token = tokens.peek(i);
            if (token.equals(";"))
            {
                return tokens.peek(i - 1);
            }
        }
        return "?";
    }

    private static String what(final String token)
    {
        switch (token)
        {
            case "union":
                return "no unions: CStruct has none";
            case "struct":
            case "class":
            case "enum":
                return "a member of a type declared before the struct, not a nested or elaborated " + token;
            case "template":
                return "no templates";
            case "virtual":
                return "no virtual functions: a vtable pointer is not shared-memory safe";
            default:
                return "an integer type, std::atomic<integer>, char or a struct CStruct can express";
        }
    }

    private void declarators(final List<String> type, final int alignas, final int line)
    {
        while (true)
        {
            final String next = tokens.peek();
            if (next.equals("*") || next.equals("&"))
            {
                throw parser.error(line, "struct=" + name + " field=" + tokens.peek(1),
                    "type=" + String.join(" ", type) + next, "no pointers or references: an address in one process " +
                    "means nothing in another");
            }
            if (next.equals("("))
            {
                tokens.skipDeclaration();
                return;
            }
            final String field = tokens.next();
            final String where = "struct=" + name + " field=" + field;
            if (tokens.peek().equals("("))
            {
                // a member function: not part of the layout
                tokens.skipDeclaration();
                return;
            }
            if (tokens.peek().equals(":"))
            {
                throw parser.error(line, where, "bit-field", "whole-byte members: CStruct has no bit-fields");
            }
            long count = 1;
            boolean array = false;
            if (tokens.accept("["))
            {
                count = parser.length(tokens.next(), where, line);
                parser.expect("]", where, line);
                array = true;
                if (tokens.peek().equals("["))
                {
                    throw parser.error(line, where, "multidimensional array", "one dimension");
                }
            }
            skipInitializer();
            add(field, parser.type(type, where, line), count, array, alignas, where, line);
            if (tokens.accept(";"))
            {
                return;
            }
            parser.expect(",", where, line);
        }
    }

    private void add(
        final String field, final CType type, final long count, final boolean array, final int alignas,
        final String where, final int line)
    {
        try
        {
            if (CField.NO_EXPLICIT_ALIGNMENT != alignas)
            {
                builder.alignas(alignas);
            }
            if (array)
            {
                builder.array(field, type, (int)Math.min(Integer.MAX_VALUE, count));
            }
            else
            {
                builder.field(field, type);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            throw parser.error(line, where, "declaration", "one CStruct accepts: " + ex.getMessage());
        }
    }

    private void skipInitializer()
    {
        if (tokens.peek().equals("{"))
        {
            tokens.next();
            tokens.skipBalanced("{", "}");
        }
        else if (tokens.accept("="))
        {
            int depth = 0;
            while (!tokens.atEnd())
            {
                final String token = tokens.peek();
                if (depth == 0 && (token.equals(",") || token.equals(";")))
                {
                    return;
                }
                if (token.equals("(") || token.equals("{"))
                {
                    depth++;
                }
                else if (token.equals(")") || token.equals("}"))
                {
                    depth--;
                }
                tokens.next();
            }
        }
    }
}
