package io.conduit.installer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code conduit models keygen}: see its {@code description}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Creates the studio's Ed25519 signing key pair; point registry.signingKey at the folder"
                + " where models are published, and copy the .pub.pem into every workstation's registry.trustStore.")
final class ModelsKeygen extends ModelsSubcommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The new folder for the key pair (must not exist).")
    Path out;

    @Override
    public Integer call() {
        var key = io.conduit.core.registry.Signatures.generate(out);
        out().println("wrote " + out.resolve("studio-signing.pem") + " (private; keep it on the publishing machine)"
                + " and " + out.resolve("studio-signing.pub.pem") + ", key id "
                + io.conduit.core.registry.Signatures.keyId(key));
        return 0;
    }
}
