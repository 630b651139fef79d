package io.conduit.core.manifest;

import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Shapes;
import java.util.Objects;
import java.util.Optional;

/**
 * One input or output of a model as its manifest declares it: the name and signature ONNX Runtime
 * checks, plus what only people know: the layout of the axes, the role of the data, and for images
 * the value range and colour space the model was trained on.
 *
 * @param shape axis sizes, {@link Shapes#DYNAMIC} (-1) where any size is accepted
 * @param valueRange {@code [min, max]} of the values the model expects, when declared
 * @param colorSpace {@code sRGB}, {@code linear} or {@code raw} (see {@link ColorSpace}), when declared
 * @param units the length and angle units of spatial data (points, transforms), when declared
 */
public record TensorSpec(String name, DataType datatype, long[] shape, Layout layout, Role role,
                         Optional<ValueRange> valueRange, Optional<String> colorSpace, Optional<Units> units) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
        layout = Objects.requireNonNullElse(layout, Layout.ANY);
        role = Objects.requireNonNullElse(role, Role.GENERIC);
        valueRange = Objects.requireNonNullElse(valueRange, Optional.empty());
        colorSpace = Objects.requireNonNullElse(colorSpace, Optional.empty());
        units = Objects.requireNonNullElse(units, Optional.empty());
    }

    /** A spec without declared units. */
    public TensorSpec(String name, DataType datatype, long[] shape, Layout layout, Role role,
                      Optional<ValueRange> valueRange, Optional<String> colorSpace) {
        this(name, datatype, shape, layout, role, valueRange, colorSpace, Optional.empty());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A spec with only the facts an ONNX file knows: no layout, role, range or colour space. */
    public static TensorSpec plain(String name, DataType datatype, long[] shape) {
        return new TensorSpec(name, datatype, shape, Layout.ANY, Role.GENERIC, Optional.empty(), Optional.empty());
    }

    /** {@code noisy FP32[-1, 3, -1, -1]}. */
    public String signature() {
        return name + " " + datatype + Shapes.format(shape);
    }

    /** The inclusive range of values a tensor is expected to hold. */
    public record ValueRange(double min, double max) {
    }
}
