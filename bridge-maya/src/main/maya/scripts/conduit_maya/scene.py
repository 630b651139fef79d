"""Scene data to tensors and back, by the role a manifest gives each tensor.

- ``points`` (or layout ``points``) [N, 3]: a mesh's vertex positions, object space, read and written in
  one call each through ``maya.api.OpenMaya.MFnMesh.getPoints`` / ``setPoints`` (MFnMesh reference,
  https://help.autodesk.com/cloudhelp/2025/ENU/MAYA-API-REF/py_ref/class_open_maya_1_1_m_fn_mesh.html).
  setPoints is not recorded by Maya's undo (DCC_API.md 2.6), so the previous points are kept and
  ``revert_last`` puts them back.
- ``normals`` [N, 3]: per-vertex normals (``getVertexNormals``), as an input.
- ``transforms`` [J, 6]: the selected joints' translate and rotate, through ``cmds.getAttr`` /
  ``cmds.setAttr``, which Maya's undo records.
"""

import array

import maya.api.OpenMaya as om
import maya.cmds as cmds

from conduit_client import ConduitError, Tensor

_last_points = {}


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
    points = fn.getPoints(om.MSpace.kObject)
    flat = array.array("f", [c for p in points for c in (p.x, p.y, p.z)])
    return _tensor(spec, flat, fn.numVertices, 3)


def read_normals(shape, spec):
    fn = _mesh(shape)
    normals = fn.getVertexNormals(True, om.MSpace.kObject)
    flat = array.array("f", [c for n in normals for c in (n.x, n.y, n.z)])
    return _tensor(spec, flat, fn.numVertices, 3)


def write_points(shape, tensor):
    fn = _mesh(shape)
    values = tensor.as_array()
    if len(values) != 3 * fn.numVertices:
        raise ConduitError("output %s has %d values; %s has %d vertices (expected %d values)"
                           % (tensor.name, len(values), shape, fn.numVertices, 3 * fn.numVertices), "CDT-INFERENCE-FAILED")
    _last_points[shape] = fn.getPoints(om.MSpace.kObject)
    points = om.MPointArray()
    for i in range(0, len(values), 3):
        points.append(om.MPoint(values[i], values[i + 1], values[i + 2]))
    fn.setPoints(points, om.MSpace.kObject)
    fn.updateSurface()


def revert_last():
    """Puts back the points the last action replaced; returns the meshes restored."""
    restored = []
    for shape, points in list(_last_points.items()):
        if cmds.objExists(shape):
            fn = _mesh(shape)
            fn.setPoints(points, om.MSpace.kObject)
            fn.updateSurface()
            restored.append(shape)
    _last_points.clear()
    return restored


def read_transforms(joints, spec):
    values = []
    for joint in joints:
        values.extend(cmds.getAttr(joint + ".translate")[0])
        values.extend(cmds.getAttr(joint + ".rotate")[0])
    return _tensor(spec, array.array("f", values), len(joints), 6)


def write_transforms(joints, tensor):
    values = tensor.values()
    if len(values) != 6 * len(joints):
        raise ConduitError("output %s has %d values for %d joints (expected %d)"
                           % (tensor.name, len(values), len(joints), 6 * len(joints)), "CDT-INFERENCE-FAILED")
    for i, joint in enumerate(joints):
        t = values[6 * i:6 * i + 6]
        cmds.setAttr(joint + ".translate", t[0], t[1], t[2])
        cmds.setAttr(joint + ".rotate", t[3], t[4], t[5])


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
