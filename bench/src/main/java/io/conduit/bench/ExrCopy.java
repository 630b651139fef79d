package io.conduit.bench;

import io.conduit.core.io.exr.ExrCompression;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrWriter;
import io.conduit.core.io.exr.PixelType;
import java.nio.file.Path;

/**
 * Conduit's side of {@code bench/exr-vs-oiiotool.sh}: reads an EXR and writes it again with ZIP, what
 * {@code oiiotool IN --compression zip -o OUT} does, in a process of its own so that the two are timed
 * alike (start-up, wall, CPU and peak memory from {@code /usr/bin/time}). {@code make} writes the
 * deterministic filmed FLOAT plate both sides read.
 *
 * <p>Usage: {@code ExrCopy copy IN OUT} or {@code ExrCopy make OUT WIDTH HEIGHT [HALF|FLOAT SEED]}.
 */
public final class ExrCopy {
    private ExrCopy() {
    }

    public static void main(String[] args) {
        if (args.length == 3 && args[0].equals("copy")) {
            ExrImage image = ExrReader.read(Path.of(args[1]));
            ExrWriter.write(image, Path.of(args[2]), ExrCompression.ZIP);
        } else if ((args.length == 4 || args.length == 6) && args[0].equals("make")) {
            PixelType type = args.length == 6 ? PixelType.valueOf(args[4]) : PixelType.FLOAT;
            long seed = args.length == 6 ? Long.parseLong(args[5]) : 42;
            ExrImage plate = ExrCompressionBench.plate("filmed", Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    type, seed);
            ExrWriter.write(plate, Path.of(args[1]), ExrCompression.ZIP);
        } else {
            System.err.println("usage: ExrCopy copy IN OUT | ExrCopy make OUT WIDTH HEIGHT [HALF|FLOAT SEED]");
            System.exit(2);
        }
    }
}
