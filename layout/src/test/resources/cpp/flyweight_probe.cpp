// The C++ side of FlyweightGeneratorTest: the struct Every (every kind of member a CStruct has), filled with the
// values the Java test expects, in the layout g++ gives it. The test writes every_struct.h from the Java
// declaration (CppStructGenerator), compiles this program against it, and runs it:
//   flyweight_probe dump FILE    writes the bytes of a filled Every to FILE
//   flyweight_probe check FILE   reads an Every from FILE (written by the Java flyweight) and prints one
//                                "MISMATCH <member>" line per member that differs, then "OK" or "FAILED"
#include "every_struct.h"

#include <cstdio>
#include <cstring>

static void fill(Every& e)
{
    e.i8 = -5;
    e.u8 = 0xF1;
    e.i16 = -1234;
    e.u16 = 0xF123;
    e.i32 = -123456789;
    e.u32 = 0xF1234567u;
    e.i64 = -1234567890123LL;
    e.u64 = 0xF123456789ABCDEFull;
    e.a8.store(0xE2);
    e.a16.store(-2222);
    e.a_i32.store(-7);
    e.a_u32.store(0xE0000001u);
    e.a_i64.store(-99999999999LL);
    e.a_u64.store(0xFEDCBA9876543210ull);
    e.c = 'x';
    std::memcpy(e.symbol, "ABC", 3);
    const uint8_t payload[5] = {1, 2, 3, 0xFE, 0xFF};
    std::memcpy(e.payload, payload, sizeof payload);
    e.counts[0] = 7;
    e.counts[1] = 0x80000000u;
    e.counts[2] = 0xFFFFFFFFu;
    e.flags[0].store(1);
    e.flags[1].store(0x8000000000000001ull);
    e.origin.x = -1;
    e.origin.y = 0xFFFF;
    e.points[0].x = 1;
    e.points[0].y = 2;
    e.points[1].x = -3;
    e.points[1].y = 40000;
}

#define SHMQ_SAME(member)                                    \
    if (!(actual.member == expected.member))                 \
    {                                                        \
        std::printf("MISMATCH %s\n", #member);               \
        ok = false;                                          \
    }

static bool same(const Every& actual, const Every& expected)
{
    bool ok = true;
    SHMQ_SAME(i8) SHMQ_SAME(u8) SHMQ_SAME(i16) SHMQ_SAME(u16) SHMQ_SAME(i32) SHMQ_SAME(u32) SHMQ_SAME(i64)
    SHMQ_SAME(u64) SHMQ_SAME(a8.load()) SHMQ_SAME(a16.load()) SHMQ_SAME(a_i32.load()) SHMQ_SAME(a_u32.load())
    SHMQ_SAME(a_i64.load()) SHMQ_SAME(a_u64.load()) SHMQ_SAME(c)
    if (0 != std::memcmp(actual.symbol, expected.symbol, sizeof actual.symbol))
    {
        std::printf("MISMATCH symbol\n");
        ok = false;
    }
    if (0 != std::memcmp(actual.payload, expected.payload, sizeof actual.payload))
    {
        std::printf("MISMATCH payload\n");
        ok = false;
    }
    SHMQ_SAME(counts[0]) SHMQ_SAME(counts[1]) SHMQ_SAME(counts[2])
    SHMQ_SAME(flags[0].load()) SHMQ_SAME(flags[1].load())
    SHMQ_SAME(origin.x) SHMQ_SAME(origin.y)
    SHMQ_SAME(points[0].x) SHMQ_SAME(points[0].y) SHMQ_SAME(points[1].x) SHMQ_SAME(points[1].y)
    return ok;
}

int main(int argc, char** argv)
{
    if (argc != 3)
    {
        std::fprintf(stderr, "usage: flyweight_probe dump|check FILE\n");
        return 2;
    }
    static Every expected;
    std::memset(static_cast<void*>(&expected), 0, sizeof expected);
    fill(expected);
    if (0 == std::strcmp(argv[1], "dump"))
    {
        std::FILE* out = std::fopen(argv[2], "wb");
        if (nullptr == out || 1 != std::fwrite(&expected, sizeof expected, 1, out) || 0 != std::fclose(out))
        {
            std::perror(argv[2]);
            return 1;
        }
        std::printf("OK size=%zu\n", sizeof expected);
        return 0;
    }
    static Every actual;
    std::FILE* in = std::fopen(argv[2], "rb");
    if (nullptr == in || 1 != std::fread(static_cast<void*>(&actual), sizeof actual, 1, in))
    {
        std::perror(argv[2]);
        return 1;
    }
    std::fclose(in);
    const bool ok = same(actual, expected);
    std::printf(ok ? "OK\n" : "FAILED\n");
    return ok ? 0 : 1;
}
