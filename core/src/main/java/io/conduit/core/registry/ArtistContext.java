package io.conduit.core.registry;

import java.util.Map;

/**
 * Who is asking and for what: the show, department and user a studio launcher sets in the
 * environment. Empty strings mean "not set". The variable names are configurable because every
 * studio's launcher names them differently.
 */
public record ArtistContext(String show, String department, String user) {
    public ArtistContext {
        show = show == null ? "" : show;
        department = department == null ? "" : department;
        user = user == null ? "" : user;
    }

    /** The context from environment variables named {@code showVariable} and {@code departmentVariable}. */
    public static ArtistContext fromEnvironment(Map<String, String> environment, String showVariable,
                                                String departmentVariable) {
        return new ArtistContext(environment.getOrDefault(showVariable, ""),
                environment.getOrDefault(departmentVariable, ""),
                environment.getOrDefault("USER", System.getProperty("user.name", "")));
    }
}
