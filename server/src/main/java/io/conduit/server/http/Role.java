package io.conduit.server.http;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do. A studio hands most people {@link #INFER} and {@link #FEEDBACK} (the default for a
 * token listed without roles) and keeps {@link #PUBLISH} for the TDs who release models, because a
 * publish token can roll a version out studio-wide. {@link #ADMIN} may do everything.
 */
public enum Role {
    /** Run models (V2 inference, the agent's file jobs). */
    INFER,
    /** Send notes and telemetry. */
    FEEDBACK,
    /** Publish versions, move aliases, set rollout rules. */
    PUBLISH,
    /** Everything. */
    ADMIN;

    /** What a token listed without roles gets. */
    public static final Set<Role> DEFAULT = Set.copyOf(EnumSet.of(INFER, FEEDBACK));

    /** The lower-case name used in the tokens file. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A role by its tokens-file name; null for an unknown one (the caller names the line). */
    static Role parse(String label) {
        for (Role r : values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        return null;
    }
}
