"""Fake ``maya.cmds``: see the package docstring. Behaviour from DCC_API.md sections 2 and 4.

Undo (DCC_API.md 4.7, 4.12): commands record what they change (here ``setAttr``); an open chunk
gathers every record until it is closed into one step; ``undo``/``redo`` (Ctrl+Z / Shift+Z; CommandsPython
undo.html, redo.html) replay them. API edits (``MFnMesh.setPoints``) record nothing. A new undoable command
clears the redo list. ``_scene["undo"]`` is the log of chunk boundaries and records, for assertions.
"""

import os
import threading

from maya import _dg, _ma

_scene = {}


def _reset(batch=False):
    """Test control: an empty scene in a freshly started Maya, graphical unless ``batch``; the calling
    thread is Maya's main thread."""
    _scene.clear()
    _scene.update({"batch": batch, "nodes": {}, "connections": {}, "selection": [], "menus": {}, "items": [],
                   "undo": [], "queue": [], "redo": [], "chunk": None, "depth": 0, "units": {"linear": "cm", "angle": "deg"},
                   "scene_name": "", "plugins": [],
                   "progress": None, "cancel_at": None, "warnings": [], "dialogs": [], "answers": [],
                   "prompt_text": "", "deferred": [], "main": threading.current_thread()})


def _require_main():
    if threading.current_thread() is not _scene["main"]:
        raise RuntimeError("Maya commands throw an exception if they are called outside the main thread")


def _add_node(name, node_type, parent=None, **attrs):
    """Test control: a node, e.g. _add_node('|body', 'transform'); _add_node('|body|bodyShape', 'mesh', '|body',
    vrts=[(x, y, z), ...]). Values in internal units (cm, radians)."""
    if node_type == "mesh":
        attrs.setdefault("intermediateObject", False)
        attrs.setdefault("pnts", {})
    _scene["nodes"][name] = {"type": node_type, "parent": parent, "attrs": dict(attrs)}
    return name


def _connect(source, destination):
    """Test control: connectAttr, e.g. _connect('skinCluster1.outputGeometry[0]', '|body|bodyShape.inMesh')."""
    _scene["connections"][destination] = source


def _points(shape):
    """Test control: a mesh's points as Maya would show them now (cm, object space)."""
    return _dg.points(_scene, shape)


def _evaluate():
    """Test control: a DG evaluation (a frame change, a viewport refresh, a render)."""
    _dg.evaluate(_scene)


def _check(flags, allowed, command):
    for flag in flags:
        if flag not in allowed:
            raise TypeError("Invalid flag '%s' for %s" % (flag, command))


def about(**flags):
    _require_main()
    _check(flags, ("batch", "version", "apiVersion"), "about")
    if flags.get("batch"):
        return _scene["batch"]
    if flags.get("version"):
        return "2024"
    return 20240000


def ls(*objects, **flags):
    _require_main()
    _check(flags, ("selection", "long", "type", "noIntermediate"), "ls")
    names = []
    for o in objects:
        names.extend(o if isinstance(o, (list, tuple)) else [o])
    if flags.get("selection"):
        names = list(_scene["selection"])
    elif not objects:
        names = sorted(_scene["nodes"])
    names = [n for n in names if n in _scene["nodes"]]
    if flags.get("type"):
        names = [n for n in names if _scene["nodes"][n]["type"] == flags["type"]]
    if flags.get("noIntermediate"):
        names = [n for n in names if not _scene["nodes"][n]["attrs"].get("intermediateObject")]
    return names


def listRelatives(node, **flags):
    _require_main()
    _check(flags, ("shapes", "fullPath", "noIntermediate", "children"), "listRelatives")
    children = [n for n, d in sorted(_scene["nodes"].items()) if d["parent"] == node]
    if flags.get("shapes"):
        children = [n for n in children if _scene["nodes"][n]["type"] in ("mesh", "nurbsCurve")]
        if flags.get("noIntermediate"):
            children = [n for n in children if not _scene["nodes"][n]["attrs"].get("intermediateObject")]
    return children or None  # None, not [], when nothing matches


def objExists(name):
    _require_main()
    return name in _scene["nodes"]


def _plug(plug):
    """(node, attr, element index or None) of "node.attr" or "node.attr[i]"; an unknown one fails as in Maya."""
    node, attr = plug.split(".", 1)
    index = None
    if attr.endswith("]"):
        attr, index = attr[:-1].split("[")
        index = int(index)
    if node not in _scene["nodes"]:
        raise ValueError("No object matches name: %s" % plug)
    attrs = _scene["nodes"][node]["attrs"]
    if attr not in attrs:
        raise ValueError("No object matches name: %s" % plug)
    return node, attr, index


def getAttr(plug):
    """Values in UI units (DCC_API.md 4.13): double3 plugs and float3 elements give [(x, y, z)]."""
    _require_main()
    node, attr, index = _plug(plug)
    value = _scene["nodes"][node]["attrs"][attr]
    if index is not None:
        value = value.get(index, (0.0, 0.0, 0.0))
    if isinstance(value, (list, tuple)):
        scale = _dg.factor(_scene, attr)
        return [tuple(v / scale for v in value)]
    return value


def setAttr(plug, *values, **flags):
    """Values in UI units; undoable. A multi-value plug takes its values as separate arguments ("Getting
    and setting multi-value attributes": setAttr("curveShape1.cv[1]", 1.0, 1.2, 3.4))."""
    _require_main()
    _check(flags, ("type",), "setAttr")
    node, attr, index = _plug(plug)
    attrs = _scene["nodes"][node]["attrs"]
    if len(values) > 1:
        scale = _dg.factor(_scene, attr)
        new = tuple(float(v) * scale for v in values)
    else:
        new = values[0]
    if index is None:
        old = attrs[attr]
        attrs[attr] = list(new) if isinstance(new, tuple) else new
    else:
        old = attrs[attr].get(index)
        attrs[attr][index] = new
    _record(("setAttr", node, attr, index, old, new))


def _record(entry):
    """An undoable change: into the open chunk, or a step of its own; the redo list is gone."""
    _scene["undo"].append(entry)
    _scene["redo"] = []
    if _scene["chunk"] is not None:
        _scene["chunk"].append(entry)
    else:
        _scene["queue"].append([entry])
    _dg.evaluate(_scene)


def _put(entry, value):
    _, node, attr, index, _, _ = entry
    attrs = _scene["nodes"][node]["attrs"]
    if index is None:
        attrs[attr] = list(value) if isinstance(value, tuple) else value
    elif value is None:
        attrs[attr].pop(index, None)
    else:
        attrs[attr][index] = value


def undoInfo(**flags):
    _require_main()
    _check(flags, ("openChunk", "closeChunk", "chunkName", "query", "state"), "undoInfo")
    if flags.get("openChunk"):
        _scene["undo"].append(("open", flags.get("chunkName")))
        _scene["depth"] += 1
        if _scene["chunk"] is None:
            _scene["chunk"] = []
    elif flags.get("closeChunk"):
        if not _scene["depth"]:
            raise RuntimeError("undoInfo closeChunk without an open chunk leaves the undo queue in a bad state")
        _scene["undo"].append(("close",))
        _scene["depth"] -= 1
        if not _scene["depth"]:
            if _scene["chunk"]:
                _scene["queue"].append(_scene["chunk"])
            _scene["chunk"] = None
    elif flags.get("query") and flags.get("state"):
        return True


def undo():
    """Ctrl+Z: reverts the last step (a chunk or one command), newest record first."""
    _require_main()
    if _scene["depth"]:
        raise RuntimeError("undo while a chunk is open")
    if not _scene["queue"]:
        warning("There are no more commands to undo.")
        return
    step = _scene["queue"].pop()
    for entry in reversed(step):
        _put(entry, entry[4])
    _scene["redo"].append(step)
    _dg.evaluate(_scene)


def redo():
    """Shift+Z: applies the last undone step again."""
    _require_main()
    if not _scene["redo"]:
        warning("There are no more commands to redo.")
        return
    step = _scene["redo"].pop()
    for entry in step:
        _put(entry, entry[5])
    _scene["queue"].append(step)
    _dg.evaluate(_scene)


def currentUnit(**flags):
    """CommandsPython currentUnit (DCC_API.md 4.13): query=True with linear/angle gives the short name
    ("cm", "deg"), fullName=True the long one; linear="m" / angle="rad" set it."""
    _require_main()
    _check(flags, ("linear", "angle", "time", "query", "fullName", "updateAnimation"), "currentUnit")
    if flags.get("query"):
        kind = "linear" if flags.get("linear") else "angle" if flags.get("angle") else None
        if kind is None:
            raise TypeError("currentUnit query needs linear=True or angle=True here")
        unit = _scene["units"][kind]
        if flags.get("fullName"):
            names = _dg.LINEAR_NAMES if kind == "linear" else _dg.ANGLE_NAMES
            return [k for k, v in names.items() if v == unit][0]
        return unit
    for kind, known, names in (("linear", _dg.LINEAR, _dg.LINEAR_NAMES), ("angle", _dg.ANGLE, _dg.ANGLE_NAMES)):
        if kind in flags:
            unit = names.get(flags[kind], flags[kind])
            if unit not in known:
                raise RuntimeError("currentUnit: invalid %s unit %s" % (kind, flags[kind]))
            _scene["units"][kind] = unit
    return _scene["units"]["linear"]


def file(*path, **flags):
    """CommandsPython file: rename=, save=True (type="mayaAscii"), open=True with force=True, new=True,
    query=True with sceneName=True. Saving keeps what _ma writes; opening starts from an empty scene and
    undo queue, as a fresh session does."""
    _require_main()
    _check(flags, ("rename", "save", "type", "open", "force", "new", "query", "sceneName"), "file")
    if flags.get("query") and flags.get("sceneName"):
        return _scene["scene_name"]
    if "rename" in flags:
        _scene["scene_name"] = flags["rename"]
        return flags["rename"]
    if flags.get("save"):
        if not _scene["scene_name"]:
            raise RuntimeError("file -save: the scene has no name yet; use file(rename=path) first")
        if flags.get("type", "mayaAscii") != "mayaAscii":
            raise RuntimeError("the fake saves mayaAscii only")
        _ma.write(_scene, _scene["scene_name"])
        return _scene["scene_name"]
    if flags.get("open") or flags.get("new"):
        if not flags.get("force"):
            raise RuntimeError("file: unsaved changes; pass force=True as a script must")
        if flags.get("open") and not os.path.isfile(path[0]):
            raise RuntimeError("file: %s does not exist" % path[0])
        for key in ("nodes", "connections"):
            _scene[key] = {}
        _scene.update({"selection": [], "undo": [], "queue": [], "redo": [], "chunk": None, "depth": 0,
                       "units": {"linear": "cm", "angle": "deg"}, "scene_name": path[0] if path else ""})
        if flags.get("open"):
            _ma.read(_scene, path[0])
            _dg.evaluate(_scene)
        return _scene["scene_name"]
    raise TypeError("file: the fake supports rename, save, open, new and query sceneName")


def menu(name=None, **flags):
    _require_main()
    _check(flags, ("label", "parent", "tearOff", "exists", "edit", "deleteAllItems"), "menu")
    if _scene["batch"]:
        raise RuntimeError("menus need Maya's UI, which batch mode does not have")
    if flags.get("exists"):
        return name in _scene["menus"]
    if flags.get("edit"):
        if flags.get("deleteAllItems"):
            _scene["items"] = [i for i in _scene["items"] if not i["path"].startswith(name + "|")]
        return name
    _scene["menus"][name] = {"label": flags.get("label"), "parent": flags.get("parent")}
    return name


def menuItem(**flags):
    _require_main()
    _check(flags, ("label", "command", "parent", "annotation", "image", "subMenu", "divider", "dividerLabel",
                   "optionBox"), "menuItem")
    parent = flags.get("parent") or _scene.get("current_menu")
    path = "%s|menuItem%d" % (parent, len(_scene["items"]) + 1)
    _scene["items"].append({"path": path, "parent": parent, "label": flags.get("label"),
                            "command": flags.get("command"), "divider": flags.get("divider", False),
                            "subMenu": flags.get("subMenu", False)})
    if flags.get("subMenu"):
        _scene["current_menu"] = path
    return path


def setParent(parent, **flags):
    _require_main()
    _check(flags, ("menu",), "setParent")
    if parent == ".." and flags.get("menu"):
        current = _scene.get("current_menu") or ""
        _scene["current_menu"] = current.rsplit("|", 1)[0] if "|" in current else current


def deleteUI(name, **flags):
    _require_main()
    _check(flags, ("menu", "layout"), "deleteUI")
    _scene["menus"].pop(name, None)


def progressWindow(**flags):
    _require_main()
    _check(flags, ("title", "status", "progress", "minValue", "maxValue", "isInterruptable", "edit", "query",
                   "isCancelled", "endProgress", "step"), "progressWindow")
    window = _scene["progress"]
    if flags.get("endProgress"):
        _scene["progress"] = None
        return None
    if flags.get("query"):
        cancel_at = _scene["cancel_at"]
        return bool(window and cancel_at is not None and window["updates"] >= cancel_at)
    if flags.get("edit"):
        window["progress"] = flags.get("progress", window["progress"])
        window["updates"] += 1
        _scene.setdefault("progress_history", []).append(window["progress"])
        return None
    if window is not None:
        return False  # only one at a time
    _scene["progress"] = {"progress": flags.get("progress", 0), "updates": 0}
    _scene["progress_windows"] = _scene.get("progress_windows", 0) + 1
    return True


def confirmDialog(**flags):
    _require_main()
    _check(flags, ("title", "message", "button", "defaultButton", "cancelButton", "dismissString", "icon"),
           "confirmDialog")
    _scene["dialogs"].append(flags.get("message"))
    if _scene["answers"]:
        return _scene["answers"].pop(0)
    return flags.get("defaultButton") or (flags.get("button") or ["OK"])[0]


def promptDialog(**flags):
    _require_main()
    _check(flags, ("title", "message", "button", "defaultButton", "cancelButton", "dismissString", "text", "query"),
           "promptDialog")
    if flags.get("query") and flags.get("text"):
        return _scene["prompt_text"]
    _scene["dialogs"].append(flags.get("message"))
    if _scene["answers"]:
        return _scene["answers"].pop(0)
    return flags.get("defaultButton")


def evalDeferred(script_or_callable, **flags):
    _require_main()
    _check(flags, ("lowestPriority", "lowPriority", "evaluateNext", "list"), "evalDeferred")
    _scene["deferred"].append(script_or_callable)


def warning(msg):
    _require_main()
    _scene["warnings"].append(msg)


def error(msg):
    _require_main()
    _scene["warnings"].append(msg)
    raise RuntimeError(msg)
