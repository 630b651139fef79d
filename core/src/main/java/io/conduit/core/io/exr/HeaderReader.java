package io.conduit.core.io.exr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the magic number, version field and attribute list of a single-part OpenEXR file into an
 * {@link ExrHeader}, refusing what Conduit cannot read (multi-part, deep, subsampled channels, RIP
 * maps, an unsupported compression) by name. Attributes it does not need are skipped by their
 * declared size, as the format requires of readers, so custom metadata never makes a file unreadable.
 */
final class HeaderReader {
    static final int MAGIC = 20000630;
    static final int TILED_FLAG = 0x200;
    static final int LONG_NAMES_FLAG = 0x400;
    static final int DEEP_FLAG = 0x800;
    static final int MULTIPART_FLAG = 0x1000;
    private static final int ONE_LEVEL = 0;
    private static final int MIPMAP_LEVELS = 1;
    private static final int RIPMAP_LEVELS = 2;

    private HeaderReader() {
    }

    static ExrHeader read(HeaderInput in) throws IOException {
        int magic = in.i32("magic number");
        if (magic != MAGIC) {
            throw in.error("not an OpenEXR file: it starts with 0x" + Integer.toHexString(magic)
                    + ", expected the EXR magic number 0x" + Integer.toHexString(MAGIC));
        }
        int version = in.i32("version field");
        if ((version & 0xff) != 2) {
            throw in.error("OpenEXR file format version " + (version & 0xff) + "; expected version 2");
        }
        if ((version & MULTIPART_FLAG) != 0) {
            throw in.error("multi-part EXR files are not supported; expected a single-part file");
        }
        if ((version & DEEP_FLAG) != 0) {
            throw in.error("deep EXR files are not supported; expected a flat scanline or tiled image");
        }
        int unknownFlags = version & ~0xff & ~(TILED_FLAG | LONG_NAMES_FLAG);
        if (unknownFlags != 0) {
            throw in.error("the version field sets unknown flags 0x" + Integer.toHexString(unknownFlags));
        }
        boolean tiledFlag = (version & TILED_FLAG) != 0;
        int maxName = (version & LONG_NAMES_FLAG) != 0 ? 255 : 31;

        Attributes found = new Attributes();
        Set<String> seen = new HashSet<>();
        while (true) {
            long at = in.position();
            String name = in.name(maxName, "attribute name");
            if (name.isEmpty()) {
                break;
            }
            String type = in.name(maxName, "type of attribute '" + name + "'");
            int size = in.i32("size of attribute '" + name + "'");
            if (size < 0) {
                throw in.error("attribute '" + name + "' at byte " + at + " declares a negative size " + size);
            }
            if (!seen.add(name)) {
                throw in.error("attribute '" + name + "' appears twice (second at byte " + at + ")");
            }
            String expectedType = Attributes.expectedType(name);
            if (expectedType == null) {
                in.skip(size, "value of attribute '" + name + "'");
                continue;
            }
            if (!expectedType.equals(type)) {
                throw in.error("attribute '" + name + "' at byte " + at + " has type '" + type + "'; expected '"
                        + expectedType + "'");
            }
            ByteBuffer value = ByteBuffer.wrap(in.bytes(size, "value of attribute '" + name + "'"))
                    .order(ByteOrder.LITTLE_ENDIAN);
            found.parse(name, value, at, in);
        }
        return found.toHeader(in, tiledFlag);
    }

    /** The attributes the reader needs, filled in as they are met. */
    private static final class Attributes {
        List<ExrChannel> channels;
        Integer compressionId;
        long[] dataWindow;
        long[] displayWindow;
        Integer lineOrder;
        long[] tiles;
        String partType;

        static String expectedType(String name) {
            return switch (name) {
                case "channels" -> "chlist";
                case "compression" -> "compression";
                case "dataWindow", "displayWindow" -> "box2i";
                case "lineOrder" -> "lineOrder";
                case "tiles" -> "tiledesc";
                case "type" -> "string";
                default -> null;
            };
        }

        void parse(String name, ByteBuffer value, long at, HeaderInput in) {
            int needed = switch (name) {
                case "compression", "lineOrder" -> 1;
                case "dataWindow", "displayWindow" -> 16;
                case "tiles" -> 9;
                default -> 0;
            };
            if (value.remaining() < needed) {
                throw in.error("attribute '" + name + "' at byte " + at + " holds " + value.remaining()
                        + " bytes; a " + expectedType(name) + " needs " + needed);
            }
            switch (name) {
                case "channels" -> channels = parseChannels(value, at, in);
                case "compression" -> compressionId = value.get() & 0xff;
                case "dataWindow" -> dataWindow = box(value);
                case "displayWindow" -> displayWindow = box(value);
                case "lineOrder" -> lineOrder = value.get() & 0xff;
                case "tiles" -> tiles = new long[] {value.getInt() & 0xffffffffL, value.getInt() & 0xffffffffL, value.get() & 0xff};
                case "type" -> partType = StandardCharsets.UTF_8.decode(value).toString();
                default -> throw new IllegalStateException(name);
            }
        }

        private static long[] box(ByteBuffer value) {
            return new long[] {value.getInt(), value.getInt(), value.getInt(), value.getInt()};
        }

        private static List<ExrChannel> parseChannels(ByteBuffer value, long at, HeaderInput in) {
            List<ExrChannel> list = new ArrayList<>();
            Set<String> names = new HashSet<>();
            while (true) {
                int start = value.position();
                int end = start;
                while (end < value.limit() && value.get(end) != 0) {
                    end++;
                }
                if (end == value.limit()) {
                    throw in.error("the channel list at byte " + at + " ends without its terminating NUL; it is damaged");
                }
                value.position(end + 1);
                int nameLength = end - start;
                if (nameLength == 0) {
                    break;
                }
                String name = new String(value.array(), start, nameLength, StandardCharsets.UTF_8);
                if (value.remaining() < 16) {
                    throw in.error("the channel list at byte " + at + " ends inside channel '" + name + "'; it is damaged");
                }
                int typeId = value.getInt();
                value.get(); // pLinear: a hint for lossy codecs, irrelevant here
                value.position(value.position() + 3);
                int xSampling = value.getInt();
                int ySampling = value.getInt();
                PixelType type = PixelType.byId(typeId);
                if (type == null) {
                    throw in.error("channel '" + name + "' has pixel type " + typeId
                            + "; expected 0 (UINT), 1 (HALF) or 2 (FLOAT)");
                }
                if (xSampling != 1 || ySampling != 1) {
                    throw in.error("channel '" + name + "' is subsampled (" + xSampling + "x" + ySampling
                            + "); only full-resolution channels are supported");
                }
                if (!names.add(name)) {
                    throw in.error("channel '" + name + "' appears twice in the channel list");
                }
                list.add(new ExrChannel(name, type));
            }
            if (list.isEmpty()) {
                throw in.error("the channel list at byte " + at + " is empty; an image needs at least one channel");
            }
            return list;
        }

        ExrHeader toHeader(HeaderInput in, boolean tiledFlag) {
            require(in, channels, "channels");
            require(in, compressionId, "compression");
            require(in, dataWindow, "dataWindow");
            require(in, displayWindow, "displayWindow");
            require(in, lineOrder, "lineOrder");
            ExrCompression compression = ExrCompression.byId(compressionId);
            if (compression == null) {
                throw in.error("unknown compression id " + compressionId + "; expected one of NONE, RLE, ZIPS, ZIP, PIZ");
            }
            if (!compression.isSupported()) {
                throw in.error(compression + " compression is not supported; expected NONE, RLE, ZIPS, ZIP or PIZ."
                        + " Recompress it, e.g. oiiotool in.exr --compression zip -o out.exr");
            }
            if (lineOrder > ExrHeader.RANDOM_Y) {
                throw in.error("unknown lineOrder " + lineOrder + "; expected 0, 1 or 2");
            }
            if (partType != null && partType.startsWith("deep")) {
                throw in.error("deep EXR data (type '" + partType + "') is not supported");
            }
            ExrBox data = window(in, dataWindow, "dataWindow");
            ExrBox display = window(in, displayWindow, "displayWindow");
            int tileWidth = 0;
            int tileHeight = 0;
            if (tiledFlag) {
                require(in, tiles, "tiles");
                if (tiles[0] < 1 || tiles[1] < 1 || tiles[0] > Integer.MAX_VALUE || tiles[1] > Integer.MAX_VALUE) {
                    throw in.error("tile size " + tiles[0] + "x" + tiles[1] + " is invalid; expected 1 to 2^31-1 each way");
                }
                tileWidth = (int) tiles[0];
                tileHeight = (int) tiles[1];
                // A MIP map's full-resolution level comes first in the offset table and is read like a
                // single-level file; the smaller levels after it are ignored.
                int levelMode = (int) tiles[2] & 0x0f;
                if (levelMode != ONE_LEVEL && levelMode != MIPMAP_LEVELS) {
                    String mode = levelMode == RIPMAP_LEVELS ? "RIPMAP_LEVELS" : "level mode " + levelMode;
                    throw in.error("tiled file with " + mode + " is not supported; expected ONE_LEVEL or MIPMAP_LEVELS."
                            + " Write it without levels, e.g. oiiotool in.exr --tile 64 64 -o out.exr");
                }
            } else if (lineOrder == ExrHeader.RANDOM_Y) {
                throw in.error("lineOrder RANDOM_Y is only valid in tiled files");
            }
            return new ExrHeader(channels, compression, data, display, lineOrder, tileWidth, tileHeight,
                    in.position());
        }

        private static ExrBox window(HeaderInput in, long[] box, String name) {
            if (box[2] < box[0] || box[3] < box[1]) {
                throw in.error(name + " " + ExrBox.describe(box[0], box[1], box[2], box[3]) + " is empty (max below min)");
            }
            long width = box[2] - box[0] + 1;
            long height = box[3] - box[1] + 1;
            if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
                throw in.error(name + " " + ExrBox.describe(box[0], box[1], box[2], box[3]) + " is " + width + "x" + height
                        + " pixels; at most 2^31-1 each way is supported");
            }
            return new ExrBox((int) box[0], (int) box[1], (int) box[2], (int) box[3]);
        }

        private static void require(HeaderInput in, Object value, String name) {
            if (value == null) {
                throw in.error("the header has no '" + name + "' attribute, which every EXR file must have");
            }
        }
    }
}
