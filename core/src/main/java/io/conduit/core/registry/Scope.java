package io.conduit.core.registry;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.util.Locale;

/**
 * The levels a rollout rule can target, from the broadest to the narrowest: the whole studio, a
 * show, a department, one user. A narrower rule wins over a broader one.
 */
public enum Scope {
    STUDIO, SHOW, DEPARTMENT, USER;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String text) {
        for (Scope s : values()) {
            if (s.jsonName().equalsIgnoreCase(text) || (s == DEPARTMENT && "dept".equalsIgnoreCase(text))) {
                return s;
            }
        }
        throw new ConduitException(ErrorCode.USAGE, "scope \"" + text + "\" is not one of studio, show, department, user");
    }
}
