package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conduit doctor} with a broken user configuration file and a misspelt variable, as its own
 * process (the configuration comes from {@code HOME} and the environment): it names the file, line and
 * column, suggests the variable's right name, and still runs its other checks.
 */
class DoctorConfigurationTest {
    @TempDir
    Path home;

    @Test
    void aBrokenConfigurationFileIsReportedAndTheOtherChecksStillRun() throws Exception {
        Path file = Files.createDirectories(home.resolve(".conduit")).resolve("config.json");
        Files.writeString(file, "{\n  \"device\": \"cpu\"\n  \"remote.deadlineMs\": 5000\n}\n");
        CliProcess run = CliProcess.run(java.util.Map.of("HOME", home.toString(), "CONDUIT_DEVCE", "cpu"), "doctor", "--json");
        String out = run.out();
        assertEquals(ErrorCode.USAGE.exitStatus(), run.status(), out + run.err());
        JsonObject report = JsonParser.parseString(out).getAsJsonObject();
        String problem = report.getAsJsonArray("configurationProblems").get(0).getAsString();
        assertTrue(problem.startsWith(file + ", line 3, column "), problem);
        assertTrue(!problem.contains("Exception") && !problem.contains("http"), "no library names or URLs: " + problem);
        assertTrue(report.getAsJsonArray("configurationWarnings").toString().contains("did you mean CONDUIT_DEVICE?"),
                report.toString());
        assertTrue(report.has("configuration") && report.has("applications") && report.has("agent"),
                "the other checks ran: " + report.keySet());
    }
}
