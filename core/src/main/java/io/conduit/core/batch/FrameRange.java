package io.conduit.core.batch;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The frames a batch job covers, written as a farm TD writes them: {@code 1001-1100}, {@code 1001-1100x2}
 * (every second frame), {@code 1001} or a comma-separated mix ({@code 1001-1010,1050}).
 */
public final class FrameRange {
    private static final int MAX_FRAMES = 1_000_000;

    private FrameRange() {
    }

    public static List<Integer> parse(String text) {
        TreeSet<Integer> frames = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int step = 1;
                int x = p.indexOf('x');
                if (x > 0) {
                    step = Integer.parseInt(p.substring(x + 1));
                    p = p.substring(0, x);
                }
                int dash = p.indexOf('-', 1); // a leading '-' is a negative frame number
                int first = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int last = dash < 0 ? first : Integer.parseInt(p.substring(dash + 1));
                if (step < 1 || last < first || ((long) last - first) / step + frames.size() >= MAX_FRAMES) {
                    throw new NumberFormatException();
                }
                for (long f = first; f <= last; f += step) { // long: a range ending at Integer.MAX_VALUE must end
                    frames.add((int) f);
                }
            } catch (NumberFormatException e) {
                throw new ConduitException(ErrorCode.USAGE, "frames \"" + part.trim() + "\" is not FIRST-LAST[xSTEP] or"
                        + " FRAME (e.g. 1001-1100, 1001-1100x2, 1050), with FIRST <= LAST and under " + MAX_FRAMES
                        + " frames in all");
            }
        }
        return new ArrayList<>(frames);
    }
}
