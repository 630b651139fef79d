package io.conduit.core.registry;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.io.AtomicFiles;
import io.conduit.core.io.FileTrees;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestReader;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A registry in a folder tree, which works on a studio file share. Files are stored once,
 * content-addressed by sha256 ({@code blobs/}); a version is a small record
 * ({@code models/NAME/versions/VERSION.json}) holding its exact manifest, created last and
 * exclusively (a hard link, which fails if the name exists), so a version is either wholly published
 * or not visible at all, two publishers of one version cannot both win, and a publish that dies
 * half-way leaves only unreferenced blobs behind. Aliases and rollout rules are small JSON files
 * replaced atomically under a per-model lock.
 */
public final class DirectoryRegistry implements Registry {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private final Path root;
    private final TrustPolicy trust;

    /** A registry that neither signs nor requires signatures; see {@link TrustPolicy#permissive()}. */
    public DirectoryRegistry(Path root) {
        this(root, TrustPolicy.permissive());
    }

    public DirectoryRegistry(Path root, TrustPolicy trust) {
        this.root = root.toAbsolutePath().normalize();
        this.trust = trust;
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public Manifest publish(ModelPackage pkg, String publisher, io.conduit.core.io.Progress progress) {
        Manifest manifest = pkg.manifest();
        requireNoBuildMetadata(manifest);
        if (Files.exists(recordPath(manifest.name(), manifest.version()))) {
            throw alreadyPublished(manifest);
        }
        String manifestText;
        try {
            progress.start("publishing " + manifest.coordinate(), totalSize(pkg.root(), manifest));
            try {
                for (Map.Entry<String, String> file : manifest.files().entrySet()) {
                    Path source = pkg.root().resolve(file.getKey());
                    if (!storeBlob(file.getValue(), file.getKey(), Files.size(source),
                            staged -> io.conduit.core.io.Progress.copy(source, staged, progress))) {
                        progress.advance(Files.size(source));
                    }
                }
            } finally {
                progress.finish();
            }
            manifestText = Files.readString(pkg.root().resolve(ModelPackage.MANIFEST), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot publish " + manifest.coordinate() + " to " + root
                    + ": " + e.getMessage(), e);
        }
        if (!ManifestWriter.toJson(ManifestReader.parse(manifestText)).equals(ManifestWriter.toJson(manifest))) {
            throw new IntegrityException(pkg.root().resolve(ModelPackage.MANIFEST) + " changed while "
                    + manifest.coordinate() + " was being published; nothing was published");
        }
        return commit(manifestText, publisher, null).manifest();
    }

    /**
     * Publishes a version whose files are already stored as blobs (see {@link #storeBlob}): the
     * second half of a publish that arrived over HTTP. A {@code signature} made by the publisher
     * must satisfy this registry's trust policy; without one, the registry signs if it holds a key.
     */
    public VersionRecord commit(String manifestText, String publisher, VersionRecord.Signature signature) {
        return commit(manifestText, publisher, signature, false);
    }

    /**
     * {@link #commit} for an upload from another machine ({@code conduit serve --registry}): besides a bad
     * signature, an unsigned version is refused when this registry neither signs nor accepts unsigned ones.
     * (A publish on the share itself stays as it was: the TD sees the refusal at the first pull.)
     */
    public VersionRecord commitUpload(String manifestText, String publisher, VersionRecord.Signature signature) {
        return commit(manifestText, publisher, signature, true);
    }

    private VersionRecord commit(String manifestText, String publisher, VersionRecord.Signature signature,
                                 boolean refuseUnsigned) {
        sweepStaging();
        Manifest manifest = ManifestReader.parse(manifestText);
        requireNoBuildMetadata(manifest);
        Path record = recordPath(manifest.name(), manifest.version());
        if (Files.exists(record)) {
            throw alreadyPublished(manifest);
        }
        for (Map.Entry<String, String> file : manifest.files().entrySet()) {
            if (!hasBlob(file.getValue())) {
                throw new IntegrityException("cannot publish " + manifest.coordinate() + ": the registry lacks the"
                        + " content of " + file.getKey() + " (sha256 " + file.getValue() + "); upload it first");
            }
        }
        boolean publishersOwn = signature != null;
        if (signature == null) {
            String[] made = trust.sign(manifest.name(), manifest.version().toString(), manifestText);
            signature = made == null ? null : new VersionRecord.Signature(made[0], made[1]);
        }
        VersionRecord published = new VersionRecord(manifest.name(), manifest.version(), manifestText, publisher,
                Instant.now().toString(), signature);
        if (publishersOwn || signature == null && refuseUnsigned) {
            // A forged or foreign signature never enters a registry that checks them; nor does an unsigned
            // upload where unsigned versions are refused, since it would become the newest version and every
            // pull of it (the service's own included) would then fail.
            published.check(trust);
        }
        try {
            Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(record.getParent());
            Path staged = Files.createFile(AtomicFiles.siblingName(root.resolve("tmp").resolve("record"), ".json"));
            try {
                Files.writeString(staged, GSON.toJson(published.toJson()), StandardCharsets.UTF_8);
                force(staged);
                createExclusively(record, staged, manifest);
            } finally {
                Files.deleteIfExists(staged);
            }
            return published;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot publish " + manifest.coordinate() + " to " + root
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Deletes staging files left in {@code tmp/} by publishers that died (killed, out of memory, a machine
     * lost mid-copy), and returns how many. Other publishers share {@code tmp/}, and a file system share
     * gives no reliable way to ask whether its writer still lives, so a file counts as abandoned when it
     * has not been written for {@link #ABANDONED_AFTER}: a live copy touches its file with every write.
     * Runs at every publish; best effort, since a file a neighbour removes first is just as gone.
     */
    public int sweepStaging() {
        Path tmp = root.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        java.nio.file.attribute.FileTime cutoff = java.nio.file.attribute.FileTime.from(Instant.now().minus(ABANDONED_AFTER));
        int removed = 0;
        try (Stream<Path> staged = Files.list(tmp)) {
            for (Path file : staged.toList()) {
                try {
                    if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            && Files.getLastModifiedTime(file).compareTo(cutoff) < 0 && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // gone already, or not ours to delete; the next sweep tries again
                }
            }
        } catch (IOException e) {
            return removed; // an unreadable tmp/ must not stop a publish
        }
        return removed;
    }

    private static void requireNoBuildMetadata(Manifest manifest) {
        if (!manifest.version().build().isEmpty()) {
            throw new ConduitException(ErrorCode.USAGE, manifest.coordinate() + " carries build metadata (+"
                    + manifest.version().build() + "), which versions in a registry may not: two versions differing only"
                    + " there would rank the same. Drop it, or bump the version");
        }
    }

    /**
     * The version record appears in one step, and only if no one else created it first: a hard link
     * fails if the name exists. Where the file system has no hard links, the check and a rename happen
     * under the model's lock instead (a rename alone would silently replace a record).
     */
    private void createExclusively(Path record, Path staged, Manifest manifest) throws IOException {
        try {
            Files.createLink(record, staged);
        } catch (FileAlreadyExistsException e) {
            throw alreadyPublished(manifest);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinks) {
            if (noHardLinks instanceof FileAlreadyExistsException) {
                throw alreadyPublished(manifest);
            }
            try (ModelLock lock = lock(manifest.name())) {
                if (Files.exists(record)) {
                    throw alreadyPublished(manifest);
                }
                Files.move(staged, record, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static void force(Path file) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static ConduitException alreadyPublished(Manifest manifest) {
        return new ConduitException(ErrorCode.VERSION_EXISTS, manifest.coordinate() + " is already published, and published"
                + " versions never change; publish it under a new version");
    }

    private static long totalSize(Path dir, Manifest manifest) throws IOException {
        long total = 0;
        for (String file : manifest.files().keySet()) {
            total += Files.size(dir.resolve(file));
        }
        return total;
    }

    /** How long a staging file goes unwritten before {@link #sweepStaging()} takes it for abandoned. */
    public static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofHours(1);

    private static String abbreviated(String text) {
        return text == null ? "null" : text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** Whether the content with this sha256 is stored; refuses anything that is not a sha256. */
    public boolean hasBlob(String sha256) {
        return Files.isRegularFile(blobPath(sha256));
    }

    /** The stored file holding this content; refuses a digest that is not stored. */
    public Path blobFile(String sha256) {
        Path blob = blobPath(sha256);
        if (!Files.isRegularFile(blob)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "the registry holds no content with sha256 " + sha256);
        }
        return blob;
    }

    /** Stores content that arrives as a stream, refusing it unless its bytes hash to {@code sha256}. */
    public void storeBlob(String sha256, java.io.InputStream content) {
        try {
            storeBlob(sha256, "content " + sha256, -1, staged -> Files.copy(content, staged,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot store content " + sha256 + " in " + root + ": "
                    + e.getMessage(), e);
        }
    }

    /** Fills a staging file with content. */
    @FunctionalInterface
    private interface Filler {
        void fill(Path staged) throws IOException;
    }

    /** Stores content unless it is already stored intact; says whether {@code filler} ran. */
    private boolean storeBlob(String sha256, String name, long expectedSize, Filler filler) throws IOException {
        if (!SHA256.matcher(sha256).matches()) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + sha256 + "\" is not a sha256; expected 64 lowercase hex digits");
        }
        Path blob = blobPath(sha256);
        if (Files.isRegularFile(blob) && (expectedSize < 0 || Files.size(blob) == expectedSize)
                && Sha256.ofFile(blob).equals(sha256)) {
            return false; // the same bytes are already stored intact: content addressing makes this safe
        }
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(blob.getParent());
        Path staged = AtomicFiles.siblingName(root.resolve("tmp").resolve(sha256), ".blob");
        try {
            filler.fill(staged);
            String actual = Sha256.ofFile(staged);
            if (!actual.equals(sha256)) {
                throw new IntegrityException(name + " does not match its digest (sha256 " + actual
                        + ", expected " + sha256 + "); it changed while being published, or arrived damaged;"
                        + " nothing was published");
            }
            force(staged);
            AtomicFiles.moveIntoPlace(staged, blob);
            return true;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Override
    public List<String> models() {
        Path models = root.resolve("models");
        if (!Files.isDirectory(models)) {
            return List.of();
        }
        try (Stream<Path> names = Files.list(models)) {
            return names.filter(p -> !versions(p.getFileName().toString()).isEmpty())
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + models + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SemVer> versions(String name) {
        Path dir = modelDir(name).resolve("versions");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<SemVer> versions = new ArrayList<>();
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".json")) {
                    try {
                        versions.add(SemVer.parse(file.substring(0, file.length() - 5)));
                    } catch (IllegalArgumentException notAVersion) {
                        // a stray file on the share; not ours to interpret
                    }
                }
            }
            versions.sort(Comparator.naturalOrder());
            return versions;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Manifest manifest(String name, SemVer version) {
        return record(name, version).manifest();
    }

    @Override
    public VersionRecord record(String name, SemVer version) {
        Path record = recordPath(name, version);
        JsonElement json;
        try {
            json = JsonParser.parseString(Files.readString(record, StandardCharsets.UTF_8));
        } catch (com.google.gson.JsonParseException malformed) {
            throw new IntegrityException("version record " + record + " is damaged: " + malformed.getMessage()
                    + "; restore it from the share's backup");
        } catch (NoSuchFileException e) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "the registry has no " + name + "@" + version
                    + (versions(name).isEmpty() ? "" : "; it has versions " + versions(name)));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + record + ": " + e.getMessage(), e);
        }
        return VersionRecord.fromJson(json, name, version, record.toString());
    }

    @Override
    public ModelPackage pull(String name, SemVer version, Path cacheDir, io.conduit.core.io.Progress progress) {
        return VerifiedPull.into(cacheDir, record(name, version), trust, new VerifiedPull.BlobSource() {
            @Override
            public long size(String sha256) throws IOException {
                return hasBlob(sha256) ? Files.size(blobPath(sha256)) : 0;
            }

            @Override
            public void copy(String sha256, String fileName, Path dest, io.conduit.core.io.Progress progress)
                    throws IOException {
                if (!hasBlob(sha256)) {
                    throw new IntegrityException("the registry lacks the content of " + fileName + " for "
                            + name + "@" + version + " (blob " + sha256 + ")");
                }
                io.conduit.core.io.Progress.copy(blobPath(sha256), dest, progress);
            }
        }, progress);
    }

    @Override
    public TrustPolicy.Outcome verifySignature(String name, SemVer version) {
        return record(name, version).check(trust);
    }

    @Override
    public boolean reachable() {
        return Files.isDirectory(root);
    }

    @Override
    public Map<String, SemVer> aliases(String name) {
        Map<String, SemVer> aliases = new TreeMap<>();
        JsonElement json = readJson(modelDir(name).resolve("aliases.json"));
        if (json != null) {
            try {
                json.getAsJsonObject().entrySet().forEach(e -> aliases.put(e.getKey(), SemVer.parse(e.getValue().getAsString())));
            } catch (RuntimeException e) {
                throw new IntegrityException(modelDir(name).resolve("aliases.json") + " is damaged (" + e.getMessage()
                        + "); expected {\"alias\": \"VERSION\"}");
            }
        }
        return aliases;
    }

    @Override
    public void setAlias(String name, String alias, SemVer version) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new ConduitException(ErrorCode.USAGE, "alias \"" + alias + "\" is not valid; expected lowercase"
                    + " letters, digits, '-' or '_', starting with a letter (e.g. stable, beta)");
        }
        requireVersion(name, version);
        try (ModelLock lock = lock(name)) {
            Map<String, SemVer> aliases = aliases(name);
            aliases.put(alias, version);
            JsonObject json = new JsonObject();
            aliases.forEach((a, v) -> json.addProperty(a, v.toString()));
            writeJson(modelDir(name).resolve("aliases.json"), json);
        }
    }

    @Override
    public List<RolloutRule> rules(String name) {
        List<RolloutRule> rules = new ArrayList<>();
        JsonElement json = readJson(modelDir(name).resolve("rollout.json"));
        if (json != null) {
            try {
                for (JsonElement e : json.getAsJsonArray()) {
                    rules.add(RolloutRule.fromJson(e.getAsJsonObject()));
                }
            } catch (RuntimeException e) {
                throw new IntegrityException(modelDir(name).resolve("rollout.json") + " is damaged (" + e
                        + "); expected [{\"scope\": ..., \"value\": ..., \"target\": ...}]");
            }
        }
        return rules;
    }

    @Override
    public void setRule(String name, RolloutRule rule) {
        if (rule.scope() != Scope.STUDIO && rule.value().isBlank()) {
            throw new ConduitException(ErrorCode.USAGE, "a " + rule.scope().jsonName() + " rule needs the "
                    + rule.scope().jsonName() + " it is for; only the studio rule has none");
        }
        if (versions(name).isEmpty()) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "the registry has no model \"" + name + "\"");
        }
        if (!rule.target().isEmpty()) {
            target(name, rule.target(), "rule " + rule.describe()); // refuses a missing version or unknown alias
        }
        try (ModelLock lock = lock(name)) {
            List<RolloutRule> rules = new ArrayList<>(rules(name));
            rules.removeIf(r -> r.scope() == rule.scope() && r.value().equals(rule.value()));
            if (!rule.target().isEmpty()) {
                rules.add(rule);
            }
            JsonArray json = new JsonArray();
            rules.forEach(r -> json.add(r.toJson()));
            writeJson(modelDir(name).resolve("rollout.json"), json);
        }
    }

    @Override
    public Resolution resolve(String name, ArtistContext context) {
        List<SemVer> all = versions(name);
        if (all.isEmpty()) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "the registry at " + root + " has no model \"" + name
                    + "\"" + (models().isEmpty() ? "" : "; it has " + models()));
        }
        List<SemVer> versions = all.stream().filter(v -> record(name, v).yanked() == null).toList();
        List<String> skipped = new ArrayList<>();
        List<RolloutRule> rules = new ArrayList<>(rules(name));
        rules.sort(Comparator.comparing(RolloutRule::scope).reversed()); // user, department, show, studio
        for (RolloutRule rule : rules) {
            if (rule.matches(context)) {
                SemVer target = target(name, rule.target(), "rule " + rule.describe());
                if (!versions.contains(target)) {
                    skipped.add("rule " + rule.describe() + " names " + name + "@" + target + ", which was "
                            + record(name, target).yanked().describe());
                    continue;
                }
                return new Resolution(name, target, "rule " + rule.describe());
            }
        }
        if (versions.isEmpty()) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, "every version of " + name + " was yanked (" + all
                    + "); pin one explicitly to use it anyway");
        }
        SemVer newest = versions.stream().filter(v -> v.preRelease().isEmpty()).reduce((a, b) -> b)
                .orElse(versions.get(versions.size() - 1));
        return new Resolution(name, newest, (skipped.isEmpty() ? "" : String.join("; ", skipped) + "; ")
                + "no rollout rule matches; the newest release" + (versions.size() < all.size() ? " not yanked" : ""));
    }

    @Override
    public VersionRecord sign(String name, SemVer version) {
        return amend(name, version, current -> withNewSignature(current, trust.signatureFor(current)));
    }

    /**
     * Signs a published version with a signature made on another machine (the registry API's sign call),
     * keeping its version number. {@code publisherKey} is the public half of the key that made it: the
     * signature must verify against it (so one altered on the way, or made over other bytes, is refused
     * even by a registry without a trust store), and then pass this registry's own trust policy, as a
     * publisher's signature at upload does.
     */
    public VersionRecord attachSignature(String name, SemVer version, VersionRecord.Signature signature,
                                         java.security.PublicKey publisherKey) {
        return amend(name, version, current -> {
            VersionRecord signed = withNewSignature(current, signature);
            if (!Signatures.keyId(publisherKey).equals(signature.keyId())) {
                throw new IntegrityException(current.coordinate() + ": the signature names key " + signature.keyId()
                        + " but came with key " + Signatures.keyId(publisherKey) + "; nothing was changed");
            }
            if (!Signatures.verify(publisherKey, Signatures.payload(name, version.toString(), current.manifestText()),
                    signature.value())) {
                throw new IntegrityException(current.coordinate() + ": the signature by key " + signature.keyId()
                        + " does not match its manifest; it was altered, or made over another record. Nothing was changed");
            }
            signed.check(trust);
            return signed;
        });
    }

    private static VersionRecord withNewSignature(VersionRecord current, VersionRecord.Signature signature) {
        if (current.signature() != null && current.signature().keyId().equals(signature.keyId())) {
            throw new ConduitException(ErrorCode.USAGE, current.coordinate() + " is already signed by key "
                    + signature.keyId());
        }
        return current.withSignature(signature);
    }

    @Override
    public VersionRecord yank(String name, SemVer version, String reason, String by) {
        if (reason == null || reason.isBlank()) {
            throw new ConduitException(ErrorCode.USAGE, "a yank needs a reason (--reason): the artists who pinned "
                    + name + "@" + version + " will read it");
        }
        return amend(name, version, current -> current.withYank(new VersionRecord.Yank(reason.trim(), by,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())));
    }

    /** Rewrites a version's record under the model's lock; the manifest text, and so every digest, stays. */
    private VersionRecord amend(String name, SemVer version, java.util.function.UnaryOperator<VersionRecord> change) {
        try (ModelLock lock = lock(name)) {
            VersionRecord current = record(name, version);
            VersionRecord amended = change.apply(current);
            writeJson(recordPath(name, version), amended.toJson());
            return amended;
        }
    }

    /** A rule's or command's target: a published version, or an alias of one. */
    SemVer target(String name, String target, String what) {
        Map<String, SemVer> aliases = aliases(name);
        if (aliases.containsKey(target)) {
            return requireVersion(name, aliases.get(target));
        }
        SemVer version;
        try {
            version = SemVer.parse(target);
        } catch (IllegalArgumentException notAVersion) {
            throw new ConduitException(ErrorCode.USAGE, what + ": \"" + target + "\" is neither a version of " + name
                    + " nor one of its aliases " + aliases.keySet());
        }
        return requireVersion(name, version);
    }

    private SemVer requireVersion(String name, SemVer version) {
        if (!Files.isRegularFile(recordPath(name, version))) {
            throw new ConduitException(ErrorCode.MODEL_NOT_FOUND, name + "@" + version + " is not published; "
                    + name + " has " + versions(name));
        }
        return version;
    }

    private ModelLock lock(String name) {
        try {
            Files.createDirectories(modelDir(name));
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot create " + modelDir(name) + ": " + e.getMessage(), e);
        }
        return ModelLock.acquire(modelDir(name).resolve(".lock"));
    }

    private static JsonElement readJson(Path file) {
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (com.google.gson.JsonParseException e) {
            throw new IntegrityException(file + " is damaged (" + e.getMessage() + "); restore it from the share's backup");
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeJson(Path file, JsonElement json) {
        AtomicFiles.write(file, out -> out.write(GSON.toJson(json).getBytes(StandardCharsets.UTF_8)));
    }

    private Path modelDir(String name) {
        if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + name + "\" is not a model name");
        }
        return root.resolve("models").resolve(name);
    }

    private Path recordPath(String name, SemVer version) {
        return modelDir(name).resolve("versions").resolve(version + ".json");
    }

    /** Where content lives; anything but a sha256 is refused first, so no name can reach outside blobs/. */
    private Path blobPath(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + abbreviated(sha256) + "\" is not a sha256; expected 64"
                    + " lowercase hex digits");
        }
        return root.resolve("blobs").resolve(sha256.substring(0, 2)).resolve(sha256);
    }
}
