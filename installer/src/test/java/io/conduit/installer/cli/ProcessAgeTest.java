package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The process's age, which conduit run reports as start-up. */
class ProcessAgeTest {
    @Test
    void theAgeIsUptimeMinusTheStartTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 2 0 0 20 0 19 0 12345 1000 200";
        assertEquals(1_550_000_000L, ProcessAge.fromProc(stat, "125.00 240.10\n"), 1_000_000L,
                "uptime 125.00 s, started at tick 12345 (123.45 s): 1.55 s old");
    }

    @Test
    void thisJvmIsAtLeastAsOldAsItsOwnUptimeAndNotMuchOlder() {
        long jvmUptimeNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        long age = ProcessAge.nanos();
        // The process began before the JVM counted its own start; /proc counts in hundredths of a second.
        assertTrue(age >= jvmUptimeNanos - 20_000_000L, age + " ns old, JVM up " + jvmUptimeNanos + " ns");
        assertTrue(age <= jvmUptimeNanos + 2_000_000_000L, age + " ns old, JVM up " + jvmUptimeNanos + " ns");
    }
}
