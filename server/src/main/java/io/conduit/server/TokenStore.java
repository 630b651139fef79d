package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens and the users they name, read from a tokens file: one {@code TOKEN USER} pair per
 * line, {@code #} starting a comment. Later features (rollout rules, feedback) use the user name.
 * Tokens are compared in constant time so response timing does not leak them.
 */
public final class TokenStore {
    private static final int MIN_TOKEN_LENGTH = 16;
    private final Map<String, String> userByToken;

    private TokenStore(Map<String, String> userByToken) {
        this.userByToken = Map.copyOf(userByToken);
    }

    /** A store that lets every request in, as the user "anonymous" (no tokens file given). */
    public static TokenStore open() {
        return new TokenStore(Map.of());
    }

    /** A store holding one token for one user: the agent's, which it writes to its agent file. */
    public static TokenStore single(String token, String user) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("a token needs at least " + MIN_TOKEN_LENGTH + " characters");
        }
        return new TokenStore(Map.of(token, user));
    }

    public static TokenStore load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "cannot read tokens file " + file + ": " + e.getMessage());
        }
        Map<String, String> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2 || parts[0].length() < MIN_TOKEN_LENGTH) {
                throw new ConduitException(ErrorCode.USAGE, file + " line " + (i + 1) + ": expected \"TOKEN USER\" with a"
                        + " token of at least " + MIN_TOKEN_LENGTH + " characters");
            }
            if (users.put(parts[0], parts[1]) != null) {
                throw new ConduitException(ErrorCode.USAGE, file + " line " + (i + 1) + ": this token is already listed");
            }
        }
        if (users.isEmpty()) {
            throw new ConduitException(ErrorCode.USAGE, file + " lists no tokens; every request would be refused");
        }
        return new TokenStore(users);
    }

    public boolean enforced() {
        return !userByToken.isEmpty();
    }

    /** The user an {@code Authorization} header value names, if it carries a known bearer token. */
    public Optional<String> authenticate(String authorization) {
        if (!enforced()) {
            return Optional.of("anonymous");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        String user = null;
        for (Map.Entry<String, String> entry : userByToken.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
                user = entry.getValue();
            }
        }
        return Optional.ofNullable(user);
    }
}
