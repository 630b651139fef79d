"""The fake's dependency graph: what a mesh's points are after DG evaluation, and Maya's units.

DCC_API.md 4.12 (Autodesk, *Polygon API: Construction History and Tweaks*): a mesh with construction
history or a deformer gets its points from the chain upstream of its ``inMesh`` at every evaluation;
the shape's own tweaks (``pnts``, "Tweaks and internal attributes": "the tweaks can be added to the
input vertex positions forming the output geometry") are added after it. Points written through
``MFnMesh.setPoints`` on such a mesh are only a cached result that the next evaluation overwrites. A mesh
without history keeps its own vertices (``vrts``), which setPoints replaces.

Nodes upstream of a mesh, each with a simplified, deterministic deformation:
- ``mesh`` (the hidden *Orig shape): its own evaluated points;
- ``polyMoveVertex`` (construction history): input + its ``translate``;
- ``blendShape``: input + ``weight`` x the target's per-vertex ``delta``;
- ``skinCluster``: input + how far its ``influence`` joint moved from ``bindTranslate``.
Values are stored in Maya's internal units (cm, radians); getAttr/setAttr convert (DCC_API.md 4.13).
"""

import math

# currentUnit's names (CommandsPython currentUnit: [mm | millimeter | cm | centimeter | m | meter | km |
# kilometer | in | inch | ft | foot | yd | yard | mi | mile], [deg | degree | rad | radian]).
LINEAR = {"mm": 0.1, "cm": 1.0, "m": 100.0, "km": 100000.0, "in": 2.54, "ft": 30.48, "yd": 91.44, "mi": 160934.4}
LINEAR_NAMES = {"millimeter": "mm", "centimeter": "cm", "meter": "m", "kilometer": "km", "inch": "in", "foot": "ft",
                "yard": "yd", "mile": "mi"}
ANGLE = {"deg": math.pi / 180.0, "rad": 1.0}
ANGLE_NAMES = {"degree": "deg", "radian": "rad"}
UNIT_OF = {"translate": "linear", "rotate": "angle", "pnts": "linear", "bindTranslate": "linear"}


def factor(scene, attr):
    """Internal units per UI unit for ``attr`` (1.0 for unitless attributes)."""
    kind = UNIT_OF.get(attr)
    if kind == "linear":
        return LINEAR[scene["units"]["linear"]]
    if kind == "angle":
        return ANGLE[scene["units"]["angle"]]
    return 1.0


def _source(scene, node, plug):
    src = scene["connections"].get(node + "." + plug)
    return src.split(".", 1)[0] if src else None


def has_history(scene, shape):
    return _source(scene, shape, "inMesh") is not None


def _add(points, offsets, weight=1.0):
    return [(p[0] + weight * o[0], p[1] + weight * o[1], p[2] + weight * o[2]) for p, o in zip(points, offsets)]


def _output(scene, node):
    """The points flowing out of ``node`` (a mesh or a history/deformer node)."""
    data = scene["nodes"][node]
    kind, attrs = data["type"], data["attrs"]
    if kind == "mesh":
        return points(scene, node)
    upstream = _output(scene, _source(scene, node, "input"))
    if kind == "polyMoveVertex":
        return _add(upstream, [tuple(attrs["translate"])] * len(upstream))
    if kind == "blendShape":
        return _add(upstream, attrs["delta"], attrs["weight"][0])
    if kind == "skinCluster":
        joint = scene["nodes"][attrs["influence"]]["attrs"]
        moved = tuple(t - b for t, b in zip(joint["translate"], attrs["bindTranslate"]))
        return _add(upstream, [moved] * len(upstream))
    raise RuntimeError("the fake cannot evaluate a %s node" % kind)


def base(scene, shape):
    """A mesh's points before its own tweaks: the history's output, or its own vertices."""
    source = _source(scene, shape, "inMesh")
    return _output(scene, source) if source else list(scene["nodes"][shape]["attrs"]["vrts"])


def points(scene, shape):
    """A mesh's points as Maya shows them (cm, object space)."""
    attrs = scene["nodes"][shape]["attrs"]
    if "_api_points" in attrs:  # set through the API, until the next evaluation
        return list(attrs["_api_points"])
    tweaks = attrs.get("pnts", {})
    return [tuple(b[k] + tweaks.get(i, (0.0, 0.0, 0.0))[k] for k in range(3)) for i, b in enumerate(base(scene, shape))]


def evaluate(scene):
    """A DG evaluation: every mesh with history is recomputed, so API-set points on it are lost."""
    for name, data in scene["nodes"].items():
        if data["type"] == "mesh" and has_history(scene, name):
            data["attrs"].pop("_api_points", None)
