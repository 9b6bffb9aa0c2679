package dev.shmq.core;

import dev.shmq.layout.CppLayoutChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both protocols against g++: generated declarations, the bundled headers member by member, and their constants.
 */
class LayoutReportTest
{
    @Test
    void shouldPrintBothProtocolsAndVerifyThemAgainstGpp()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CppLayoutChecker checker = new CppLayoutChecker();

        LayoutReport.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), checker);

        final String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("struct SlickQueueHeader {"), report);
        assertTrue(report.contains("struct SlickQueueSlot {"), report);
        assertTrue(report.contains("struct ZeroqHeader {"), report);
        assertTrue(report.contains("struct ZeroqCell {"), report);
        assertTrue(report.matches("(?s).*std::atomic<uint32_t>\\s+init_state;\\s+/\\*\\s+48\\s+4 \\*/.*"), report);
        assertTrue(report.contains("verified against g++ " + checker.compilerVersion()), report);
    }
}
