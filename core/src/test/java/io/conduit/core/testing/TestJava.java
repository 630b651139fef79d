package io.conduit.core.testing;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The command line of a child JVM on this test's classpath, loading ONNX Runtime's native libraries
 * from one folder unpacked once under {@code target/} ({@code onnxruntime.native.path}, as the
 * distribution's launcher does). Without it every child JVM unpacks 22 MB into a fresh
 * {@code /tmp/onnxruntime-java*} folder, and a killed one leaves it there.
 */
public final class TestJava {
    private static Path natives;

    private TestJava() {
    }

    /** {@code java -Donnxruntime.native.path=... -Djava.io.tmpdir=target/child-tmp [jvmOptions] -cp CLASSPATH mainClass}. */
    public static List<String> command(String mainClass, String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Donnxruntime.native.path=" + natives(), "-Djava.io.tmpdir=" + childTemp()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return command;
    }

    /**
     * The child JVMs' temporary folder, under {@code target/}: ONNX Runtime makes an (empty) folder there
     * even when it loads from {@code onnxruntime.native.path}, removed only when the JVM exits normally, and
     * the tests kill children on purpose.
     */
    private static String childTemp() {
        try {
            return Files.createDirectories(Path.of("target", "child-tmp").toAbsolutePath()).toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot make target/child-tmp", e);
        }
    }

    /** This platform's libraries out of ONNX Runtime's jar, unpacked once into {@code target/ort-native}. */
    public static synchronized Path natives() {
        if (natives != null) {
            return natives;
        }
        Path target = Path.of("target", "ort-native").toAbsolutePath();
        try {
            if (!Files.isDirectory(target)) {
                Path staging = Files.createTempDirectory(Files.createDirectories(target.getParent()), "ort-native-");
                unpack(staging);
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException other) {
                    deleteTree(staging); // another test JVM got there first
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot unpack ONNX Runtime's native libraries into " + target, e);
        }
        natives = target;
        return target;
    }

    /** Unpacks this platform's native libraries from ONNX Runtime's jar into {@code folder}. */
    public static Path unpack(Path folder) throws Exception {
        Path jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String os = System.getProperty("os.name").toLowerCase().startsWith("mac") ? "osx" : "linux";
        String arch = System.getProperty("os.arch").matches("amd64|x86_64") ? "x64" : "aarch64";
        String prefix = "ai/onnxruntime/native/" + os + "-" + arch + "/";
        Files.createDirectories(folder);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.isDirectory() && e.getName().startsWith(prefix) && !e.getName().contains(".dSYM")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, folder.resolve(e.getName().substring(prefix.length())));
                    }
                }
            }
        }
        return folder;
    }

    private static void deleteTree(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
