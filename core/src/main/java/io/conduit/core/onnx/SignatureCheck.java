package io.conduit.core.onnx;

import io.conduit.core.ManifestException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.tensor.Shapes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a manifest describes the ONNX file it ships with: the same input and output names,
 * datatypes and ranks, and every axis the model fixes given the same size in the manifest. The
 * engine runs it when it loads a session, and {@code conduit inspect} and {@code conduit models
 * publish} run it before anyone else sees the package, so a manifest that drifted from its model
 * (FP32 declared over an FP16 model) is refused instead of becoming the newest version for every
 * artist. Each refusal names the tensor, what the manifest says and what the ONNX file says.
 */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    /** Throws a {@link ManifestException} naming the first disagreement between the two. */
    public static void check(Manifest manifest, OnnxSignature onnx) {
        compare(manifest, "input", manifest.inputs(), onnx.inputs());
        compare(manifest, "output", manifest.outputs(), onnx.outputs());
    }

    private static void compare(Manifest manifest, String side, List<TensorSpec> declared, List<OnnxSignature.Port> actual) {
        String where = manifest.coordinate() + ": ";
        String file = manifest.modelFile();
        Set<String> actualNames = new LinkedHashSet<>(actual.stream().map(OnnxSignature.Port::name).toList());
        Set<String> declaredNames = new LinkedHashSet<>(declared.stream().map(TensorSpec::name).toList());
        if (!actualNames.equals(declaredNames)) {
            List<String> onlyDeclared = new ArrayList<>(declaredNames);
            onlyDeclared.removeAll(actualNames);
            List<String> onlyActual = new ArrayList<>(actualNames);
            onlyActual.removeAll(declaredNames);
            throw new ManifestException(where + "conduit.json's " + side + "s are " + declaredNames + " but " + file
                    + "'s are " + actualNames + (onlyDeclared.isEmpty() ? "" : "; " + onlyDeclared + " not in " + file)
                    + (onlyActual.isEmpty() ? "" : "; " + onlyActual + " missing from conduit.json"));
        }
        for (TensorSpec spec : declared) {
            OnnxSignature.Port port = actual.stream().filter(p -> p.name().equals(spec.name())).findFirst().orElseThrow();
            String tensor = where + side + " \"" + spec.name() + "\" ";
            if (port.datatype() != spec.datatype()) {
                throw new ManifestException(tensor + "is " + spec.datatype() + " in conduit.json but "
                        + port.datatype() + " in " + file + "; the manifest must declare the model's own type");
            }
            long[] want = spec.shape();
            long[] have = port.shape();
            if (want.length != have.length) {
                throw new ManifestException(tensor + "has rank " + want.length + " " + Shapes.format(want)
                        + " in conduit.json but rank " + have.length + " " + Shapes.format(have) + " in " + file);
            }
            for (int i = 0; i < want.length; i++) {
                if (have[i] != Shapes.DYNAMIC && have[i] != want[i]) {
                    throw new ManifestException(tensor + "axis " + i + " is " + (want[i] == Shapes.DYNAMIC ? "dynamic (-1)"
                            : String.valueOf(want[i])) + " in conduit.json but fixed at " + have[i] + " in " + file
                            + " (conduit.json " + Shapes.format(want) + ", " + file + " " + Shapes.format(have)
                            + "); a size the model fixes must be kept");
                }
            }
        }
    }
}
