package io.conduit.core.io.exr;

import io.conduit.core.tensor.Half;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoded single-part OpenEXR image: the data and display windows, the channels in order, and
 * each channel's samples as one row-major plane the size of the data window. FLOAT channels are held
 * as floats; HALF channels as floats when built from floats, or as their 16 bits when read from a file
 * (half the memory, no conversion until a caller wants floats, and 65,536 possible values a caller can
 * map through a table); UINT channels as ints, so ids above 2^24 survive.
 * Planes are separate arrays rather than one interleaved buffer because that is how EXR stores
 * them and what lets a reader fill them chunk by chunk; {@link ExrTensors} interleaves them.
 *
 * <p>The builder takes ownership of the arrays it is given (no copy, since images are large);
 * the accessors hand out copies.
 */
public final class ExrImage {
    private final ExrBox dataWindow;
    private final ExrBox displayWindow;
    private final List<ExrChannel> channels;
    private final Map<String, Object> planes;

    private ExrImage(Builder builder) {
        this.dataWindow = builder.dataWindow;
        this.displayWindow = builder.displayWindow == null ? builder.dataWindow : builder.displayWindow;
        this.channels = List.copyOf(builder.channels);
        this.planes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.planes));
    }

    /** Starts an image whose pixels cover {@code dataWindow}; the display window defaults to it. */
    public static Builder builder(ExrBox dataWindow) {
        return new Builder(dataWindow);
    }

    /** Width of the data window: the width of every plane. */
    public int width() {
        return dataWindow.width();
    }

    /** Height of the data window: the height of every plane. */
    public int height() {
        return dataWindow.height();
    }

    public ExrBox dataWindow() {
        return dataWindow;
    }

    public ExrBox displayWindow() {
        return displayWindow;
    }

    /** The channels in the order they were given (a file's order: sorted by name). */
    public List<ExrChannel> channels() {
        return channels;
    }

    /** The channel called {@code name}; fails naming the channels there are. */
    public ExrChannel channel(String name) {
        for (ExrChannel channel : channels) {
            if (channel.name().equals(name)) {
                return channel;
            }
        }
        throw new IllegalArgumentException("no channel '" + name + "' in this EXR image; it has " + channelNames());
    }

    public List<String> channelNames() {
        List<String> names = new ArrayList<>(channels.size());
        for (ExrChannel channel : channels) {
            names.add(channel.name());
        }
        return names;
    }

    /**
     * A copy of channel {@code name}'s samples as floats, row-major over the data window. UINT
     * samples are converted, which is exact only up to 2^24; use {@link #uints} for ids.
     */
    public float[] floats(String name) {
        channel(name);
        Object plane = planes.get(name);
        if (plane instanceof float[] values) {
            return values.clone();
        }
        float[] values = new float[width() * height()];
        copyFloats(name, 0, values, 0, values.length);
        return values;
    }

    /**
     * Copies samples {@code from} to {@code from + length} (row-major) of channel {@code name} into
     * {@code dest} as floats, as {@link #floats} gives them: for a band of rows, without copying the plane.
     */
    public void copyFloats(String name, int from, float[] dest, int destFrom, int length) {
        channel(name);
        Object plane = planes.get(name);
        if (plane instanceof float[] values) {
            System.arraycopy(values, from, dest, destFrom, length);
        } else if (plane instanceof short[] bits) {
            for (int i = 0; i < length; i++) {
                dest[destFrom + i] = Half.toFloat(bits[from + i]);
            }
        } else {
            int[] ints = (int[]) plane;
            for (int i = 0; i < length; i++) {
                dest[destFrom + i] = (float) Integer.toUnsignedLong(ints[from + i]);
            }
        }
    }

    /** Whether channel {@code name} is held as HALF bits (read from a file, or given with {@code halfChannel}). */
    public boolean holdsHalfBits(String name) {
        channel(name);
        return planes.get(name) instanceof short[];
    }

    /** As {@link #copyFloats}, the HALF bits themselves, for a channel {@link #holdsHalfBits} says holds them. */
    public void copyHalfBits(String name, int from, short[] dest, int destFrom, int length) {
        if (!holdsHalfBits(name)) {
            throw new IllegalArgumentException("channel '" + name + "' is not held as HALF bits; use copyFloats");
        }
        System.arraycopy((short[]) planes.get(name), from, dest, destFrom, length);
    }

    /** A copy of UINT channel {@code name}'s samples, exact (read them as unsigned). */
    public int[] uints(String name) {
        if (channel(name).type() != PixelType.UINT) {
            throw new IllegalArgumentException("channel '" + name + "' is " + channel(name).type() + ", not UINT; use floats()");
        }
        return ((int[]) planes.get(name)).clone();
    }

    /** The plane itself, float[], short[] (HALF bits) or int[], for this package's readers and writers: no copy. */
    Object plane(String name) {
        return planes.get(name);
    }

    @Override
    public String toString() {
        return "ExrImage[" + width() + "x" + height() + ", data " + dataWindow + ", display " + displayWindow
                + ", channels " + channels + "]";
    }

    /** Collects windows and channels; each plane is checked against the data window as it is added. */
    public static final class Builder {
        private final ExrBox dataWindow;
        private ExrBox displayWindow;
        private final List<ExrChannel> channels = new ArrayList<>();
        private final Map<String, Object> planes = new LinkedHashMap<>();

        private Builder(ExrBox dataWindow) {
            this.dataWindow = Objects.requireNonNull(dataWindow, "dataWindow");
            if ((long) dataWindow.width() * dataWindow.height() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("data window " + dataWindow + " has more pixels than one Java array holds");
            }
        }

        public Builder displayWindow(ExrBox displayWindow) {
            this.displayWindow = Objects.requireNonNull(displayWindow, "displayWindow");
            return this;
        }

        /** Adds a HALF or FLOAT channel; {@code values} is taken, not copied. */
        public Builder channel(String name, PixelType type, float[] values) {
            if (type == PixelType.UINT) {
                throw new IllegalArgumentException("channel '" + name + "': give UINT samples as int[] with uintChannel");
            }
            return add(new ExrChannel(name, type), values, values.length);
        }

        /** Adds a HALF channel given as its 16-bit patterns; {@code bits} is taken, not copied. */
        public Builder halfChannel(String name, short[] bits) {
            return add(new ExrChannel(name, PixelType.HALF), bits, bits.length);
        }

        /** Adds a UINT channel; {@code values} (read as unsigned) is taken, not copied. */
        public Builder uintChannel(String name, int[] values) {
            return add(new ExrChannel(name, PixelType.UINT), values, values.length);
        }

        private Builder add(ExrChannel channel, Object values, int length) {
            if (planes.containsKey(channel.name())) {
                throw new IllegalArgumentException("channel '" + channel.name() + "' is given twice");
            }
            long expected = (long) dataWindow.width() * dataWindow.height();
            if (length != expected) {
                throw new IllegalArgumentException("channel '" + channel.name() + "' has " + length + " samples; the "
                        + dataWindow.width() + "x" + dataWindow.height() + " data window needs " + expected);
            }
            channels.add(channel);
            planes.put(channel.name(), values);
            return this;
        }

        public ExrImage build() {
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("an EXR image needs at least one channel");
            }
            return new ExrImage(this);
        }
    }
}
