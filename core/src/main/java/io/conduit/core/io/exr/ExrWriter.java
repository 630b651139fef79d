package io.conduit.core.io.exr;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import io.conduit.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes an {@link ExrImage} as a single-part scanline OpenEXR file with NONE, RLE, ZIPS, ZIP or
 * PIZ compression, keeping each channel's pixel type and both windows. Chunks are compressed on
 * several cores at once ({@link ChunkPipeline}) and written in order, so the bytes are the same as
 * from one thread; a chunk is stored raw when compression would not shrink it, as OpenEXR does.
 *
 * <p>The file appears atomically: it is written to a hidden temporary file beside the target (the
 * offset table, which precedes the chunks, is filled in last) and renamed into place, so a failed
 * write leaves nothing half-written. That is why this class uses {@link AtomicFiles}' naming and
 * rename rather than its stream helper, which cannot seek back.
 */
public final class ExrWriter {
    private ExrWriter() {
    }

    public static void write(ExrImage image, Path file, ExrCompression compression) {
        write(image, file, compression, ChunkPipeline.defaultParallelism());
    }

    /** As {@link #write(ExrImage, Path, ExrCompression)}, compressing up to {@code parallelism} chunks at once. */
    static void write(ExrImage image, Path file, ExrCompression compression, int parallelism) {
        if (!compression.isSupported()) {
            throw new FileFormatException("cannot write " + file + " with " + compression
                    + " compression; expected NONE, RLE, ZIPS, ZIP or PIZ");
        }
        List<ExrChannel> channels = new ArrayList<>(image.channels());
        // OpenEXR orders channels by strcmp, i.e. by their UTF-8 bytes; readers expect the data in that order.
        channels.sort(Comparator.comparing(c -> c.name().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        Object[] planes = new Object[channels.size()];
        List<PixelType> types = new ArrayList<>();
        for (int c = 0; c < planes.length; c++) {
            planes[c] = image.plane(channels.get(c).name());
            types.add(channels.get(c).type());
        }
        byte[] header = HeaderWriter.render(channels, compression, image.dataWindow(), image.displayWindow());
        ChunkLayout layout = ChunkLayout.scanlines(image.dataWindow(), compression.linesPerChunk());
        ChunkCodec codec = ChunkCodec.of(compression, types);
        int bytesPerPixel = types.stream().mapToInt(PixelType::byteSize).sum();

        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createFile(AtomicFiles.siblingName(target, ".part"));
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                int count = Math.toIntExact(layout.count());
                long[] offsets = new long[count];
                long position = header.length + 8L * count;
                writeFully(out, ByteBuffer.wrap(header), 0);
                int maxRaw = Math.toIntExact(layout.maxRawBytes(bytesPerPixel));
                byte[][] raws = new byte[ChunkPipeline.slots(parallelism)][];
                byte[][] packed = new byte[raws.length][];
                long[] next = {position};
                ChunkPipeline.<ByteBuffer>run(count, parallelism, (i, slot) -> {
                    if (raws[slot] == null) {
                        raws[slot] = new byte[maxRaw];
                        packed[slot] = codec == null ? null : new byte[maxRaw];
                    }
                    byte[] raw = raws[slot];
                    Block block = layout.block(i);
                    int rawLength = BlockPixels.gather(raw, block, channels, planes, image.dataWindow());
                    int packedLength = codec == null ? -1 : codec.compress(raw, rawLength, block, packed[slot]);
                    // The bytes stay in the slot's buffers until written: the slot is not reused before.
                    return packedLength < 0 ? ByteBuffer.wrap(raw, 0, rawLength) : ByteBuffer.wrap(packed[slot], 0, packedLength);
                }, (i, data) -> {
                    ByteBuffer chunkHeader = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                            .putInt(layout.block(i).y()).putInt(data.remaining()).flip();
                    offsets[i] = next[0];
                    next[0] = writeFully(out, data, writeFully(out, chunkHeader, next[0]));
                });
                ByteBuffer table = ByteBuffer.allocate(8 * count).order(ByteOrder.LITTLE_ENDIAN);
                for (long offset : offsets) {
                    table.putLong(offset);
                }
                writeFully(out, table.flip(), header.length);
            }
            AtomicFiles.moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    private static long writeFully(FileChannel out, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            position += out.write(bytes, position);
        }
        return position;
    }
}
