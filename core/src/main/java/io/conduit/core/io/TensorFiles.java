package io.conduit.core.io;

import io.conduit.core.FileFormatException;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes a tensor from the file a user names, by extension: {@code .npy} as is, PNG and
 * JPEG mapped through the tensor's manifest entry (layout, value range, colour space), OpenEXR plates
 * as scene-linear image tensors ({@link ExrFiles}).
 */
public final class TensorFiles {
    private TensorFiles() {
    }

    public static Tensor read(Path file, TensorSpec spec) {
        if (isNpy(file)) {
            return Npy.read(file);
        }
        if (ImageTensors.isImageFile(file)) {
            return ImageTensors.read(file, spec);
        }
        if (ExrFiles.isExr(file)) {
            return ExrFiles.read(file, spec);
        }
        throw unsupported(file);
    }

    public static void write(Tensor tensor, TensorSpec spec, Path file) {
        write(tensor, spec, file, ExrOutput.DEFAULTS);
    }

    /** As above, an EXR file written as {@code exr} says. */
    public static void write(Tensor tensor, TensorSpec spec, Path file, ExrOutput exr) {
        if (isNpy(file)) {
            Npy.write(tensor, file);
        } else if (ImageTensors.isImageFile(file)) {
            ImageTensors.write(tensor, spec, file);
        } else if (ExrFiles.isExr(file)) {
            ExrFiles.write(tensor, spec, file, exr);
        } else {
            throw unsupported(file);
        }
    }

    /** Refuses, before any work is done, a file this class could not write {@code spec}'s tensor to. */
    public static void checkWritable(Path file, TensorSpec spec) {
        if (isNpy(file) || ExrFiles.isExr(file)) {
            return;
        }
        if (!ImageTensors.isImageFile(file)) {
            throw unsupported(file);
        }
        ImageTensors.checkMappable(spec);
    }

    private static boolean isNpy(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    }

    private static FileFormatException unsupported(Path file) {
        return new FileFormatException(file + ": unsupported file type; expected .npy, .exr, .png, .jpg or .jpeg");
    }
}
