package dev.shmq.layout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CStructTest
{
    private static final CStruct SLOT = CStruct.builder("Slot").atomicU64("index").u32("size").build();
    private static final CStruct RING = CStruct.builder("Ring")
        .field("hdr", CStruct.builder("Hdr").u32("size").u32("mask").build())
        .array("slots", SLOT, 4)
        .chars("name", 8)
        .build();

    @Test
    void shouldResolvePathsIntoNestedStructsAndArrays()
    {
        assertEquals(4, RING.offsetOf("hdr.mask"));
        assertEquals(8, RING.offsetOf("slots"));
        assertEquals(8 + 16, RING.offsetOf("slots[1]"));
        assertEquals(8 + 2 * 16 + 8, RING.offsetOf("slots[2].size"));
        assertEquals(8 + 4 * 16 + 3, RING.offsetOf("name[3]"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "nope", "hdr.nope", "slots[4]", "slots.size", "hdr[0]", "name.x", "hdr..size", "" })
    void shouldRejectPathsThatDoNotResolve(final String path)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> RING.offsetOf(path));

        assertTrue(ex.getMessage().contains("expected"), ex.getMessage());
    }

    @Test
    void shouldRejectAnEmptyStruct()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> CStruct.builder("Empty").build());

        assertTrue(ex.getMessage().startsWith("struct=Empty has no fields"), ex.getMessage());
    }

    @Test
    void shouldRejectDuplicateFieldNames()
    {
        final CStruct.Builder builder = CStruct.builder("Dup").u32("a");

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> builder.u64("a"));

        assertEquals("struct=Dup field=a declared twice (expected unique field names)", ex.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -8, 3, 24, CStruct.MAX_ALIGNMENT * 2 })
    void shouldRejectAlignasThatIsNotAPowerOfTwoInRange(final int alignment)
    {
        final String expected = "alignas=" + alignment + " (expected a power of two in [1, " +
            CStruct.MAX_ALIGNMENT + "])";

        final IllegalArgumentException onField = assertThrows(IllegalArgumentException.class,
            () -> CStruct.builder("S").alignas(alignment));
        final IllegalArgumentException onStruct = assertThrows(IllegalArgumentException.class,
            () -> CStruct.builder("S").structAlignas(alignment));

        assertTrue(onField.getMessage().endsWith(expected), onField.getMessage());
        assertTrue(onStruct.getMessage().endsWith(expected), onStruct.getMessage());
    }

    @Test
    void shouldRejectAlignasWeakerThanNatural()
    {
        final IllegalArgumentException onField = assertThrows(IllegalArgumentException.class,
            () -> CStruct.builder("S").alignas(2).u32("a"));
        final IllegalArgumentException onStruct = assertThrows(IllegalArgumentException.class,
            () -> CStruct.builder("S").structAlignas(4).u64("a").build());

        assertTrue(onField.getMessage().startsWith("struct=S field=a alignas=2 (expected at least the natural " +
            "alignment 4"), onField.getMessage());
        assertTrue(onStruct.getMessage().startsWith("struct=S alignas=4 (expected at least the natural " +
            "alignment 8"), onStruct.getMessage());
    }

    @Test
    void shouldRejectAlignasWithNoFieldAfterIt()
    {
        assertThrows(IllegalArgumentException.class, () -> CStruct.builder("S").u8("a").alignas(8).build());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "1abc", "has space", "int", "struct", "a-b" })
    void shouldRejectNamesThatAreNotCppIdentifiers(final String name)
    {
        assertThrows(IllegalArgumentException.class, () -> CStruct.builder(name));
        assertThrows(IllegalArgumentException.class, () -> CStruct.builder("S").u8(name));
    }

    @Test
    void shouldRejectEmptyArrays()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> CStruct.builder("S").bytes("b", 0));

        assertTrue(ex.getMessage().startsWith("struct=S field=b count=0 (expected at least 1"), ex.getMessage());
    }

    @Test
    void shouldRejectAStructLargerThanAnIntCanAddress()
    {
        final CStruct big = CStruct.builder("Big").bytes("b", Integer.MAX_VALUE - 7).build();

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> CStruct.builder("Bigger").array("twice", big, 2).build());

        assertTrue(ex.getMessage().startsWith("struct=Bigger size=" + 2L * (Integer.MAX_VALUE - 7) +
            " (expected at most " + Integer.MAX_VALUE + ")"), ex.getMessage());
    }

    @Test
    void shouldPrintAnOffsetTableWithHolesAndPadding()
    {
        final CStruct struct = CStruct.builder("Holey").structAlignas(32).u8("flag").u64("value").u16("tag").build();

        final String table = struct.toString();

        assertTrue(table.startsWith("struct alignas(32) Holey {"), table);
        assertTrue(table.contains("    /* XXX 7 byte hole */\n"), table);
        assertTrue(table.matches("(?s).*uint64_t\\s+value;\\s+/\\*\\s+8\\s+8 \\*/.*"), table);
        assertTrue(table.contains("/* size: 32, align: 32, members: 3, holes: 1 (7 bytes), padding: 14 */"), table);
    }

    @Test
    void shouldCompareByLayout()
    {
        assertEquals(CStruct.builder("A").u32("x").build(), CStruct.builder("A").u32("x").build());
        assertEquals(
            CStruct.builder("A").u32("x").build().hashCode(), CStruct.builder("A").u32("x").build().hashCode());
        assertNotEquals(CStruct.builder("A").u32("x").build(), CStruct.builder("A").i32("x").build());
        assertNotEquals(CStruct.builder("A").u32("x").build(), CStruct.builder("A").alignas(8).u32("x").build());
    }

    @Test
    void shouldDescribeFieldsAsCpp()
    {
        final CStruct struct = CStruct.builder("S").alignas(64).array("heads", CScalar.ATOMIC_UINT64, 2).build();

        assertEquals("alignas(64) std::atomic<uint64_t> heads[2];", struct.field("heads").cppDeclaration());
        assertEquals("std::atomic<uint64_t>[2]", struct.field("heads").cppTypeName());
        assertEquals(16, struct.field("heads").size());
    }
}
