package io.conduit.server.agent;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code ~/.conduit/agent.json}: where the running agent listens and the token it accepts, for the
 * bridges of this user to find. The file is created readable and writable by its owner alone (on
 * POSIX systems; on Windows the user's profile folder already keeps it private), written whole or
 * not at all, and removed when the agent stops. The token is what keeps other users of the same
 * workstation out: the port alone is visible to everyone.
 */
public record AgentFile(int port, String token, long pid) {
    public static final String NAME = "agent.json";

    /** A fresh random token of 32 hex digits (128 bits). */
    public static String newToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Writes this file into {@code home} (the Conduit folder, e.g. {@code ~/.conduit}) for its owner only. */
    public void write(Path home) {
        JsonObject json = new JsonObject();
        json.addProperty("port", port);
        json.addProperty("token", token);
        json.addProperty("pid", pid);
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(home);
            Path staged = AtomicFiles.siblingName(home.resolve(NAME), ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(staged, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(staged);
            }
            try {
                Files.write(staged, bytes);
                AtomicFiles.moveIntoPlace(staged, home.resolve(NAME));
            } finally {
                Files.deleteIfExists(staged);
            }
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write " + home.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }

    /** The agent file in {@code home}, if there is a readable one. */
    public static Optional<AgentFile> read(Path home) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(home.resolve(NAME), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            return Optional.of(new AgentFile(json.get("port").getAsInt(), json.get("token").getAsString(),
                    json.get("pid").getAsLong()));
        } catch (IOException | RuntimeException missingOrDamaged) {
            return Optional.empty();
        }
    }

    /** Removes the agent file from {@code home} if it is still this agent's (a newer agent may have replaced it). */
    public void removeFrom(Path home) {
        if (read(home).filter(this::equals).isPresent()) {
            try {
                Files.deleteIfExists(home.resolve(NAME));
            } catch (IOException e) {
                // a stale file is harmless: clients find nothing listening and start a new agent
            }
        }
    }
}
