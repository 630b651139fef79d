package io.conduit.core.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the user documentation true: every setting and every error code is written down. */
class ConfigurationDocsTest {
    @Test
    void everySettingIsDocumentedWithItsVariableAndDefault() throws Exception {
        String doc = Files.readString(Path.of("../docs/configuration.md"));
        for (Setting s : Setting.values()) {
            String row = "| `" + s.key() + "` | `" + s.environmentName() + "` |";
            assertTrue(doc.contains(row), "docs/configuration.md lacks the row for " + s.key());
            String defaultCell = s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue();
            assertTrue(doc.contains("| `" + defaultCell + "` | " + s.description()), "stale row for " + s.key());
        }
    }

    @Test
    void everyErrorCodeIsExplained() throws Exception {
        String doc = Files.readString(Path.of("../docs/errors.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(doc.contains("`" + code.searchCode() + "` | " + code.exitStatus() + " | " + code.httpStatus() + " |"),
                    "docs/errors.md lacks " + code.searchCode());
        }
    }
}
