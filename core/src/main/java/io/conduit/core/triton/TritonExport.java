package io.conduit.core.triton;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes packages into an NVIDIA Triton model repository: {@code NAME/N/model.onnx} with the ONNX
 * file's external data beside it, and {@code NAME/config.pbtxt} (see {@link TritonModelConfig}).
 * Each semantic version gets the next free integer version, recorded with the package's manifest
 * sha256 in the config's parameters ({@link TritonVersionMap}), so versions never overwrite each
 * other and a client can check what a number serves. Exporting the same package again changes
 * nothing; a different package under an exported version, or a version whose tensors differ from
 * the ones the Triton model already declares (Triton keeps one config per model), is refused
 * before anything is written. The export's own record, {@code conduit-triton.json}, sits beside
 * the config (Triton ignores files in a model folder that are not numbered folders).
 */
public final class TritonExport {
    static final String RECORD = "conduit-triton.json";
    static final String CONFIG = "config.pbtxt";

    private TritonExport() {
    }

    /**
     * One exported version.
     *
     * @param modelDir the Triton model folder
     * @param version the number it is served under, with its semantic version and manifest digest
     * @param alreadyThere whether the same package had been exported there before (nothing written)
     * @param files the files of the version folder, relative to it
     */
    public record Result(Path modelDir, TritonVersion version, boolean alreadyThere, List<String> files) {
    }

    /** Exports one package under {@code repository}. */
    public static Result export(ModelPackage pkg, Path repository, int maxBatchSize) {
        Manifest m = pkg.manifest();
        Path modelDir = repository.resolve(m.name());
        try {
            String sha = Sha256.ofFile(pkg.root().resolve(ModelPackage.MANIFEST));
            Previous previous = readPrevious(modelDir);
            TritonModelConfig config = TritonModelConfig.of(m, maxBatchSize, previous.versions());
            if (previous.signature() != null && !previous.signature().equals(config.signature())) {
                throw new ConduitException(ErrorCode.USAGE, "cannot add " + m.coordinate() + " to the Triton model "
                        + modelDir + ": its tensors, batching or device differ from the versions already there "
                        + previous.versions().versions().stream().map(v -> v.version().toString()).toList()
                        + ", and Triton keeps one config.pbtxt per model. Export it to another repository folder,"
                        + " or remove " + modelDir + " first.\nthere now:\n" + previous.signature() + "this version:\n"
                        + config.signature());
            }
            List<String> files = versionFiles(m);
            var existing = previous.versions().find(m.version());
            if (existing.isPresent()) {
                if (!existing.get().manifestSha256().equals(sha)) {
                    throw new ConduitException(ErrorCode.VERSION_EXISTS, modelDir + " already serves " + m.coordinate()
                            + " as Triton version " + existing.get().number() + " from another package (manifest sha256 "
                            + existing.get().manifestSha256() + ", this one " + sha + "); a version is never replaced:"
                            + " bump the version, or export to another folder");
                }
                if (Files.isDirectory(modelDir.resolve(Long.toString(existing.get().number())))) {
                    return new Result(modelDir, existing.get(), true, files);
                }
            }
            TritonVersion version = existing.isPresent() ? existing.get() : new TritonVersion(
                    Math.max(previous.versions().nextNumber(), highestFolder(modelDir) + 1), m.version(), sha);
            copyVersion(pkg, files, modelDir, version.number());
            TritonModelConfig written = config.withVersions(existing.isPresent() ? previous.versions()
                    : previous.versions().with(version));
            AtomicFiles.write(modelDir.resolve(CONFIG), out -> out.write(written.toPbtxt().getBytes(StandardCharsets.UTF_8)));
            writeRecord(modelDir, written);
            return new Result(modelDir, version, false, files);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot export " + m.coordinate() + " to " + repository + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The model file (as {@code model.onnx}, the name Triton's ONNX Runtime backend loads) and every
     * other package file in its folder or below, but the assets: ONNX external data is named
     * relative to the model file, so it keeps its path relative to it.
     */
    private static List<String> versionFiles(Manifest m) {
        Path modelParent = Path.of(m.modelFile()).getParent();
        List<String> files = new ArrayList<>();
        files.add("model.onnx");
        for (String f : m.files().keySet()) {
            if (f.equals(m.modelFile()) || m.assets().contains(f)) {
                continue;
            }
            Path p = Path.of(f);
            if (modelParent == null || p.startsWith(modelParent)) {
                String relative = (modelParent == null ? p : modelParent.relativize(p)).toString().replace('\\', '/');
                if (!relative.equals("model.onnx")) {
                    files.add(relative);
                }
            }
        }
        return files;
    }

    /** Copies into a hidden folder first and renames it into place, so Triton never sees half a version. */
    private static void copyVersion(ModelPackage pkg, List<String> files, Path modelDir, long number) throws IOException {
        Path target = modelDir.resolve(Long.toString(number));
        Path partial = modelDir.resolve("." + number + ".partial");
        FileTrees.deleteQuietly(partial);
        Files.createDirectories(partial);
        try {
            Path modelParent = pkg.modelFile().getParent();
            for (String f : files) {
                Path from = f.equals("model.onnx") ? pkg.modelFile() : modelParent.resolve(f);
                Path to = partial.resolve(f);
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            FileTrees.deleteQuietly(partial);
        }
    }

    private static long highestFolder(Path modelDir) throws IOException {
        if (!Files.isDirectory(modelDir)) {
            return 0;
        }
        try (Stream<Path> children = Files.list(modelDir)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> n.matches("[1-9][0-9]{0,17}"))
                    .mapToLong(Long::parseLong).max().orElse(0);
        }
    }

    private record Previous(String signature, TritonVersionMap versions) {
    }

    private static Previous readPrevious(Path modelDir) throws IOException {
        Path record = modelDir.resolve(RECORD);
        if (!Files.exists(record)) {
            if (Files.isDirectory(modelDir) && !isEmpty(modelDir)) {
                throw new ConduitException(ErrorCode.USAGE, modelDir + " already holds files that conduit models"
                        + " export-triton did not write (no " + RECORD + "); export to another folder, or remove it");
            }
            return new Previous(null, new TritonVersionMap(List.of()));
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(record)).getAsJsonObject();
            List<TritonVersion> versions = new ArrayList<>();
            for (var e : o.getAsJsonArray("versions")) {
                JsonObject v = e.getAsJsonObject();
                versions.add(new TritonVersion(v.get("number").getAsLong(), SemVer.parse(v.get("version").getAsString()),
                        v.get("manifestSha256").getAsString()));
            }
            return new Previous(o.get("signature").getAsString(), new TritonVersionMap(versions));
        } catch (RuntimeException e) {
            throw new ConduitException(ErrorCode.FILE_FORMAT, record + " cannot be read (" + e.getMessage()
                    + "); it records which versions this Triton model serves. Restore it, or export to a new folder");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static void writeRecord(Path modelDir, TritonModelConfig config) {
        JsonObject o = new JsonObject();
        o.addProperty("signature", config.signature());
        JsonArray versions = new JsonArray();
        for (TritonVersion v : config.versions().versions()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("number", v.number());
            entry.addProperty("version", v.version().toString());
            entry.addProperty("manifestSha256", v.manifestSha256());
            versions.add(entry);
        }
        o.add("versions", versions);
        String json = new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
        AtomicFiles.write(modelDir.resolve(RECORD), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }
}
