package io.conduit.server;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port, serving the committed test models and the demo model. */
public final class TestServers implements AutoCloseable {
    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    private final ConduitServer server;
    private final Path models;

    public TestServers(Path dir, UnaryOperator<ServerConfig.Builder> configure) throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        for (String model : new String[]{"scale_bias.onnx", "all_types.onnx", "two_in_two_out.onnx", "invert_nchw.onnx",
                "wide_types.onnx", "to_half.onnx"}) {
            TestModels.packageOf(model, models);
        }
        server = ConduitServer.start(configure.apply(ServerConfig.builder(models).port(0)).build(), engine);
    }

    public static TestServers start(Path dir) throws Exception {
        return new TestServers(dir, b -> b);
    }

    public String base() {
        return server.baseUri().toString();
    }

    /** The running server. */
    public ConduitServer server() {
        return server;
    }

    /** The models folder it serves. */
    public Path models() {
        return models;
    }

    /** The engine it runs on, closed with it. */
    public LocalEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
