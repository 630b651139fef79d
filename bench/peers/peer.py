"""ONNX Runtime's Python API, the third side of bench/peers.sh (run only where python3 has onnxruntime):
the same model, input values and session settings as peer.js and io.conduit.bench.EnginePeer; three untimed
runs, then ROUNDS timed ones. Prints "python MEDIAN_MS MIN_MS".

Usage: python3 peer.py MODEL ROUNDS HEIGHT WIDTH THREADS
"""
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    model, rounds, height, width, threads = sys.argv[1:6]
    options = ort.SessionOptions()
    options.intra_op_num_threads = int(threads)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    count = 3 * int(height) * int(width)
    values = ((np.arange(count) % 997) / np.float32(997)).astype(np.float32).reshape(1, 3, int(height), int(width))
    feeds = {session.get_inputs()[0].name: values}
    for _ in range(3):
        session.run(None, feeds)
    times = []
    for _ in range(int(rounds)):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    print("python %.2f %.2f" % (median, times[0]))


if __name__ == "__main__":
    main()
