package io.conduit.server.registry;

import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.HttpRegistry;
import io.conduit.core.registry.ModelCache;
import io.conduit.core.registry.Registry;
import io.conduit.core.registry.RegistryContract;
import io.conduit.core.registry.TrustPolicy;
import io.conduit.server.ConduitServer;
import io.conduit.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The registry behaviour suite against the HTTP backend: a real {@code conduit serve --registry}
 * on loopback over the storage folder, with {@link HttpRegistry} as the client. The server keeps
 * a permissive policy, so signing and checking are the client's, as on a studio workstation.
 */
class HttpRegistryContractTest extends RegistryContract {
    private final LocalEngine engine = new LocalEngine(LocalEngineConfig.builder().intraOpThreads(1).build(),
            () -> GpuStatus.none("test machine has no GPU"));
    private static final String TOKEN = "contract-td-token-0123456789";
    private final Map<Path, ConduitServer> servers = new HashMap<>();

    @Override
    protected Registry open(Path storage, TrustPolicy trust) throws Exception {
        ConduitServer server = servers.get(storage);
        if (server == null) {
            Path cache = Files.createDirectories(dir.resolve("server-cache"));
            // The suite publishes as "td": over HTTP the publisher is whom the token names, so the token names td.
            Path tokens = Files.writeString(dir.resolve("tokens"), TOKEN + " td roles=publish\n");
            server = ConduitServer.start(ServerConfig.builder(cache).port(0).tokensFile(tokens)
                    .registry(new DirectoryRegistry(storage), new ModelCache(cache, Long.MAX_VALUE)).build(), engine);
            servers.put(storage, server);
        }
        return new HttpRegistry(server.baseUri(), TOKEN, trust);
    }

    @AfterEach
    void stopServers() {
        servers.values().forEach(ConduitServer::close);
        engine.close();
    }
}
