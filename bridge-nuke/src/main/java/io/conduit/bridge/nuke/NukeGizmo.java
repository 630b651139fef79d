package io.conduit.bridge.nuke;

import io.conduit.core.manifest.HostEntry;
import io.conduit.core.manifest.HostParameter;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of one Nuke gizmo: the node class artists create for one major version of a model.
 *
 * <p>A saved {@code .nk} keeps only a gizmo's class name and the values of its own knobs that differ
 * from the definition; everything inside comes from the {@code .gizmo} file when the script loads
 * (Foundry, <i>Creating and Accessing Gizmos</i>: "Saved scripts only contain the name and control
 * settings for the gizmo"). So every piece of state that must survive save and reopen is a top-level
 * knob ({@code conduit_version}, {@code conduit_cache}, the model's parameters), the version pin has
 * an empty default so a pinned value is always written, and the inner Write and Read take their
 * paths from TCL expressions over those knobs, never from values set on them (they would be lost).
 * Paths use forward slashes on every OS (file knobs are TCL-evaluated; DCC_API.md section 4 item 10).
 * One class per major version keeps a saved script's meaning: a {@code 2.x} node stays a {@code 2.x}
 * node when {@code 3.0} is published.
 */
public final class NukeGizmo {
    /** Knob type ids of {@code addUserKnob} (nuke.KnobType; DCC_API.md 3.7). */
    static final int TAB = 20;
    static final int STRING = 1;
    static final int FILE = 2;
    static final int INT = 3;
    static final int ENUM = 4;
    static final int BOOL = 6;
    static final int DOUBLE = 7;
    static final int PYSCRIPT = 22;
    static final int TEXT = 26;

    /**
     * The folder of this node's side files, keyed by script and node:
     * {@code <cache>/<script name without extension>/<node name>}, where the cache is the node's
     * {@code conduit_cache} knob or, when empty, {@code conduit/} beside the script.
     */
    static final String FOLDER_EXPRESSION = "[if {[value parent.conduit_cache] eq \"\"}"
            + " {return [file dirname [value root.name]]/conduit} {return [value parent.conduit_cache]}]"
            + "/[file rootname [file tail [value root.name]]]/[value parent.name]";

    private static final String BUTTON = "import conduit_nuke.%s\nconduit_nuke.%s(nuke.thisNode())";

    private NukeGizmo() {
    }

    /** {@code Conduit_plate_denoiser_v2}: the model's name (non-alphanumerics as {@code _}) and its major version. */
    public static String className(String model, long major) {
        return "Conduit_" + model.replaceAll("[^A-Za-z0-9_]", "_") + "_v" + major;
    }

    /** The class of the manifest's model and major version. */
    public static String className(Manifest manifest) {
        return className(manifest.name(), manifest.version().major());
    }

    /** The knob holding a manifest parameter's value. */
    static String knobName(String parameter) {
        return "p_" + parameter.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * The gizmo's text for a model valid for Nuke; the knobs come from the newest version of its major
     * version (a minor release may add knobs, never change one).
     *
     * @throws IllegalArgumentException when the manifest declares no {@code hosts.nuke} entry
     */
    public static String text(Manifest manifest) {
        HostEntry entry = NukeHost.entry(manifest)
                .orElseThrow(() -> new IllegalArgumentException(manifest.name() + " declares no hosts.nuke entry"));
        String cls = className(manifest);
        List<String> lines = new ArrayList<>();
        lines.add("Group {");
        lines.add(" name " + cls);
        lines.add(" tile_color 0x3d6fb5ff");
        lines.add(" addUserKnob {" + TAB + " conduit l Conduit}");
        lines.add(" addUserKnob {" + STRING + " conduit_model l model +INVISIBLE}");
        lines.add(" conduit_model " + quote(manifest.name()));
        lines.add(" addUserKnob {" + STRING + " conduit_version l version +INVISIBLE}");
        lines.add(" addUserKnob {" + TEXT + " conduit_label l \"\" T " + quote(entry.label() + " (" + manifest.name()
                + " v" + manifest.version().major() + ")") + "}");
        lines.add(" addUserKnob {" + ENUM + " device l Device M {auto gpu cpu remote}}");
        for (HostParameter parameter : entry.parameters()) {
            lines.addAll(parameterKnob(parameter));
        }
        lines.add(" addUserKnob {" + FILE + " conduit_cache l \"Cache folder\" t "
                + quote("Where results are kept; empty: a conduit folder beside the script") + "}");
        lines.add(" addUserKnob {" + PYSCRIPT + " run l Run T " + quote(button("render", "render.run")) + " +STARTLINE}");
        lines.add(" addUserKnob {" + PYSCRIPT + " update l \"Use Newest Version\" T "
                + quote(button("render", "render.update")) + "}");
        lines.add(" addUserKnob {" + PYSCRIPT + " feedback l \"Send Feedback\" T " + quote(button("render", "render.feedback")) + "}");
        lines.add(" addUserKnob {" + PYSCRIPT + " bake l \"Bake to Group\" T " + quote(button("bake", "bake.bake")) + "}");
        lines.add(" addUserKnob {" + STRING + " status l Status +STARTLINE}");
        lines.add(" status \"not run\"");
        lines.add("}");
        lines.add(" Input {");
        lines.add("  inputs 0");
        lines.add("  name Input1");
        lines.add(" }");
        lines.add(" Write {");
        lines.add("  file {" + FOLDER_EXPRESSION + "/in.%04d.exr}");
        lines.add("  file_type exr");
        lines.addAll(sideFileFormat(manifest.inputs().isEmpty() ? null : manifest.inputs().get(0)));
        lines.add("  channels rgba");
        lines.add("  name conduit_write");
        lines.add(" }");
        lines.add(" Read {");
        lines.add("  inputs 0");
        lines.add("  file {" + FOLDER_EXPRESSION + "/out.%04d.exr}");
        lines.add("  on_error error");
        lines.add("  name conduit_read");
        lines.add(" }");
        lines.add(" Output {");
        lines.add("  name Output1");
        lines.add(" }");
        lines.add("end_group");
        return String.join("\n", lines) + "\n";
    }

    /** Colour travels as compressed half floats; data (depth, positions, mattes) as compressed 32-bit floats. */
    private static List<String> sideFileFormat(TensorSpec input) {
        boolean colour = input != null && (input.role() == Role.IMAGE || input.role() == Role.COLORS);
        if (colour) {
            return List.of("  datatype \"16 bit half\"", "  compression \"Zip (16 scanlines)\"");
        }
        return List.of("  datatype \"32 bit float\"", "  compression \"Zip (16 scanlines)\"");
    }

    private static List<String> parameterKnob(HostParameter parameter) {
        String name = knobName(parameter.name());
        String label = quote(parameter.label() == null ? parameter.name() : parameter.label());
        String declaration = switch (parameter.type()) {
            case "float" -> " addUserKnob {" + DOUBLE + " " + name + " l " + label + " R "
                    + number(parameter.min().orElse(0.0)) + " " + number(parameter.max().orElse(1.0)) + "}";
            case "int" -> " addUserKnob {" + INT + " " + name + " l " + label + "}";
            case "bool" -> " addUserKnob {" + BOOL + " " + name + " l " + label + " +STARTLINE}";
            case "choice" -> " addUserKnob {" + ENUM + " " + name + " l " + label + " M {"
                    + String.join(" ", parameter.choices()) + "}}";
            default -> " addUserKnob {" + STRING + " " + name + " l " + label + "}";
        };
        return List.of(declaration, " " + name + " " + value(parameter));
    }

    private static String value(HostParameter parameter) {
        Object value = parameter.defaultValue();
        return switch (parameter.type()) {
            case "bool" -> Boolean.TRUE.equals(value) ? "true" : "false";
            case "float" -> number(((Number) value).doubleValue());
            case "int" -> Long.toString(((Number) value).longValue());
            default -> quote(String.valueOf(value));
        };
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", value);
    }

    private static String button(String module, String function) {
        return String.format(BUTTON, module, function);
    }

    /** A TCL double-quoted word: backslash, quote, brackets and dollar escaped, newlines as {@code \n}. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\', '"', '[', ']', '$' -> out.append('\\').append(c);
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
