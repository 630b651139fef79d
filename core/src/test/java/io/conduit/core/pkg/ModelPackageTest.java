package io.conduit.core.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.IntegrityException;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Role;
import io.conduit.core.testing.TestModels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
    @TempDir
    Path dir;

    @Test
    void initDraftsAPackageThatOpensAndVerifies() {
        Path pkg = TestModels.packageOf("invert_nchw.onnx", dir);
        try (ModelPackage opened = ModelPackage.open(pkg)) {
            var image = opened.manifest().input("image").orElseThrow();
            assertEquals(Layout.NCHW, image.layout());
            assertEquals(Role.IMAGE, image.role());
            assertTrue(Files.isRegularFile(opened.modelFile()));
            assertEquals(64, opened.manifest().modelDigest().length());
        }
    }

    @Test
    void opensAZippedPackageAndRemovesItsTemporaryCopy() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Path zip = dir.resolve("scale_bias.zip");
        zip(pkg, zip, "scale_bias/");
        Path root;
        try (ModelPackage opened = ModelPackage.open(zip)) {
            root = opened.root();
            assertEquals("scale-bias", opened.manifest().name());
        }
        assertFalse(Files.exists(root), "temporary folder must be removed on close");
    }

    @Test
    void tamperedFileIsNamedInTheError() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        byte[] bytes = Files.readAllBytes(pkg.resolve("model.onnx"));
        bytes[bytes.length - 1] ^= 1;
        Files.write(pkg.resolve("model.onnx"), bytes);
        IntegrityException e = assertThrows(IntegrityException.class, () -> ModelPackage.open(pkg));
        assertTrue(e.getMessage().startsWith("package file model.onnx in"), e.getMessage());
        assertTrue(e.getMessage().contains("but the manifest records"), e.getMessage());
        assertTrue(e.getMessage().contains("copy the package again"), "a tampered file is not fixed by sealing: " + e.getMessage());
    }

    @Test
    void missingAndUnlistedFilesAreRefused() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Files.writeString(pkg.resolve("notes.txt"), "not in the manifest");
        String unlisted = assertThrows(IntegrityException.class, () -> ModelPackage.open(pkg)).getMessage();
        assertTrue(unlisted.contains("[notes.txt], which its manifest does not list"), unlisted);
        assertTrue(unlisted.contains("run conduit seal " + pkg), "names the fix: " + unlisted);
        Files.delete(pkg.resolve("notes.txt"));
        Files.delete(pkg.resolve("model.onnx"));
        assertTrue(assertThrows(IntegrityException.class, () -> ModelPackage.open(pkg)).getMessage()
                .contains("lacks model.onnx"));
    }

    @Test
    void operatingSystemClutterIsIgnored() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Files.writeString(pkg.resolve(".DS_Store"), "finder was here");
        Path zip = dir.resolve("mac.zip");
        zip(pkg, zip, "scale_bias/");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(dir.resolve("mac2.zip")));
             var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(out);
            }
            out.putNextEntry(new ZipEntry("__MACOSX/scale_bias/._model.onnx"));
            out.write(new byte[]{1, 2});
        }
        try (ModelPackage a = ModelPackage.open(pkg); ModelPackage b = ModelPackage.open(dir.resolve("mac2.zip"))) {
            assertEquals(a.manifest().modelDigest(), b.manifest().modelDigest());
        }
    }

    @Test
    void duplicateZipEntriesAreNamed() throws IOException {
        Path evil = dir.resolve("dup.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new ZipEntry("a/conduit.json"));
            out.write('{');
            out.putNextEntry(new ZipEntry("a/./conduit.json"));
            out.write('{');
        }
        assertTrue(assertThrows(IntegrityException.class, () -> ModelPackage.open(evil)).getMessage()
                .contains("twice"));
    }

    @Test
    void missingPackageAndZipSlipAreRefused() throws IOException {
        ConduitException missing = assertThrows(ConduitException.class, () -> ModelPackage.open(dir.resolve("nope")));
        assertEquals(ErrorCode.FILE_NOT_FOUND, missing.code());
        Path evil = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(evil))) {
            out.putNextEntry(new ZipEntry("../../escaped.txt"));
            out.write(1);
        }
        assertTrue(assertThrows(IntegrityException.class, () -> ModelPackage.open(evil)).getMessage()
                .contains("points outside the package"));
        assertFalse(Files.exists(dir.getParent().resolve("escaped.txt")));
    }

    @Test
    void aZipThatExpandsFarBeyondItsSizeIsRefusedBeforeItFillsTheDisk() throws IOException {
        Path bomb = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(bomb))) {
            out.putNextEntry(new ZipEntry("conduit.json"));
            out.write('{');
            out.putNextEntry(new ZipEntry("model.onnx"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros); // 64 MiB that deflate to about 64 KiB
            }
        }
        String message = assertThrows(IntegrityException.class, () -> ModelPackage.open(bomb)).getMessage();
        assertTrue(message.contains("beyond what a model package holds"), message);
        try (var temps = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            long unpacked = temps.filter(p -> p.getFileName().toString().startsWith("conduit-package-"))
                    .filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).count();
            assertEquals(0, unpacked, "the partial unpacking is removed");
        }
    }

    @Test
    void aSymbolicLinkInAPackageIsRefused() throws IOException {
        Path pkg = TestModels.packageOf("scale_bias.onnx", dir);
        Path outside = Files.writeString(dir.resolve("outside.txt"), "not part of the package");
        Files.createSymbolicLink(pkg.resolve("notes.txt"), outside);
        String message = assertThrows(IntegrityException.class, () -> ModelPackage.open(pkg)).getMessage();
        assertTrue(message.contains("holds a symbolic link, notes.txt; copy the file itself into the package"), message);
    }

    @Test
    void writerNeverOverwritesAnExistingFolder() throws IOException {
        Path out = dir.resolve("scale_bias");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        ConduitException e = assertThrows(ConduitException.class, () -> TestModels.packageOf("scale_bias.onnx", dir));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no staging folder may remain");
        }
    }

    static void zip(Path folder, Path zip, String prefix) throws IOException {
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(raw);
             var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                out.putNextEntry(new ZipEntry(prefix + file.getFileName()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
