package io.conduit.core.engine.local;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real GPU probe. It runs {@code nvidia-smi --query-gpu=index,uuid,name,memory.free} (shipped with
 * every NVIDIA driver) in a child process with a time limit, rather than loading CUDA libraries into
 * this JVM: a missing or mismatched driver then shows up as a reason string, never as a crash.
 * It also checks that the ONNX Runtime build on the class path carries the CUDA provider (the
 * default CPU build does not; {@code -Pgpu} builds one that does).
 *
 * @see <a href="https://docs.nvidia.com/deploy/nvidia-smi/index.html">nvidia-smi documentation</a>
 */
public final class NvidiaSmiProbe implements GpuProbe {
    private static final long TIMEOUT_SECONDS = 5;
    private final String command;

    public NvidiaSmiProbe() {
        this("nvidia-smi");
    }

    /** A probe running another {@code nvidia-smi} (a full path, or a stand-in in tests). */
    public NvidiaSmiProbe(String command) {
        this.command = command;
    }

    @Override
    public GpuStatus probe() {
        List<GpuInfo> gpus;
        try {
            gpus = visibleToCuda(queryDriver(), System.getenv("CUDA_VISIBLE_DEVICES"));
        } catch (ProbeFailure failure) {
            return GpuStatus.none(failure.getMessage());
        }
        if (gpus.isEmpty()) {
            return GpuStatus.none("the NVIDIA driver reports no GPU that CUDA may use"
                    + (System.getenv("CUDA_VISIBLE_DEVICES") != null ? " (CUDA_VISIBLE_DEVICES="
                    + System.getenv("CUDA_VISIBLE_DEVICES") + ")" : ""));
        }
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        return new GpuStatus(gpus, cuda, cuda ? "" : "this ONNX Runtime build has no CUDA provider"
                + " (install the GPU distribution, built with mvn -Pgpu)");
    }

    private List<DriverGpu> queryDriver() throws ProbeFailure {
        return parse(query(command, "index,uuid,name,memory.free"));
    }

    /** Runs {@code command --query-gpu=FIELDS} as CSV without header or units; a missing or failing tool is a {@link ProbeFailure}. */
    static String query(String command, String fields) throws ProbeFailure {
        Process process;
        try {
            process = new ProcessBuilder(command, "--query-gpu=" + fields, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new ProbeFailure("no NVIDIA driver found (" + command + " is not installed)");
        }
        try (InputStream out = process.getInputStream()) {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ProbeFailure(command + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new ProbeFailure(command + " failed (exit " + process.exitValue() + "): " + firstLine(text));
            }
            return text;
        } catch (IOException e) {
            throw new ProbeFailure("cannot read " + command + "'s answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ProbeFailure("interrupted while asking " + command);
        }
    }

    /**
     * Parses lines such as {@code 0, GPU-5b1e..., NVIDIA H100 80GB HBM3, 80532}. A line whose free
     * memory reads {@code [N/A]} (a GPU in a bad state) is skipped, not allowed to hide the others.
     */
    static List<DriverGpu> parse(String csv) throws ProbeFailure {
        List<DriverGpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length < 4) {
                throw new ProbeFailure("unexpected nvidia-smi output: " + line.trim());
            }
            try {
                String name = String.join(",", java.util.Arrays.copyOfRange(fields, 2, fields.length - 1)).trim();
                gpus.add(new DriverGpu(Integer.parseInt(fields[0].trim()), fields[1].trim(), name,
                        Long.parseLong(fields[fields.length - 1].trim())));
            } catch (NumberFormatException unreadable) {
                // e.g. "[N/A]" memory: leave this GPU out
            }
        }
        return gpus;
    }

    /**
     * Maps the driver's GPUs to CUDA device ordinals. {@code CUDA_VISIBLE_DEVICES} (indexes or UUIDs)
     * hides GPUs and renumbers the rest in its order; without it CUDA numbers them as the driver does
     * when {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}, which the conduit launcher sets.
     */
    static List<GpuInfo> visibleToCuda(List<DriverGpu> gpus, String visibleDevices) {
        List<GpuInfo> visible = new ArrayList<>();
        if (visibleDevices == null) {
            for (DriverGpu gpu : gpus) {
                visible.add(new GpuInfo(gpu.index(), gpu.name(), gpu.freeMemoryMiB()));
            }
            return visible;
        }
        String[] tokens = visibleDevices.split(",");
        for (int ordinal = 0; ordinal < tokens.length; ordinal++) {
            String token = tokens[ordinal].trim();
            if (token.isEmpty()) {
                break; // CUDA stops at the first invalid entry
            }
            DriverGpu match = null;
            for (DriverGpu gpu : gpus) {
                if (token.equals(String.valueOf(gpu.index())) || (token.startsWith("GPU-") && gpu.uuid().startsWith(token))) {
                    match = gpu;
                }
            }
            if (match == null) {
                break;
            }
            visible.add(new GpuInfo(ordinal, match.name(), match.freeMemoryMiB()));
        }
        return visible;
    }

    /** One GPU as the driver numbers it. */
    record DriverGpu(int index, String uuid, String name, long freeMemoryMiB) {
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }

    /** A reason the probe found no usable GPU. */
    static final class ProbeFailure extends Exception {
        ProbeFailure(String message) {
            super(message);
        }
    }
}
