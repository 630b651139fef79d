package io.conduit.installer.setup;

import java.nio.file.Path;

/**
 * One file install would write: created whole (a package JSON, a module file, the studio's environment
 * file), or edited (a marker block in a user's script). {@code before} is null when the file does not
 * exist yet. {@code editsUserFile}: the file is the user's own and only Conduit's block in it changes.
 */
public record Change(Path file, String before, String after, String why, boolean editsUserFile) {
    /** A file Conduit owns whole. */
    public Change(Path file, String before, String after, String why) {
        this(file, before, after, why, false);
    }

    public boolean creates() {
        return before == null;
    }

    public boolean changesNothing() {
        return after.equals(before);
    }

    /** The change as a unified-style diff, for {@code --dry-run}. */
    public String diff() {
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before == null ? "/dev/null" : file).append('\n');
        out.append("+++ ").append(file).append("   (").append(why).append(")\n");
        java.util.List<String> old = before == null ? java.util.List.of() : before.lines().toList();
        java.util.List<String> now = after.lines().toList();
        int common = 0;
        while (common < old.size() && common < now.size() && old.get(common).equals(now.get(common))) {
            common++;
        }
        int tail = 0;
        while (tail < old.size() - common && tail < now.size() - common
                && old.get(old.size() - 1 - tail).equals(now.get(now.size() - 1 - tail))) {
            tail++;
        }
        for (int i = common; i < old.size() - tail; i++) {
            out.append("-").append(old.get(i)).append('\n');
        }
        for (int i = common; i < now.size() - tail; i++) {
            out.append("+").append(now.get(i)).append('\n');
        }
        return out.toString();
    }
}
