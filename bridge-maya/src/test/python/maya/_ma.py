"""The fake's Maya ASCII files: what a saved scene keeps, and nothing else (DCC_API.md 4.12, 4.13).

A ``.ma`` file is a MEL script of ``createNode``, ``setAttr`` and ``connectAttr`` lines, with the scene's
``currentUnit`` near the top (Autodesk, *Maya ASCII file format*). So a saved scene keeps nodes, their
attribute values (internal units) and connections; it does not keep the undo queue, points set through
``MFnMesh.setPoints`` on a mesh with history (a cached result, recomputed on load), or any Python state.
The fake writes values as JSON inside the ``setAttr`` line (real files spell them out in MEL) and keeps
full DAG paths as node names; names starting with ``_`` are the fake's own and are not written.
"""

import json
import re

_NODE = re.compile(r'^createNode (\S+) -n "([^"]+)"(?: -p "([^"]+)")?;$')
_ATTR = re.compile(r'^\tsetAttr "\.(\w+)" -type "json" (".*");$')
_CONNECT = re.compile(r'^connectAttr "([^"]+)" "([^"]+)";$')
_UNIT = re.compile(r'^currentUnit -l (\w+) -a (\w+) -t film;$')


def _encode(value):
    if isinstance(value, dict):  # sparse multi attributes (pnts): element index -> value
        value = dict((str(k), v) for k, v in value.items())
        return json.dumps({"multi": value}, sort_keys=True)
    return json.dumps(value)


def _decode(text):
    value = json.loads(text)
    if isinstance(value, dict) and "multi" in value:
        return dict((int(k), tuple(v)) for k, v in value["multi"].items())
    return value


def write(scene, path):
    lines = ["//Maya ASCII 2024 scene", "requires maya \"2024\";",
             "currentUnit -l %s -a %s -t film;" % (scene["units"]["linear"], scene["units"]["angle"])]
    for name in sorted(scene["nodes"]):
        data = scene["nodes"][name]
        parent = ' -p "%s"' % data["parent"] if data["parent"] else ""
        lines.append('createNode %s -n "%s"%s;' % (data["type"], name, parent))
        for attr in sorted(data["attrs"]):
            if not attr.startswith("_"):
                lines.append('\tsetAttr ".%s" -type "json" %s;' % (attr, json.dumps(_encode(data["attrs"][attr]))))
    for dst in sorted(scene["connections"]):
        lines.append('connectAttr "%s" "%s";' % (scene["connections"][dst], dst))
    with open(path, "wb") as f:  # bytes, encoded here: the same on Python 2, Jython and 3 (DCC_API.md 4.15)
        f.write((u"\n".join(lines) + u"\n").encode("utf-8"))


def read(scene, path):
    """Fills an empty scene from ``path``."""
    node = None
    with open(path, "rb") as f:
        for line in f.read().decode("utf-8").splitlines():
            unit, created, attr, connect = _UNIT.match(line), _NODE.match(line), _ATTR.match(line), _CONNECT.match(line)
            if unit:
                scene["units"] = {"linear": unit.group(1), "angle": unit.group(2)}
            elif created:
                node = created.group(2)
                scene["nodes"][node] = {"type": created.group(1), "parent": created.group(3), "attrs": {}}
            elif attr:
                scene["nodes"][node]["attrs"][attr.group(1)] = _decode(json.loads(attr.group(2)))
            elif connect:
                scene["connections"][connect.group(2)] = connect.group(1)
            elif line and not line.startswith("//") and not line.startswith("requires "):
                raise RuntimeError("the fake cannot read this .ma line: %s" % line)
