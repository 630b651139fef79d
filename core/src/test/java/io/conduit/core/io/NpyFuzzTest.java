package io.conduit.core.io;

import io.conduit.core.testing.Fuzz;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing numpy's .npy reader (corpus: fuzz/npy). */
class NpyFuzzTest {
    @Property
    void npyFilesReadOrAreRefusedClearly(@ForAll("npy") byte[] content) throws Exception {
        Fuzz.checkFile(content, ".npy", Npy::read);
    }

    @Provide
    Arbitrary<byte[]> npy() {
        return Fuzz.mutants("npy");
    }
}
