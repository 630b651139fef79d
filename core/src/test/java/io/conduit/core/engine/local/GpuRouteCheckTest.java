package io.conduit.core.engine.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conduit doctor}'s GPU route check against a stand-in nvidia-smi and folders of stand-in libraries. */
class GpuRouteCheckTest {
    private static final List<String> CUDA12 = List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12",
            "libcufft.so.11", "libcurand.so.10", "libcudnn.so.9");

    @TempDir
    Path dir;

    @Test
    void aCompleteMachinePassesEveryItem() throws Exception {
        Path libs = folderWith(CUDA12);
        List<GpuRouteCheck.Item> items = new GpuRouteCheck(smi("535.104.05, 23000, NVIDIA RTX A5000"), List.of(libs),
                false, true, 1024).check();
        assertEquals(List.of(), missing(items), items.toString());
        assertEquals("version 535.104.05", byName(items).get("NVIDIA driver").found());
        assertEquals(libs.resolve("libcudnn.so.9").toString(), byName(items).get("cuDNN 9 (libcudnn.so.9)").found());
        assertEquals("23000 MiB on the roomiest GPU", byName(items).get("free GPU memory").found());
    }

    @Test
    void namesEachMissingPieceWithItsFix() throws Exception {
        // cuDNN and cuFFT missing, a driver too old for CUDA 12, the CPU distribution, and a nearly full GPU
        Path libs = folderWith(List.of("libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcurand.so.10"));
        List<GpuRouteCheck.Item> items = new GpuRouteCheck(smi("470.57.02, 300, Tesla T4"), List.of(dir.resolve("empty"), libs),
                false, false, 1024).check();
        assertEquals(List.of("NVIDIA driver", "ONNX Runtime CUDA provider", "cuFFT 11 (CUDA 12) (libcufft.so.11)",
                "cuDNN 9 (libcudnn.so.9)", "free GPU memory"), missing(items));
        Map<String, GpuRouteCheck.Item> by = byName(items);
        assertEquals("update the NVIDIA driver to 525.60.13 or newer (CUDA 12 needs it)", by.get("NVIDIA driver").fix());
        assertTrue(by.get("cuDNN 9 (libcudnn.so.9)").fix().contains("libcudnn9-cuda-12"), by.toString());
        assertTrue(by.get("cuDNN 9 (libcudnn.so.9)").found().contains(libs.toString()), "names where it looked");
        assertTrue(by.get("ONNX Runtime CUDA provider").fix().contains("-cuda"));
        assertEquals("300 MiB on the roomiest GPU", by.get("free GPU memory").found());
    }

    @Test
    void noDriverIsTheFirstThingToFix() {
        List<GpuRouteCheck.Item> items = new GpuRouteCheck(dir.resolve("no-nvidia-smi").toString(), List.of(), false, true,
                1024).check();
        GpuRouteCheck.Item driver = items.get(0);
        assertFalse(driver.ok());
        assertTrue(driver.found().contains("is not installed"), driver.found());
        assertTrue(driver.fix().startsWith("install the NVIDIA driver 525.60.13"), driver.fix());
        assertFalse(items.stream().anyMatch(i -> i.what().equals("free GPU memory")), "no memory figure without a driver");
    }

    @Test
    void windowsLooksForTheDllsOnPath() throws Exception {
        Path bin = folderWith(List.of("cudart64_12.dll", "cublas64_12.dll", "cublasLt64_12.dll", "cufft64_11.dll",
                "curand64_10.dll"));
        List<Path> folders = GpuRouteCheck.systemLibraryFolders(true, Map.of("PATH", bin.toString()), List.of());
        List<GpuRouteCheck.Item> items = new GpuRouteCheck(smi("560.94, 8000, NVIDIA GeForce RTX 4070"), folders, true,
                true, 1024).check();
        assertEquals(List.of("cuDNN 9 (cudnn64_9.dll)"), missing(items));
        assertEquals("version 560.94", byName(items).get("NVIDIA driver").found());
    }

    @Test
    void readsTheLoaderCacheAndComparesVersionsNumerically() {
        List<Path> folders = GpuRouteCheck.parseLdconfig("1234 libs found in cache `/etc/ld.so.cache'\n"
                + "\tlibcudart.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/lib64/libcudart.so.12\n"
                + "\tlibcudnn.so.9 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudnn.so.9\n"
                + "\tlibcublas.so.12 (libc6,x86-64) => /usr/local/cuda-12.4/lib64/libcublas.so.12\n");
        assertEquals(List.of(Path.of("/usr/local/cuda-12.4/lib64"), Path.of("/usr/lib/x86_64-linux-gnu")), folders);
        assertTrue(GpuRouteCheck.compareVersions("525.105.17", "525.60.13") > 0, "105 > 60, not as text");
        assertTrue(GpuRouteCheck.compareVersions("470.57.02", "525.60.13") < 0);
    }

    private Path folderWith(List<String> names) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("libs" + names.size()));
        for (String name : names) {
            Files.writeString(folder.resolve(name), "");
        }
        return folder;
    }

    private String smi(String answer) throws Exception {
        Path file = dir.resolve("nvidia-smi");
        Files.writeString(file, "#!/bin/sh\necho '" + answer + "'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toString();
    }

    private static List<String> missing(List<GpuRouteCheck.Item> items) {
        return items.stream().filter(i -> !i.ok()).map(GpuRouteCheck.Item::what).toList();
    }

    private static Map<String, GpuRouteCheck.Item> byName(List<GpuRouteCheck.Item> items) {
        return items.stream().collect(Collectors.toMap(GpuRouteCheck.Item::what, i -> i));
    }
}
