"""Scene data to tensors and back, by the role a manifest gives each tensor, in the units it declares.

- ``points`` (or layout ``points``) [N, 3]: a mesh's vertex positions, object space, read in one call
  through ``maya.api.OpenMaya.MFnMesh.getPoints`` (MFnMesh reference,
  https://help.autodesk.com/cloudhelp/2025/ENU/MAYA-API-REF/py_ref/class_open_maya_1_1_m_fn_mesh.html).
  They are written back as the shape's **tweaks** (``pnts``, one ``cmds.setAttr`` per moved vertex), not
  with ``MFnMesh.setPoints``: setPoints is outside undo, and on a mesh with construction history or a
  deformer the next DG evaluation overwrites it (DCC_API.md 4.12). Tweaks are what Maya itself adds to
  whatever the history computes ("Tweaks and internal attributes",
  https://help.autodesk.com/cloudhelp/2017/ENU/Maya-SDK/files/Shapes_Tweaks_and_internal_attributes.htm;
  the mesh node's tweak attribute, https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/Nodes/mesh.html,
  a distance in scene units through setAttr), setAttr is undoable, and attribute values are what a saved scene keeps, so the result undoes, redoes,
  survives re-evaluation (history, skinCluster, blendShape upstream) and save/reopen.
- ``normals`` [N, 3]: per-vertex normals (``getVertexNormals``), as an input.
- ``transforms`` [J, 6]: the selected joints' translate and rotate, through ``cmds.getAttr`` /
  ``cmds.setAttr``, which Maya's undo records.

Lengths and angles are converted between the scene and the model's declared units (``units``).
"""

import array

import maya.api.OpenMaya as om
import maya.cmds as cmds

from conduit_client import ConduitError, Tensor
from conduit_maya import units


def mesh_shapes(nodes):
    """The mesh shapes under ``nodes`` (transforms or shapes), full paths, intermediates left out."""
    shapes = []
    for node in nodes:
        if cmds.ls(node, type="mesh"):
            candidates = [] if cmds.getAttr(node + ".intermediateObject") else [node]
        else:
            candidates = cmds.listRelatives(node, shapes=True, fullPath=True, noIntermediate=True) or []
        for shape in candidates:
            if cmds.ls(shape, type="mesh") and shape not in shapes:  # a transform and its shape both selected
                shapes.append(shape)
    return shapes


def _mesh(shape):
    selection = om.MSelectionList()
    selection.add(shape)
    return om.MFnMesh(selection.getDagPath(0))


def read_points(shape, spec):
    fn = _mesh(shape)
    scale = 1.0 / units.cm_per_model_length(spec)
    flat = array.array("f", [c * scale for p in fn.getPoints(om.MSpace.kObject) for c in (p.x, p.y, p.z)])
    return _tensor(spec, flat, fn.numVertices, 3)


def read_normals(shape, spec):
    fn = _mesh(shape)
    normals = fn.getVertexNormals(True, om.MSpace.kObject)
    flat = array.array("f", [c for n in normals for c in (n.x, n.y, n.z)])
    return _tensor(spec, flat, fn.numVertices, 3)


def write_points(shape, tensor, spec):
    """Moves the mesh's vertices to the output's points by setting its tweaks, inside the caller's undo chunk.

    The shape shows (its history's output, or its own vertices) + tweaks, so the tweak that puts vertex i
    at p is p - (shown_i - tweak_i). Vertices already there are left alone.
    """
    fn = _mesh(shape)
    values = tensor.as_array()
    if len(values) != 3 * fn.numVertices:
        raise ConduitError("output %s has %d values; %s has %d vertices (expected %d values)"
                           % (tensor.name, len(values), shape, fn.numVertices, 3 * fn.numVertices), "CDT-INFERENCE-FAILED")
    model_cm = units.cm_per_model_length(spec)
    scene_cm = units.cm_per_scene_length()  # getAttr/setAttr speak scene units, the API centimetres
    shown = fn.getPoints(om.MSpace.kObject)
    for i in range(fn.numVertices):
        plug = "%s.pnts[%d]" % (shape, i)
        tweak = cmds.getAttr(plug)[0]
        point = (shown[i].x, shown[i].y, shown[i].z)
        new = tuple((values[3 * i + k] * model_cm - (point[k] - tweak[k] * scene_cm)) / scene_cm for k in range(3))
        if new != tuple(tweak):
            cmds.setAttr(plug, new[0], new[1], new[2])


def read_transforms(joints, spec):
    length = units.cm_per_scene_length() / units.cm_per_model_length(spec)
    angle = units.rad_per_scene_angle() / units.rad_per_model_angle(spec)
    values = []
    for joint in joints:
        values.extend(c * length for c in cmds.getAttr(joint + ".translate")[0])
        values.extend(c * angle for c in cmds.getAttr(joint + ".rotate")[0])
    return _tensor(spec, array.array("f", values), len(joints), 6)


def write_transforms(joints, tensor, spec):
    values = tensor.values()
    if len(values) != 6 * len(joints):
        raise ConduitError("output %s has %d values for %d joints (expected %d)"
                           % (tensor.name, len(values), len(joints), 6 * len(joints)), "CDT-INFERENCE-FAILED")
    length = units.cm_per_model_length(spec) / units.cm_per_scene_length()
    angle = units.rad_per_model_angle(spec) / units.rad_per_scene_angle()
    for i, joint in enumerate(joints):
        t = values[6 * i:6 * i + 6]
        cmds.setAttr(joint + ".translate", t[0] * length, t[1] * length, t[2] * length)
        cmds.setAttr(joint + ".rotate", t[3] * angle, t[4] * angle, t[5] * angle)


def _tensor(spec, flat, count, width):
    shape = [1, count, width] if len(spec["shape"]) == 3 else [count, width]
    return Tensor.from_array(spec["name"], flat, shape)


def role(spec):
    """The scene data a tensor stands for: points, normals, transforms, or None (fed by a control)."""
    declared = spec.get("role", "generic")
    if declared in ("points", "normals", "transforms"):
        return declared
    if spec.get("layout") == "points":
        return "points"
    return None
