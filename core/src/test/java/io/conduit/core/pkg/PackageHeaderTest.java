package io.conduit.core.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package's header names the same model, version and digest as the verified package, for folders and both zip layouts. */
class PackageHeaderTest {
    @TempDir
    Path dir;

    @Test
    void theHeaderAgreesWithTheVerifiedPackageInEveryLayout() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        ModelPackageTest.zip(pkg, dir.resolve("root.zip"), "");
        ModelPackageTest.zip(pkg, dir.resolve("nested.zip"), "scale_bias/");
        for (Path layout : new Path[]{pkg, dir.resolve("root.zip"), dir.resolve("nested.zip")}) {
            PackageHeader header = PackageHeader.read(layout);
            try (ModelPackage opened = ModelPackage.open(layout)) {
                assertEquals(opened.manifest().coordinate(), header.manifest().coordinate(), layout.toString());
                assertEquals(opened.digest(), header.digest(), layout.toString());
            }
        }
    }

    @Test
    void aZipWithoutAManifestAndABrokenManifestAreRefusedWithTheirCodes() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dir.resolve("empty.zip")))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.closeEntry();
        }
        ConduitException none = assertThrows(ConduitException.class, () -> PackageHeader.read(dir.resolve("empty.zip")));
        assertEquals(ErrorCode.FILE_NOT_FOUND, none.code());
        Files.writeString(pkg.resolve(ModelPackage.MANIFEST), "{\"name\": ");
        ModelPackageTest.zip(pkg, dir.resolve("bad.zip"), "");
        ConduitException bad = assertThrows(ConduitException.class, () -> PackageHeader.read(dir.resolve("bad.zip")));
        assertEquals(ErrorCode.MANIFEST_INVALID, bad.code());
        assertTrue(bad.getMessage().contains("bad.zip!conduit.json"), bad.getMessage());
        Files.writeString(dir.resolve("not.zip"), "plain text");
        assertEquals(ErrorCode.FILE_FORMAT, assertThrows(ConduitException.class,
                () -> PackageHeader.read(dir.resolve("not.zip"))).code());
    }
}
