package io.conduit.core.registry;

import io.conduit.core.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the models valid for an asset: each argument is an asset the catalog knows (standing for
 * its tags) or a tag itself; a model is valid when the manifest of the version the artist resolves
 * to lists one of those tags under {@code assets}.
 */
public final class AssetMatcher {
    private AssetMatcher() {
    }

    /** A model valid for the asset, with the version resolved for the artist and the tags that matched. */
    public record Match(Resolution resolution, List<String> matchedTags) {
    }

    public static Set<String> tags(List<String> assetsOrTags, AssetCatalog catalog) {
        Set<String> tags = new LinkedHashSet<>();
        for (String a : assetsOrTags) {
            List<String> known = catalog.tagsOf(a);
            tags.addAll(known.isEmpty() ? List.of(a) : known);
        }
        return tags;
    }

    public static List<Match> find(Registry registry, List<String> assetsOrTags, AssetCatalog catalog,
                                   ArtistContext context) {
        Set<String> wanted = tags(assetsOrTags, catalog);
        List<Match> matches = new ArrayList<>();
        for (String model : registry.models()) {
            Resolution r = registry.resolve(model, context);
            Manifest m = registry.manifest(model, r.version());
            List<String> hit = m.assets().stream().filter(wanted::contains).toList();
            if (!hit.isEmpty()) {
                matches.add(new Match(r, hit));
            }
        }
        return matches;
    }
}
