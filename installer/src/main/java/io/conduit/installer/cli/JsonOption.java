package io.conduit.installer.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import picocli.CommandLine.Option;

/** {@code --json}: one JSON object on standard output instead of text, for scripts. */
final class JsonOption {
    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean enabled;

    void print(java.io.PrintWriter out, JsonElement value) {
        out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeSpecialFloatingPointValues()
                .create().toJson(value));
        out.flush();
    }
}
