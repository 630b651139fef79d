package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.batch.BatchCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code conduit cache prune}: see its {@code description}. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Removes the least recently used frames of conduit batch's result cache until it fits"
                + " batchCache.maxMiB (conduit batch does this after every job too).",
                "Pulled packages need no pruning: the package cache keeps itself within cache.maxMiB on every pull."})
final class CachePrune implements Callable<Integer> {
    @Option(names = "--batch-cache", paramLabel = "DIR", description = "The batch cache to prune. Default: the cache"
            + " folder's batch/.")
    Path batchCache;

    @Option(names = "--max-mib", paramLabel = "MIB", description = "Prune to this size this time. Default: batchCache.maxMiB.")
    Long maxMib;

    @Mixin
    RegistryOptions registry;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BatchCache configured = registry.batchCache(batchCache);
        if (maxMib != null && maxMib < 0) {
            throw new ConduitException(ErrorCode.USAGE, "--max-mib must be 0 or more, not " + maxMib);
        }
        BatchCache cache = maxMib == null ? configured : new BatchCache(configured.root(), maxMib << 20);
        BatchCache.Pruned pruned = cache.prune();
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("cache", cache.root().toString());
            o.addProperty("removed", pruned.removed());
            o.addProperty("freedBytes", pruned.freedBytes());
            o.addProperty("kept", pruned.kept());
            o.addProperty("keptBytes", pruned.keptBytes());
            json.print(out, o);
        } else {
            out.printf("%s: removed %d frame(s), %.1f MiB; %d kept, %.1f MiB%n", cache.root(), pruned.removed(),
                    pruned.freedBytes() / 1048576.0, pruned.kept(), pruned.keptBytes() / 1048576.0);
        }
        return 0;
    }
}
