package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conduit models for-asset}: see its {@code description}. */
@Command(name = "for-asset", mixinStandardHelpOptions = true,
        description = "Lists the models valid for an asset, with the version each resolves to for you. Each"
                + " argument is an asset the catalog (assetCatalog setting) knows, or a tag itself.")
final class ModelsForAsset extends ModelsSubcommand {
    @Parameters(paramLabel = "ASSET_OR_TAG", arity = "1..*")
    java.util.List<String> assets;

    @Override
    public Integer call() {
        String catalogFile = registry.config().get(io.conduit.core.config.Setting.ASSET_CATALOG);
        var catalog = catalogFile.isBlank() ? io.conduit.core.registry.FileAssetCatalog.empty()
                : io.conduit.core.registry.FileAssetCatalog.load(Path.of(catalogFile));
        var matches = io.conduit.core.registry.AssetMatcher.find(registry.open(), assets, catalog,
                registry.context(null, null, null));
        JsonArray all = new JsonArray();
        for (var m : matches) {
            JsonObject o = new JsonObject();
            o.addProperty("model", m.resolution().model());
            o.addProperty("version", m.resolution().version().toString());
            o.addProperty("rule", m.resolution().chosenBy());
            JsonArray tags = new JsonArray();
            m.matchedTags().forEach(tags::add);
            o.add("matchedTags", tags);
            all.add(o);
            if (!json.enabled) {
                out().println(m.resolution().coordinate() + "  (tags " + m.matchedTags() + "; "
                        + m.resolution().chosenBy() + ")");
            }
        }
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.add("models", all);
            json.print(out(), o);
        } else if (matches.isEmpty()) {
            out().println("no model lists any of the tags "
                    + io.conduit.core.registry.AssetMatcher.tags(assets, catalog));
        }
        return 0;
    }
}
