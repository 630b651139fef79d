package io.conduit.bench;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.io.FileTrees;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import io.conduit.server.agent.AgentFile;
import io.conduit.server.http.TokenStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bridges' path: the Python client sends a million points (12 MB) to a real agent and gets
 * them back through a near-identity model (y = 2x + 1). Baseline, from the same run: the model's
 * own time as the agent measures it; the figure is the round trip minus that. The Python side is
 * bench/python/client_roundtrip.py, run with python3.
 */
public final class AgentClientBench {
    private AgentClientBench() {
    }

    public static void main(String[] args) throws Exception {
        Path onnx = Path.of(args[0]);
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path work = Files.createTempDirectory("conduit-bench-agent-");
        BenchSupport.packageOf(onnx, "near-identity", work.resolve("models"));
        String token = AgentFile.newToken();
        try (LocalEngine engine = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("benchmark"));
             ConduitServer agent = ConduitServer.start(ServerConfig.builder(work.resolve("models")).port(0)
                     .agent(work.resolve("home")).tokens(TokenStore.single(token, "bench")).build(), engine)) {
            ProcessBuilder python = new ProcessBuilder("python3", System.getProperty("bench.script", "bench/python/client_roundtrip.py"),
                    String.valueOf(agent.port()), token, "near-identity", String.valueOf(points), String.valueOf(rounds))
                    .redirectErrorStream(true);
            python.environment().put("PYTHONPATH", Path.of("core/src/main/python").toAbsolutePath().toString());
            Process process = python.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            System.out.println("Python client -> agent -> Python client, " + points + " points FP32[N, 3], loopback:");
            System.out.print("  " + output);
            if (status != 0) {
                throw new IllegalStateException("client_roundtrip.py failed with status " + status);
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }
}
