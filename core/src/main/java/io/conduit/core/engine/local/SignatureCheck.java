package io.conduit.core.engine.local;

import io.conduit.core.ManifestException;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.onnx.OnnxSignature;
import io.conduit.core.tensor.Shapes;
import java.util.List;

/**
 * Checks that a manifest describes the ONNX file it ships with: the same input and output names,
 * datatypes and ranks, and no axis the manifest leaves dynamic that the model fixes. A manifest
 * that drifted from its model is refused before an artist meets the mismatch mid-shot.
 */
final class SignatureCheck {
    private SignatureCheck() {
    }

    static void check(Manifest manifest, OnnxSignature onnx) {
        compare(manifest, "inputs", manifest.inputs(), onnx.inputs());
        compare(manifest, "outputs", manifest.outputs(), onnx.outputs());
    }

    private static void compare(Manifest manifest, String side, List<TensorSpec> declared, List<OnnxSignature.Port> actual) {
        List<String> actualNames = actual.stream().map(OnnxSignature.Port::name).toList();
        List<String> declaredNames = declared.stream().map(TensorSpec::name).toList();
        if (!new java.util.HashSet<>(actualNames).equals(new java.util.HashSet<>(declaredNames))) {
            throw new ManifestException(manifest.coordinate() + ": manifest " + side + " are " + declaredNames
                    + " but the ONNX model's are " + actualNames);
        }
        for (TensorSpec spec : declared) {
            OnnxSignature.Port port = actual.stream().filter(p -> p.name().equals(spec.name())).findFirst().orElseThrow();
            if (port.datatype() != spec.datatype()) {
                throw new ManifestException(manifest.coordinate() + ": manifest " + side + " " + spec.name() + " is "
                        + spec.datatype() + " but the ONNX model's is " + port.datatype());
            }
            long[] want = spec.shape();
            long[] have = port.shape();
            boolean compatible = want.length == have.length;
            for (int i = 0; compatible && i < want.length; i++) {
                compatible = have[i] == Shapes.DYNAMIC || have[i] == want[i];
            }
            if (!compatible) {
                throw new ManifestException(manifest.coordinate() + ": manifest " + side + " " + spec.name() + " has shape "
                        + Shapes.format(want) + " but the ONNX model's is " + Shapes.format(have)
                        + "; expected the same rank, with sizes the model fixes kept");
            }
        }
    }
}
