"""Time from starting a Conduit process to its first useful answer, for bench/startup.sh:

  serve-live DIST   `conduit serve` of the demo model: until /v2/health/live answers 200
  serve-ready DIST  the same, until /v2/health/ready answers 200 (the model loaded, its session made)
  agent DIST        `conduit agent` of the demo model, as a bridge starts it: until agent.json is written
                    and the first inference of the 256x256 demo input has come back (binary tensors)

Prints TIMED_RUNS_WALL=SECONDS (what timed_runs.py reports as the wall time, rather than the whole process's
life), then stops the process with SIGTERM and waits for it. Polls every 5 ms, as a probe would.
Standard library only.
"""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

try:
    from urllib.request import Request, urlopen
    from urllib.error import URLError, HTTPError
except ImportError:  # Python 2
    from urllib2 import Request, urlopen, URLError, HTTPError


def status(url, data=None, headers=None):
    try:
        response = urlopen(Request(url, data=data, headers=headers or {}), timeout=5)
        response.read()
        return response.getcode()
    except HTTPError as e:
        return e.code
    except (URLError, IOError):
        return 0


def wait_for(condition, started, limit=60.0):
    while not condition():
        if time.time() - started > limit:
            raise SystemExit("no answer within %.0f s" % limit)
        time.sleep(0.005)


def serve(dist, models, work, until):
    command = [os.path.join(dist, "bin", "conduit"), "serve", "--models", models, "--port", "0",
               "--no-access-log", "--feedback-db", "jdbc:h2:file:" + os.path.join(work, "feedback")]
    started = time.time()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=open(os.devnull, "wb"))
    try:
        line = process.stdout.readline().decode("utf-8")
        if "listening on " not in line:
            raise SystemExit("conduit serve did not start: " + line)
        base = line.split("listening on ", 1)[1].split()[0].rstrip(";")
        wait_for(lambda: status(base + "/v2/health/" + until) == 200, started)
        return time.time() - started
    finally:
        stop(process)


def agent(dist, models, work):
    home = os.path.join(work, "home")
    command = [os.path.join(dist, "bin", "conduit"), "agent", "--models", models, "--home", home,
               "--no-access-log", "--idle-seconds", "60"]
    started = time.time()
    process = subprocess.Popen(command, stdout=open(os.devnull, "wb"), stderr=open(os.devnull, "wb"))
    try:
        agent_file = os.path.join(home, "agent.json")
        wait_for(lambda: os.path.exists(agent_file) and os.path.getsize(agent_file) > 0, started)
        with open(agent_file) as f:
            about = json.load(f)
        pixels = 3 * 256 * 256
        header = json.dumps({"inputs": [{"name": "noisy", "datatype": "FP32", "shape": [1, 3, 256, 256],
                                         "parameters": {"binary_data_size": pixels * 4}}],
                             "parameters": {"binary_data_output": True}}).encode("utf-8")
        body = header + struct.pack("<%df" % pixels, *([0.5] * pixels))
        code = status("http://127.0.0.1:%d/v2/models/demo-denoiser/infer" % about["port"], body, {
            "Authorization": "Bearer " + about["token"],
            "Content-Type": "application/octet-stream",
            "Inference-Header-Content-Length": str(len(header))})
        if code != 200:
            raise SystemExit("the first inference was answered %d" % code)
        return time.time() - started
    finally:
        stop(process)


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    process.wait()


def main(argv):
    mode, dist = argv[1], os.path.abspath(argv[2])
    work = tempfile.mkdtemp(prefix="conduit-first-answer-")
    try:
        models = os.path.join(work, "models")
        shutil.copytree(os.path.join(dist, "demo", "denoiser", "package"), os.path.join(models, "demo-denoiser"))
        if mode in ("serve-live", "serve-ready"):
            seconds = serve(dist, models, work, mode[len("serve-"):])
        elif mode == "agent":
            seconds = agent(dist, models, work)
        else:
            raise SystemExit("unknown mode %s; expected serve-live, serve-ready or agent" % mode)
        print("TIMED_RUNS_WALL=%.4f" % seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
