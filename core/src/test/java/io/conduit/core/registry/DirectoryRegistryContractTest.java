package io.conduit.core.registry;

import java.nio.file.Path;

/** The registry behaviour suite against the directory backend. */
class DirectoryRegistryContractTest extends RegistryContract {
    @Override
    protected Registry open(Path storage, TrustPolicy trust) {
        return new DirectoryRegistry(storage, trust);
    }
}
