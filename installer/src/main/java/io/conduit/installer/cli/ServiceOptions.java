package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.ConfigLoader;
import io.conduit.core.config.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which Conduit service a report command talks to, and with which token, from the flags or else the
 * configuration, so a TD types neither: the service is {@code --service}, else {@code feedback.service},
 * else the first of {@code remote.endpoints}; the token is {@code --token-file}, else {@code remote.token}
 * (one token setting per service; {@code registry.token} when the service is the configured registry).
 */
final class ServiceOptions {
    @Option(names = "--service", paramLabel = "URL",
            description = "The Conduit service (conduit serve). Default: feedback.service, else the first of remote.endpoints.")
    String service;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the bearer token. Default: remote.token (registry.token for the registry's URL).")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", hidden = true,
            description = "Bearer token (visible to other users in the process list: prefer remote.token or --token-file).")
    String token;

    /** The service's base URL. */
    String service() {
        return service(ConfigLoader.fromProcess(Map.of()));
    }

    String service(ConduitConfig config) {
        if (service != null) {
            return service;
        }
        if (!config.get(Setting.FEEDBACK_SERVICE).isBlank()) {
            return config.get(Setting.FEEDBACK_SERVICE);
        }
        List<String> endpoints = config.getList(Setting.REMOTE_ENDPOINTS);
        if (!endpoints.isEmpty()) {
            return endpoints.get(0);
        }
        throw new ConduitException(ErrorCode.USAGE, "no Conduit service given: pass --service URL, or set feedback.service"
                + " or remote.endpoints (CONDUIT_REMOTE_ENDPOINTS, or ~/.conduit/config.json)");
    }

    /** The bearer token for {@code url}, or null for none. */
    String token(String url) {
        return token(url, ConfigLoader.fromProcess(Map.of()));
    }

    String token(String url, ConduitConfig config) {
        if (token != null) {
            return token;
        }
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile).strip();
            } catch (IOException e) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "--token-file " + tokenFile + " cannot be read: "
                        + e.getMessage());
            }
        }
        String registry = config.get(Setting.REGISTRY);
        if (!registry.isBlank() && strip(registry).equals(strip(url)) && !config.get(Setting.REGISTRY_TOKEN).isBlank()) {
            return config.get(Setting.REGISTRY_TOKEN);
        }
        String remote = config.get(Setting.REMOTE_TOKEN);
        return remote.isBlank() ? null : remote;
    }

    private static String strip(String url) {
        return url.replaceAll("/+$", "");
    }
}
