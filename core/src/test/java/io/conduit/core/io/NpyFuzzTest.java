package io.conduit.core.io;

import io.conduit.core.testing.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing numpy's .npy reader (corpus: fuzz/npy). */
class NpyFuzzTest {
    @Property
    void npyFilesReadOrAreRefusedClearly(@ForAll("npy") byte[] content) throws Exception {
        Path file = Files.createTempFile("fuzz", ".npy");
        try {
            Files.write(file, content);
            Fuzz.check(content, () -> Npy.read(file));
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<byte[]> npy() {
        return Fuzz.mutants("npy");
    }
}
