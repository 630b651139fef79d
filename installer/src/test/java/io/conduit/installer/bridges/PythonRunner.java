package io.conduit.installer.bridges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.python.util.PythonInterpreter;

/**
 * Runs a bridge's Python test module the two ways the applications' Pythons differ: CPython 3 as a
 * child process, and Jython 2.7 in this JVM (standing in for the Python 2.7 that Houdini 18, Maya
 * 2020 and Nuke 12 ship). The module has {@code run(config_path)} returning its failures and errors.
 */
final class PythonRunner {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private PythonRunner() {
    }

    /** Runs {@code script CONFIG} with python3; asserts it passed and ran {@code tests} tests; returns its output. */
    static String cpython(Path script, Path config, List<Path> path, int tests) throws Exception {
        return cpython(script, config, path, tests, Duration.ofMinutes(5));
    }

    /**
     * As above, killing the script when it runs past {@code timeout}. Its output goes to a file, not a
     * pipe read to the end first, so the clock runs while it runs and a hung bridge test fails the build
     * with what it printed instead of hanging it.
     */
    static String cpython(Path script, Path config, List<Path> path, int tests, Duration timeout) throws Exception {
        Path log = Files.createTempFile("python-test", ".log");
        try {
            ProcessBuilder python = new ProcessBuilder("python3", script.toString(), config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            python.environment().put("PYTHONPATH", String.join(File.pathSeparator, path.stream().map(Path::toString).toList()));
            python.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process process = python.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, script.getFileName() + " ran past " + timeout + " and was killed; its output:\n" + output);
            return checked(process, output, tests);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String checked(Process process, String output, int tests) {
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Ran " + tests + " tests"), output);
        return output;
    }

    /** Imports {@code module} in Jython and calls its {@code run(config)}; asserts it passed and ran {@code tests} tests. */
    static String jython(String module, Path config, List<Path> path, int tests) {
        Properties properties = new Properties();
        properties.setProperty("python.import.site", "false");
        properties.setProperty("python.dont_write_bytecode", "true");
        PythonInterpreter.initialize(System.getProperties(), properties, new String[0]);
        StringWriter output = new StringWriter();
        // Not closed: closing an interpreter stops Jython's shared socket event loop, and every later
        // interpreter in this JVM (the next bridge's test) could then open no connection at all.
        PythonInterpreter python = new PythonInterpreter();
        python.setOut(output);
        python.setErr(output);
        for (Path entry : path) {
            python.exec("import sys; sys.path.insert(0, r'" + entry + "')");
        }
        python.exec("import " + module + "; failures = " + module + ".run(r'" + config + "')");
        assertEquals(0, python.get("failures", Integer.class), output.toString());
        assertTrue(output.toString().contains("Ran " + tests + " tests"), output.toString());
        return output.toString();
    }
}
