package io.conduit.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads files written by numpy itself (see make_npy_fixtures.py) and writes files numpy's layout. */
class NpyTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    }

    @ParameterizedTest
    @CsvSource({"float32.npy,FP32", "float16.npy,FP16", "int32.npy,INT32", "int64.npy,INT64", "uint8.npy,UINT8",
            "bool.npy,BOOL", "float64.npy,FP64", "int8.npy,INT8", "int16.npy,INT16", "uint16.npy,UINT16",
            "uint32.npy,UINT32", "uint64.npy,UINT64", "bfloat16.npy,BF16"})
    void readsNumpysOwnFiles(String file, DataType type) throws Exception {
        Tensor t = Npy.read(fixture(file));
        assertEquals(type, t.type());
        assertArrayEquals(new long[]{2, 3}, t.shape());
        for (int i = 0; i < 6; i++) {
            assertEquals(type == DataType.BOOL ? i % 2 : i, TensorMetrics.value(t, i), 0.0, "element " + i);
        }
        Path out = dir.resolve(file);
        Npy.write(t, out);
        assertArrayEquals(Files.readAllBytes(fixture(file)), Files.readAllBytes(out), "written back byte for byte");
    }

    @Test
    void writesWhatItReadsByteForByte() throws Exception {
        for (String name : new String[]{"float32.npy", "float16.npy", "int64.npy", "bool.npy", "scalar_float32.npy"}) {
            Path out = dir.resolve(name);
            Npy.write(Npy.read(fixture(name)), out);
            assertArrayEquals(Files.readAllBytes(fixture(name)), Files.readAllBytes(out), name);
        }
    }

    @Test
    void readsAndWritesNumpysFixedWidthUnicodeStrings() throws Exception {
        Tensor t = Npy.read(fixture("unicode.npy"));
        assertEquals(DataType.BYTES, t.type());
        assertArrayEquals(new long[]{2, 3}, t.shape());
        assertArrayEquals(new String[]{"cat", "Dog", "", "naïve", "日本", "a😀b"}, t.strings());
        Path out = dir.resolve("unicode.npy");
        Npy.write(t, out);
        assertArrayEquals(Files.readAllBytes(fixture("unicode.npy")), Files.readAllBytes(out), "written as numpy writes <U5");
        Path empty = dir.resolve("empty.npy");
        Npy.write(Tensor.ofStrings(new long[]{0}), empty);
        assertEquals(0, Npy.read(empty).elementCount());
    }

    @Test
    void refusesZeroWidthStringsWhoseCountNoFileSizeBounds() throws Exception {
        String dict = "{'descr': '<U0', 'fortran_order': False, 'shape': (1000000000,), }";
        ByteBuffer file = ByteBuffer.allocate(128).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) 118)
                .put(String.format("%-117s\n", dict).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Path zero = dir.resolve("zero.npy");
        Files.write(zero, file.array());
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(zero));
        assertTrue(e.getMessage().contains("strings of no width (dtype '<U0')"), e.getMessage());
    }

    @Test
    void refusesObjectArraysAndByteStringsByName() {
        FileFormatException object = assertThrows(FileFormatException.class, () -> Npy.read(fixture("object.npy")));
        assertTrue(object.getMessage().contains("numpy object array (dtype '|O')")
                && object.getMessage().contains("a.astype(str)"), object.getMessage());
        FileFormatException bytes = assertThrows(FileFormatException.class, () -> Npy.read(fixture("bytes.npy")));
        assertTrue(bytes.getMessage().contains("byte strings (dtype '|S3')"), bytes.getMessage());
    }

    @Test
    void refusesFortranOrder() {
        FileFormatException e = assertThrows(FileFormatException.class, () -> Npy.read(fixture("fortran_float32.npy")));
        assertTrue(e.getMessage().contains("Fortran (column-major) order; expected C order"), e.getMessage());
    }

    @Test
    void refusesUnsupportedDtypesByName() {
        FileFormatException complex = assertThrows(FileFormatException.class, () -> Npy.read(fixture("complex64.npy")));
        assertTrue(complex.getMessage().contains("dtype '<c8'; expected one of bool, uint8, int32, int64, float16,"
                + " float32, float64, int8, int16, uint16, uint32, uint64, bfloat16"), complex.getMessage());
        FileFormatException big = assertThrows(FileFormatException.class, () -> Npy.read(fixture("bigendian_float32.npy")));
        assertTrue(big.getMessage().contains("Big-endian"), big.getMessage());
    }

    @Test
    void refusesTruncatedAndForeignFiles() throws Exception {
        byte[] good = Files.readAllBytes(fixture("float32.npy"));
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 4));
        assertTrue(assertThrows(FileFormatException.class, () -> Npy.read(truncated)).getMessage().contains("truncated"));
        Path png = dir.resolve("not.npy");
        Files.writeString(png, "PNG pretending to be npy");
        assertTrue(assertThrows(FileFormatException.class, () -> Npy.read(png)).getMessage().contains("not a .npy file"));
        ConduitException missing = assertThrows(ConduitException.class, () -> Npy.read(dir.resolve("absent.npy")));
        assertEquals(ErrorCode.FILE_NOT_FOUND, missing.code());
    }

    @Test
    void refusesDamagedHeadersWithAClearError() throws Exception {
        byte[] good = Files.readAllBytes(fixture("float32.npy"));
        String header = new String(good, 10, good[8] & 0xff, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String shape : new String[]{"(2, -3)", "(4294967296, 4294967296, 3)"}) {
            byte[] damaged = good.clone();
            byte[] text = header.replace("(2, 3)", shape).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            System.arraycopy(text, 0, damaged, 10, Math.min(text.length, header.length()));
            Path file = dir.resolve("damaged.npy");
            Files.write(file, damaged);
            assertThrows(FileFormatException.class, () -> Npy.read(file), shape);
        }
        byte[] v2 = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff, '{', '}'};
        Path huge = dir.resolve("huge-header.npy");
        Files.write(huge, v2);
        assertTrue(assertThrows(FileFormatException.class, () -> Npy.read(huge)).getMessage()
                .contains("header but holds only 2 more bytes"));
    }

    @Test
    void writtenFilesGetTheUsersUsualPermissions() throws Exception {
        Path reference = Files.createFile(dir.resolve("made-by-hand"));
        Path written = dir.resolve("written.npy");
        Npy.write(Tensor.ofFloats(new long[]{1}, 1f), written);
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(written));
    }

    @Test
    void failedWriteLeavesNoFileBehind() throws Exception {
        // The rename into place fails: the name is taken by a folder that is not empty. By then the
        // temporary file is fully written, so this is the case that could leave one behind.
        Path parent = Files.createDirectories(dir.resolve("sub"));
        Path target = Files.createDirectories(parent.resolve("out.npy"));
        Files.writeString(target.resolve("keep.txt"), "someone else's");
        Tensor t = Tensor.ofFloats(new long[]{2}, 1f, 2f);
        io.conduit.core.ConduitException failed = org.junit.jupiter.api.Assertions.assertThrows(
                io.conduit.core.ConduitException.class, () -> Npy.write(t, target));
        assertEquals(io.conduit.core.ErrorCode.IO_ERROR, failed.code(), failed.getMessage());
        try (var listing = Files.list(parent)) {
            assertEquals(java.util.List.of(target), listing.toList(), "no temporary file may remain");
        }
        assertEquals("someone else's", Files.readString(target.resolve("keep.txt")));
    }
}
