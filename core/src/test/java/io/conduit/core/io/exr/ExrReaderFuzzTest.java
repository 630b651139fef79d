package io.conduit.core.io.exr;

import io.conduit.core.testing.Fuzz;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the OpenEXR reader over every compression it reads (corpus: fuzz/exr). */
class ExrReaderFuzzTest {
    @Property
    void exrFilesReadOrAreRefusedClearly(@ForAll("exr") byte[] content) throws Exception {
        Fuzz.checkFile(content, ".exr", ExrReader::read);
    }

    @Provide
    Arbitrary<byte[]> exr() {
        return Fuzz.mutants("exr");
    }
}
