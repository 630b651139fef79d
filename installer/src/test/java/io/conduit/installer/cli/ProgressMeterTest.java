package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress in a log is one plain line per tenth; only a terminal gets the redrawn bar. */
class ProgressMeterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLogGetsOnePlainLinePerTenthWithoutCarriageReturnsOrColour() {
        try (ProgressMeter meter = ProgressMeter.open("denoiser@1.2.0", 25, " frames", 1, err, false)) {
            for (int frame = 1; frame <= 25; frame++) {
                meter.stepTo(frame);
            }
        }
        String log = written();
        assertFalse(log.contains("\r"), "no carriage returns");
        assertFalse(log.contains("\u001b"), "no escape sequences");
        List<String> lines = log.lines().toList();
        assertEquals(10, lines.size(), log);
        assertEquals("denoiser@1.2.0: 10% (3/25 frames)", lines.get(0));
        assertEquals("denoiser@1.2.0: 100% (25/25 frames)", lines.get(9));
    }

    @Test
    void transfersCountInTheirUnitAndFramesFinishingOutOfOrderNeverGoBack() {
        try (ProgressMeter meter = ProgressMeter.open("pull", 100L << 20, " MiB", 1 << 20, err, false)) {
            meter.stepBy(55L << 20);
            meter.stepTo(20L << 20); // a slower worker reporting late
            meter.stepBy(45L << 20);
        }
        assertEquals(List.of("pull: 50% (55/100 MiB)", "pull: 100% (100/100 MiB)"), written().lines().toList());
    }

    @Test
    void aTerminalGetsTheRedrawnBar() {
        try (ProgressMeter meter = ProgressMeter.open("denoiser@1.2.0", 4, " frames", 1, err, true)) {
            meter.stepTo(4);
        }
        assertTrue(written().contains("\r"), "the bar redraws its line: " + written());
    }

    @Test
    void stderrRedirectedToAFileOrPipeIsNoTerminal() {
        // The test JVM's stderr is a pipe to the build tool, as a farm job's is a log file.
        assertFalse(ProgressMeter.stderrIsTerminal());
    }
}
