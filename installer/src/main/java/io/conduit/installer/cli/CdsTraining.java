package io.conduit.installer.cli;

import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.NvidiaSmiProbe;
import io.conduit.core.io.FileTrees;
import io.conduit.core.io.exr.ExrBox;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.feedback.FeedbackStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run {@code bin/conduit-cds} makes the application class-data sharing archive from
 * ({@code -XX:ArchiveClassesAtExit}): every class loaded here is mapped, not parsed and verified, by
 * later starts. So it does what the commands whose start-up artists and probes wait for do: {@code conduit
 * run} of the demo model on its sample (the CLI, package and manifest readers, image files, the engine
 * and ONNX Runtime's classes), {@code run} and {@code batch} on small EXR plates, then a service over the demo as {@code conduit serve} and the agent build it
 * (Jetty, the handlers, the feedback database, the metrics), asked for readiness and one binary inference
 * over loopback. Usage: {@code CdsTraining} with {@code -Dconduit.home} set, as the launcher sets it.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path demo = Path.of(System.getProperty("conduit.home", ".")).resolve("demo").resolve("denoiser");
        Path work = Files.createTempDirectory("conduit-cds-");
        int status;
        try {
            ConduitMain.answeredAtOnce(new String[]{"--version"}); // the launcher's main class, for --version
            String pkg = demo.resolve("package").toString();
            status = ConduitCli.execute("run", pkg, "-i", demo.resolve("sample_noisy.png").toString(), "-o",
                    work.resolve("out.png").toString(), "--device", "cpu");
            if (status == 0) {
                status = plates(pkg, work);
            }
            if (status == 0) {
                serve(demo, work);
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
        System.exit(status);
    }

    /**
     * EXR plates as {@code run} and {@code batch} take them: a HALF ZIP plate in, HALF PIZ (the default for its
     * colour output) and FLOAT ZIP out. Without these the EXR code's lambdas and method handles were spun with
     * ASM at every start, and ASM itself became the costliest code the JIT compiled in a 2K plate's {@code run}
     * (0.45 s of C2 time on one of the two cores the model wanted).
     */
    private static int plates(String pkg, Path work) {
        ExrImage.Builder plate = ExrImage.builder(ExrBox.ofSize(48, 40));
        for (String channel : new String[]{"R", "G", "B"}) {
            float[] values = new float[48 * 40];
            for (int i = 0; i < values.length; i++) {
                values[i] = (i % 48) / 48f + channel.charAt(0) / 512f;
            }
            plate.channel(channel, PixelType.HALF, values);
        }
        ExrImage image = plate.build();
        ExrWriter.write(image, work.resolve("plate.1001.exr"), ExrCompression.ZIP);
        ExrWriter.write(image, work.resolve("plate.1002.exr"), ExrCompression.PIZ);
        int status = ConduitCli.execute("run", pkg, "-i", work.resolve("plate.1001.exr").toString(), "-o",
                work.resolve("out.exr").toString(), "--device", "cpu");
        if (status == 0) {
            status = ConduitCli.execute("batch", pkg, "-i", work.resolve("plate.####.exr").toString(), "-o",
                    work.resolve("den.####.exr").toString(), "--frames", "1001-1002", "--exr-type", "float",
                    "--batch-cache", work.resolve("cache").toString(), "--device", "cpu");
        }
        return status;
    }

    /** A service over the demo's folder (its package/ is the one model), as serve builds it, asked what a client asks. */
    private static void serve(Path demo, Path work) throws IOException, InterruptedException {
        ServerConfig config = ServerConfig.builder(demo).host("127.0.0.1").port(0).accessLog(null)
                .feedbackStore(FeedbackStore.open("jdbc:h2:file:" + work.resolve("feedback").toAbsolutePath())).build();
        try (LocalEngine engine = new LocalEngine(io.conduit.core.engine.local.LocalEngineConfig.builder().build(),
                new NvidiaSmiProbe());
             ConduitServer server = ConduitServer.start(config, engine)) {
            URI base = server.baseUri();
            call(base.resolve("/v2/health/ready"), null, null);
            int pixels = 3 * 16 * 16;
            byte[] header = ("{\"inputs\":[{\"name\":\"noisy\",\"datatype\":\"FP32\",\"shape\":[1,3,16,16],"
                    + "\"parameters\":{\"binary_data_size\":" + pixels * 4 + "}}],\"parameters\":{\"binary_data_output\":true}}")
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer body = ByteBuffer.allocate(header.length + pixels * 4).order(ByteOrder.LITTLE_ENDIAN);
            body.put(header);
            while (body.hasRemaining()) {
                body.putFloat(0.5f);
            }
            call(base.resolve("/v2/models/" + server.models().get(0).manifest().name() + "/infer"), body.array(),
                    Integer.toString(header.length));
        }
    }

    private static void call(URI uri, byte[] body, String headerLength) throws IOException {
        HttpURLConnection http = (HttpURLConnection) uri.toURL().openConnection();
        try {
            if (body != null) {
                http.setRequestMethod("POST");
                http.setDoOutput(true);
                http.setRequestProperty("Content-Type", "application/octet-stream");
                http.setRequestProperty("Inference-Header-Content-Length", headerLength);
                try (OutputStream out = http.getOutputStream()) {
                    out.write(body);
                }
            }
            if (http.getResponseCode() != 200) {
                throw new IOException(uri + " answered " + http.getResponseCode() + " to the training run");
            }
            try (InputStream in = http.getInputStream()) {
                in.readAllBytes();
            }
        } finally {
            http.disconnect();
        }
    }
}
