package io.conduit.core.registry;

import java.util.List;

/**
 * Where asset tags come from: the studio's asset management system (ShotGrid/Flow, ftrack, Kitsu)
 * or a file. Conduit asks one question, "which tags does this asset carry?", and matches them with
 * the {@code assets} tags of model manifests. A studio plugs its own system in by implementing this
 * interface (see docs/registry.md); {@link FileAssetCatalog} is the default.
 */
@FunctionalInterface
public interface AssetCatalog {
    /** The tags of {@code asset}, or an empty list when the catalog does not know it. */
    List<String> tagsOf(String asset);
}
