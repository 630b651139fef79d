"""What a Conduit gizmo's buttons do: render the input, have the agent run the model, show the result.

Every knob is read and written on Nuke's main thread (reads included: learn.foundry.com python dev
guide, *Threading*; DCC_API.md section 4 item 9). ``run`` reads all it needs from the gizmo's own knobs
first, renders the input through the inner Write (main-thread work), then, in a graphical session, a
worker thread has the agent run the model over those files while a ``nuke.ProgressTask`` offers Cancel;
the outcome comes back through ``nuke.executeInMainThreadWithResult`` (ONE args tuple; it returns None
when the call raises, so ``_apply`` returns an explicit status; DCC_API.md 3.2). Without a GUI
(``nuke -t``, a farm), there is no event loop to come back to, so the same steps run in line.

Nothing here sets a knob inside the gizmo: those values are not saved with the script (section 4 item
8). The inner Read's file expression points at the node's cache folder, which is where the agent
writes, so the result is there after save and reopen, for the farm and for the next artist.
"""

import os
import threading
import time

import nuke

from conduit_client import ConduitError
from conduit_nuke import gizmo
from conduit_nuke.client import get_client

DEVICES = ("auto", "gpu", "cpu", "remote")
_last_runs = {}  # node name -> (first frame, last frame, route) of its last successful run


class _Job(object):
    """Everything a run needs, read from the node's knobs on the main thread."""

    def __init__(self, node, first, last):
        from conduit_nuke import menu
        self.node_name = node.name()
        self.model = node["conduit_model"].value()
        self.version = node["conduit_version"].value()
        self.device = node["device"].value()
        script = nuke.root()["name"].value()
        self.folder = gizmo.folder(script, node["conduit_cache"].value(), self.node_name)
        if self.folder is None:
            raise ConduitError("save the script first: Conduit keeps %s's results beside it (or set its Cache"
                               " folder)" % self.node_name, "CDT-USAGE")
        self.source = self.folder + "/in.%04d.exr"
        self.result = self.folder + "/out.%04d.exr"
        self.first, self.last = first, last
        self.entry = menu.entry_for(self.model, self.version)
        self.controls = {}
        for param in self.entry["host"].get("parameters", []):
            if param.get("input"):
                value = node[gizmo.knob_name(param["name"])].value()
                self.controls[param["input"]] = float(value) if param["type"] == "choice" else value


def run(node, first=None, last=None, wait=False):
    """The Run button: renders frames ``first``-``last`` (default: the script's range) through the model.

    Returns the worker thread in a graphical session (joined first when ``wait``), None without a GUI,
    where the run has finished when this returns.
    """
    root = nuke.root()
    first = root.firstFrame() if first is None else first
    last = root.lastFrame() if last is None else last
    try:
        job = _Job(node, first, last)
    except ConduitError as e:
        _apply(node, None, e, None, first, last, 0.0)
        return None
    if not job.version:
        node["conduit_version"].setValue(job.entry["version"])  # pinned at the first run; saved with the script
        job.version = job.entry["version"]
    if not os.path.isdir(job.folder):
        os.makedirs(job.folder)
    nuke.execute(node.node("conduit_write"), first, last)
    node["status"].setValue("running %s@%s on frames %d-%d" % (job.model, job.version, first, last))
    if not nuke.GUI:
        started = time.time()
        try:
            answer, error = _call(job).wait(), None
        except Exception as e:  # the agent's refusal, shown on the node like in the GUI
            answer, error = None, e
        _apply(node, answer, error, job, first, last, time.time() - started)
        return None
    worker = threading.Thread(target=_work, args=(node, job), name="conduit-nuke")
    worker.daemon = True
    worker.start()
    if wait:
        worker.join()
    return worker


def _call(job):
    input_name = job.entry["inputs"][0]["name"]
    output_name = job.entry["outputs"][0]["name"]
    return get_client().run_files_async(job.model, {input_name: job.source}, {output_name: job.result},
                                        "%d-%d" % (job.first, job.last), version=job.version,
                                        device=job.device, controls=job.controls)


def _work(node, job):
    """Worker thread: no knob is touched here, only the agent and the progress task."""
    started = time.time()
    call = _call(job)
    # DCC_API.md 3.6 marks updating a ProgressTask from a worker thread as unconfirmed [?]: this thread only
    # sets its message and percentage and polls Cancel, and every knob edit goes through the dispatcher.
    task = nuke.ProgressTask("Conduit: %s" % job.entry["host"]["label"])
    task.setMessage("frames %d-%d" % (job.first, job.last))
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
    nuke.executeInMainThreadWithResult(_apply, (node, answer, error, job, job.first, job.last, time.time() - started))


def _apply(node, answer, error, job, first, last, seconds):
    """On the main thread: the outcome on the node's status (the Read already points at the cache)."""
    if error is not None:
        node["status"].setValue(u"failed: %s" % (error,))  # unicode() of a ConduitError carries its CDT code
        nuke.warning(u"Conduit: %s: %s" % (node.name(), error))
        return False
    ran_on = [f["detail"] for f in answer["frames"] if f["status"] == "ran"]
    _last_runs[node.name()] = (first, last, ran_on[0] if ran_on else "")
    counts = {}
    routes = []
    for frame in answer["frames"]:
        counts[frame["status"]] = counts.get(frame["status"], 0) + 1
        if frame["status"] == "ran" and frame["detail"] not in routes:
            routes.append(frame["detail"])  # a frame that ran says which route ran it
    newer = _newer_release(job)
    node["status"].setValue(u"%s@%s: %d frame(s) in %.1f s (%s)%s%s" % (
        answer["model"], answer["version"], len(answer["frames"]), seconds,
        ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items())),
        " on " + ", ".join(routes) if routes else "",
        u"; %s is available (Use Newest Version)" % newer if newer else ""))
    return True


def _newer_release(job):
    """The version the agent now offers for this model when it is newer than the node's pin and of the same
    major version (a new major is a new node class); None otherwise. Never applied without the artist."""
    from conduit_nuke import menu
    offered = menu.offered_version(job.model)
    if offered and offered != job.version and gizmo.major(offered) == gizmo.major(job.version) \
            and _key(offered) > _key(job.version):
        return offered
    return None


def _key(version):
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("-")[0].split("."))


def update(node):
    """The Use Newest Version button: moves the pin to the newest version of the same major version."""
    from conduit_nuke import menu
    model, pinned = node["conduit_model"].value(), node["conduit_version"].value()
    offered = menu.offered_version(model, refresh=True)
    if not offered or gizmo.major(offered) != gizmo.major(pinned or offered):
        node["status"].setValue(u"no newer %s v%s is offered here" % (model, gizmo.major(pinned or "0")))
        return pinned
    node["conduit_version"].setValue(offered)
    node["status"].setValue(u"now %s@%s (was %s); Run to use it" % (model, offered, pinned or "unpinned"))
    return offered


def feedback(node):
    """The Send Feedback button: a rating and a note on the node's current result."""
    rating = nuke.getInput("Rate this result from 1 (unusable) to 5 (perfect)", "4")
    if rating is None:
        return None
    if rating.strip() not in ("1", "2", "3", "4", "5"):
        nuke.message("A rating is a whole number from 1 to 5; got %r" % rating)
        return None
    note = nuke.getInput("A note for the model's authors (optional)", "") or ""
    folder = gizmo.folder(nuke.root()["name"].value(), node["conduit_cache"].value(), node.name())
    read = folder + "/out.%04d.exr" if folder else ""
    first, _, route = _last_runs.get(node.name(), (nuke.root().firstFrame(), None, ""))
    frame_file = read.replace("%04d", "%04d" % first) if read else ""
    context = {"hostVersion": nuke.NUKE_VERSION_STRING, "route": route, "outputs": [read] if read else []}
    if frame_file and os.path.isfile(frame_file) and nuke.ask("Attach a small preview of frame %d to this note?" % first):
        context["preview"] = {"file": frame_file}  # the agent shrinks it to a small PNG
    return get_client().feedback(node["conduit_model"].value(), node["conduit_version"].value(),
                                 int(rating), note, "", context)
