package io.conduit.core.pkg;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.onnx.ExternalData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a new package folder: copies the ONNX file in with any external data files it names
 * (see {@link ExternalData}), records the sha256 of every file, writes
 * {@code conduit.json}. Everything is assembled in a hidden folder beside the target and renamed
 * into place at the end, so a failure leaves nothing behind, and an existing folder is never
 * overwritten.
 */
public final class PackageWriter {
    private PackageWriter() {
    }

    /**
     * Records the sha256 of every file now in the package folder (golden tests added, weights
     * replaced) in its manifest, validating the result before replacing {@code conduit.json}
     * atomically. Returns the manifest as written.
     */
    public static Manifest reseal(Path dir) {
        Path manifestFile = dir.resolve(ModelPackage.MANIFEST);
        Manifest current = ManifestReader.read(manifestFile);
        Map<String, String> files = new TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                Path relative = dir.relativize(p);
                String name = relative.toString().replace(java.io.File.separatorChar, '/');
                if (!name.equals(ModelPackage.MANIFEST) && !ModelPackage.isClutter(relative)) {
                    files.put(name, Sha256.ofFile(p));
                }
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + dir + ": " + e.getMessage(), e);
        }
        Manifest sealed = new Manifest(current.schemaVersion(), current.name(), current.version(), current.description(),
                current.authors(), current.modelFile(), current.inputs(), current.outputs(), current.requirements(),
                current.hosts(), current.lineage(), current.assets(), files);
        String json = ManifestWriter.toJson(sealed);
        ManifestReader.parse(json);
        AtomicFiles.write(manifestFile, out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        return sealed;
    }

    /**
     * Creates the package folder {@code outDir} from {@code manifest} (whose {@code files} are
     * replaced by the computed digests) and {@code onnxFile}. Returns the manifest as written.
     */
    public static Manifest write(Manifest manifest, Path onnxFile, Path outDir) {
        Path target = outDir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new ConduitException(ErrorCode.USAGE, "output folder " + outDir + " already exists;"
                    + " choose a new folder (conduit never overwrites a package)");
        }
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createDirectory(AtomicFiles.siblingName(target, ".staging"));
            Path model = staging.resolve(manifest.modelFile());
            Files.createDirectories(model.getParent());
            Files.copy(onnxFile, model);
            Map<String, String> files = new TreeMap<>();
            files.put(manifest.modelFile(), Sha256.ofFile(model));
            // External data sits where the model names it, relative to the model, in the package as beside the source.
            String modelFolder = manifest.modelFile().contains("/")
                    ? manifest.modelFile().substring(0, manifest.modelFile().lastIndexOf('/') + 1) : "";
            for (String location : ExternalData.locations(onnxFile)) {
                Path data = model.resolveSibling(location);
                Files.createDirectories(data.getParent());
                Files.copy(onnxFile.resolveSibling(location), data);
                files.put(modelFolder + location, Sha256.ofFile(data));
            }
            Manifest complete = new Manifest(manifest.schemaVersion(), manifest.name(), manifest.version(),
                    manifest.description(), manifest.authors(), manifest.modelFile(), manifest.inputs(),
                    manifest.outputs(), manifest.requirements(), manifest.hosts(), manifest.lineage(),
                    manifest.assets(), files);
            String json = ManifestWriter.toJson(complete);
            ManifestReader.parse(json); // a draft that would not load is refused before anything is in place
            Files.writeString(staging.resolve(ModelPackage.MANIFEST), json, StandardCharsets.UTF_8);
            AtomicFiles.moveIntoPlace(staging, target);
            staging = null;
            return complete;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write package " + outDir + ": " + e.getMessage(), e);
        } finally {
            FileTrees.deleteQuietly(staging);
        }
    }
}
