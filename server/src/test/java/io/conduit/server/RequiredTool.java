package io.conduit.server;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs something outside the JVM (a PostgreSQL, a browser) skips where it is missing on a
 * developer's machine, but fails under {@code CI=true}: CI installs them, so one missing means the
 * install broke, and a skip there would let the test pass by never running.
 */
public final class RequiredTool {
    private RequiredTool() {
    }

    public static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing + ", and CI=true: CI must provide it (see .ci/run)");
        }
        Assumptions.abort(missing);
    }
}
