package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.pkg.ModelPackage;
import java.nio.file.Path;

/** Publishes one package from a separate JVM, for the cross-process test; prints PUBLISHED or REFUSED. */
public final class PublishMain {
    private PublishMain() {
    }

    public static void main(String[] args) {
        try (ModelPackage pkg = ModelPackage.open(Path.of(args[1]))) {
            new DirectoryRegistry(Path.of(args[0])).publish(pkg, "process-" + ProcessHandle.current().pid());
            System.out.println("PUBLISHED");
        } catch (ConduitException e) {
            System.out.println("REFUSED " + e.getMessage());
        }
    }
}
