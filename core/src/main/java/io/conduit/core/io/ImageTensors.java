package io.conduit.core.io;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import io.conduit.core.manifest.ColorSpace;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Maps 8-bit PNG and JPEG images to and from image tensors as a manifest describes them: the
 * layout (NCHW, NHWC, CHW, HWC), the channel count, the datatype, the value range the model
 * expects, and the colour space ({@code sRGB} passes through, {@code linear} decodes the sRGB
 * transfer curve). Other colour spaces need scene-referred input such as EXR, not an 8-bit file.
 */
public final class ImageTensors {
    private ImageTensors() {
    }

    /** Whether a path names a file this class reads or writes, by extension. */
    public static boolean isImageFile(Path path) {
        Path fileName = path.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    /** Refuses, before any work, a tensor whose manifest entry cannot become an image file. */
    public static void checkMappable(TensorSpec spec) {
        ImageGeometry.of(spec);
    }

    /** Reads an image file into a tensor shaped for {@code spec}, batch size 1. */
    public static Tensor read(Path file, TensorSpec spec) {
        ImageGeometry geometry = ImageGeometry.of(spec);
        BufferedImage image;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no such file: " + file);
            }
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new FileFormatException(file + " could not be decoded as an image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new FileFormatException(file + " is not a PNG or JPEG image this reader understands");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int channels = geometry.channels(image.getColorModel().hasAlpha() ? 4 : 3);
        long[] shape = geometry.shape(channels, height, width);
        Tensor tensor = Tensor.allocate(spec.datatype(), shape);
        ValueMapping mapping = ValueMapping.of(spec, file);
        ByteBuffer out = tensor.bytes();
        if (image.getRaster().getSampleModel().getSampleSize(0) != 8) {
            throw new FileFormatException(file + " has " + image.getRaster().getSampleModel().getSampleSize(0)
                    + "-bit samples; PNG/JPEG input must be 8 bits per channel. Give a .npy file for deeper data");
        }
        // Grey images are read from the raster: getRGB() would treat grey codes as linear and brighten them.
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        java.awt.image.Raster raster = image.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            if (!grey) {
                image.getRGB(0, y, width, 1, row, 0, width);
            }
            for (int x = 0; x < width; x++) {
                int argb = grey ? greyArgb(raster, x, y, image.getColorModel().hasAlpha()) : row[x];
                for (int c = 0; c < channels; c++) {
                    int byteValue = channelByte(argb, c, channels);
                    long index = geometry.index(c, y, x, channels, height, width);
                    put(out, spec.datatype(), index, mapping.toModel(byteValue));
                }
            }
        }
        return tensor;
    }

    /** Writes an image tensor shaped as {@code spec} describes to a PNG or JPEG file, atomically. */
    public static void write(Tensor tensor, TensorSpec spec, Path file) {
        ImageGeometry geometry = ImageGeometry.of(spec);
        long[] shape = tensor.shape();
        if (shape.length != geometry.rank() || (geometry.batched() && shape[0] != 1)) {
            throw new FileFormatException("output " + spec.name() + " is " + tensor + "; only one "
                    + spec.layout().jsonName() + " image (batch 1) can be written to " + file.getFileName()
                    + ". Write it as .npy instead");
        }
        int channels = (int) shape[geometry.channelAxis()];
        int height = (int) shape[geometry.heightAxis()];
        int width = (int) shape[geometry.widthAxis()];
        if (height < 1 || width < 1) {
            throw new FileFormatException("output " + spec.name() + " is " + tensor + ", an empty image; write it as .npy");
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new FileFormatException("output " + spec.name() + " has " + channels + " channels; an image file"
                    + " holds 1, 3 or 4. Write it as .npy instead");
        }
        String format = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "jpg";
        boolean alpha = channels == 4 && format.equals("png");
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        ValueMapping mapping = ValueMapping.of(spec, file);
        ByteBuffer in = tensor.bytes();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] rgba = {0, 0, 0, 255};
                for (int c = 0; c < channels; c++) {
                    double value = get(in, spec.datatype(), geometry.index(c, y, x, channels, height, width));
                    rgba[channels == 1 ? 0 : c] = mapping.toByte(value);
                }
                if (channels == 1) {
                    rgba[1] = rgba[0];
                    rgba[2] = rgba[0];
                }
                row[x] = (rgba[3] << 24) | (rgba[0] << 16) | (rgba[1] << 8) | rgba[2];
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        AtomicFiles.write(file, out -> {
            // ImageIO.write(image, format, OutputStream) buffers the whole image in a temporary file first
            // (its default "cache"); an image this size belongs in memory, and a command should write nothing
            // but its outputs.
            try (javax.imageio.stream.ImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, format, stream)) {
                    throw new IOException("no " + format + " writer is available in this Java runtime");
                }
            }
        });
    }

    private static int greyArgb(java.awt.image.Raster raster, int x, int y, boolean alpha) {
        int v = raster.getSample(x, y, 0);
        int a = alpha ? raster.getSample(x, y, 1) : 255;
        return (a << 24) | (v << 16) | (v << 8) | v;
    }

    private static int channelByte(int argb, int channel, int channels) {
        if (channels == 1) {
            int r = (argb >> 16) & 0xff, g = (argb >> 8) & 0xff, b = argb & 0xff;
            return (int) Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
        }
        return switch (channel) {
            case 0 -> (argb >> 16) & 0xff;
            case 1 -> (argb >> 8) & 0xff;
            case 2 -> argb & 0xff;
            default -> (argb >>> 24) & 0xff;
        };
    }

    private static void put(ByteBuffer out, DataType type, long index, double value) {
        int i = Math.toIntExact(index);
        switch (type) {
            case FP32 -> out.putFloat(i * 4, (float) value);
            case FP16 -> out.putShort(i * 2, Half.fromFloat((float) value));
            case UINT8 -> out.put(i, (byte) Math.max(0, Math.min(255, Math.round(value))));
            default -> throw new IllegalStateException("checked by ImageGeometry");
        }
    }

    private static double get(ByteBuffer in, DataType type, long index) {
        int i = Math.toIntExact(index);
        return switch (type) {
            case FP32 -> in.getFloat(i * 4);
            case FP16 -> Half.toFloat(in.getShort(i * 2));
            case UINT8 -> in.get(i) & 0xff;
            default -> throw new IllegalStateException("checked by ImageGeometry");
        };
    }

    /** Where the channel, height and width axes sit for a layout, and how to index an element. */
    private record ImageGeometry(Layout layout, long[] specShape) {
        static ImageGeometry of(TensorSpec spec) {
            Layout layout = spec.layout();
            if (layout != Layout.NCHW && layout != Layout.NHWC && layout != Layout.CHW && layout != Layout.HWC) {
                throw new FileFormatException("input " + spec.name() + " has layout " + layout.jsonName()
                        + "; an image file maps only to NCHW, NHWC, CHW or HWC tensors. Give a .npy file instead");
            }
            DataType type = spec.datatype();
            if (type != DataType.FP32 && type != DataType.FP16 && type != DataType.UINT8) {
                throw new FileFormatException("tensor " + spec.name() + " is " + type
                        + "; an image file maps only to FP32, FP16 or UINT8 tensors. Give a .npy file instead");
            }
            return new ImageGeometry(layout, spec.shape());
        }

        boolean batched() {
            return layout == Layout.NCHW || layout == Layout.NHWC;
        }

        boolean channelsFirst() {
            return layout == Layout.NCHW || layout == Layout.CHW;
        }

        int rank() {
            return batched() ? 4 : 3;
        }

        int channelAxis() {
            return (batched() ? 1 : 0) + (channelsFirst() ? 0 : 2);
        }

        int heightAxis() {
            return (batched() ? 1 : 0) + (channelsFirst() ? 1 : 0);
        }

        int widthAxis() {
            return heightAxis() + 1;
        }

        /** The spec's channel count, or the image's own when the spec leaves it dynamic. */
        int channels(int imageChannels) {
            long declared = specShape[channelAxis()];
            if (declared == Shapes.DYNAMIC) {
                return imageChannels;
            }
            if (declared != 1 && declared != 3 && declared != 4) {
                throw new FileFormatException("the model takes " + declared + " channels; an image file gives 1, 3 or 4."
                        + " Give a .npy file instead");
            }
            return (int) declared;
        }

        long[] shape(int channels, int height, int width) {
            long[] shape = new long[rank()];
            if (batched()) {
                shape[0] = 1;
            }
            shape[channelAxis()] = channels;
            shape[heightAxis()] = height;
            shape[widthAxis()] = width;
            return shape;
        }

        long index(int c, int y, int x, int channels, int height, int width) {
            return channelsFirst() ? ((long) c * height + y) * width + x : ((long) y * width + x) * channels + c;
        }
    }

    /** From 8-bit code values to the model's range and colour space, and back. */
    private record ValueMapping(double min, double max, boolean linear) {
        static ValueMapping of(TensorSpec spec, Path file) {
            double min = spec.valueRange().map(TensorSpec.ValueRange::min).orElse(0.0);
            double max = spec.valueRange().map(TensorSpec.ValueRange::max)
                    .orElse(spec.datatype() == DataType.UINT8 ? 255.0 : 1.0);
            // An 8-bit file is sRGB-encoded: a linear model gets the curve decoded, sRGB and raw ones the codes.
            boolean linear = ColorSpace.fromJson(spec.colorSpace().orElse("sRGB")).orElseThrow(() ->
                    new FileFormatException("tensor " + spec.name() + " expects colour space "
                            + spec.colorSpace().orElse("") + ", which an 8-bit " + file.getFileName()
                            + " cannot carry; expected one of " + ColorSpace.jsonNames() + " for PNG/JPEG")) == ColorSpace.LINEAR;
            return new ValueMapping(min, max, linear);
        }

        double toModel(int code) {
            double unit = code / 255.0;
            if (linear) {
                unit = SrgbCurve.decode(unit);
            }
            return min + unit * (max - min);
        }

        int toByte(double value) {
            double unit = (value - min) / (max - min);
            unit = Double.isNaN(unit) ? 0 : Math.max(0, Math.min(1, unit));
            if (linear) {
                unit = SrgbCurve.encode(unit);
            }
            return (int) Math.round(unit * 255);
        }
    }
}
