#!/usr/bin/env python3
"""Builds the small ONNX models that core's tests run through ONNX Runtime.

Run from this folder with Debian's python3-onnx (1.12):  python3 make_test_models.py
The .onnx files are committed next to this script; re-running it rewrites them byte for byte
(no random weights, no timestamps), so a diff shows any change to a model.
"""
import os
import struct

import onnx
from onnx import TensorProto, helper

OPSET = 17
IR_VERSION = 8  # what ONNX Runtime 1.23 and every DCC-era exporter read


def save(graph, file_name, extra_opsets=()):
    model = helper.make_model(graph, producer_name="conduit-test-models",
                              opset_imports=[helper.make_opsetid("", OPSET)] + list(extra_opsets))
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    onnx.save(model, file_name)
    print("wrote", file_name)


def scalar(name, data_type, value):
    return helper.make_tensor(name, data_type, [], [value])


def scale_bias():
    """y = 2x + 1 over a dynamic [batch, n] FP32 tensor."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "n"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "n"])
    nodes = [helper.make_node("Mul", ["x", "two"], ["twice"]),
             helper.make_node("Add", ["twice", "one"], ["y"])]
    inits = [scalar("two", TensorProto.FLOAT, 2.0), scalar("one", TensorProto.FLOAT, 1.0)]
    save(helper.make_graph(nodes, "scale_bias", [x], [y], inits), "scale_bias.onnx")


def all_types():
    """One input and one output per datatype Conduit supports besides FP32, each with a
    dynamic axis, and an operation that changes every value so a test can tell it ran."""
    specs = [("f16", TensorProto.FLOAT16), ("i32", TensorProto.INT32),
             ("i64", TensorProto.INT64), ("u8", TensorProto.UINT8), ("b", TensorProto.BOOL)]
    inputs = [helper.make_tensor_value_info(n, t, ["n_" + n]) for n, t in specs]
    outputs = [helper.make_tensor_value_info(n + "_out", t, ["n_" + n]) for n, t in specs]
    nodes = [
        # FP16 doubled through FP32, since ONNX Runtime's CPU Mul has no FP16 kernel.
        helper.make_node("Cast", ["f16"], ["f16_as_f32"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["f16_as_f32", "two_f32"], ["f16_doubled"]),
        helper.make_node("Cast", ["f16_doubled"], ["f16_out"], to=TensorProto.FLOAT16),
        helper.make_node("Add", ["i32", "seven_i32"], ["i32_out"]),
        helper.make_node("Mul", ["i64", "three_i64"], ["i64_out"]),
        # UINT8 inverted through INT32 (255 - v), then cast back.
        helper.make_node("Cast", ["u8"], ["u8_as_i32"], to=TensorProto.INT32),
        helper.make_node("Sub", ["max_u8_i32", "u8_as_i32"], ["u8_inverted"]),
        helper.make_node("Cast", ["u8_inverted"], ["u8_out"], to=TensorProto.UINT8),
        helper.make_node("Not", ["b"], ["b_out"]),
    ]
    inits = [scalar("two_f32", TensorProto.FLOAT, 2.0), scalar("seven_i32", TensorProto.INT32, 7),
             scalar("three_i64", TensorProto.INT64, 3), scalar("max_u8_i32", TensorProto.INT32, 255)]
    save(helper.make_graph(nodes, "all_types", inputs, outputs, inits), "all_types.onnx")


def two_in_two_out():
    """sum = a + b and product = a * b over dynamic [rows, 3] FP32 tensors."""
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, ["rows", 3])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, ["rows", 3])
    total = helper.make_tensor_value_info("sum", TensorProto.FLOAT, ["rows", 3])
    product = helper.make_tensor_value_info("product", TensorProto.FLOAT, ["rows", 3])
    nodes = [helper.make_node("Add", ["a", "b"], ["sum"]),
             helper.make_node("Mul", ["a", "b"], ["product"])]
    save(helper.make_graph(nodes, "two_in_two_out", [a, b], [total, product]), "two_in_two_out.onnx")


def invert_image(layout):
    """out = 1 - image for an RGB image in NCHW or NHWC with dynamic height and width."""
    shape = [1, 3, "height", "width"] if layout == "nchw" else [1, "height", "width", 3]
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)
    out = helper.make_tensor_value_info("inverted", TensorProto.FLOAT, shape)
    nodes = [helper.make_node("Sub", ["one", "image"], ["inverted"])]
    inits = [scalar("one", TensorProto.FLOAT, 1.0)]
    save(helper.make_graph(nodes, "invert_" + layout, [image], [out], inits),
         "invert_" + layout + ".onnx")


def flatten():
    """Reshapes [rows, cols] to [rows*cols]: an output dimension no input dimension names,
    so the engine cannot size the output before the run."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", "cols"])
    y = helper.make_tensor_value_info("flat", TensorProto.FLOAT, ["count"])
    shape = helper.make_tensor("minus_one", TensorProto.INT64, [1], [-1])
    nodes = [helper.make_node("Reshape", ["x", "minus_one"], ["flat"])]
    save(helper.make_graph(nodes, "flatten", [x], [y], [shape]), "flatten.onnx")


def point_offset():
    """moved = 2 * P + amount: points [N, 3] and a scalar control, as a Houdini deformer sees them."""
    p = helper.make_tensor_value_info("P", TensorProto.FLOAT, ["points", 3])
    amount = helper.make_tensor_value_info("amount", TensorProto.FLOAT, [1])
    moved = helper.make_tensor_value_info("moved", TensorProto.FLOAT, ["points", 3])
    nodes = [helper.make_node("Mul", ["P", "two"], ["twice"]),
             helper.make_node("Add", ["twice", "amount"], ["moved"])]
    save(helper.make_graph(nodes, "point_offset", [p, amount], [moved], [scalar("two", TensorProto.FLOAT, 2.0)]),
         "point_offset.onnx")


def slow_identity():
    """same = P, after about a second of work that depends on P (so nothing folds it away):
    T = Tile(P, [1, 700]) is [N, 2100], and T^T T is a 2100 x 2100 product, scaled by zero.
    Tests use it to stop the agent while a call is in flight."""
    p = helper.make_tensor_value_info("P", TensorProto.FLOAT, ["points", 3])
    same = helper.make_tensor_value_info("same", TensorProto.FLOAT, ["points", 3])
    repeats = helper.make_tensor("repeats", TensorProto.INT64, [2], [1, 700])
    nodes = [helper.make_node("Tile", ["P", "repeats"], ["tiled"]),
             helper.make_node("Transpose", ["tiled"], ["tiled_t"]),
             helper.make_node("MatMul", ["tiled_t", "tiled"], ["gram"]),
             helper.make_node("MatMul", ["gram", "gram"], ["gram2"]),
             helper.make_node("ReduceMean", ["gram2"], ["mean"], keepdims=0),
             helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
             helper.make_node("Add", ["P", "nothing"], ["same"])]
    save(helper.make_graph(nodes, "slow_identity", [p], [same], [repeats, scalar("zero", TensorProto.FLOAT, 0.0)]),
         "slow_identity.onnx")


def image_gain():
    """out = image * gain: an RGB NCHW plate of any size and a scalar control, as a Nuke gizmo feeds them."""
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])
    gain = helper.make_tensor_value_info("gain", TensorProto.FLOAT, [1])
    out = helper.make_tensor_value_info("graded", TensorProto.FLOAT, [1, 3, "height", "width"])
    nodes = [helper.make_node("Mul", ["image", "gain"], ["graded"])]
    save(helper.make_graph(nodes, "image_gain", [image, gain], [out]), "image_gain.onnx")


def wide_types():
    """The element types beyond all_types: FP64 doubled, INT8 and INT16 negated, BF16 doubled
    through FP32, and UINT16/UINT32/UINT64 outputs cast from the INT16 input (so -1 shows as the
    type's largest value), each over a dynamic axis of its own."""
    specs = [("f64", TensorProto.DOUBLE), ("i8", TensorProto.INT8), ("i16", TensorProto.INT16),
             ("bf16", TensorProto.BFLOAT16)]
    inputs = [helper.make_tensor_value_info(n, t, ["n_" + n]) for n, t in specs]
    outputs = [helper.make_tensor_value_info(n + "_out", t, ["n_" + n]) for n, t in specs]
    outputs += [helper.make_tensor_value_info(n + "_out", t, ["n_i16"]) for n, t in
                [("u16", TensorProto.UINT16), ("u32", TensorProto.UINT32), ("u64", TensorProto.UINT64)]]
    nodes = [
        helper.make_node("Mul", ["f64", "two_f64"], ["f64_out"]),
        helper.make_node("Neg", ["i8"], ["i8_out"]),
        helper.make_node("Neg", ["i16"], ["i16_out"]),
        helper.make_node("Cast", ["bf16"], ["bf16_as_f32"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["bf16_as_f32", "two_f32"], ["bf16_doubled"]),
        helper.make_node("Cast", ["bf16_doubled"], ["bf16_out"], to=TensorProto.BFLOAT16),
        helper.make_node("Cast", ["i16"], ["u16_out"], to=TensorProto.UINT16),
        helper.make_node("Cast", ["i16"], ["u32_out"], to=TensorProto.UINT32),
        helper.make_node("Cast", ["i16"], ["u64_out"], to=TensorProto.UINT64),
    ]
    inits = [scalar("two_f64", TensorProto.DOUBLE, 2.0), scalar("two_f32", TensorProto.FLOAT, 2.0)]
    save(helper.make_graph(nodes, "wide_types", inputs, outputs, inits), "wide_types.onnx")


def uint16_input():
    """y = x for a UINT16 input, a type ONNX Runtime's Java API cannot build."""
    x = helper.make_tensor_value_info("x", TensorProto.UINT16, ["n"])
    y = helper.make_tensor_value_info("y", TensorProto.UINT16, ["n"])
    save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "uint16_input", [x], [y]),
         "uint16_input.onnx")


def no_inputs():
    """A model with no inputs: table = the constant [1, 2, 3]."""
    table = helper.make_tensor_value_info("table", TensorProto.FLOAT, [3])
    nodes = [helper.make_node("Constant", [], ["table"],
                              value=helper.make_tensor("values", TensorProto.FLOAT, [3], [1.0, 2.0, 3.0]))]
    save(helper.make_graph(nodes, "no_inputs", [], [table]), "no_inputs.onnx")


def sequence_output():
    """parts = the sequence [x, x]: a valid model whose output is a sequence, not a tensor."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])
    parts = helper.make_value_info("parts", helper.make_sequence_type_proto(
        helper.make_tensor_type_proto(TensorProto.FLOAT, ["n"])))
    nodes = [helper.make_node("SequenceConstruct", ["x", "x"], ["parts"])]
    save(helper.make_graph(nodes, "sequence_output", [x], [parts]), "sequence_output.onnx")


def map_input():
    """features = DictVectorizer(scores): a valid model whose input is a map, not a tensor."""
    map_type = onnx.TypeProto()  # onnx 1.12's helper has no make_map_type_proto
    map_type.map_type.key_type = TensorProto.INT64
    map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, None))
    scores = helper.make_value_info("scores", map_type)
    features = helper.make_tensor_value_info("features", TensorProto.FLOAT, [1, 3])
    nodes = [helper.make_node("DictVectorizer", ["scores"], ["features"], domain="ai.onnx.ml",
                              int64_vocabulary=[1, 2, 3])]
    save(helper.make_graph(nodes, "map_input", [scores], [features]), "map_input.onnx",
         [helper.make_opsetid("ai.onnx.ml", 3)])


def string_input():
    """n = the number of strings in words: a valid model with a STRING input."""
    words = helper.make_tensor_value_info("words", TensorProto.STRING, ["n"])
    count = helper.make_tensor_value_info("count", TensorProto.INT64, [1])
    nodes = [helper.make_node("Shape", ["words"], ["count"])]
    save(helper.make_graph(nodes, "string_input", [words], [count]), "string_input.onnx")


def strings():
    """STRING in and out: reversed = words in reverse order (Slice, step -1), echo = words as they are
    (Identity), and label = 1 for "cat", 2 for "dog", 0 otherwise (ai.onnx.ml LabelEncoder), so a test
    can tell each ran. (Equal on strings needs opset 19; StringNormalizer needs the en_US.UTF-8 locale.)"""
    words = helper.make_tensor_value_info("words", TensorProto.STRING, ["n"])
    reversed_words = helper.make_tensor_value_info("reversed", TensorProto.STRING, ["n"])
    echo = helper.make_tensor_value_info("echo", TensorProto.STRING, ["n"])
    label = helper.make_tensor_value_info("label", TensorProto.INT64, ["n"])
    nodes = [helper.make_node("Slice", ["words", "last", "before_first", "axis0", "back"], ["reversed"]),
             helper.make_node("Identity", ["words"], ["echo"]),
             helper.make_node("LabelEncoder", ["words"], ["label"], domain="ai.onnx.ml",
                              keys_strings=["cat", "dog"], values_int64s=[1, 2], default_int64=0)]
    inits = [helper.make_tensor("last", TensorProto.INT64, [1], [-1]),
             helper.make_tensor("before_first", TensorProto.INT64, [1], [-(2 ** 63)]),
             helper.make_tensor("axis0", TensorProto.INT64, [1], [0]),
             helper.make_tensor("back", TensorProto.INT64, [1], [-1])]
    save(helper.make_graph(nodes, "strings", [words], [reversed_words, echo, label], inits), "strings.onnx",
         [helper.make_opsetid("ai.onnx.ml", 2)])


def to_half():
    """y = x as FP16: an FP32 input and an FP16 output, which JSON cannot carry back."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["n"])
    save(helper.make_graph([helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT16)], "to_half", [x], [y]),
         "to_half.onnx")


def external_weights():
    """y = x * w + b with w and b stored outside the .onnx file, in external_weights.bin beside it
    (ONNX external data): the package must carry that file too."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])
    # raw bytes: onnx moves only raw_data tensors to external files
    w = helper.make_tensor("w", TensorProto.FLOAT, [4], struct.pack("<4f", 1.0, 2.0, 3.0, 4.0), raw=True)
    b = helper.make_tensor("b", TensorProto.FLOAT, [4], struct.pack("<4f", 0.5, 0.5, 0.5, 0.5), raw=True)
    nodes = [helper.make_node("Mul", ["x", "w"], ["scaled"]), helper.make_node("Add", ["scaled", "b"], ["y"])]
    model = helper.make_model(helper.make_graph(nodes, "external_weights", [x], [y], [w, b]),
                              producer_name="conduit-test-models", opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    if os.path.exists("external_weights.bin"):
        os.remove("external_weights.bin")  # onnx appends to an existing data file
    onnx.save_model(model, "external_weights.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external_weights.bin", size_threshold=0)
    print("wrote external_weights.onnx and external_weights.bin")
def conv_stack(layers):
    """A stack of zero-padded 3x3 convolutions (3 -> 8 -> ... -> 3 channels, ReLU between) over an RGB
    NCHW plate of any size: every output pixel depends on the input within as many pixels of it as there are
    layers (its receptive radius). Weights and biases follow a fixed formula (no
    randomness) and the biases are not zero, so a tile padded where the plate is not gives other values.
    Tiling tests compare tiled and whole-plate runs of these models."""
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])
    out = helper.make_tensor_value_info("filtered", TensorProto.FLOAT, [1, 3, "height", "width"])
    nodes = []
    inits = []
    previous = "image"
    for layer in range(layers):
        c_in = 3 if layer == 0 else 8
        c_out = 3 if layer == layers - 1 else 8
        weights = [((o * 7 + i * 3 + ky * 5 + kx * 11 + layer) % 13 - 6) / (9.0 * c_in)
                   for o in range(c_out) for i in range(c_in) for ky in range(3) for kx in range(3)]
        bias = [0.05 * ((o + layer) % 5) - 0.1 for o in range(c_out)]
        w_name, b_name = "w%d" % layer, "b%d" % layer
        inits += [helper.make_tensor(w_name, TensorProto.FLOAT, [c_out, c_in, 3, 3], weights),
                  helper.make_tensor(b_name, TensorProto.FLOAT, [c_out], bias)]
        last = layer == layers - 1
        conv = "filtered" if last else "conv%d" % layer
        nodes.append(helper.make_node("Conv", [previous, w_name, b_name], [conv],
                                      kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        if not last:
            nodes.append(helper.make_node("Relu", [conv], ["relu%d" % layer]))
            previous = "relu%d" % layer
    name = "conv_stack%d" % layers
    save(helper.make_graph(nodes, name, [image], [out], inits), name + ".onnx")


def old_opset():
    """y = Relu(x) stamped with opset 5, older than ONNX Runtime loads: its refusal should say to convert."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    model = helper.make_model(helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "old_opset", [x], [y]),
                              producer_name="conduit-test-models", opset_imports=[helper.make_opsetid("", 5)])
    model.ir_version = 3
    onnx.save(model, "old_opset.onnx")
    print("wrote old_opset.onnx")


def unused_initializer():
    """y = x, with an initializer no node uses: ONNX Runtime warns that it removes it (a log-level test)."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])
    save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "unused_initializer", [x], [y],
                           [scalar("leftover", TensorProto.FLOAT, 1.0)]), "unused_initializer.onnx")


if __name__ == "__main__":
    scale_bias()
    all_types()
    two_in_two_out()
    invert_image("nchw")
    invert_image("nhwc")
    flatten()
    point_offset()
    slow_identity()
    image_gain()
    wide_types()
    uint16_input()
    no_inputs()
    sequence_output()
    map_input()
    string_input()
    strings()
    to_half()
    external_weights()
    conv_stack(1)
    conv_stack(3)
    old_opset()
    unused_initializer()
