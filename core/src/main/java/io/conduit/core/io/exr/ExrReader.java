package io.conduit.core.io.exr;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a single-part OpenEXR file, scanline or tiled, with HALF, FLOAT and UINT channels
 * compressed with NONE, RLE, ZIPS, ZIP or PIZ, into an {@link ExrImage}. Of a MIP-mapped tiled file
 * it reads the full-resolution level. Anything else (deep or multi-part files, RIP maps,
 * subsampled channels, other compressions) is refused by name with {@link ErrorCode#FILE_FORMAT}.
 *
 * <p>The file is distrusted: every size it declares is checked against its length before memory
 * is allocated for it (a header promising 2^31 x 2^31 pixels fails at once, not with an
 * OutOfMemoryError). Chunks are decoded on several cores at once ({@link ChunkPipeline}), each
 * straight into its rows of the image, so reading holds the image's planes plus a few chunks' buffers
 * per core; a damaged file reports its first bad chunk in file order.
 */
public final class ExrReader {
    private ExrReader() {
    }

    public static ExrImage read(Path file) {
        return read(file, ChunkPipeline.defaultParallelism());
    }

    /** As {@link #read(Path)}, decoding up to {@code parallelism} chunks at once. */
    static ExrImage read(Path file, int parallelism) {
        return withHeader(file, (channel, size, header) -> new Decoding(file, channel, size, header, parallelism).run());
    }

    /** The channel names of {@code file} in file order, from its header alone (no pixels are read). */
    public static List<String> channelNames(Path file) {
        return channels(file).stream().map(ExrChannel::name).toList();
    }

    /** The channels of {@code file} (names and sample types) in file order, from its header alone. */
    public static List<ExrChannel> channels(Path file) {
        return withHeader(file, (channel, size, header) -> List.copyOf(header.channels()));
    }

    /** The compression {@code file} declares, from its header alone. */
    public static ExrCompression compression(Path file) {
        return withHeader(file, (channel, size, header) -> header.compression());
    }

    /** What is done with an open file once its header has been read and checked. */
    private interface HeaderUse<T> {
        T apply(FileChannel channel, long size, ExrHeader header) throws IOException;
    }

    private static <T> T withHeader(Path file, HeaderUse<T> use) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ExrHeader header = HeaderReader.read(new HeaderInput(Channels.newInputStream(channel), file, size));
            return use.apply(channel, size, header);
        } catch (NoSuchFileException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no such file: " + file);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One read in progress: the checked header, the offset table and the reusable chunk buffers. */
    private static final class Decoding {
        private final Path file;
        private final FileChannel channel;
        private final long fileSize;
        private final ExrHeader header;
        private final ChunkLayout layout;
        private final ChunkCodec codec;
        private final int parallelism;
        /** Per pipeline slot: the chunk's bytes as stored, and decoded. */
        private final byte[][] packed;
        private final byte[][] raw;

        Decoding(Path file, FileChannel channel, long fileSize, ExrHeader header, int parallelism) {
            this.parallelism = parallelism;
            this.packed = new byte[ChunkPipeline.slots(parallelism)][];
            this.raw = new byte[ChunkPipeline.slots(parallelism)][];
            this.file = file;
            this.channel = channel;
            this.fileSize = fileSize;
            this.header = header;
            this.layout = ChunkLayout.of(header);
            List<PixelType> types = new ArrayList<>();
            header.channels().forEach(c -> types.add(c.type()));
            this.codec = ChunkCodec.of(header.compression(), types);
        }

        ExrImage run() throws IOException {
            long[] offsets = readOffsets();
            ExrBox window = header.dataWindow();
            int pixels = (int) ((long) window.width() * window.height());
            List<ExrChannel> channels = header.channels();
            Object[] planes = new Object[channels.size()];
            for (int c = 0; c < planes.length; c++) {
                planes[c] = switch (channels.get(c).type()) {
                    case UINT -> new int[pixels];
                    case HALF -> new short[pixels];
                    case FLOAT -> new float[pixels];
                };
            }
            ChunkPipeline.<Void>run(offsets.length, parallelism, (i, slot) -> {
                Block block = layout.block(i);
                BlockPixels.scatter(decodeChunk(i, offsets[i], block, slot), block, channels, planes, window);
                return null;
            }, (i, nothing) -> { });
            ExrImage.Builder image = ExrImage.builder(window).displayWindow(header.displayWindow());
            for (int c = 0; c < planes.length; c++) {
                ExrChannel ch = channels.get(c);
                switch (ch.type()) {
                    case UINT -> image.uintChannel(ch.name(), (int[]) planes[c]);
                    case HALF -> image.halfChannel(ch.name(), (short[]) planes[c]);
                    case FLOAT -> image.channel(ch.name(), ch.type(), (float[]) planes[c]);
                }
            }
            return image.build();
        }

        /** Checks the declared image against the file's length, then reads and checks the offset table. */
        private long[] readOffsets() throws IOException {
            ExrBox window = header.dataWindow();
            long pixels = (long) window.width() * window.height();
            long tableStart = header.tableStart();
            long chunks = layout.count();
            long afterHeader = fileSize - tableStart;
            if (chunks > afterHeader / 8) {
                throw error("the header declares a " + window.width() + "x" + window.height() + " data window "
                        + window + " in " + chunks + " chunks, but the offset table alone would need " + chunks * 8
                        + " bytes and only " + afterHeader + " follow the header; the header is damaged or the file truncated");
            }
            if (pixels > Integer.MAX_VALUE - 8 || chunks > (Integer.MAX_VALUE - 8) / 8) {
                throw error("the " + window.width() + "x" + window.height() + " data window in " + chunks
                        + " chunks is larger than this reader supports (2^31 pixels, 2^28 chunks)");
            }
            long rawTotal = pixels * header.bytesPerPixel(); // both below 2^31: no overflow
            if (rawTotal > afterHeader * header.compression().maxExpansion()) {
                throw error("the header declares a " + window.width() + "x" + window.height() + " data window "
                        + window + " (" + rawTotal + " bytes of pixels), more than " + afterHeader + " bytes of "
                        + header.compression() + " data can hold; the header is damaged or the file truncated");
            }
            if (layout.maxRawBytes(header.bytesPerPixel()) > Integer.MAX_VALUE - 8) {
                throw error("one chunk of this image would hold more than 2 GiB");
            }
            int count = (int) chunks;
            ByteBuffer table = readAt(tableStart, count * 8, "offset table");
            long firstChunk = tableStart + (long) count * 8;
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                long offset = table.getLong();
                if (offset < firstChunk || offset > fileSize - layout.chunkHeaderSize()) {
                    throw error("offset table entry " + i + " (" + layout.describe(i) + ") points to byte " + offset
                            + "; chunks lie between byte " + firstChunk + " and the end of the file at byte " + fileSize
                            + ". The offset table is damaged or the file truncated");
                }
                offsets[i] = offset;
            }
            return offsets;
        }

        /** Reads chunk {@code index} at {@code offset} and returns its raw bytes, in {@code slot}'s buffer. */
        private byte[] decodeChunk(int index, long offset, Block block, int slot) throws IOException {
            ByteBuffer chunkHeader = readAt(offset, layout.chunkHeaderSize(), layout.describe(index) + " header");
            String mismatch = layout.mismatch(chunkHeader, index);
            if (mismatch != null) {
                throw error(layout.describe(index) + " at byte " + offset + " is not where the offset table says: "
                        + mismatch + ". The offset table or the chunk is damaged");
            }
            int dataSize = chunkHeader.getInt(layout.chunkHeaderSize() - 4);
            long dataStart = offset + layout.chunkHeaderSize();
            int rawLength = block.width() * block.height() * header.bytesPerPixel();
            if (dataSize < 0 || dataSize > fileSize - dataStart) {
                throw error(layout.describe(index) + " at byte " + offset + " declares " + dataSize
                        + " bytes of data but " + (fileSize - dataStart) + " are left in the file; it is truncated or damaged");
            }
            if (dataSize > rawLength) {
                throw error(layout.describe(index) + " at byte " + offset + " declares " + dataSize
                        + " bytes of data, more than its " + rawLength + " bytes of pixels; it is damaged");
            }
            if (raw[slot] == null || raw[slot].length < rawLength) {
                raw[slot] = new byte[rawLength];
            }
            byte[] decoded = raw[slot];
            if (codec == null || dataSize == rawLength) {
                // Writers store a chunk raw whenever compressing would not make it smaller.
                if (dataSize != rawLength) {
                    throw error(layout.describe(index) + " at byte " + offset + " holds " + dataSize
                            + " bytes; uncompressed it must hold " + rawLength);
                }
                readInto(dataStart, decoded, rawLength, layout.describe(index));
                return decoded;
            }
            if (packed[slot] == null || packed[slot].length < dataSize) {
                packed[slot] = new byte[dataSize];
            }
            readInto(dataStart, packed[slot], dataSize, layout.describe(index));
            try {
                codec.decompress(packed[slot], dataSize, decoded, rawLength, block);
            } catch (ChunkDataException | IndexOutOfBoundsException e) {
                // Bounds are checked where the format allows; an index error can only mean damaged data too.
                throw new FileFormatException(file + ": " + layout.describe(index) + " at byte " + offset
                        + " does not decode as " + header.compression() + ": " + e.getMessage(), e);
            }
            return decoded;
        }

        private ByteBuffer readAt(long position, int length, String what) throws IOException {
            byte[] bytes = new byte[length];
            readInto(position, bytes, length, what);
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        private void readInto(long position, byte[] target, int length, String what) throws IOException {
            if (position + length > fileSize) {
                throw error("the " + what + " at byte " + position + " needs " + length + " bytes but the file ends at byte "
                        + fileSize + "; it is truncated");
            }
            ByteBuffer buffer = ByteBuffer.wrap(target, 0, length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw error("the file ends inside the " + what + "; it is truncated");
                }
            }
        }

        private FileFormatException error(String message) {
            return new FileFormatException(file + ": " + message);
        }
    }
}
