package io.conduit.core.config;

import com.google.gson.JsonParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gson's parse errors in a TD's words: where (line and column) and what was wrong, without the
 * library's exception class name or its troubleshooting URL. Gson reports the position only inside
 * its message ("... at line 3 column 5 path $.remote"), so that is where it is read from.
 */
final class JsonErrors {
    private static final Pattern POSITION = Pattern.compile("(.*?) at line (\\d+) column (\\d+)", Pattern.DOTALL);

    private JsonErrors() {
    }

    /** {@code ", line 3, column 5"}, or empty when Gson gave no position. */
    static String where(JsonParseException e) {
        Matcher m = POSITION.matcher(innermost(e));
        return m.find() ? ", line " + m.group(2) + ", column " + m.group(3) : "";
    }

    /** What Gson found wrong, e.g. {@code Unterminated object}. */
    static String what(JsonParseException e) {
        String text = innermost(e);
        Matcher m = POSITION.matcher(text);
        String what = m.find() ? m.group(1) : text.lines().findFirst().orElse(text);
        return what.replaceFirst("^[a-zA-Z0-9_.]+(Exception|Error): ", "").strip();
    }

    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
