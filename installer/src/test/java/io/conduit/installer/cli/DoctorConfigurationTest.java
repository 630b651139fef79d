package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.conduit.installer.cli.ConduitMain", "doctor", "--json");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("CONDUIT_DEVCE", "cpu");
        builder.environment().remove(io.conduit.core.config.ConfigLoader.STUDIO_FILE_VARIABLE);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        assertEquals(ErrorCode.USAGE.exitStatus(), process.exitValue(), out + err);
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
