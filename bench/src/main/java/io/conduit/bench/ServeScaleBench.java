package io.conduit.bench;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.io.FileTrees;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Start and shutdown of a service with many models (a studio's repository held 363) against the
 * same service with one, in one JVM: how long {@code ConduitServer.start} takes until every model
 * has loaded, and how long closing the server and its engine takes, which is what a SIGTERM waits
 * for. Each of the N packages holds its own copy of the ONNX file, made distinct by a doc string
 * appended to its protobuf, so each gets its own ONNX Runtime session as distinct models would.
 * Usage: {@code ServeScaleBench MODEL.onnx [N] [ROUNDS]}.
 */
public final class ServeScaleBench {
    private ServeScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int many = args.length > 1 ? Integer.parseInt(args[1]) : 363;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = Files.createTempDirectory("conduit-bench-serve-");
        try {
            Path one = models(onnx, 1, work.resolve("one"));
            Path all = models(onnx, many, work.resolve("many"));
            run(one); // warm-up: class loading and the JIT would otherwise count against the first figures
            System.out.printf("service start (all models loaded) and close (server + engine), %d rounds, medians%n", rounds);
            double[] oneStart = new double[rounds];
            double[] oneClose = new double[rounds];
            double[] manyStart = new double[rounds];
            double[] manyClose = new double[rounds];
            for (int r = 0; r < rounds; r++) { // interleaved, so a busy moment falls on both
                double[] a = run(one);
                double[] b = run(all);
                oneStart[r] = a[0];
                oneClose[r] = a[1];
                manyStart[r] = b[0];
                manyClose[r] = b[1];
            }
            System.out.printf("  1 model:    start %7.0f ms   close %6.0f ms%n", median(oneStart), median(oneClose));
            System.out.printf("  %d models: start %7.0f ms   close %6.0f ms%n", many, median(manyStart), median(manyClose));
            System.out.printf("  close with %d models / close with 1 = %.2fx%n", many, median(manyClose) / median(oneClose));
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /** Milliseconds to start with every model loaded, and to close. */
    private static double[] run(Path models) throws Exception {
        long t0 = System.nanoTime();
        LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
                () -> GpuStatus.none("benchmark"));
        ConduitServer server = ConduitServer.start(ServerConfig.builder(models).port(0).accessLog(null).build(), engine);
        long t1 = System.nanoTime();
        server.close();
        engine.close();
        long t2 = System.nanoTime();
        return new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6};
    }

    private static Path models(Path onnx, int count, Path dir) throws Exception {
        Files.createDirectories(dir);
        byte[] bytes = Files.readAllBytes(onnx);
        for (int i = 1; i <= count; i++) {
            String name = String.format("model-%04d", i);
            Path distinct = dir.resolve(name + ".onnx");
            Files.write(distinct, withDocString(bytes, name));
            BenchSupport.packageOf(distinct, name, dir);
            Files.delete(distinct);
        }
        return dir;
    }

    /** The ONNX file with ModelProto.doc_string (field 6) appended: the same graph, a different file digest. */
    private static byte[] withDocString(byte[] model, String text) {
        byte[] doc = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(model);
        out.write(6 << 3 | 2); // field 6, length-delimited
        out.write(doc.length); // < 128: a one-byte varint
        out.writeBytes(doc);
        return out.toByteArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
