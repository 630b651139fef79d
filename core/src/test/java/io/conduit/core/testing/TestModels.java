package io.conduit.core.testing;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.onnx.OnnxModels;
import io.conduit.core.pkg.PackageDraft;
import io.conduit.core.pkg.PackageWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** The committed test models (see make_test_models.py) and packages built from them. */
public final class TestModels {
    private TestModels() {
    }

    public static Path onnx(String fileName) {
        try {
            return Path.of(TestModels.class.getResource("/models/" + fileName).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test model " + fileName, e);
        }
    }

    /** A package of the named test model with the draft manifest {@code conduit init} would write. */
    public static Path packageOf(String fileName, Path parent) {
        return packageOf(fileName, parent, m -> m);
    }

    /** As above, with the draft manifest edited by {@code edit} before writing. */
    public static Path packageOf(String fileName, Path parent, UnaryOperator<Manifest> edit) {
        Path onnx = onnx(fileName);
        try {
            Manifest draft = PackageDraft.draft(OnnxModels.readSignature(onnx), fileName.replace(".onnx", "").replace('_', '-'),
                    SemVer.parse("1.0.0"), Files.size(onnx), fileName);
            Path out = parent.resolve(fileName.replace(".onnx", ""));
            PackageWriter.write(edit.apply(draft), onnx, out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
