package io.conduit.core.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default asset catalog: a JSON file mapping asset names to their tags,
 * {@code {"hero_car": ["vehicle", "hard-surface", "show:ABC"], "plate_0420": ["plate"]}}.
 */
public final class FileAssetCatalog implements AssetCatalog {
    private final Map<String, List<String>> tags;

    private FileAssetCatalog(Map<String, List<String>> tags) {
        this.tags = Map.copyOf(tags);
    }

    public static FileAssetCatalog empty() {
        return new FileAssetCatalog(Map.of());
    }

    public static FileAssetCatalog load(Path file) {
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot read asset catalog " + file + ": " + e.getMessage());
        } catch (JsonParseException e) {
            throw new ConduitException(ErrorCode.USAGE, "asset catalog " + file + " is not valid JSON: " + e.getMessage());
        }
        if (!root.isJsonObject()) {
            throw new ConduitException(ErrorCode.USAGE, "asset catalog " + file + " must be a JSON object of asset -> [tags]");
        }
        Map<String, List<String>> tags = new LinkedHashMap<>();
        root.getAsJsonObject().entrySet().forEach(e -> {
            if (!e.getValue().isJsonArray()) {
                throw new ConduitException(ErrorCode.USAGE, "asset catalog " + file + ": " + e.getKey()
                        + " must map to a list of tags");
            }
            List<String> list = new ArrayList<>();
            e.getValue().getAsJsonArray().forEach(t -> {
                if (!t.isJsonPrimitive() || !t.getAsJsonPrimitive().isString()) {
                    throw new ConduitException(ErrorCode.USAGE, "asset catalog " + file + ": " + e.getKey()
                            + " holds " + t + "; tags are strings");
                }
                list.add(t.getAsString());
            });
            tags.put(e.getKey(), list);
        });
        return new FileAssetCatalog(tags);
    }

    @Override
    public List<String> tagsOf(String asset) {
        return tags.getOrDefault(asset, List.of());
    }
}
