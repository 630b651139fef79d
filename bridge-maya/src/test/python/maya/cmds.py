"""Fake ``maya.cmds``: see the package docstring. Behaviour from DCC_API.md sections 2 and 4."""

import threading

_scene = {}


def _reset(batch=False):
    """Test control: an empty scene, graphical unless ``batch``; the calling thread is Maya's main thread."""
    _scene.clear()
    _scene.update({"batch": batch, "nodes": {}, "selection": [], "menus": {}, "items": [], "undo": [],
                   "progress": None, "cancel_at": None, "warnings": [], "dialogs": [], "answers": [],
                   "prompt_text": "", "deferred": [], "main": threading.current_thread()})


def _require_main():
    if threading.current_thread() is not _scene["main"]:
        raise RuntimeError("Maya commands throw an exception if they are called outside the main thread")


def _add_node(name, node_type, parent=None, **attrs):
    """Test control: a node, e.g. _add_node('|body', 'transform'); _add_node('|body|bodyShape', 'mesh', '|body')."""
    if node_type == "mesh":
        attrs.setdefault("intermediateObject", False)
    _scene["nodes"][name] = {"type": node_type, "parent": parent, "attrs": dict(attrs)}
    return name


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


def getAttr(plug):
    _require_main()
    node, attr = plug.split(".", 1)
    value = _scene["nodes"][node]["attrs"][attr]
    return [tuple(value)] if isinstance(value, (list, tuple)) else value  # double3 plugs give [(x, y, z)]


def setAttr(plug, *values, **flags):
    _require_main()
    _check(flags, ("type",), "setAttr")
    node, attr = plug.split(".", 1)
    old = _scene["nodes"][node]["attrs"].get(attr)
    _scene["nodes"][node]["attrs"][attr] = list(values) if len(values) > 1 else values[0]
    _scene["undo"].append(("setAttr", plug, old))


def undoInfo(**flags):
    _require_main()
    _check(flags, ("openChunk", "closeChunk", "chunkName", "query", "state"), "undoInfo")
    if flags.get("openChunk"):
        _scene["undo"].append(("open", flags.get("chunkName")))
    elif flags.get("closeChunk"):
        _scene["undo"].append(("close",))
    elif flags.get("query") and flags.get("state"):
        return True


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
