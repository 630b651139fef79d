package io.conduit.core.batch;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file name with a frame number in it, as Nuke and the farm write them: {@code plate.%04d.exr}
 * (printf style) or {@code plate.####.exr} (one {@code #} per digit). A path without a frame token names
 * the same file for every frame (a mask, a LUT).
 */
public final class FramePattern {
    private static final Pattern PRINTF = Pattern.compile("%(0(\\d+))?d");
    private static final Pattern HASHES = Pattern.compile("#+");

    private final String pattern;

    public FramePattern(String pattern) {
        this.pattern = pattern;
        int tokens = count(PRINTF, pattern) + count(HASHES, pattern);
        if (tokens > 1) {
            throw new ConduitException(ErrorCode.USAGE, "\"" + pattern + "\" has " + tokens + " frame tokens; expected at"
                    + " most one (%04d or ####)");
        }
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    public boolean varies() {
        return PRINTF.matcher(pattern).find() || HASHES.matcher(pattern).find();
    }

    public Path frame(int frame) {
        Matcher printf = PRINTF.matcher(pattern);
        if (printf.find()) {
            int width = printf.group(2) == null ? 0 : Integer.parseInt(printf.group(2));
            return Path.of(printf.replaceFirst(Matcher.quoteReplacement(pad(frame, width))));
        }
        Matcher hashes = HASHES.matcher(pattern);
        if (hashes.find()) {
            return Path.of(hashes.replaceFirst(Matcher.quoteReplacement(pad(frame, hashes.group().length()))));
        }
        return Path.of(pattern);
    }

    private static String pad(int frame, int width) {
        String digits = Integer.toString(Math.abs(frame));
        StringBuilder padded = new StringBuilder(frame < 0 ? "-" : "");
        for (int i = digits.length(); i < width; i++) {
            padded.append('0');
        }
        return padded.append(digits).toString();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
