"""The GPU route end to end through a built GPU distribution (run by bench/gpu.sh; stdlib only).

For the demo denoiser's sample and a 1080p and a 4K EXR plate: `conduit run --device auto` must choose
local-gpu; its wall and model time against `--device cpu` in the same run (median of ROUNDS fresh processes
each, as an artist's single run is), and the GPU memory the 4K run took (nvidia-smi sampled every 50 ms,
peak minus idle). Then a copy of the package whose requirements.gpuMemoryMiB exceeds the free memory must
fall back to local-cpu and say why. Prints a report; with GPU_BENCH_JSON=FILE also writes it as JSON.

Usage: gpu_bench.py CONDUIT WORKDIR [ROUNDS]
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import threading
import time

DEMO_SIZES = [("sample 256x256", None), ("1080p plate", (1080, 1920)), ("4K plate", (2160, 3840))]


def smi(fields):
    out = subprocess.check_output(["nvidia-smi", "--query-gpu=" + fields, "--format=csv,noheader,nounits"])
    return [line.split(", ") for line in out.decode().strip().splitlines()]


def write_npy_plate(path, height, width):
    """An HWC float32 plate: a gradient with a little deterministic grain, written row by row."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d, 3), }" % (height, width)
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
        rows = []
        for k in range(16):  # 16 distinct rows repeated: enough texture for a convolution, quick to make
            row = []
            for x in range(width):
                grain = ((x * 7919 + k * 104729) % 97) / 970.0
                row.extend([x / float(width) + grain, k / 16.0 + grain, 0.5 - grain])
            rows.append(struct.pack("<%df" % len(row), *row))
        for y in range(height):
            f.write(rows[y % 16])


def run_json(conduit, args):
    start = time.time()
    proc = subprocess.Popen([conduit] + args + ["--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    wall = time.time() - start
    if proc.returncode != 0:
        raise SystemExit("conduit %s failed (exit %d): %s" % (" ".join(args), proc.returncode, err.decode()))
    result = json.loads(out.decode())
    result["wall"] = wall
    return result


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if len(ordered) % 2 else (ordered[len(ordered) // 2 - 1] + ordered[len(ordered) // 2]) / 2.0


class MemoryPeak(threading.Thread):
    """Samples GPU 0's used memory until stopped."""

    def __init__(self):
        threading.Thread.__init__(self)
        self.daemon = True
        self.peak = 0
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, int(smi("memory.used")[0][0]))
            time.sleep(0.05)


def main(argv):
    conduit, work = argv[1], argv[2]
    rounds = int(argv[3]) if len(argv) > 3 else 3
    demo = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(conduit))), "demo", "denoiser")
    package = os.path.join(demo, "package")
    name, driver, total, free = smi("name,driver_version,memory.total,memory.free")[0]
    report = {"gpu": name, "driver": driver, "memoryTotalMiB": int(total), "plates": []}
    print("GPU: %s, driver %s, %s MiB (%s MiB free)" % (name, driver, total, free))

    for label, size in DEMO_SIZES:
        if size is None:
            plate = os.path.join(demo, "sample_noisy.png")
            out = os.path.join(work, "out.png")
        else:
            npy = os.path.join(work, "plate-%d.npy" % size[0])
            write_npy_plate(npy, size[0], size[1])
            plate = os.path.join(work, "plate-%d.exr" % size[0])
            subprocess.check_call([conduit, "convert", npy, plate], stdout=subprocess.DEVNULL)
            os.remove(npy)
            out = os.path.join(work, "out-%d.exr" % size[0])
        row = {"plate": label}
        for device in ("auto", "cpu"):
            runs = []
            peak = None
            for i in range(rounds):
                sampler = None
                if device == "auto" and i == 0:
                    idle = int(smi("memory.used")[0][0])
                    sampler = MemoryPeak()
                    sampler.start()
                r = run_json(conduit, ["run", package, "-i", plate, "-o", out, "--device", device])
                if sampler is not None:
                    sampler.running = False
                    sampler.join()
                    peak = sampler.peak - idle
                runs.append(r)
            routes = set(r["route"] for r in runs)
            if device == "auto" and routes != {"local-gpu"}:
                raise SystemExit("FAIL: --device auto ran %s on %s, not local-gpu: %s" % (label, routes, runs[0]["reason"]))
            row[device] = {"route": runs[0]["route"], "reason": runs[0]["reason"],
                           "wallS": median([r["wall"] for r in runs]),
                           "firstModelMs": runs[0]["computeMillis"],
                           "modelMs": median([r["computeMillis"] for r in runs])}
            if peak is not None:
                row[device]["gpuMemoryMiB"] = peak
        gpu, cpu = row["auto"], row["cpu"]
        print("%-15s GPU wall %6.2f s, model %8.1f ms | CPU wall %6.2f s, model %8.1f ms | CPU/GPU model %5.1fx,"
              " wall %4.1fx | GPU memory %s MiB" % (label, gpu["wallS"], gpu["modelMs"], cpu["wallS"], cpu["modelMs"],
                                                    cpu["modelMs"] / max(gpu["modelMs"], 1e-6),
                                                    cpu["wallS"] / gpu["wallS"], gpu.get("gpuMemoryMiB")))
        report["plates"].append(row)
    print("route reason: " + report["plates"][0]["auto"]["reason"])

    # A model asking for more GPU memory than is free must run on the CPU and say why.
    greedy = os.path.join(work, "greedy")
    shutil.copytree(package, greedy)
    manifest_path = os.path.join(greedy, "conduit.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    need = int(smi("memory.free")[0][0]) + 1024
    manifest["requirements"]["gpuMemoryMiB"] = need
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2)
    r = run_json(conduit, ["run", greedy, "-i", os.path.join(demo, "sample_noisy.png"), "-o",
                           os.path.join(work, "greedy.png"), "--device", "auto"])
    if r["route"] != "local-cpu" or "MiB free" not in r["reason"]:
        raise SystemExit("FAIL: a model needing %d MiB ran on %s: %s" % (need, r["route"], r["reason"]))
    print("gpuMemoryMiB %d > free: %s (%s)" % (need, r["route"], r["reason"]))
    report["fallback"] = {"gpuMemoryMiB": need, "route": r["route"], "reason": r["reason"]}
    if os.environ.get("GPU_BENCH_JSON"):
        with open(os.environ["GPU_BENCH_JSON"], "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    main(sys.argv)
