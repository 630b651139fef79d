package io.conduit.core.engine.remote;

import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import io.conduit.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Collection;

/**
 * What one call may get back, from the manifest's output shapes and the inputs sent: each output's
 * datatype and fixed axes as declared; its first axis the inputs' batch when the model has a batch axis
 * ({@link Manifest#hasBatchAxis()}); any other dynamic axis at most {@value #DYNAMIC_AXIS_FACTOR} times
 * the inputs' largest axis (room for a 4x or 8x upscale, not for gigabytes); and the body no larger than
 * those outputs at their largest (a string of a BYTES output at most {@value #STRING_BYTES} bytes) plus
 * {@value #HEADER_ALLOWANCE} bytes of JSON around them.
 */
final class AnswerBounds implements V2Codec.OutputCheck {
    static final long DYNAMIC_AXIS_FACTOR = 16;
    static final long HEADER_ALLOWANCE = 64 * 1024;
    /** The most text one value takes in a JSON answer: 24 characters for a double, a comma, nesting. */
    private static final long JSON_CHARS_PER_VALUE = 32;
    /** The most one string of a BYTES output may take (its 4-byte length and UTF-8, or its JSON text). */
    static final long STRING_BYTES = 64 * 1024;

    private final Manifest manifest;
    private final String service;
    private final long batch;
    private final long largestAxis;

    AnswerBounds(Manifest manifest, Collection<Tensor> inputs, String service) {
        this.manifest = manifest;
        this.service = service;
        this.batch = manifest.hasBatchAxis() ? inputs.stream().mapToLong(t -> t.shape()[0]).max().orElse(1) : -1;
        this.largestAxis = Math.max(1, inputs.stream().flatMapToLong(t -> Arrays.stream(t.shape())).max().orElse(1));
    }

    @Override
    public void check(String name, DataType type, long[] shape) {
        TensorSpec spec = manifest.output(name).orElseThrow(() -> refused("output \"" + name + "\", which "
                + manifest.coordinate() + " does not declare (its outputs: " + manifest.outputs().stream()
                .map(TensorSpec::name).toList() + ")"));
        long[] most = largest(spec);
        boolean fits = type == spec.datatype() && shape.length == most.length;
        for (int i = 0; fits && i < shape.length; i++) {
            fits = spec.shape()[i] == Shapes.DYNAMIC && !(i == 0 && batch > 0) ? shape[i] <= most[i] : shape[i] == most[i];
        }
        if (!fits) {
            throw refused("output \"" + name + "\" as " + type + Shapes.format(shape) + " where " + manifest.coordinate()
                    + " declares " + spec.signature() + expectation(spec, most));
        }
    }

    /** The most bytes the answer's body may take: binary outputs at their largest, or JSON text for them. */
    long maxBodyBytes(boolean binary) {
        long total = HEADER_ALLOWANCE;
        for (TensorSpec spec : manifest.outputs()) {
            long elements = 1;
            for (long axis : largest(spec)) {
                elements = saturatedMultiply(elements, axis);
            }
            long perValue = spec.datatype() == DataType.BYTES ? STRING_BYTES
                    : binary ? spec.datatype().byteSize() : JSON_CHARS_PER_VALUE;
            total = saturatedAdd(total, saturatedMultiply(elements, perValue));
        }
        return total;
    }

    /** The refusal of a body of {@code size} (e.g. "more than N bytes"), past what the outputs can take. */
    RemoteAnswerException tooLarge(String size) {
        return refused("an answer of " + size + ", beyond what the outputs of " + manifest.coordinate()
                + " take for these inputs");
    }

    private RemoteAnswerException refused(String what) {
        return new RemoteAnswerException(service + " sent " + what + "; the answer was discarded");
    }

    /** Each axis at its largest: fixed as declared, the batch axis the inputs', other dynamic axes bounded. */
    private long[] largest(TensorSpec spec) {
        long[] most = spec.shape();
        for (int i = 0; i < most.length; i++) {
            if (most[i] == Shapes.DYNAMIC) {
                most[i] = i == 0 && batch > 0 ? batch : DYNAMIC_AXIS_FACTOR * largestAxis;
            }
        }
        return most;
    }

    private String expectation(TensorSpec spec, long[] most) {
        StringBuilder b = new StringBuilder();
        if (batch > 0) {
            b.append("; its first axis is the inputs' batch, ").append(batch);
        }
        if (Arrays.stream(spec.shape()).skip(batch > 0 ? 1 : 0).anyMatch(a -> a == Shapes.DYNAMIC)) {
            b.append("; a dynamic axis may be at most ").append(DYNAMIC_AXIS_FACTOR).append(" x ").append(largestAxis)
                    .append(" (the inputs' largest axis)");
        }
        return b.toString();
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
