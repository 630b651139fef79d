"""Times commands side by side: rounds of every command in turn (so a busy machine slows all of them alike),
then the median wall and CPU time (user + system of the process and its children) of each, and each
median's ratio to the first command's. Used by bench/startup.sh and bench/gpu.sh.

Usage: timed_runs.py ROUNDS NAME=COMMAND [NAME=COMMAND ...]   (COMMAND runs through sh -c; output discarded)
A command that prints a line TIMED_RUNS_WALL=SECONDS reports its own wall time (e.g. until a service answered,
leaving out its shutdown); its CPU time is still the whole process tree's.
Prints one line per command and, with TIMED_RUNS_JSON=FILE, writes the figures as JSON.
"""
import json
import os
import resource
import subprocess
import sys
import time


def run_once(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(command, shell=True, stdout=subprocess.PIPE, stderr=devnull)
        output = process.communicate()[0].decode("utf-8", "replace")
        status = process.returncode
    wall = time.time() - start
    for line in output.splitlines():
        if line.startswith("TIMED_RUNS_WALL="):
            wall = float(line.split("=", 1)[1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if status != 0:
        raise SystemExit("command failed (exit %d): %s" % (status, command))
    return wall, cpu


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def main(argv):
    rounds = int(argv[1])
    commands = [arg.split("=", 1) for arg in argv[2:]]
    for name, command in commands:  # one untimed warm-up each: file cache, first-run archive
        run_once(command)
    walls = dict((name, []) for name, _ in commands)
    cpus = dict((name, []) for name, _ in commands)
    for _ in range(rounds):
        for name, command in commands:
            wall, cpu = run_once(command)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base = commands[0][0]
    results = []
    for name, _ in commands:
        row = {"name": name, "wall_s": median(walls[name]), "cpu_s": median(cpus[name]),
               "wall_ratio": median(walls[name]) / median(walls[base]),
               "cpu_ratio": median(cpus[name]) / median(cpus[base])}
        results.append(row)
        print("%-34s wall %7.3f s (%5.2fx)   cpu %7.3f s (%5.2fx)" % (
            name, row["wall_s"], row["wall_ratio"], row["cpu_s"], row["cpu_ratio"]))
    if os.environ.get("TIMED_RUNS_JSON"):
        with open(os.environ["TIMED_RUNS_JSON"], "w") as out:
            json.dump({"rounds": rounds, "baseline": base, "results": results}, out, indent=2)


if __name__ == "__main__":
    main(sys.argv)
