#!/usr/bin/env python3
"""Builds the benchmark-only models (deterministic weights; re-running rewrites them byte for byte).

Run from this folder with Debian's python3-onnx and python3-numpy:  python3 make_bench_models.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def save(graph, file_name):
    model = helper.make_model(graph, producer_name="conduit-bench-models", opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, file_name)
    print("wrote " + file_name)


def mlp():
    """A 256 -> 512 -> 512 -> 256 MLP with a dynamic batch axis: one row is a small GEMV that rereads
    every weight, so joining rows into one GEMM (dynamic batching) pays off the way real small models do."""
    rng = np.random.default_rng(7)
    sizes = [256, 512, 512, 256]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", sizes[0]])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", sizes[-1]])
    nodes, inits, current = [], [], "x"
    for i in range(len(sizes) - 1):
        w = (rng.standard_normal((sizes[i], sizes[i + 1])) / np.sqrt(sizes[i])).astype(np.float32)
        b = np.zeros(sizes[i + 1], dtype=np.float32)
        inits += [numpy_helper.from_array(w, "w%d" % i), numpy_helper.from_array(b, "b%d" % i)]
        out = "y" if i == len(sizes) - 2 else "h%d" % i
        gemm_out = out if i == len(sizes) - 2 else "g%d" % i
        nodes.append(helper.make_node("Gemm", [current, "w%d" % i, "b%d" % i], [gemm_out]))
        if i < len(sizes) - 2:
            nodes.append(helper.make_node("Relu", [gemm_out], [out]))
        current = out
    save(helper.make_graph(nodes, "bench_mlp", [x], [y], inits), "mlp_batch.onnx")


def conv1x1():
    """A 1x1 convolution over an RGB NCHW plate of any size (3 -> 3 channels, fixed weights): about one
    multiply-add per value moved, so a 1080p call is bound by memory, and anything an engine adds around
    ONNX Runtime (validation, copies, allocation) shows as clearly as it can on a real operator."""
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, "height", "width"])
    out = helper.make_tensor_value_info("mixed", TensorProto.FLOAT, [1, 3, "height", "width"])
    w = np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]], dtype=np.float32).reshape(3, 3, 1, 1)
    b = np.array([0.01, -0.02, 0.03], dtype=np.float32)
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")]
    nodes = [helper.make_node("Conv", ["image", "w", "b"], ["mixed"], kernel_shape=[1, 1])]
    save(helper.make_graph(nodes, "bench_conv1x1", [image], [out], inits), "conv1x1.onnx")


if __name__ == "__main__":
    mlp()
    conv1x1()
