package io.conduit.core.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs conduit_client's tensor tests (src/test/python/test_tensors.py) with the machine's python3:
 * every datatype Conduit carries packs to the bytes the V2 binary extension expects and back.
 */
class PythonClientTensorsTest {
    @Test
    void theClientCarriesEveryDatatype() throws Exception {
        Process python = new ProcessBuilder("python3", Path.of("src/test/python/test_tensors.py").toString(),
                Path.of("src/main/python").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, python.exitValue(), output);
        assertTrue(output.contains("Ran 6 tests"), output);
    }
}
