package dev.shmq.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layout rules, table-driven: every case states the offsets, size and alignment the x86-64 System V ABI gives
 * (worked out by hand), Java must compute them, and g++ must agree on every case in one compiler run.
 */
class LayoutRulesTest
{
    private static final CStruct INNER = CStruct.builder("Inner").u32("x").u8("y").build();
    private static final CStruct CACHE_LINE = CStruct.builder("CacheLine").structAlignas(64).u64("value").build();
    private static final CStruct WITH_ARRAY = CStruct.builder("WithStructArray")
        .u16("a").array("items", INNER, 3).u8("b").build();

    private static final List<Case> CASES = cases();

    @ParameterizedTest(name = "{0}")
    @MethodSource("caseArguments")
    void shouldLayOutAsTheAbiSays(final String name, final Case layoutCase)
    {
        final Map<String, Integer> actual = new LinkedHashMap<>();
        for (final CField field : layoutCase.struct.fields())
        {
            actual.put(field.name(), field.offset());
        }
        assertEquals(layoutCase.offsets, actual, name + " offsets");
        assertEquals(layoutCase.size, layoutCase.struct.size(), name + " size");
        assertEquals(layoutCase.alignment, layoutCase.struct.alignment(), name + " alignment");
    }

    @Test
    void shouldMatchGppOnEveryCaseInOneCompile()
    {
        final CStruct[] structs = new CStruct[CASES.size()];
        for (int i = 0; i < structs.length; i++)
        {
            structs[i] = CASES.get(i).struct;
        }
        assertDoesNotThrow(() -> new CppLayoutChecker().verify(structs));
    }

    static Stream<Arguments> caseArguments()
    {
        return CASES.stream().map((layoutCase) -> Arguments.of(layoutCase.struct.name(), layoutCase));
    }

    private static List<Case> cases()
    {
        final List<Case> cases = new ArrayList<>();
        for (final CScalar scalar : CScalar.values())
        {
            cases.add(new Case(CStruct.builder("Only_" + scalar.name()).field("v", scalar).build(),
                scalar.size(), scalar.size(), "v", 0));
        }
        cases.add(new Case(CStruct.builder("EveryWidth")
            .i8("a").i16("b").i32("c").i64("d").u8("e").u16("f").u32("g").u64("h").build(),
            32, 8, "a", 0, "b", 2, "c", 4, "d", 8, "e", 16, "f", 18, "g", 20, "h", 24));
        cases.add(new Case(CStruct.builder("WidthsDescending")
            .u8("a").u64("b").u8("c").u32("d").u8("e").u16("f").build(),
            32, 8, "a", 0, "b", 8, "c", 16, "d", 20, "e", 24, "f", 26));
        cases.add(new Case(CStruct.builder("Atomics")
            .field("a", CScalar.ATOMIC_UINT8).field("b", CScalar.ATOMIC_INT16).atomicU32("c").atomicI64("d")
            .atomicI32("e").build(),
            24, 8, "a", 0, "b", 2, "c", 4, "d", 8, "e", 16));
        cases.add(new Case(CStruct.builder("ByteArrays")
            .u8("a").bytes("b", 3).u16("c").chars("d", 5).i32("e").build(),
            16, 4, "a", 0, "b", 1, "c", 4, "d", 6, "e", 12));
        cases.add(new Case(CStruct.builder("TrailingPadding").u64("a").u8("b").build(), 16, 8, "a", 0, "b", 8));
        cases.add(new Case(CStruct.builder("SingleByte").u8("a").build(), 1, 1, "a", 0));
        cases.add(new Case(CStruct.builder("ScalarArray").array("values", CScalar.UINT64, 3).u8("x").build(),
            32, 8, "values", 0, "x", 24));
        cases.add(new Case(CStruct.builder("AtomicArray").u8("a").array("counters", CScalar.ATOMIC_UINT32, 2)
            .build(), 12, 4, "a", 0, "counters", 4));
        cases.add(new Case(CStruct.builder("OneElementArray").u16("a").array("b", CScalar.UINT16, 1).build(),
            4, 2, "a", 0, "b", 2));
        cases.add(new Case(INNER, 8, 4, "x", 0, "y", 4));
        cases.add(new Case(CStruct.builder("Nested").u8("a").field("inner", INNER).u8("b").build(),
            16, 4, "a", 0, "inner", 4, "b", 12));
        cases.add(new Case(WITH_ARRAY, 32, 4, "a", 0, "items", 4, "b", 28));
        cases.add(new Case(CStruct.builder("NestedTwice").u8("flag").array("rows", WITH_ARRAY, 2).u64("tail").build(),
            80, 8, "flag", 0, "rows", 4, "tail", 72));
        cases.add(new Case(CStruct.builder("FieldAlignas").u8("a").alignas(16).u32("b").u8("c").build(),
            32, 16, "a", 0, "b", 16, "c", 20));
        cases.add(new Case(CStruct.builder("FieldAlignasNatural").u8("a").alignas(4).u32("b").build(),
            8, 4, "a", 0, "b", 4));
        cases.add(new Case(CStruct.builder("FalseSharing").atomicU64("head").alignas(64).atomicU64("tail").build(),
            128, 64, "head", 0, "tail", 64));
        cases.add(new Case(CACHE_LINE, 64, 64, "value", 0));
        cases.add(new Case(CStruct.builder("NestedAligned").u8("a").field("line", CACHE_LINE).u8("b").build(),
            192, 64, "a", 0, "line", 64, "b", 128));
        cases.add(new Case(CStruct.builder("AlignasOnStructField").u8("a").alignas(32).field("inner", INNER).build(),
            64, 32, "a", 0, "inner", 32));
        cases.add(new Case(CStruct.builder("AlignasOnArray").u8("a").alignas(8).bytes("b", 3).u8("c").build(),
            16, 8, "a", 0, "b", 8, "c", 11));
        cases.add(new Case(CStruct.builder("StructAlignasPadding").structAlignas(16).u32("a").u8("b").build(),
            16, 16, "a", 0, "b", 4));
        cases.add(new Case(CStruct.builder("PageAligned").structAlignas(CStruct.MAX_ALIGNMENT).u8("a").build(),
            CStruct.MAX_ALIGNMENT, CStruct.MAX_ALIGNMENT, "a", 0));
        return cases;
    }

    static final class Case
    {
        private final CStruct struct;
        private final Map<String, Integer> offsets = new LinkedHashMap<>();
        private final int size;
        private final int alignment;

        Case(final CStruct struct, final int size, final int alignment, final Object... namesAndOffsets)
        {
            this.struct = struct;
            this.size = size;
            this.alignment = alignment;
            for (int i = 0; i < namesAndOffsets.length; i += 2)
            {
                offsets.put((String)namesAndOffsets[i], (Integer)namesAndOffsets[i + 1]);
            }
        }

        @Override
        public String toString()
        {
            return struct.name();
        }
    }
}
