package io.conduit.server;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port, serving the committed test models and the demo model. */
final class TestServers implements AutoCloseable {
    final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    final ConduitServer server;
    final Path models;

    TestServers(Path dir, UnaryOperator<ServerConfig.Builder> configure) throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        for (String model : new String[]{"scale_bias.onnx", "all_types.onnx", "two_in_two_out.onnx", "invert_nchw.onnx",
                "wide_types.onnx", "to_half.onnx"}) {
            TestModels.packageOf(model, models);
        }
        server = ConduitServer.start(configure.apply(ServerConfig.builder(models).port(0)).build(), engine);
    }

    static TestServers start(Path dir) throws Exception {
        return new TestServers(dir, b -> b);
    }

    String base() {
        return server.baseUri().toString();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
