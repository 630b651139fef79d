package io.conduit.core.io.exr;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit-exact comparison of two EXR images: windows, channels (name and type) and every sample. */
final class ExrAssertions {
    private ExrAssertions() {
    }

    static void assertSameImage(ExrImage expected, ExrImage actual) {
        assertEquals(expected.dataWindow(), actual.dataWindow(), "data window");
        assertEquals(expected.displayWindow(), actual.displayWindow(), "display window");
        assertEquals(sorted(expected), sorted(actual), "channels");
        for (ExrChannel channel : expected.channels()) {
            String name = channel.name();
            if (channel.type() == PixelType.UINT) {
                int[] e = expected.uints(name);
                int[] a = actual.uints(name);
                for (int i = 0; i < e.length; i++) {
                    if (e[i] != a[i]) {
                        assertEquals(Integer.toUnsignedString(e[i]), Integer.toUnsignedString(a[i]), where(expected, name, i));
                    }
                }
            } else {
                float[] e = expected.floats(name);
                float[] a = actual.floats(name);
                for (int i = 0; i < e.length; i++) {
                    if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                        assertEquals(e[i], a[i], where(expected, name, i));
                        assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), where(expected, name, i));
                    }
                }
            }
        }
    }

    private static java.util.List<ExrChannel> sorted(ExrImage image) {
        return image.channels().stream().sorted(java.util.Comparator.comparing(ExrChannel::name)).toList();
    }

    private static String where(ExrImage image, String channel, int index) {
        return "channel " + channel + " at pixel (" + (image.dataWindow().xMin() + index % image.width()) + ", "
                + (image.dataWindow().yMin() + index / image.width()) + ")";
    }
}
