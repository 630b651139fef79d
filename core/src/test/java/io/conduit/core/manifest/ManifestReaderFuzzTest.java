package io.conduit.core.manifest;

import io.conduit.core.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the manifest reader (corpus: fuzz/manifest). */
class ManifestReaderFuzzTest {
    @Property
    void manifestsParseOrAreRefusedClearly(@ForAll("manifests") byte[] content) throws Exception {
        Fuzz.check(content, () -> ManifestReader.parse(new String(content, StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> manifests() {
        return Fuzz.mutants("manifest");
    }
}
