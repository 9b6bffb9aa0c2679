package dev.shmq.layout;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CppLayoutCheckerTest
{
    private static final Path CASES_HEADER = Path.of("src/test/resources/cpp/layout_check_cases.h");
    private static final String CASES_INCLUDE = "<cpp/layout_check_cases.h>";
    private static final CStruct INNER = CStruct.builder("Inner").u32("x").u8("y").build();

    private final CppLayoutChecker checker = new CppLayoutChecker();

    @Test
    void shouldAcceptAHeaderThatMatchesMemberByMemberIncludingNestedArrays()
    {
        final CStruct matching = CStruct.builder("Matching")
            .u8("flag")
            .array("items", INNER, 2)
            .atomicU64("seq")
            .chars("symbol", 5)
            .i64("total")
            .build();

        assertDoesNotThrow(() -> checker.verifyAgainstHeader(CASES_HEADER, "cases::Matching", matching));
    }

    @Test
    void shouldCatchADeliberatelyWrongDeclarationNamingStructFieldAndBothNumbers()
    {
        final CStruct wrong = CStruct.builder("WrongWidth").u32("a").u32("b").build();

        final LayoutMismatchException ex = assertThrows(LayoutMismatchException.class,
            () -> checker.verifyAgainstHeader(CASES_HEADER, "cases::WrongWidth", wrong));

        assertAll(
            () -> assertEquals("WrongWidth", ex.structName()),
            () -> assertEquals("b", ex.field()),
            () -> assertEquals(LayoutMismatchException.OFFSETOF, ex.property()),
            () -> assertEquals(4, ex.expected()),
            () -> assertEquals(8, ex.actual()),
            () -> assertTrue(ex.getMessage().contains("struct=WrongWidth field=b offsetof: Java=4, g++=8"),
                ex.getMessage()),
            () -> assertTrue(ex.getMessage().contains("struct=WrongWidth field=b sizeof: Java=4, g++=8"),
                ex.getMessage()),
            () -> assertTrue(ex.getMessage().contains("struct=WrongWidth sizeof: Java=8, g++=16"), ex.getMessage()),
            () -> assertTrue(ex.getMessage().contains("struct=WrongWidth alignof: Java=4, g++=8"), ex.getMessage()));
    }

    @Test
    void shouldReportMissingMembersAndWrongKindsOfEveryStructInOneRun()
    {
        final CStruct missing = CStruct.builder("MissingField").u32("a").u32("b").build();
        final CStruct notAtomic = CStruct.builder("NotAtomic").atomicU64("a").build();

        final LayoutMismatchException ex = assertThrows(LayoutMismatchException.class,
            () -> checker.withIncludeDirectory(Path.of("src/test/resources")).verifyAgainstHeader(CASES_INCLUDE,
                Map.of("cases::MissingField", missing, "cases::NotAtomic", notAtomic)));

        assertAll(
            () -> assertEquals("MissingField", ex.structName()),
            () -> assertEquals("b", ex.field()),
            () -> assertEquals(LayoutMismatchException.NOT_EVALUATED, ex.actual()),
            () -> assertTrue(ex.getMessage().contains("has no member named 'b'"), ex.getMessage()),
            () -> assertTrue(ex.getMessage().contains(
                "struct=NotAtomic field=a type: Java=std::atomic<uint64_t> (code 40), g++=uint64_t (code 8)"),
                ex.getMessage()));
    }

    @Test
    void shouldCompareConstantsWithBothValues()
    {
        final LayoutMismatchException ex = assertThrows(LayoutMismatchException.class,
            () -> checker.withIncludeDirectory(Path.of("src/test/resources"))
                .verifyConstants(CASES_INCLUDE, Map.of("cases::ANSWER", 41L)));

        assertEquals(LayoutMismatchException.VALUE, ex.property());
        assertEquals("cases::ANSWER", ex.field());
        assertEquals(41, ex.expected());
        assertEquals(42, ex.actual());
        assertTrue(ex.getMessage().contains("constant cases::ANSWER: Java=41, g++=42"), ex.getMessage());
    }

    @Test
    void shouldFailWithTheDiagnosticsWhenTheHeaderDoesNotCompile()
    {
        final CStruct broken = CStruct.builder("Broken").u32("x").build();

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> checker.verifyAgainstHeader(Path.of("src/test/resources/cpp/broken.h"), "Broken", broken));

        assertTrue(!(ex instanceof LayoutMismatchException), ex.toString());
        assertTrue(ex.getMessage().contains("rejected the layout check"), ex.getMessage());
        assertTrue(ex.getMessage().contains("not_a_type"), ex.getMessage());
    }

    @Test
    void shouldFailClearlyWhenTheCompilerIsMissing()
    {
        final CppLayoutChecker missing = new CppLayoutChecker("/nonexistent/shmq-no-such-g++", List.of());
        final CStruct struct = CStruct.builder("Anything").u8("a").build();

        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> missing.verify(struct));

        assertTrue(ex.getMessage().contains("compiler=/nonexistent/shmq-no-such-g++ cannot be run"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("expected g++ on the PATH"), ex.getMessage());
    }

    @Test
    void shouldNormaliseIncludeDirectives()
    {
        assertEquals("#include <a/b.h>", CppLayoutChecker.normaliseInclude("<a/b.h>"));
        assertEquals("#include \"a/b.h\"", CppLayoutChecker.normaliseInclude("\"a/b.h\""));
        assertEquals("#include \"a/b.h\"", CppLayoutChecker.normaliseInclude("a/b.h"));
        assertEquals("#include <a/b.h>", CppLayoutChecker.normaliseInclude("  #include <a/b.h> "));
    }

    @Test
    void shouldGenerateNestedStructsBeforeTheirUsers()
    {
        final CStruct outer = CStruct.builder("Outer").array("items", INNER, 2).build();

        final String cpp = CppStructGenerator.declarations(outer);

        assertTrue(cpp.indexOf("struct Inner") < cpp.indexOf("struct Outer"), cpp);
        assertTrue(cpp.contains("    Inner items[2];"), cpp);
        assertTrue(CppLayoutChecker.generatedCheckSource(outer).contains("offsetof(shmq_generated::Outer, items)"));
    }

    @Test
    void shouldRejectTwoDifferentStructsWithOneName()
    {
        final CStruct one = CStruct.builder("Same").u8("a").build();
        final CStruct other = CStruct.builder("Same").u16("a").build();

        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> CppStructGenerator.declarations(one, other));

        assertTrue(ex.getMessage().startsWith("struct=Same declared twice with different layouts"), ex.getMessage());
    }
}
