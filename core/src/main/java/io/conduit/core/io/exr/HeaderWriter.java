package io.conduit.core.io.exr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders the header of a single-part scanline EXR file: magic, version and the eight attributes
 * every file must have, in name order as OpenEXR writes them. Channels must already be sorted
 * the way OpenEXR sorts them, since the pixel data follow the channel list's order.
 */
final class HeaderWriter {
    private HeaderWriter() {
    }

    static byte[] render(List<ExrChannel> sortedChannels, ExrCompression compression, ExrBox dataWindow,
                         ExrBox displayWindow) {
        boolean longNames = false;
        ByteArrayOutputStream chlist = new ByteArrayOutputStream();
        for (ExrChannel channel : sortedChannels) {
            byte[] name = channel.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > 255 || channel.name().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("channel name '" + channel.name()
                        + "' cannot be stored: EXR names are at most 255 bytes of UTF-8 without NUL");
            }
            longNames |= name.length > 31;
            chlist.writeBytes(name);
            chlist.write(0);
            chlist.writeBytes(le(16).putInt(channel.type().id()).putInt(0).putInt(1).putInt(1).array());
        }
        chlist.write(0);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(8).putInt(HeaderReader.MAGIC).putInt(2 | (longNames ? HeaderReader.LONG_NAMES_FLAG : 0)).array());
        attribute(out, "channels", "chlist", chlist.toByteArray());
        attribute(out, "compression", "compression", new byte[] {(byte) compression.id()});
        attribute(out, "dataWindow", "box2i", box(dataWindow));
        attribute(out, "displayWindow", "box2i", box(displayWindow));
        attribute(out, "lineOrder", "lineOrder", new byte[] {ExrHeader.INCREASING_Y});
        attribute(out, "pixelAspectRatio", "float", le(4).putFloat(1f).array());
        attribute(out, "screenWindowCenter", "v2f", le(8).putFloat(0f).putFloat(0f).array());
        attribute(out, "screenWindowWidth", "float", le(4).putFloat(1f).array());
        out.write(0);
        return out.toByteArray();
    }

    private static void attribute(ByteArrayOutputStream out, String name, String type, byte[] value) {
        out.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(le(4).putInt(value.length).array());
        out.writeBytes(value);
    }

    private static byte[] box(ExrBox box) {
        return le(16).putInt(box.xMin()).putInt(box.yMin()).putInt(box.xMax()).putInt(box.yMax()).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
