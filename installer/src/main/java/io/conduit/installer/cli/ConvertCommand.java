package io.conduit.installer.cli;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.FileFormatException;
import io.conduit.core.io.ExrFiles;
import io.conduit.core.io.ImageTensors;
import io.conduit.core.io.Npy;
import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrTensors;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Role;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code conduit convert}: plates between OpenEXR, PNG/JPEG and {@code .npy} ([H, W, C] float32, the
 * array a TD loads in numpy). Channels go in the order R, G, B, A, then the rest alphabetically,
 * unless {@code --channels} picks and orders them. PNG/JPEG values are their code values in 0..1
 * (sRGB-encoded) unless {@code --linear} converts them to and from scene-linear.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Converts an image between .exr, .png/.jpg and .npy (HWC float32).",
                "Channel order: R, G, B, A, then the rest alphabetically, unless --channels says otherwise."})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT")
    Path out;

    @Option(names = "--channels", split = ",", paramLabel = "NAMES",
            description = "Channels to take, in this order (e.g. R,G,B,A or depth.Z). For a .npy input, their names.")
    List<String> channels;

    @Option(names = "--linear", description = "Treat PNG/JPEG as sRGB-encoded and convert to/from scene-linear.")
    boolean linear;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Named image = read();
        if (channels != null && !channels.isEmpty() && !isExr(in) && !isNpy(in)) {
            image = new Named(image.tensor, channels.subList(0, (int) image.tensor.shape()[2]));
        }
        write(image);
        if (json.enabled) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("input", in.toString());
            o.addProperty("output", out.toString());
            o.addProperty("width", image.tensor.shape()[1]);
            o.addProperty("height", image.tensor.shape()[0]);
            com.google.gson.JsonArray names = new com.google.gson.JsonArray();
            image.names.forEach(names::add);
            o.add("channels", names);
            json.print(spec.commandLine().getOut(), o);
            return 0;
        }
        spec.commandLine().getOut().println("converted " + in + " (" + image.names + ", " + image.tensor.shape()[1] + "x"
                + image.tensor.shape()[0] + ") to " + out);
        return 0;
    }

    /** An [H, W, C] FP32 tensor with its channels' names. */
    private record Named(Tensor tensor, List<String> names) {
    }

    private Named read() {
        if (isExr(in)) {
            ExrImage exr = ExrReader.read(in);
            Tensor all = ExrTensors.toTensor(exr);
            List<String> order = ExrTensors.tensorOrder(exr);
            if (channels == null || channels.isEmpty()) {
                return new Named(all, order);
            }
            for (String name : channels) {
                if (!order.contains(name)) {
                    throw new FileFormatException(in + " has no channel " + name + "; it has " + order);
                }
            }
            return new Named(pick(all, order, channels), channels);
        }
        if (isNpy(in)) {
            Tensor t = toFloat(Npy.read(in));
            long[] s = t.shape();
            if (s.length == 2) {
                t = Tensor.wrap(DataType.FP32, new long[]{s[0], s[1], 1}, t.bytes());
            } else if (s.length != 3) {
                throw new FileFormatException(in + " has shape " + Arrays.toString(s) + "; expected [H, W, C] or [H, W]");
            }
            int c = (int) t.shape()[2];
            List<String> names = channels != null && !channels.isEmpty() ? channels : ExrTensors.defaultNames(c);
            if (names.size() != c) {
                throw new ConduitException(ErrorCode.USAGE, "--channels names " + names.size() + " channels but " + in
                        + " has " + c);
            }
            return new Named(t, names);
        }
        if (ImageTensors.isImageFile(in)) {
            int c = channels != null && channels.size() == 4 ? 4 : 3;
            return new Named(ImageTensors.read(in, imageSpec(c)), c == 4 ? List.of("R", "G", "B", "A") : List.of("R", "G", "B"));
        }
        throw new FileFormatException(in + ": expected .exr, .npy, .png, .jpg or .jpeg");
    }

    private void write(Named image) {
        if (isExr(out)) {
            ExrWriter.write(ExrTensors.fromTensor(image.tensor, image.names, PixelType.FLOAT), out, ExrCompression.ZIP);
        } else if (isNpy(out)) {
            Npy.write(image.tensor, out);
        } else if (ImageTensors.isImageFile(out)) {
            int c = (int) image.tensor.shape()[2];
            if (c < 3) {
                throw new FileFormatException(out + " needs 3 or 4 channels; the image has " + image.names);
            }
            int keep = c >= 4 && out.toString().toLowerCase().endsWith(".png") ? 4 : 3;
            Tensor t = keep == c ? image.tensor : pick(image.tensor, image.names, image.names.subList(0, keep));
            ImageTensors.write(t, imageSpec(keep), out);
        } else {
            throw new FileFormatException(out + ": expected .exr, .npy, .png, .jpg or .jpeg");
        }
    }

    private TensorSpec imageSpec(int c) {
        return new TensorSpec("image", DataType.FP32, new long[]{-1, -1, c}, Layout.HWC, Role.IMAGE,
                Optional.of(new TensorSpec.ValueRange(0, 1)), Optional.of(linear ? "linear" : "sRGB"));
    }

    private static Tensor pick(Tensor all, List<String> order, List<String> wanted) {
        long[] s = all.shape();
        int h = (int) s[0];
        int w = (int) s[1];
        int from = (int) s[2];
        Tensor picked = Tensor.allocate(DataType.FP32, h, w, wanted.size());
        List<Integer> index = new ArrayList<>();
        wanted.forEach(n -> index.add(order.indexOf(n)));
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < wanted.size(); c++) {
                picked.floats().put(p * wanted.size() + c, all.floats().get(p * from + index.get(c)));
            }
        }
        return picked;
    }

    private static Tensor toFloat(Tensor t) {
        if (t.type() == DataType.FP32) {
            return t;
        }
        if (t.type() != DataType.FP16) {
            throw new FileFormatException("expected a float32 or float16 .npy; got " + t.type());
        }
        Tensor f = Tensor.allocate(DataType.FP32, t.shape());
        for (int i = 0; i < t.elementCount(); i++) {
            f.floats().put(i, Half.toFloat(t.halfBits().get(i)));
        }
        return f;
    }

    private static boolean isExr(Path p) {
        return ExrFiles.isExr(p);
    }

    private static boolean isNpy(Path p) {
        return p.getFileName() != null && p.getFileName().toString().toLowerCase().endsWith(".npy");
    }
}
