package io.conduit.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.config.ConduitConfig;
import io.conduit.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report commands find their service and token in the configuration, so a TD types neither. */
class ServiceOptionsTest {
    @TempDir
    Path home;

    private ConduitConfig config(Map<String, String> env) {
        return new ConfigLoader(env, home).load(Map.of());
    }

    @Test
    void theServiceAndTokenComeFromTheConfigurationWhenNoFlagSaysOtherwise() throws Exception {
        ServiceOptions options = new ServiceOptions();
        ConduitConfig remote = config(Map.of("CONDUIT_REMOTE_ENDPOINTS", "http://gpu01:8000,http://gpu02:8000",
                "CONDUIT_REMOTE_TOKEN", "t-remote"));
        assertEquals("http://gpu01:8000", options.service(remote));
        assertEquals("t-remote", options.token("http://gpu01:8000", remote));
        ConduitConfig feedback = config(Map.of("CONDUIT_FEEDBACK_SERVICE", "http://svc:9000",
                "CONDUIT_REMOTE_ENDPOINTS", "http://gpu01:8000"));
        assertEquals("http://svc:9000", options.service(feedback), "the feedback service first");
        assertNull(options.token("http://svc:9000", feedback));
        ConduitConfig registry = config(Map.of("CONDUIT_REGISTRY", "http://reg:8000/", "CONDUIT_REGISTRY_TOKEN", "t-reg",
                "CONDUIT_REMOTE_TOKEN", "t-remote"));
        assertEquals("t-reg", options.token("http://reg:8000", registry), "the registry's own token for its URL");
        Path file = Files.writeString(home.resolve("token"), "t-file\n");
        options.tokenFile = file;
        assertEquals("t-file", options.token("http://gpu01:8000", remote), "a file beats the configuration");
        options.service = "http://flag:1";
        assertEquals("http://flag:1", options.service(remote));
        ConduitException none = assertThrows(ConduitException.class, () -> new ServiceOptions().service(config(Map.of())));
        assertTrue(none.getMessage().contains("feedback.service or remote.endpoints"), none.getMessage());
    }
}
