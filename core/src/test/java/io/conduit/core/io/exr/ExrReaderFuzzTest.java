package io.conduit.core.io.exr;

import io.conduit.core.testing.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the OpenEXR reader over every compression it reads (corpus: fuzz/exr). */
class ExrReaderFuzzTest {
    @Property
    void exrFilesReadOrAreRefusedClearly(@ForAll("exr") byte[] content) throws Exception {
        Path file = Files.createTempFile("fuzz", ".exr");
        try {
            Files.write(file, content);
            Fuzz.check(content, () -> ExrReader.read(file));
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<byte[]> exr() {
        return Fuzz.mutants("exr");
    }
}
