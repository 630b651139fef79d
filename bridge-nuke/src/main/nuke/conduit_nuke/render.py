"""What a Conduit gizmo's buttons do: render the input, have the agent run the model, load the result.

Main thread (nuke.execute and knob edits are main-thread work): the Write inside the gizmo renders
the input frames to temporary EXRs. Worker thread: the agent runs the model over those files (tiled
when the manifest asks; frames whose input and knobs did not change come back from its cache) while a
``nuke.ProgressTask`` shows progress and offers Cancel. Back on the main thread, through
``nuke.executeInMainThreadWithResult`` (which takes ONE args tuple and returns None when the call
raises, so ``_apply`` returns an explicit status; DCC_API.md 3.2), the Read loads the result.
"""

import os
import threading
import time

import nuke

from conduit_client import ConduitError
from conduit_nuke.client import get_client

DEVICES = ("auto", "gpu", "cpu", "remote")
_last_runs = {}  # node name -> (first frame, last frame, route) of its last successful run


def _work_dir(node):
    from conduit_client.agent import default_home
    folder = os.path.join(default_home(), "nuke", "renders", node.name())
    if not os.path.isdir(folder):
        os.makedirs(folder)
    return folder


def _entry_params(node):
    """{input name: knob value} for the knobs that feed a model input, per the node's manifest entry."""
    from conduit_nuke import menu
    entry = menu.entry_for(node["conduit_model"].value())
    controls = {}
    for param in entry["host"].get("parameters", []):
        if param.get("input"):
            knob = node[_knob(param)]
            value = knob.value()
            if param["type"] == "choice":
                value = float(value)
            controls[param["input"]] = value
    return entry, controls


def _knob(param):
    from conduit_nuke.gizmo import knob_name
    return knob_name(param["name"])


def run(node, first=None, last=None, wait=False):
    """The Run button: renders frames ``first``-``last`` (default: the script's range) through the model.

    Returns the worker thread (joined first when ``wait``, as a script or test may want).
    """
    root = nuke.root()
    first = root.firstFrame() if first is None else first
    last = root.lastFrame() if last is None else last
    entry, controls = _entry_params(node)
    folder = _work_dir(node)
    source = os.path.join(folder, "in.%04d.exr")
    result = os.path.join(folder, "out.%04d.exr")
    write = node.node("conduit_write")
    write["file"].setValue(source)
    nuke.execute(write, first, last)
    device = node["device"].value()
    node["status"].setValue("running %s on frames %d-%d" % (entry["name"], first, last))
    worker = threading.Thread(target=_work, args=(node, entry, controls, source, result, first, last, device),
                              name="conduit-nuke")
    worker.daemon = True
    worker.start()
    if wait:
        worker.join()
    return worker


def _work(node, entry, controls, source, result, first, last, device):
    input_name = entry["inputs"][0]["name"]
    output_name = entry["outputs"][0]["name"]
    started = time.time()
    call = get_client().run_files_async(entry["name"], {input_name: source}, {output_name: result},
                                        "%d-%d" % (first, last), version=node["conduit_version_pin"].value(),
                                        device=device, controls=controls)
    # DCC_API.md 3.6 marks updating a ProgressTask from a worker thread as unconfirmed [?]: this thread only
    # sets its message and percentage and polls Cancel, and every scene edit goes through the dispatcher.
    task = nuke.ProgressTask("Conduit: %s" % entry["host"]["label"])
    task.setMessage("frames %d-%d" % (first, last))
    answer, error = None, None
    try:
        while True:
            try:
                answer = call.wait(0.1)
            except Exception as e:  # the call's own failure, raised on this worker thread
                error = e
                break
            if answer is not None:
                break
            task.setProgress(min(95, int(10 + (time.time() - started) * 5)))  # the agent reports no frame count
            if task.isCancelled():
                call.cancel()
                error = ConduitError("cancelled by the artist")
                break
        task.setProgress(100)
    finally:
        del task  # the dialog closes when the task object goes
    nuke.executeInMainThreadWithResult(_apply, (node, answer, error, result, first, last, time.time() - started))


def _apply(node, answer, error, result, first, last, seconds):
    """On the main thread: point the Read at the result, or show why not. Returns True when applied."""
    if error is not None:
        node["status"].setValue("failed: %s" % error)
        nuke.warning("Conduit: %s: %s" % (node.name(), error))
        return False
    read = node.node("conduit_read")
    read["file"].fromUserText("%s %d-%d" % (result, first, last))
    ran_on = [f["detail"] for f in answer["frames"] if f["status"] == "ran"]
    _last_runs[node.name()] = (first, last, ran_on[0] if ran_on else "")
    counts = {}
    routes = []
    for frame in answer["frames"]:
        counts[frame["status"]] = counts.get(frame["status"], 0) + 1
        if frame["status"] == "ran" and frame["detail"] not in routes:
            routes.append(frame["detail"])  # a frame that ran says which route ran it
    node["status"].setValue("%s@%s: %d frame(s) in %.1f s (%s)%s" % (
        answer["model"], answer["version"], len(answer["frames"]), seconds,
        ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items())),
        " on " + ", ".join(routes) if routes else ""))
    return True


def feedback(node):
    """The Send Feedback button: a rating and a note on the node's current result."""
    rating = nuke.getInput("Rate this result from 1 (unusable) to 5 (perfect)", "4")
    if rating is None:
        return None
    if rating.strip() not in ("1", "2", "3", "4", "5"):
        nuke.message("A rating is a whole number from 1 to 5; got %r" % rating)
        return None
    note = nuke.getInput("A note for the model's authors (optional)", "") or ""
    read = node.node("conduit_read")["file"].value()
    first, _, route = _last_runs.get(node.name(), (nuke.root().firstFrame(), None, ""))
    frame_file = read.replace("%04d", "%04d" % first) if read else ""
    context = {"hostVersion": nuke.NUKE_VERSION_STRING, "route": route, "outputs": [read] if read else []}
    if frame_file and nuke.ask("Attach a small preview of frame %d to this note?" % first):
        context["preview"] = {"file": frame_file}  # the agent shrinks it to a small PNG
    return get_client().feedback(node["conduit_model"].value(), node["conduit_version_pin"].value(),
                                 int(rating), note, "", context)
