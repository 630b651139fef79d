package io.conduit.core.io;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0 to 3.0) for the datatypes Conduit
 * supports, in C order; strings (BYTES) as numpy's fixed-width unicode ({@code <U}n, {@link NpyStrings}).
 * Data is read straight into a direct buffer, so a tensor read from disk reaches ONNX Runtime without
 * another copy. Fortran order, big-endian data and other dtypes are
 * refused with an error saying what to do instead.
 *
 * @see <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern UNICODE = Pattern.compile("([<>=|]?)U(\\d+)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static Tensor read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer preamble = readFully(channel, 10, file);
            byte[] magic = new byte[6];
            preamble.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new FileFormatException(file + " is not a .npy file (its first bytes are not \\x93NUMPY);"
                        + " expected a file written by numpy.save");
            }
            int major = preamble.get() & 0xff;
            preamble.get(); // minor version: no format difference we rely on
            long headerLength;
            if (major == 1) {
                headerLength = preamble.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
            } else if (major == 2 || major == 3) {
                ByteBuffer longer = readFully(channel, 2, file);
                headerLength = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                        .put(preamble.get(8)).put(preamble.get(9)).put(longer.get(0)).put(longer.get(1)).getInt(0)
                        & 0xffffffffL;
            } else {
                throw new FileFormatException(file + " is .npy format version " + major + "; expected 1, 2 or 3");
            }
            if (headerLength > channel.size() - channel.position()) {
                throw new FileFormatException(file + " declares a " + headerLength + "-byte header but holds only "
                        + (channel.size() - channel.position()) + " more bytes; the file is truncated or damaged");
            }
            String header = StandardCharsets.ISO_8859_1.decode(readFully(channel, (int) headerLength, file)).toString();
            int unicodeWidth = unicodeWidth(header, file);
            DataType type = unicodeWidth >= 0 ? DataType.BYTES : parseType(header, file);
            long[] shape = parseShape(header, file);
            long bytes;
            try {
                bytes = Math.multiplyExact(Shapes.elementCount(shape),
                        type == DataType.BYTES ? 4L * unicodeWidth : type.byteSize());
            } catch (ArithmeticException overflow) {
                throw new FileFormatException(file + " declares shape " + Shapes.format(shape) + ", too large to hold");
            }
            long available = channel.size() - channel.position();
            if (available != bytes) {
                throw new FileFormatException(file + " declares " + type + Shapes.format(shape) + " (" + bytes
                        + " bytes of data) but holds " + available + " bytes; the file is truncated or damaged");
            }
            if (bytes > Integer.MAX_VALUE) {
                throw new FileFormatException(file + " holds " + bytes + " bytes; one tensor may hold at most 2 GiB");
            }
            ByteBuffer data = type == DataType.BYTES ? ByteBuffer.allocate((int) bytes)
                    : ByteBuffer.allocateDirect((int) bytes);
            data.order(ByteOrder.LITTLE_ENDIAN);
            while (data.hasRemaining() && channel.read(data) >= 0) {
                // keep reading until full
            }
            data.flip();
            if (type == DataType.BYTES) {
                return Tensor.ofStrings(shape, NpyStrings.decode(data, Shapes.elementCount(shape), unicodeWidth, file));
            }
            return Tensor.wrap(type, shape, toNativeOrder(data, type));
        } catch (NoSuchFileException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no such file: " + file);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code tensor} to {@code file} atomically, as .npy version 1.0 (or 2.0 for huge headers). */
    public static void write(Tensor tensor, Path file) {
        AtomicFiles.write(file, out -> {
            WritableByteChannel channel = Channels.newChannel(out);
            channel.write(ByteBuffer.wrap(header(tensor)));
            if (tensor.type() == DataType.BYTES) {
                ByteBuffer strings = NpyStrings.encode(tensor.strings());
                while (strings.hasRemaining()) {
                    channel.write(strings);
                }
                return;
            }
            ByteBuffer data = tensor.bytes();
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && tensor.type().byteSize() > 1) {
                data = swapped(data, tensor.type());
            }
            while (data.hasRemaining()) {
                channel.write(data);
            }
        });
    }

    static byte[] header(Tensor tensor) {
        long[] shape = tensor.shape();
        StringBuilder dims = new StringBuilder();
        for (long axis : shape) {
            dims.append(axis).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String descr = tensor.type() == DataType.BYTES ? "<U" + NpyStrings.width(tensor.strings()) : tensor.type().npyDescr();
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int preamble = 10;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        boolean v2 = padded - preamble > 0xffff;
        if (v2) {
            preamble = 12;
            padded = (preamble + dict.length() + 1 + 63) / 64 * 64;
        }
        int headerLength = padded - preamble;
        ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            out.putInt(headerLength);
        } else {
            out.putShort((short) headerLength);
        }
        out.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        while (out.position() < padded - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /**
     * The width in code points of numpy's fixed-width unicode dtype ({@code <U5}), or -1 for another dtype. Object
     * arrays ({@code |O}, e.g. strings of any length) are pickled Python objects, which Conduit never unpickles.
     */
    private static int unicodeWidth(String header, Path file) {
        Matcher descr = DESCR.matcher(header);
        if (!descr.find()) {
            return -1;
        }
        String d = descr.group(1);
        if (d.matches("[|<>=]?O\\d*")) {
            throw new FileFormatException(file + " holds a numpy object array (dtype '" + d + "'), pickled Python"
                    + " objects that Conduit does not read; for strings save fixed-width unicode instead:"
                    + " numpy.save(path, a.astype(str))");
        }
        if (d.matches("[|<>=]?S\\d+")) {
            throw new FileFormatException(file + " holds byte strings (dtype '" + d + "'); Conduit reads strings as"
                    + " fixed-width unicode: numpy.save(path, numpy.char.decode(a, 'utf-8'))");
        }
        Matcher unicode = UNICODE.matcher(d);
        if (!unicode.matches()) {
            return -1;
        }
        if (unicode.group(1).equals(">")) {
            throw new FileFormatException(file + " holds big-endian unicode (dtype '" + d + "'); convert with"
                    + " a.astype(a.dtype.newbyteorder('<'))");
        }
        int width;
        try {
            width = Integer.parseInt(unicode.group(2));
        } catch (NumberFormatException e) {
            throw new FileFormatException(file + " declares dtype '" + d + "', too wide to hold");
        }
        if (width == 0) {
            // Zero-width elements take no bytes, so the file's size could not bound how many a shape declares.
            throw new FileFormatException(file + " declares strings of no width (dtype '" + d + "'); save with"
                    + " a.astype(str), which is at least '<U1'");
        }
        return width;
    }

    private static DataType parseType(String header, Path file) {
        Matcher fortran = FORTRAN.matcher(header);
        if (fortran.find() && fortran.group(1).equals("True")) {
            throw new FileFormatException(file + " is in Fortran (column-major) order; expected C order."
                    + " Save it with numpy.save(path, numpy.ascontiguousarray(a))");
        }
        Matcher descr = DESCR.matcher(header);
        if (!descr.find()) {
            throw new FileFormatException(file + " has no 'descr' in its header; the file is damaged");
        }
        String d = descr.group(1);
        // Single-byte types have no byte order, so numpy may spell them with any order mark.
        String normal = switch (d) {
            case "|b1", "<b1", "=b1", ">b1", "|?", "<?", "=?", "?" -> "|b1";
            case "|u1", "<u1", "=u1", ">u1" -> "|u1";
            case "|i1", "<i1", "=i1", ">i1" -> "|i1";
            case "|V2", "<V2", "=V2", ">V2" -> "|V2";
            default -> d.replace('=', '<');
        };
        for (DataType type : DataType.values()) {
            if (type.hasFixedSize() && type.npyDescr().equals(normal)) {
                return type;
            }
        }
        String hint = d.startsWith(">") ? " Big-endian data: convert with a.astype(a.dtype.newbyteorder('<'))." : "";
        throw new FileFormatException(file + " holds dtype '" + d + "'; expected one of " + Arrays.stream(DataType.values())
                .map(DataType::numpyName).collect(java.util.stream.Collectors.joining(", "))
                + " (little-endian; bfloat16 as ml_dtypes saves it, raw 2-byte 'V2'; str as fixed-width unicode '<U')." + hint);
    }

    private static long[] parseShape(String header, Path file) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new FileFormatException(file + " has no 'shape' in its header; the file is damaged");
        }
        String body = m.group(1).trim();
        if (body.isEmpty()) {
            return new long[0];
        }
        long[] shape;
        try {
            shape = Arrays.stream(body.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToLong(s -> Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)).toArray();
        } catch (NumberFormatException e) {
            throw new FileFormatException(file + " has an unreadable shape (" + body + "); the file is damaged", e);
        }
        for (long axis : shape) {
            if (axis < 0) {
                throw new FileFormatException(file + " declares shape (" + body + ") with a negative axis; the file is damaged");
            }
        }
        return shape;
    }

    private static ByteBuffer readFully(FileChannel channel, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new FileFormatException(file + " ends inside its .npy header; the file is truncated");
            }
        }
        return buffer.flip();
    }

    private static ByteBuffer toNativeOrder(ByteBuffer littleEndian, DataType type) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || type.byteSize() == 1) {
            return littleEndian.order(ByteOrder.nativeOrder());
        }
        return swapped(littleEndian, type);
    }

    private static ByteBuffer swapped(ByteBuffer data, DataType type) {
        ByteBuffer out = ByteBuffer.allocateDirect(data.remaining());
        int size = type.byteSize();
        for (int i = data.position(); i < data.limit(); i += size) {
            for (int b = size - 1; b >= 0; b--) {
                out.put(data.get(i + b));
            }
        }
        return out.flip().order(ByteOrder.nativeOrder());
    }
}
