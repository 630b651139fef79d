package io.conduit.core.engine.policy;

import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.Setting;
import io.conduit.core.engine.local.GpuProbe;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.engine.local.NvidiaSmiProbe;
import io.conduit.core.engine.remote.RemoteEngine;
import io.conduit.core.engine.remote.RemoteEngineConfig;

/** Builds the engines a configuration describes: the local engine, and the remote one when endpoints are set. */
public final class Engines {
    private Engines() {
    }

    public static RoutingEngine fromConfig(ConduitConfig config) {
        return fromConfig(config, new NvidiaSmiProbe());
    }

    public static RoutingEngine fromConfig(ConduitConfig config, GpuProbe probe) {
        LocalEngine local = new LocalEngine(localConfig(config), probe);
        RemoteEngineConfig remoteConfig = RemoteEngineConfig.from(config);
        return new RoutingEngine(local, remoteConfig.endpoints().isEmpty() ? null : new RemoteEngine(remoteConfig));
    }

    public static LocalEngineConfig localConfig(ConduitConfig config) {
        return LocalEngineConfig.builder()
                .intraOpThreads(config.getInt(Setting.ENGINE_INTRA_OP_THREADS))
                .allowSpinning(config.getBool(Setting.ENGINE_ALLOW_SPINNING))
                .build();
    }
}
