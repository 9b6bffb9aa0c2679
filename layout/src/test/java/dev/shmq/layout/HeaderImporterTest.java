package dev.shmq.layout;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeaderImporterTest
{
    private static final Path HEADER = Path.of("src/test/resources/cpp/import_cases.h");
    private static final CStruct LEVEL = CStruct.builder("Level").i64("price").u32("quantity").build();
    private static final CStruct ORDER = CStruct.builder("Order")
        .structAlignas(64)
        .atomicU64("sequence")
        .i64("timestamp_nanos")
        .chars("symbol", 12)
        .u32("quantity")
        .u8("side")
        .alignas(8).array("levels", LEVEL, 2)
        .i64("total")
        .bytes("reserved", 3)
        .build();

    private final HeaderImporter importer = new HeaderImporter();

    @Test
    void shouldImportAStructFromItsHeaderAsGppLaysItOut()
    {
        final CStruct order = importer.importStruct(HEADER, "md::Order");

        assertEquals(ORDER, order, order.toString());
        assertEquals(128, order.size());
        assertEquals(ORDER, importer.importStruct(HEADER, "Order"));
        assertEquals(LEVEL, importer.importStruct(HEADER, "md::Level"));
        assertEquals(CStruct.builder("CTick").u32("sequence").u16("flags").chars("tag", 3).build(),
            importer.importStruct(HEADER, "CTick"));
    }

    @Test
    void shouldGenerateAFlyweightFromTheHeader(@TempDir final Path out) throws Exception
    {
        FlyweightGenerator.main("--header", HEADER.toString(), "--struct", "md::Order", "--package", "com.example.md",
            "--out", out.toString());

        final String source = Files.readString(out.resolve("com/example/md/Order.java"));
        assertTrue(source.contains("public final class Order"), source);
        assertTrue(source.contains("public static final int LEVELS_OFFSET = 40;"), source);
        assertTrue(source.contains("public static final class Level"), source);
    }

    @Test
    void shouldRejectWhatCStructCannotExpressNamingStructAndField()
    {
        assertAll(
            () -> assertRejected("bad::WithBitField", "struct=WithBitField field=flags bit-field"),
            () -> assertRejected("bad::WithPointer", "struct=WithPointer field=name pointer or reference"),
            () -> assertRejected("bad::WithPointer", "no pointers or references"),
            () -> assertRejected("bad::WithUnion", "struct=WithUnion field=v type=Variant is a union"),
            () -> assertRejected("bad::WithTemplate", "struct=WithTemplate field=box type=Box < int >"),
            () -> assertRejected("bad::WithDouble", "struct=WithDouble field=price 'double'"),
            () -> assertRejected("bad::WithBase", "struct=WithBase base class=Base"),
            () -> assertRejected("bad::WithVirtual", "no virtual functions"),
            () -> assertRejected("bad::Nope", "struct=bad::Nope not found (expected one of ["));
    }

    @Test
    void shouldLetGppCatchWhatTheReadingMissed()
    {
        final LayoutMismatchException ex =
            assertThrows(LayoutMismatchException.class, () -> importer.importStruct(HEADER, "bad::WithPacked"));

        assertEquals("WithPacked", ex.structName());
        assertEquals("b", ex.field());
        assertTrue(ex.getMessage().contains("struct=WithPacked field=b offsetof: Java=8, g++=1"), ex.getMessage());
    }

    private void assertRejected(final String struct, final String message)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> importer.importStruct(HEADER, struct));
        assertTrue(ex.getMessage().contains(message), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("header=" + HEADER), ex.getMessage());
    }
}
