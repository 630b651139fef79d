package io.conduit.server.http;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens and whom they name, read from a tokens file: one {@code TOKEN USER [roles=R,R]
 * [shows=S,S]} entry per line, {@code #} starting a comment. Roles are {@code infer}, {@code feedback},
 * {@code publish} and {@code admin} ({@code infer,feedback} when left out); {@code shows} limits a token
 * to some shows. Without a tokens file every request is let in as "anonymous", with the roles the
 * server decided anonymous callers get (see {@link AnonymousAccess}). Tokens are compared in constant
 * time so response timing does not leak them.
 */
public final class TokenStore {
    private static final int MIN_TOKEN_LENGTH = 16;
    private final Map<String, Caller> callerByToken;
    private final Caller anonymous;

    private TokenStore(Map<String, Caller> callerByToken, Caller anonymous) {
        this.callerByToken = Map.copyOf(callerByToken);
        this.anonymous = anonymous;
    }

    /** A store that lets every request in, as the user "anonymous" with every role (no tokens file given). */
    public static TokenStore open() {
        return new TokenStore(Map.of(), new Caller("anonymous", EnumSet.of(Role.ADMIN), Set.of()));
    }

    /** This store, but with anonymous callers (when no tokens are enforced) holding only {@code roles}. */
    public TokenStore anonymousRoles(Set<Role> roles) {
        return new TokenStore(callerByToken, new Caller(anonymous.user(), roles, Set.of()));
    }

    /** A store holding one token for one user with every role: the agent's, which it writes to its agent file. */
    public static TokenStore single(String token, String user) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("a token needs at least " + MIN_TOKEN_LENGTH + " characters");
        }
        return new TokenStore(Map.of(token, new Caller(user, EnumSet.of(Role.ADMIN), Set.of())), null);
    }

    public static TokenStore load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot read tokens file " + file + ": " + e.getMessage());
        }
        Map<String, Caller> callers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            String[] parts = line.split("\\s+");
            if (parts.length < 2 || parts.length > 4 || parts[0].length() < MIN_TOKEN_LENGTH) {
                throw new ConduitException(ErrorCode.USAGE, where + "expected \"TOKEN USER [roles=R,...] [shows=S,...]\""
                        + " with a token of at least " + MIN_TOKEN_LENGTH + " characters");
            }
            Set<Role> roles = Role.DEFAULT;
            Set<String> shows = Set.of();
            for (int p = 2; p < parts.length; p++) {
                if (parts[p].startsWith("roles=")) {
                    roles = roles(parts[p].substring(6), where);
                } else if (parts[p].startsWith("shows=")) {
                    shows = Set.of(parts[p].substring(6).split(","));
                } else {
                    throw new ConduitException(ErrorCode.USAGE, where + "\"" + parts[p] + "\" is neither roles=... nor"
                            + " shows=...");
                }
            }
            if (callers.put(parts[0], new Caller(parts[1], roles, shows)) != null) {
                throw new ConduitException(ErrorCode.USAGE, where + "this token is already listed");
            }
        }
        if (callers.isEmpty()) {
            throw new ConduitException(ErrorCode.USAGE, file + " lists no tokens; every request would be refused");
        }
        return new TokenStore(callers, null);
    }

    private static Set<Role> roles(String list, String where) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String label : list.split(",")) {
            Role role = Role.parse(label);
            if (role == null) {
                throw new ConduitException(ErrorCode.USAGE, where + "unknown role \"" + label + "\"; expected some of"
                        + " infer, feedback, publish, admin");
            }
            roles.add(role);
        }
        return roles;
    }

    public boolean enforced() {
        return !callerByToken.isEmpty();
    }

    /** Who an {@code Authorization} header value names, if it carries a known bearer token. */
    public Optional<Caller> authenticate(String authorization) {
        if (!enforced()) {
            return Optional.of(anonymous);
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        Caller caller = null;
        for (Map.Entry<String, Caller> entry : callerByToken.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                caller = entry.getValue();
            }
        }
        return Optional.ofNullable(caller);
    }
}
