package dev.shmq.layout;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.shmq.layout.CompiledFlyweight.call;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlyweightGeneratorTest
{
    static final CStruct POINT = CStruct.builder("Point").i32("x").u16("y").build();

    /** Every kind of member a CStruct has; flyweight_probe.cpp fills the same struct in C++. */
    static final CStruct EVERY = CStruct.builder("Every")
        .i8("i8").u8("u8").i16("i16").u16("u16").i32("i32").u32("u32").i64("i64").u64("u64")
        .field("a8", CScalar.ATOMIC_UINT8).field("a16", CScalar.ATOMIC_INT16)
        .atomicI32("a_i32").atomicU32("a_u32").atomicI64("a_i64").atomicU64("a_u64")
        .field("c", CScalar.CHAR)
        .chars("symbol", 8)
        .bytes("payload", 5)
        .array("counts", CScalar.UINT32, 3)
        .array("flags", CScalar.ATOMIC_UINT64, 2)
        .field("origin", POINT)
        .alignas(16).array("points", POINT, 2)
        .build();

    private static final String PACKAGE = "dev.shmq.generated";
    private static final String CLASS = PACKAGE + ".EveryFlyweight";
    private static final byte[] PAYLOAD = {1, 2, 3, (byte)0xFE, (byte)0xFF};
    private static final String HARNESS = String.join("\n",
        "package " + PACKAGE + ";",
        "",
        "/** Reads and writes through the flyweight in a loop, for the allocation check. */",
        "public final class Harness",
        "{",
        "    private Harness()",
        "    {",
        "    }",
        "",
        "    /**",
        "     * Reads and writes every member {@code rounds} times.",
        "     *",
        "     * @param every  a wrapped flyweight.",
        "     * @param rounds how many rounds.",
        "     * @return a sum of what was read.",
        "     */",
        "    public static long run(final EveryFlyweight every, final int rounds)",
        "    {",
        "        long sum = 0;",
        "        for (int i = 0; i < rounds; i++)",
        "        {",
        "            every.putU32(i).putAU64Release(i).putCounts(i % 3, i);",
        "            every.points(i & 1).putX(i);",
        "            sum += every.getI64() + every.getU32() + every.getAU64Acquire() + every.getCounts(2) +",
        "                every.points(1).getX() + every.origin().getY() + every.symbolLength() + every.getU8();",
        "        }",
        "        return sum;",
        "    }",
        "}",
        "");

    @TempDir
    static Path work;

    private static CompiledFlyweight compiled;
    private static NativeProgram probe;
    private static String source;

    @BeforeAll
    static void generateAndBuild() throws Exception
    {
        source = FlyweightGenerator.generate(EVERY, PACKAGE, "EveryFlyweight");
        compiled = CompiledFlyweight.compile(work.resolve("java"),
            Map.of(CLASS, source, PACKAGE + ".Harness", HARNESS));
        final Path include = Files.createDirectories(work.resolve("include"));
        Files.writeString(include.resolve("every_struct.h"), "#pragma once\n" + CppStructGenerator.declarations(EVERY));
        probe = NativeProgram.build(Path.of("src/test/resources/cpp/flyweight_probe.cpp"), include,
            work.resolve("flyweight_probe"));
    }

    @Test
    void shouldGenerateConstantsAtTheOffsetsGppGives() throws Exception
    {
        new CppLayoutChecker().verify(EVERY);
        final Class<?> type = compiled.loadClass(CLASS);

        assertEquals(EVERY.size(), type.getField("SIZE").getInt(null));
        assertEquals(EVERY.alignment(), type.getField("ALIGNMENT").getInt(null));
        for (final CField field : EVERY.fields())
        {
            assertEquals(field.offset(), type.getField(FlyweightNames.constant(field.name()) + "_OFFSET").getInt(null),
                field.name());
        }
        assertEquals(8, type.getField("SYMBOL_LENGTH").getInt(null));
        assertEquals(2, type.getField("POINTS_LENGTH").getInt(null));
        assertEquals(POINT.size(), compiled.loadClass(CLASS + "$Point").getField("SIZE").getInt(null));
    }

    @Test
    void shouldReadTheValuesAcppProgramWrote() throws Exception
    {
        final Path file = work.resolve("from-cpp.bin");
        final NativeProgram.Result dump = probe.run("dump", file.toString());
        assertEquals(0, dump.exitCode, dump.output);
        final byte[] bytes = Files.readAllBytes(file);
        assertEquals(EVERY.size(), bytes.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(EVERY.size() * 2, 64));
        buffer.putBytes(EVERY.size(), bytes);
        final Object every = call(compiled.newInstance(CLASS), "wrap", buffer, EVERY.size());

        final UnsafeBuffer payload = new UnsafeBuffer(new byte[5]);
        call(every, "getPayload", payload, 0);
        final Object origin = call(every, "origin");
        assertAll(
            () -> assertEquals((byte)-5, call(every, "getI8")),
            () -> assertEquals(0xF1, call(every, "getU8")),
            () -> assertEquals((short)-1234, call(every, "getI16")),
            () -> assertEquals(0xF123, call(every, "getU16")),
            () -> assertEquals(-123456789, call(every, "getI32")),
            () -> assertEquals(0xF1234567L, call(every, "getU32")),
            () -> assertEquals(-1234567890123L, call(every, "getI64")),
            () -> assertEquals(0xF123456789ABCDEFL, call(every, "getU64")),
            () -> assertEquals(0xE2, call(every, "getA8Volatile")),
            () -> assertEquals((short)-2222, call(every, "getA16Volatile")),
            () -> assertEquals(-7, call(every, "getAI32Acquire")),
            () -> assertEquals(0xE0000001L, call(every, "getAU32Opaque")),
            () -> assertEquals(-99999999999L, call(every, "getAI64Volatile")),
            () -> assertEquals(0xFEDCBA9876543210L, call(every, "getAU64Acquire")),
            () -> assertEquals((byte)'x', call(every, "getC")),
            () -> assertEquals("ABC", call(every, "getSymbol")),
            () -> assertEquals(3, call(every, "symbolLength")),
            () -> assertEquals(java.util.Arrays.toString(PAYLOAD), java.util.Arrays.toString(payload.byteArray())),
            () -> assertEquals(0xFF, call(every, "getPayload", 4)),
            () -> assertEquals(7L, call(every, "getCounts", 0)),
            () -> assertEquals(0x80000000L, call(every, "getCounts", 1)),
            () -> assertEquals(0xFFFFFFFFL, call(every, "getCounts", 2)),
            () -> assertEquals(1L, call(every, "getFlagsVolatile", 0)),
            () -> assertEquals(0x8000000000000001L, call(every, "getFlagsAcquire", 1)),
            () -> assertEquals(-1, call(origin, "getX")),
            () -> assertEquals(0xFFFF, call(origin, "getY")),
            () -> assertEquals(1, call(call(every, "points", 0), "getX")),
            () -> assertEquals(2, call(call(every, "points", 0), "getY")),
            () -> assertEquals(-3, call(call(every, "points", 1), "getX")),
            () -> assertEquals(40000, call(call(every, "points", 1), "getY")));

        final String text = every.toString();
        assertTrue(text.startsWith("EveryFlyweight{i8=-5, u8=241, i16=-1234, u16=61731, "), text);
        assertTrue(text.contains("u64=" + Long.toUnsignedString(0xF123456789ABCDEFL)), text);
        assertTrue(text.contains("symbol=\"ABC\", payload=[1, 2, 3, 254, 255], counts=[7, 2147483648, 4294967295]"),
            text);
        assertTrue(text.contains("origin=Point{x=-1, y=65535}, points=[Point{x=1, y=2}, Point{x=-3, y=40000}]}"),
            text);
    }

    @Test
    void shouldWriteBytesACppProgramReadsBack() throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(EVERY.size(), 64));
        final Object every = call(compiled.newInstance(CLASS), "wrap", buffer, 0);

        call(every, "putI8", (byte)-5);
        call(every, "putU8", 0xF1);
        call(every, "putI16", (short)-1234);
        call(every, "putU16", 0xF123);
        call(every, "putI32", -123456789);
        call(every, "putU32", 0xF1234567L);
        call(every, "putI64", -1234567890123L);
        call(every, "putU64", 0xF123456789ABCDEFL);
        call(every, "putA8Volatile", 0xE2);
        call(every, "putA16Volatile", (short)-2222);
        call(every, "putAI32Release", -7);
        call(every, "putAU32Opaque", 0xE0000001L);
        call(every, "putAI64Volatile", -99999999999L);
        assertTrue((Boolean)call(every, "compareAndSetAU64", 0L, 0xFEDCBA9876543210L));
        call(every, "putC", (byte)'x');
        call(every, "putSymbol", "ABCDEFGH");
        call(every, "putSymbol", "ABC");
        call(every, "putPayload", new UnsafeBuffer(PAYLOAD), 0);
        call(every, "putCounts", 0, 7L);
        call(every, "putCounts", 1, 0x80000000L);
        call(every, "putCounts", 2, 0xFFFFFFFFL);
        call(every, "putFlagsRelease", 0, 1L);
        call(every, "putFlagsVolatile", 1, 0x8000000000000001L);
        call(call(call(every, "origin"), "putX", -1), "putY", 0xFFFF);
        call(call(call(every, "points", 0), "putX", 1), "putY", 2);
        call(call(call(every, "points", 1), "putX", -3), "putY", 40000);
        final Path file = work.resolve("from-java.bin");
        final byte[] bytes = new byte[EVERY.size()];
        buffer.getBytes(0, bytes);
        Files.write(file, bytes);

        final NativeProgram.Result check = probe.run("check", file.toString());

        assertEquals(0, check.exitCode, check.output);
        assertEquals("OK\n", check.output);
    }

    @Test
    void shouldRejectBadValuesNamingValueAndLimit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(EVERY.size(), 64));
        final Object every = call(compiled.newInstance(CLASS), "wrap", buffer, 0);

        final IllegalArgumentException tooLong =
            assertThrows(IllegalArgumentException.class, () -> call(every, "putSymbol", "ABCDEFGHI"));
        final IllegalArgumentException notAscii =
            assertThrows(IllegalArgumentException.class, () -> call(every, "putSymbol", "AB\u00e9"));
        final IllegalArgumentException range =
            assertThrows(IllegalArgumentException.class, () -> call(every, "putU8", 256));
        final IllegalArgumentException negative =
            assertThrows(IllegalArgumentException.class, () -> call(every, "putU32", -1L));
        final IndexOutOfBoundsException index =
            assertThrows(IndexOutOfBoundsException.class, () -> call(every, "points", 2));
        final IndexOutOfBoundsException scalarIndex =
            assertThrows(IndexOutOfBoundsException.class, () -> call(every, "getCounts", -1));
        final IndexOutOfBoundsException wrap = assertThrows(IndexOutOfBoundsException.class,
            () -> call(compiled.newInstance(CLASS), "wrap", buffer, 1));

        assertAll(
            () -> assertEquals("symbol=ABCDEFGHI length=9 (expected at most 8 characters)", tooLong.getMessage()),
            () -> assertEquals("symbol=AB\u00e9 char at index=2 is 233 (expected ASCII other than NUL)",
                notAscii.getMessage()),
            () -> assertEquals("u8=256 (expected [0, 255])", range.getMessage()),
            () -> assertEquals("u32=-1 (expected [0, 4294967295])", negative.getMessage()),
            () -> assertEquals("points index=2 (expected 0 <= index < length=2)", index.getMessage()),
            () -> assertEquals("counts index=-1 (expected 0 <= index < length=3)", scalarIndex.getMessage()),
            () -> assertTrue(wrap.getMessage().startsWith("offset=1 (expected 0 <= offset <= 0: SIZE="),
                wrap.getMessage()));
    }

    @Test
    void shouldNotAllocateInGettersAndSetters() throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(EVERY.size(), 64));
        final Object every = call(compiled.newInstance(CLASS), "wrap", buffer, 0);
        final java.lang.reflect.Method run = compiled.loadClass(PACKAGE + ".Harness")
            .getMethod("run", compiled.loadClass(CLASS), int.class);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        run.invoke(null, every, 20_000);

        final long before = threads.getCurrentThreadAllocatedBytes();
        run.invoke(null, every, 100_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 1024, "allocated=" + allocated + " bytes in 100,000 rounds (expected none)");
    }

    @Test
    void shouldKeepTheGeneratedSourceWithinTheHouseStyle()
    {
        final String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            final String line = lines[i];
            final int number = i + 1;
            assertAll(
                () -> assertTrue(line.length() <= 120, "line " + number + " longer than 120: " + line),
                () -> assertTrue(!line.endsWith(" ") && !line.contains("\t"), "line " + number + ": " + line));
        }
        assertTrue(source.endsWith("}\n"), source);
        assertTrue(source.contains("private static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;"));
    }

    @Test
    void shouldRejectNamesJavaCannotUseNamingStructAndField()
    {
        final CStruct clash = CStruct.builder("Clash").u8("a_b").u8("aB").build();
        final CStruct keyword = CStruct.builder("Holder").field("package", POINT).build();
        final CStruct imported = CStruct.builder("DirectBuffer").u8("a").build();

        final IllegalArgumentException twoNames = assertThrows(IllegalArgumentException.class,
            () -> FlyweightGenerator.generate(clash, PACKAGE, "Clash"));
        final IllegalArgumentException javaKeyword = assertThrows(IllegalArgumentException.class,
            () -> FlyweightGenerator.generate(keyword, PACKAGE, "Holder"));
        final IllegalArgumentException typeName = assertThrows(IllegalArgumentException.class,
            () -> FlyweightGenerator.generate(imported, PACKAGE, "DirectBuffer"));
        final IllegalArgumentException badPackage = assertThrows(IllegalArgumentException.class,
            () -> FlyweightGenerator.generate(POINT, "com..x", "Point"));

        assertAll(
            () -> assertEquals("struct=Clash field=aB maps to Java member A_B_OFFSET (expected a Java name of its " +
                "own; already taken by a_b)", twoNames.getMessage()),
            () -> assertEquals("struct=Holder accessor=package (expected a name that is not a Java keyword)",
                javaKeyword.getMessage()),
            () -> assertTrue(typeName.getMessage().startsWith("struct=DirectBuffer class name=DirectBuffer"),
                typeName.getMessage()),
            () -> assertEquals("package=com..x (expected a dotted Java package name)", badPackage.getMessage()));
    }

    @Test
    void shouldGenerateFromTheCommandLine(@TempDir final Path out) throws Exception
    {
        FlyweightGenerator.main("--struct-class", FlyweightGeneratorTest.class.getName() + "#EVERY",
            "--package", "com.example", "--class", "Every", "--out", out.toString());

        final Path file = out.resolve("com/example/Every.java");
        assertEquals(FlyweightGenerator.generate(EVERY, "com.example", "Every"), Files.readString(file));
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> FlyweightGenerator.main("--struct-class", FlyweightGeneratorTest.class.getName() + "#NOPE",
                "--package", "p", "--out", out.toString()));
        assertTrue(missing.getMessage().contains("member=NOPE (expected a static CStruct field"),
            missing.getMessage());
    }
}
