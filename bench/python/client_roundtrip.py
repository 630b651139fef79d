"""Times the Python client's round trip through the agent: points out, the model, points back.

Usage: client_roundtrip.py PORT TOKEN MODEL POINTS ROUNDS   (bench/run.sh client starts the agent)
Prints the median round trip, the median of the model's own time as the agent reports it
(conduit_compute_ms), and the difference: what the client, the protocol and the agent add.
"""

import array
import json
import sys
import time

from conduit_client import Client, Tensor


class FixedLocator(object):
    """The agent the benchmark started; nothing to find or start."""

    def __init__(self, port, token):
        self.info = (port, token)

    def ensure_running(self, progress=None):
        return self.info


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main(port, token, model, points, rounds):
    client = Client("houdini", locator=FixedLocator(port, token), show="", department="")
    values = array.array("f", [float(i % 1000) for i in range(points * 3)])
    tensor = Tensor.from_array("x", values, [points, 3])
    totals, computes = [], []
    for i in range(rounds + 3):
        started = time.perf_counter()
        result = client.infer(model, [tensor], device="cpu")
        elapsed = time.perf_counter() - started
        out = result.outputs["y"].as_array()
        if len(out) != points * 3 or out[5] != 2 * values[5] + 1:
            raise SystemExit("wrong output")
        if i >= 3:  # the first calls warm the agent's buffers and the JIT
            totals.append(elapsed * 1000)
            computes.append(result.compute_ms)
    total, compute = median(totals), median(computes)
    print(json.dumps({"points": points, "megabytes_each_way": points * 12 / 1e6, "rounds": rounds,
                      "round_trip_ms": round(total, 2), "model_ms": round(compute, 2),
                      "overhead_ms": round(total - compute, 2), "round_trip_over_model": round(total / compute, 2)}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
