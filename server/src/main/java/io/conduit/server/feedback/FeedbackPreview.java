package io.conduit.server.feedback;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.io.exr.ExrImage;
import io.conduit.core.io.exr.ExrReader;
import io.conduit.core.io.exr.ExrTensors;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The small picture an artist may attach to feedback (only when they tick the box): the agent, which
 * shares the artist's disk, shrinks the result image a bridge names — an EXR frame (its R, G, B shown
 * with an sRGB curve) or a PNG/JPEG — to at most {@value #MAX_SIDE} pixels and keeps it as a PNG data
 * URL, so the note travels with a glimpse of what it is about and never with the plate itself.
 */
public final class FeedbackPreview {
    static final int MAX_SIDE = 256;

    private FeedbackPreview() {
    }

    public static String of(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "the preview's image " + file + " does not exist");
        }
        BufferedImage full = file.toString().toLowerCase(Locale.ROOT).endsWith(".exr") ? fromExr(file) : read(file);
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(full.getWidth(), full.getHeight()));
        int w = Math.max(1, (int) Math.round(full.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(full.getHeight() * scale));
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(full, 0, 0, w, h, null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(small, "png", png);
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot encode the preview: " + e.getMessage(), e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new ConduitException(ErrorCode.FILE_FORMAT, file + " is not an image the preview can read (EXR, PNG,"
                        + " JPEG)");
            }
            return image;
        } catch (IOException e) {
            throw new ConduitException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedImage fromExr(Path file) {
        ExrImage exr = ExrReader.read(file);
        List<String> order = ExrTensors.tensorOrder(exr);
        int w = exr.width();
        int h = exr.height();
        float[][] planes = new float[3][];
        for (int c = 0; c < 3; c++) {
            planes[c] = exr.floats(order.get(Math.min(c, order.size() - 1))); // one channel shows as grey
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            image.setRGB(i % w, i / w, (srgb(planes[0][i]) << 16) | (srgb(planes[1][i]) << 8) | srgb(planes[2][i]));
        }
        return image;
    }

    private static int srgb(float linear) {
        double v = Math.max(0, Math.min(1, linear));
        double encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
        return (int) Math.round(encoded * 255);
    }
}
