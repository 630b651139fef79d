package io.conduit.core.engine.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code local-gpu} route needs on this machine, item by item, and the fix for each missing one:
 * an NVIDIA driver new enough for CUDA 12, the CUDA 12 libraries ONNX Runtime's CUDA provider is linked
 * against (runtime, cuBLAS, cuBLASLt, cuFFT, cuRAND) and cuDNN 9, the provider itself in this distribution,
 * and free GPU memory. {@code conduit doctor} prints it, so that "the GPU is not used" becomes one named
 * missing piece instead of a guess. It only looks (files by name, {@code nvidia-smi} in a child process):
 * nothing is loaded into the JVM, so a broken installation cannot crash the check.
 *
 * @see <a href="https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements">ONNX
 *     Runtime CUDA provider requirements</a>
 */
public final class GpuRouteCheck {
    /** The oldest Linux driver that runs CUDA 12 applications (CUDA 12 minor-version compatibility). */
    public static final String MIN_DRIVER_LINUX = "525.60.13";
    /** The same for Windows. */
    public static final String MIN_DRIVER_WINDOWS = "528.33";

    private final String nvidiaSmi;
    private final List<Path> libraryFolders;
    private final boolean windows;
    private final boolean cudaProvider;
    private final long minFreeMiB;

    /**
     * @param nvidiaSmi      the driver's tool (a path, or a stand-in in tests)
     * @param libraryFolders where the dynamic loader would look, in order
     * @param windows        whether to look for Windows DLL names instead of Linux sonames
     * @param cudaProvider   whether this distribution carries ONNX Runtime's CUDA provider
     * @param minFreeMiB     the free GPU memory below which the GPU route is reported as too full
     */
    public GpuRouteCheck(String nvidiaSmi, List<Path> libraryFolders, boolean windows, boolean cudaProvider, long minFreeMiB) {
        this.nvidiaSmi = nvidiaSmi;
        this.libraryFolders = List.copyOf(libraryFolders);
        this.windows = windows;
        this.cudaProvider = cudaProvider;
        this.minFreeMiB = minFreeMiB;
    }

    /** One requirement: what it is, whether it is met, what was found, and what to do when it is not. */
    public record Item(String what, boolean ok, String found, String fix) {
    }

    /** Every requirement in the order a fix should go: driver, provider, libraries, memory. */
    public List<Item> check() {
        List<Item> items = new ArrayList<>();
        String minDriver = windows ? MIN_DRIVER_WINDOWS : MIN_DRIVER_LINUX;
        List<String[]> gpus = List.of();
        try {
            gpus = rows(NvidiaSmiProbe.query(nvidiaSmi, "driver_version,memory.free,name"));
            String version = gpus.isEmpty() ? "" : gpus.get(0)[0];
            boolean recent = !version.isEmpty() && compareVersions(version, minDriver) >= 0;
            items.add(new Item("NVIDIA driver", recent, gpus.isEmpty() ? "no GPU reported" : "version " + version,
                    gpus.isEmpty() ? "check that the GPU is seated and the driver loaded (nvidia-smi lists no GPU)"
                            : "update the NVIDIA driver to " + minDriver + " or newer (CUDA 12 needs it)"));
        } catch (NvidiaSmiProbe.ProbeFailure e) {
            items.add(new Item("NVIDIA driver", false, e.getMessage(),
                    "install the NVIDIA driver " + minDriver + " or newer (it brings nvidia-smi)"));
        }
        items.add(new Item("ONNX Runtime CUDA provider", cudaProvider,
                cudaProvider ? "in this distribution" : "this is the CPU distribution",
                "install the GPU distribution (conduit-VERSION-cuda archive, or build it with mvn -Pgpu package)"));
        for (Map.Entry<String, String[]> lib : libraries().entrySet()) {
            Optional<Path> found = find(lib.getKey());
            items.add(new Item(lib.getValue()[0] + " (" + lib.getKey() + ")", found.isPresent(),
                    found.map(Path::toString).orElse("not found in " + folderNames()), lib.getValue()[1]));
        }
        long free = gpus.stream().mapToLong(r -> parseLong(r[1])).max().orElse(-1);
        if (free >= 0) {
            items.add(new Item("free GPU memory", free >= minFreeMiB, free + " MiB on the roomiest GPU",
                    "close what holds GPU memory (nvidia-smi lists it) or use a remote service; models need their"
                            + " requirements.gpuMemoryMiB free, and at least " + minFreeMiB + " MiB here"));
        }
        return items;
    }

    /** The libraries ONNX Runtime's CUDA 12 provider loads, with the name a person searches for and the fix. */
    private Map<String, String[]> libraries() {
        String cuda = windows ? "install the CUDA 12 toolkit (or its redistributable DLLs) and put its bin folder on PATH"
                : "install the CUDA 12 libraries (NVIDIA's apt/dnf repository: cuda-libraries-12-x) and put their"
                + " lib64 folder on LD_LIBRARY_PATH or in ldconfig";
        String cudnn = windows ? "install cuDNN 9 for CUDA 12 and put its bin folder on PATH"
                : "install cuDNN 9 for CUDA 12 (NVIDIA's repository: libcudnn9-cuda-12) and put it on LD_LIBRARY_PATH"
                + " or in ldconfig";
        Map<String, String[]> libs = new LinkedHashMap<>();
        libs.put(windows ? "cudart64_12.dll" : "libcudart.so.12", new String[]{"CUDA 12 runtime", cuda});
        libs.put(windows ? "cublas64_12.dll" : "libcublas.so.12", new String[]{"cuBLAS 12", cuda});
        libs.put(windows ? "cublasLt64_12.dll" : "libcublasLt.so.12", new String[]{"cuBLASLt 12", cuda});
        libs.put(windows ? "cufft64_11.dll" : "libcufft.so.11", new String[]{"cuFFT 11 (CUDA 12)", cuda});
        libs.put(windows ? "curand64_10.dll" : "libcurand.so.10", new String[]{"cuRAND 10 (CUDA 12)", cuda});
        libs.put(windows ? "cudnn64_9.dll" : "libcudnn.so.9", new String[]{"cuDNN 9", cudnn});
        return libs;
    }

    private Optional<Path> find(String name) {
        return libraryFolders.stream().map(f -> f.resolve(name)).filter(Files::exists).findFirst();
    }

    private String folderNames() {
        return libraryFolders.isEmpty() ? "(no library folders)" : libraryFolders.toString();
    }

    /**
     * Where the loader looks on this machine: the environment's search path ({@code LD_LIBRARY_PATH} or
     * {@code PATH}), then on Linux the folders in ldconfig's cache and the usual CUDA install folders.
     */
    public static List<Path> systemLibraryFolders(boolean windows, Map<String, String> env, List<Path> ldconfigFolders) {
        List<Path> folders = new ArrayList<>();
        String search = env.getOrDefault(windows ? "PATH" : "LD_LIBRARY_PATH", "");
        for (String entry : search.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                folders.add(Path.of(entry));
            }
        }
        if (!windows) {
            folders.addAll(ldconfigFolders);
            for (String usual : List.of("/usr/local/cuda/lib64", "/usr/local/cuda-12/lib64", "/usr/lib/x86_64-linux-gnu",
                    "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib")) {
                folders.add(Path.of(usual));
            }
        }
        return folders.stream().distinct().toList();
    }

    /**
     * The check as {@code conduit doctor} runs it, over the folders the system's loader searches. Not ONNX
     * Runtime's own folder: its CUDA provider has no RUNPATH, so libraries put beside it are not found.
     */
    public static GpuRouteCheck forThisMachine(boolean cudaProvider, long minFreeMiB) {
        boolean windows = System.getProperty("os.name", "").startsWith("Windows");
        List<Path> folders = systemLibraryFolders(windows, System.getenv(), windows ? List.of() : ldconfigFolders());
        return new GpuRouteCheck("nvidia-smi", folders, windows, cudaProvider, minFreeMiB);
    }

    /** The folders of the libraries in the loader's cache ({@code ldconfig -p}); none when it cannot be read. */
    static List<Path> ldconfigFolders() {
        for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
            try {
                Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
                p.getOutputStream().close();
                String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    return parseLdconfig(text);
                }
            } catch (java.io.IOException absent) {
                // try the next place ldconfig lives
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }

    /** Lines such as {@code libcudart.so.12 (libc6,x86-64) => /usr/local/cuda/lib64/libcudart.so.12}: their folders. */
    static List<Path> parseLdconfig(String text) {
        List<Path> folders = new ArrayList<>();
        for (String line : text.split("\\R")) {
            int arrow = line.indexOf("=> ");
            if (arrow > 0) {
                Path parent = Path.of(line.substring(arrow + 3).trim()).getParent();
                if (parent != null && !folders.contains(parent)) {
                    folders.add(parent);
                }
            }
        }
        return folders;
    }

    /** Numeric comparison of dotted versions ({@code 535.104.05} vs {@code 525.60.13}). */
    static int compareVersions(String a, String b) {
        String[] x = a.trim().split("\\.");
        String[] y = b.trim().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parseLong(x[i]) : 0;
            long q = i < y.length ? parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private static List<String[]> rows(String csv) {
        List<String[]> rows = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] fields = line.split(",", 3);
            if (fields.length == 3) {
                rows.add(new String[]{fields[0].trim(), fields[1].trim(), fields[2].trim()});
            }
        }
        return rows;
    }
}
