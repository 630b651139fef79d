package io.conduit.core.pkg;

import io.conduit.core.io.FileTrees;
import io.conduit.core.testing.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the zip extractor (corpus: fuzz/zip): every file it writes stays inside its folder. */
class ZipExtractorFuzzTest {
    @Property
    void zipsExtractInsideTheirFolderOrAreRefusedClearly(@ForAll("zips") byte[] content) throws Exception {
        Path work = Files.createTempDirectory("fuzz-zip");
        try {
            Path zip = Files.write(work.resolve("package.zip"), content);
            Path into = Files.createDirectories(work.resolve("out"));
            Fuzz.check(content, () -> ZipExtractor.extract(zip, into));
            try (var written = Files.walk(work)) {
                for (Path p : written.toList()) {
                    if (!p.toRealPath().startsWith(work.toRealPath())) {
                        throw new AssertionError(p + " was written outside " + work);
                    }
                }
            }
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    @Provide
    Arbitrary<byte[]> zips() {
        return Fuzz.mutants("zip");
    }
}
