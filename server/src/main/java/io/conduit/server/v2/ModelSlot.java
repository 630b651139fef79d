package io.conduit.server.v2;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One model version a service was started with, known by name and version before its package is
 * loaded: how to open the package, the manifest and digest its header declared (when it could be read
 * without loading), and its {@link ModelState}. The state moves once, from loading to ready or to
 * unavailable, and is read by request threads while a loader thread sets it.
 */
final class ModelSlot {
    private final String name;
    private final SemVer version;
    private final String source;
    private final Manifest declared;
    private final String declaredDigest;
    private final Supplier<ModelPackage> opener;
    private volatile ModelState state = ModelState.LOADING;
    private volatile String reason = "";
    private volatile ModelPackage pkg;
    private final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param source where the package comes from, for messages (a file name, NAME@VERSION in a registry)
     * @param declared the manifest read from the package's header, or null when only the name and version are known
     * @param declaredDigest the header's sha256, or null
     */
    ModelSlot(String name, SemVer version, String source, Manifest declared, String declaredDigest,
              Supplier<ModelPackage> opener) {
        this.name = name;
        this.version = version;
        this.source = source;
        this.declared = declared;
        this.declaredDigest = declaredDigest;
        this.opener = opener;
    }

    String name() {
        return name;
    }

    SemVer version() {
        return version;
    }

    String coordinate() {
        return name + "@" + version;
    }

    String source() {
        return source;
    }

    ModelState state() {
        return state;
    }

    /** Why the model is unavailable; empty otherwise. */
    String reason() {
        return reason;
    }

    /** The verified package, once ready. */
    Optional<ModelPackage> loaded() {
        return Optional.ofNullable(pkg);
    }

    /** The manifest: the verified package's once ready, else the one its header declared, if read. */
    Optional<Manifest> manifest() {
        ModelPackage p = pkg;
        return p != null ? Optional.of(p.manifest()) : Optional.ofNullable(declared);
    }

    /** The package's digest as far as known now (empty before a registry version is pulled). */
    String digest() {
        ModelPackage p = pkg;
        return p != null ? p.digest() : declaredDigest == null ? "" : declaredDigest;
    }

    /**
     * Opens and verifies the package; a package whose verified manifest is not the one its header
     * promised (changed on disk since the service started) is refused, since clients were told otherwise.
     */
    ModelPackage open() {
        ModelPackage opened = opener.get();
        boolean same = opened.manifest().name().equals(name) && opened.manifest().version().equals(version)
                && (declaredDigest == null || declaredDigest.equals(opened.digest()));
        if (!same) {
            opened.close();
            throw new ConduitException(ErrorCode.PACKAGE_INTEGRITY, source + " changed while the service was starting:"
                    + " it now holds " + opened.manifest().coordinate() + " with manifest sha256 " + opened.digest()
                    + ", not " + coordinate() + (declaredDigest == null ? "" : " with " + declaredDigest)
                    + "; restart the service once the package is in place");
        }
        return opened;
    }

    void ready(ModelPackage loaded) {
        this.pkg = loaded;
        this.state = ModelState.READY;
        settled.countDown();
    }

    void failed(String why) {
        this.reason = why;
        this.state = ModelState.UNAVAILABLE;
        settled.countDown();
    }

    /** Waits up to {@code timeout} for the model to be ready or unavailable; the state then (still loading on timeout). */
    ModelState await(java.time.Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return state;
    }

    /** The package if ready; otherwise the 503 a caller gets, saying why. */
    ModelPackage require() {
        ModelPackage p = pkg;
        if (p != null) {
            return p;
        }
        if (state == ModelState.UNAVAILABLE) {
            throw new ConduitException(ErrorCode.MODEL_NOT_READY, coordinate() + " failed to load on this service: "
                    + reason);
        }
        throw new ConduitException(ErrorCode.MODEL_NOT_READY, coordinate() + " is still loading; retry shortly");
    }
}
