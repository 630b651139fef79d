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
 * The real GPU probe. It runs {@code nvidia-smi --query-gpu=index,name,memory.free} (shipped with
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
            gpus = queryDriver();
        } catch (ProbeFailure failure) {
            return GpuStatus.none(failure.getMessage());
        }
        if (gpus.isEmpty()) {
            return GpuStatus.none("the NVIDIA driver reports no GPU");
        }
        boolean cuda = OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
        return new GpuStatus(gpus, cuda, cuda ? "" : "this ONNX Runtime build has no CUDA provider"
                + " (install the GPU distribution, built with mvn -Pgpu)");
    }

    private List<GpuInfo> queryDriver() throws ProbeFailure {
        Process process;
        try {
            process = new ProcessBuilder(command, "--query-gpu=index,name,memory.free", "--format=csv,noheader,nounits")
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
            return parse(text);
        } catch (IOException e) {
            throw new ProbeFailure("cannot read " + command + "'s answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ProbeFailure("interrupted while asking " + command);
        }
    }

    /** Parses lines such as {@code 0, NVIDIA H100 80GB HBM3, 80532}. */
    static List<GpuInfo> parse(String csv) throws ProbeFailure {
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length < 3) {
                throw new ProbeFailure("unexpected nvidia-smi output: " + line.trim());
            }
            try {
                String name = String.join(",", java.util.Arrays.copyOfRange(fields, 1, fields.length - 1)).trim();
                gpus.add(new GpuInfo(Integer.parseInt(fields[0].trim()), name,
                        Long.parseLong(fields[fields.length - 1].trim())));
            } catch (NumberFormatException e) {
                throw new ProbeFailure("unexpected nvidia-smi output: " + line.trim());
            }
        }
        return gpus;
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
