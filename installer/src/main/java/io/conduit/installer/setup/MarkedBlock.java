package io.conduit.installer.setup;

/**
 * Conduit's block in a user's own script (Nuke's {@code init.py}, where no other way exists): lines
 * between a begin and an end marker, so install can add it once and uninstall can take exactly it out
 * again, whatever else the user keeps in the file. Pure string functions, tested on their own.
 */
public final class MarkedBlock {
    public static final String BEGIN = "# >>> conduit >>> (added by conduit install; conduit uninstall removes it)";
    public static final String END = "# <<< conduit <<<";

    private MarkedBlock() {
    }

    /** {@code text} with the block holding {@code body} (replacing an existing block), ending in a newline. */
    public static String add(String text, String body) {
        String without = remove(text);
        String block = BEGIN + "\n" + body.stripTrailing() + "\n" + END + "\n";
        if (without.isEmpty()) {
            return block;
        }
        return without + (without.endsWith("\n") ? "" : "\n") + block;
    }

    /** {@code text} without Conduit's block (unchanged when it has none). */
    public static String remove(String text) {
        int begin = text.indexOf(BEGIN);
        if (begin < 0) {
            return text;
        }
        int end = text.indexOf(END, begin);
        if (end < 0) {
            throw new IllegalArgumentException("the file has Conduit's begin marker but not its end marker (" + END
                    + "); fix it by hand");
        }
        int after = end + END.length();
        if (after < text.length() && text.charAt(after) == '\n') {
            after++;
        }
        return text.substring(0, begin) + text.substring(after);
    }

    public static boolean has(String text) {
        return text.contains(BEGIN);
    }
}
