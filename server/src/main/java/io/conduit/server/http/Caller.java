package io.conduit.server.http;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who sent a request, as the server established it from the bearer token (never from the request's
 * body or headers): the user the tokens file names, the roles it grants, and the shows it is limited to
 * (empty: every show). Handlers read it from the request, where {@link AuthHandler} put it.
 */
public record Caller(String user, Set<Role> roles, Set<String> shows) {
    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        shows = Set.copyOf(shows);
    }

    /** Whether this caller holds {@code role}; {@link Role#ADMIN} holds every role. */
    public boolean has(Role role) {
        return roles.contains(role) || roles.contains(Role.ADMIN);
    }

    /** Whether this caller may act in {@code show}; an unlimited token may act in any. */
    public boolean mayUseShow(String show) {
        return shows.isEmpty() || shows.contains(show);
    }

    /** Whether this token is limited to some shows. */
    public boolean limitedToShows() {
        return !shows.isEmpty();
    }

    /** "ana (infer, feedback; shows ABC)": for messages that say why a call was refused. */
    public String describe() {
        StringBuilder s = new StringBuilder(user).append(" (");
        s.append(String.join(", ", roles.stream().sorted().map(Role::label).toList()));
        if (!shows.isEmpty()) {
            s.append("; shows ").append(String.join(", ", new TreeSet<>(shows)));
        }
        return s.append(')').toString();
    }
}
