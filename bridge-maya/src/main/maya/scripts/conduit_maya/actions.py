"""Applying a model to the selection: read the scene, run the call off the UI thread, write back as one undo chunk.

Threads (https://download.autodesk.com/global/docs/maya2014/en_us/files/Python_Python_and_threading.htm):
Maya commands run on the main thread only. The action reads its inputs there, then a worker thread
makes the call and hands the progress window's updates and the scene edits back to the main thread
through ``maya.utils.executeInMainThreadWithResult``. In batch mode (mayapy) there is no UI and no
dispatcher: everything runs inline.
"""

import threading

import maya.cmds as cmds
import maya.utils

from conduit_client import Cancelled, ConduitError
from conduit_client.controls import control_tensor, controls_by_input
from conduit_maya import scene
from conduit_maya.client import get_client

last_results = {}  # model name -> what Model Info shows: version, route, status, request id
last_model = []  # the model applied most recently, which feedback is about


class Job(object):
    """One call: the inputs read from the scene and where each output goes."""

    def __init__(self, label, inputs, writers):
        self.label = label
        self.inputs = inputs
        self.writers = writers  # output name -> function(tensor)


def jobs_for(entry, nodes):
    """The calls ``entry`` makes on ``nodes``: one per mesh for point models, one for all joints."""
    roles = dict((spec["name"], scene.role(spec)) for spec in entry["inputs"] + entry["outputs"])
    controls = controls_by_input(entry["host"])
    used = set(r for r in roles.values() if r)
    if "transforms" in used:
        joints = cmds.ls(nodes, long=True, type="joint") if nodes else []
        if not joints:
            raise ConduitError("%s works on joints; select the joints to apply it to" % entry["host"]["label"], "CDT-USAGE")
        targets = [("%d joints" % len(joints), joints)]
    else:
        meshes = scene.mesh_shapes(nodes)
        if not meshes:
            raise ConduitError("%s works on meshes; select one or more meshes" % entry["host"]["label"], "CDT-USAGE")
        targets = [(mesh, mesh) for mesh in meshes]
    jobs = []
    for label, target in targets:
        inputs = []
        for spec in entry["inputs"]:
            kind = roles[spec["name"]]
            if spec["name"] in controls:
                inputs.append(control_tensor(spec, controls[spec["name"]]))
            elif kind == "points":
                inputs.append(scene.read_points(target, spec))
            elif kind == "normals":
                inputs.append(scene.read_normals(target, spec))
            elif kind == "transforms":
                inputs.append(scene.read_transforms(target, spec))
            else:
                raise ConduitError("input %s of %s has role %r, which Maya cannot fill (points, normals, transforms or a"
                                   " control)" % (spec["name"], entry["name"], spec.get("role")), "CDT-INPUT-INVALID")
        writers = {}
        for spec in entry["outputs"]:
            kind = roles[spec["name"]]
            if kind == "points":
                writers[spec["name"]] = _writer(scene.write_points, target, spec)
            elif kind == "transforms":
                writers[spec["name"]] = _writer(scene.write_transforms, target, spec)
        jobs.append(Job(label, inputs, writers))
    return jobs


def _writer(write, target, spec):
    return lambda tensor: write(target, tensor, spec)


def apply(entry, job, result):
    """Writes a result into the scene as one undo step, closing the chunk whatever happens."""
    cmds.undoInfo(openChunk=True, chunkName="Conduit: " + entry["host"]["label"])
    try:
        for name, write in job.writers.items():
            write(result.outputs[name])
    finally:
        cmds.undoInfo(closeChunk=True)
    last_results[entry["name"]] = {"version": result.version, "route": result.route, "status": result.status_line(),
                                   "requestId": result.request_id, "reason": result.reason, "target": job.label}
    del last_model[:]
    last_model.append(entry["name"])
    return result.status_line()


def _apply_or_report(entry, job, result):
    """On the main thread: applies the result, or reports why not; never raises, so the worker need not
    rely on the dispatcher carrying exceptions across threads (Maya's documentation does not say it does)."""
    try:
        apply(entry, job, result)
        return True
    except Exception as e:
        report(entry, e)
        return False


def run_inline(entry, nodes, device="auto"):
    """Applies ``entry`` to ``nodes`` on this thread (batch mode and scripts); returns the status lines."""
    client = get_client()
    statuses = []
    for job in jobs_for(entry, nodes):
        result = client.infer(entry["name"], job.inputs, version=entry["version"], device=device)
        statuses.append(apply(entry, job, result))
    return statuses


def apply_to_selection(entry, device="auto"):
    """The menu action: reads the selection now, then runs the calls behind a progress window with cancel.

    Returns the worker thread (None in batch mode, where the work is done before returning).
    """
    nodes = cmds.ls(selection=True, long=True) or []
    if cmds.about(batch=True):
        run_inline(entry, nodes, device)
        return None
    try:
        jobs = jobs_for(entry, nodes)
    except ConduitError as e:
        report(entry, e)
        return None
    if not cmds.progressWindow(title="Conduit", status="Starting " + entry["host"]["label"], progress=0,
                               minValue=0, maxValue=100, isInterruptable=True):
        report(entry, ConduitError("another progress window is open; wait for it to finish", "CDT-USAGE"))
        return None
    worker = threading.Thread(target=_work, args=(entry, jobs, device), name="conduit-maya-action")
    worker.daemon = True
    worker.start()
    return worker


def _work(entry, jobs, device):
    main = maya.utils.executeInMainThreadWithResult
    try:
        for index, job in enumerate(jobs):
            call = get_client().infer_async(entry["name"], job.inputs, version=entry["version"], device=device)
            result = None
            while result is None:
                result = call.wait(0.1)
                percent = int(100 * (index + call.progress) / len(jobs))
                if main(_progress, percent, "%s: %s (%s)" % (entry["host"]["label"], call.message, job.label)):
                    call.cancel()
                    raise Cancelled("cancelled by the artist")
            if not main(_apply_or_report, entry, job, result):
                return
    except Exception as e:  # the call's own failure, raised on this worker thread
        main(report, entry, e)
    finally:
        main(_end_progress)


def _progress(percent, status):
    """On the main thread: moves the bar; says whether the artist pressed Esc."""
    cmds.progressWindow(edit=True, progress=percent, status=status)
    return cmds.progressWindow(query=True, isCancelled=True)


def _end_progress():
    cmds.progressWindow(endProgress=True)


def report(entry, error):
    """Tells the artist what went wrong, with the agent's own message."""
    message = "%s: %s" % (entry["host"]["label"], error)
    cmds.warning("Conduit: " + message)
    if not cmds.about(batch=True):
        cmds.confirmDialog(title="Conduit", message=message, button=["OK"], defaultButton="OK", icon="warning")
