package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.Registry;
import picocli.CommandLine.Command;

/**
 * {@code conduit models gc}: removes what publishers that died left in a registry folder's staging area.
 * Every publish does the same sweep; this is for a share no one has published to since the crash.
 */
@Command(name = "gc", mixinStandardHelpOptions = true, description = "Removes staging files that publishers killed"
        + " mid-publish left in a registry folder (those not written for an hour).")
final class ModelsGc extends ModelsSubcommand {
    @Override
    public Integer call() {
        Registry r = registry.open();
        if (!(r instanceof DirectoryRegistry folder)) {
            throw new ConduitException(ErrorCode.USAGE, "conduit models gc works on a registry folder; a service"
                    + " hosting a registry sweeps its own at every publish");
        }
        int removed = folder.sweepStaging();
        if (json.enabled) {
            JsonObject o = new JsonObject();
            o.addProperty("removed", removed);
            json.print(out(), o);
        } else {
            out().println("removed " + removed + " abandoned staging file" + (removed == 1 ? "" : "s") + " from "
                    + r.describe());
        }
        return 0;
    }
}
