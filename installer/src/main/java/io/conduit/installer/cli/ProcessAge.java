package io.conduit.installer.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long ago this process started, for the start-up figure {@link PhaseClock} reports. On Linux it is
 * read from {@code /proc}, where both the process's start and the system's uptime count from boot in
 * hundredths of a second (proc(5): {@code /proc/[pid]/stat} field 22, {@code starttime}, in clock ticks of
 * {@code USER_HZ}, 100 on every Linux architecture Conduit ships for; {@code /proc/uptime}). The JDK's
 * {@code ProcessHandle.Info.startInstant()} adds the boot time from {@code /proc/stat}'s {@code btime},
 * which is rounded to whole seconds: its start-up figure was off by up to a second (a run whose wall time
 * was 0.64 s reported 0.71 s of start-up). Elsewhere the JDK's figure is the best there is.
 */
final class ProcessAge {
    private static final double USER_HZ = 100.0;

    private ProcessAge() {
    }

    /** Nanoseconds since this process started; never negative. */
    static long nanos() {
        try {
            long age = fromProc(Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII),
                    Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII));
            if (age > 0) {
                return age;
            }
            // A container whose /proc/uptime is its own (LXCFS) while starttime counts from the host's boot.
        } catch (IOException | RuntimeException notLinux) {
            // elsewhere the JDK's figure is the best there is
        }
        long started = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElseGet(System::currentTimeMillis);
        return Math.max(0, (System.currentTimeMillis() - started) * 1_000_000L);
    }

    /**
     * The age {@code stat} and {@code uptime} give: uptime minus the start time. The command name, field 2,
     * is in parentheses and may hold spaces or parentheses itself, so fields are counted after the last ')'.
     */
    static long fromProc(String stat, String uptime) {
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(afterName[22 - 3]);
        double upSeconds = Double.parseDouble(uptime.trim().split("\\s+")[0]);
        return (long) ((upSeconds - startTicks / USER_HZ) * 1e9);
    }
}
