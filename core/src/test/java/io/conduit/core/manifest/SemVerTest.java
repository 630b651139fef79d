package io.conduit.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SemVerTest {
    @Test
    void ordersByPrecedence() {
        List<String> sorted = List.of("1.10.0", "1.9.0", "1.9.0-rc.1", "1.9.0-alpha", "1.9.0-rc.10", "0.1.0").stream()
                .map(SemVer::parse).sorted().map(SemVer::toString).collect(Collectors.toList());
        assertEquals(List.of("0.1.0", "1.9.0-alpha", "1.9.0-rc.1", "1.9.0-rc.10", "1.9.0", "1.10.0"), sorted);
    }

    @Test
    void keepsBuildMetadataButIgnoresItInOrder() {
        SemVer v = SemVer.parse("2.0.0+sha.4c1e2a7");
        assertEquals("sha.4c1e2a7", v.build());
        assertEquals(0, v.compareTo(SemVer.parse("2.0.0")));
    }

    @Test
    void refusesNonSemver() {
        for (String bad : List.of("1", "1.2", "01.2.3", "1.2.3-", "v1.2.3", "")) {
            assertThrows(IllegalArgumentException.class, () -> SemVer.parse(bad), bad);
        }
    }
}
