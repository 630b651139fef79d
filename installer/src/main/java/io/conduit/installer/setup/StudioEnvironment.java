package io.conduit.installer.setup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a studio's launcher sets for every artist when Conduit is installed at studio scope
 * ({@code CONDUIT_ROOT}, and the folders each application searches), written once per shell a studio
 * may launch from: bash/zsh, csh/tcsh, Windows cmd, PowerShell, and a Rez package. Each prepends to a
 * variable without losing what the studio already set, and adds no empty entry when it was unset.
 */
public final class StudioEnvironment {
    private final Path conduitRoot;
    private final String version;
    private final Map<String, Path> prepends = new LinkedHashMap<>();

    public StudioEnvironment(Path conduitRoot, String version) {
        this.conduitRoot = conduitRoot;
        this.version = version;
    }

    /** Puts {@code folder} first on {@code variable}. */
    public StudioEnvironment prepend(String variable, Path folder) {
        prepends.put(variable, folder);
        return this;
    }

    /** File name (relative to the studio folder) → text, for every shell. */
    public Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("conduit-env.sh", bash());
        files.put("conduit-env.csh", csh());
        files.put("conduit-env.cmd", cmd());
        files.put("conduit-env.ps1", powerShell());
        files.put("rez/conduit/" + version + "/package.py", rez());
        return files;
    }

    private static final String HEADER = "Set by the studio's launcher for every artist; written by conduit install --scope studio.";

    String bash() {
        List<String> lines = new ArrayList<>(List.of("# " + HEADER, "export CONDUIT_ROOT=\"" + conduitRoot + "\""));
        prepends.forEach((v, p) -> lines.add("export " + v + "=\"" + p + "${" + v + ":+:$" + v + "}\""));
        return String.join("\n", lines) + "\n";
    }

    String csh() {
        List<String> lines = new ArrayList<>(List.of("# " + HEADER + " Use: source conduit-env.csh",
                "setenv CONDUIT_ROOT \"" + conduitRoot + "\""));
        prepends.forEach((v, p) -> lines.add("if ($?" + v + ") then\n    setenv " + v + " \"" + p + ":${" + v + "}\"\nelse\n"
                + "    setenv " + v + " \"" + p + "\"\nendif"));
        return String.join("\n", lines) + "\n";
    }

    String cmd() {
        List<String> lines = new ArrayList<>(List.of("@rem " + HEADER + " Use: call conduit-env.cmd",
                "set \"CONDUIT_ROOT=" + conduitRoot + "\""));
        prepends.forEach((v, p) -> lines.add("if defined " + v + " (set \"" + v + "=" + p + ";%" + v + "%\") else (set \""
                + v + "=" + p + "\")"));
        return String.join("\r\n", lines) + "\r\n";
    }

    String powerShell() {
        List<String> lines = new ArrayList<>(List.of("# " + HEADER + " Use: . .\\conduit-env.ps1",
                "$env:CONDUIT_ROOT = '" + single(conduitRoot) + "'"));
        prepends.forEach((v, p) -> lines.add("$env:" + v + " = if ($env:" + v + ") { '" + single(p) + ";' + $env:" + v
                + " } else { '" + single(p) + "' }"));
        return String.join("\r\n", lines) + "\r\n";
    }

    /** A Rez package (rez's package.py: {@code env.VAR = ...}, {@code env.VAR.prepend(...)} in {@code commands()}). */
    String rez() {
        List<String> lines = new ArrayList<>(List.of("# " + HEADER, "name = \"conduit\"", "version = \"" + version + "\"",
                "description = \"Conduit: ONNX models in Houdini, Maya and Nuke\"", "", "", "def commands():",
                "    env.CONDUIT_ROOT = " + python(conduitRoot)));
        prepends.forEach((v, p) -> lines.add("    env." + v + ".prepend(" + python(p) + ")"));
        return String.join("\n", lines) + "\n";
    }

    private static String single(Path path) {
        return path.toString().replace("'", "''");
    }

    private static String python(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
