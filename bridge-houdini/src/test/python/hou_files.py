"""Digital asset libraries and .hip files of the fake ``hou`` (re-exported by hou.py).

The fake writes both as JSON (the real formats are Houdini's own); what matters is what they keep:
a .hip holds node types by name, parameter values, spare parameters, user data (not cached user
data), connections and flags, never cooked geometry or Python state; a library holds an asset's
parameters and contents. A fresh session knows only the libraries in ``otls/`` folders of
HOUDINI_PATH and of the user's preferences, so a scene naming a missing asset loads without it.
"""

import json
import os

import hou
from hou import _state, Geometry, LoadWarning, OperationFailed, _Enum
from hou_nodes import Node, ParmTemplateGroup, SubnetIndirectInput


class HDADefinition(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/HDADefinition.html. The fake stores a library as JSON (the real
    .hda format is Houdini's own); what matters is that only what the definition holds comes back."""

    def __init__(self, record, path):
        self._record, self._path = record, path
        self._category = record["category"]

    def nodeTypeName(self):
        return self._record["name"]

    def description(self):
        return self._record["description"]

    def libraryFilePath(self):
        return self._path

    def minNumInputs(self):
        return self._record["min_inputs"]

    def maxNumInputs(self):
        return self._record["max_inputs"]

    def parmTemplateGroup(self):
        return ParmTemplateGroup([_template_from(t) for t in self._record["parms"]])

    def setParmTemplateGroup(self, parm_template_group, rename_conflicting_parms=False, create_backup=True):
        self._record["parms"] = [_template_record(t) for t in parm_template_group.entries()]
        self._write()
        for n in list(_state["nodes"].values()):
            if n._definition is self:
                n._apply_templates(ParmTemplateGroup(self.parmTemplateGroup().entries() + n._spare()))

    def sections(self):
        return dict((k, HDASection(k, v)) for k, v in self._record["sections"].items())

    def addSection(self, name, contents="", compression_type=None):
        self._record["sections"][name] = contents
        self._write()
        return HDASection(name, contents)

    def _write(self):
        folder = os.path.dirname(self._path)
        if folder and not os.path.isdir(folder):
            os.makedirs(folder)
        with open(self._path, "w") as f:
            json.dump(self._record, f, indent=1, sort_keys=True)


class HDASection(object):
    def __init__(self, name, contents):
        self._name, self._contents = name, contents

    def name(self):
        return self._name

    def contents(self):
        return self._contents


def _read_geometry_file(path):
    """The fake's File SOP: points from a JSON file {"P": [[x, y, z], ...]} (standing in for a .bgeo)."""
    geometry = Geometry()
    with open(path) as f:
        geometry.createPoints([tuple(p) for p in json.load(f)["P"]])
    return geometry


def _encode(value):
    if isinstance(value, _Enum):
        return {"enum": [value._kind, value._name]}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return dict((k, _encode(v)) for k, v in value.items())
    return value


def _decode(value):
    if isinstance(value, dict) and set(value) == set(["enum"]):
        return getattr(getattr(hou, value["enum"][0]), value["enum"][1])
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        return dict((k, _decode(v)) for k, v in value.items())
    return value


def _template_record(template):
    return {"class": type(template).__name__, "args": _encode(template._arguments)}


def _template_from(record):
    args = dict((str(k), v) for k, v in _decode(record["args"]).items())
    return getattr(hou, record["class"])(**args)


def _node_record(node):
    """What a .hip (or an asset's contents) keeps of a node: its type by name, parameter values, spare
    parameters, user data (not cached user data), connections, the display flag, and children unless they
    come from an asset's definition. Never cooked geometry or anything in Python's memory."""
    inputs = []
    for i in node._inputs:
        if isinstance(i, SubnetIndirectInput):
            inputs.append({"indirect": i.number()})
        elif i is not None:
            inputs.append({"node": i.name()})
        else:
            inputs.append(None)
    return {"name": node._name, "type": node._type_name, "parms": dict((n, p._value) for n, p in node._parms.items()),
            "locked": [n for n, p in node._parms.items() if p.isLocked()],
            "spare": [_template_record(t) for t in node._spare()], "user_data": dict(node._user_data),
            "inputs": inputs, "display": node._display,
            "children": [] if node._definition is not None else [_node_record(c) for c in node._children]}


def _build_children(parent, records):
    """Recreates saved nodes under parent; a node whose type is not installed is skipped with a warning."""
    built = {}
    for record in records:
        try:
            node = parent.createNode(record["type"], record["name"])
        except OperationFailed:
            _state["load_warnings"].append("%s/%s: unknown node type %s (is the digital asset's library on "
                                           "HOUDINI_PATH?)" % (parent.path().rstrip("/"), record["name"], record["type"]))
            continue
        spare = [_template_from(t) for t in record["spare"]]
        node._apply_templates(ParmTemplateGroup(node._base_group().entries() + tuple(spare)))
        for name, value in record["parms"].items():
            if name in node._parms:
                node._parms[name]._value = value
        for name in record["locked"]:
            if name in node._parms:
                node._parms[name]._locked = True
        node._user_data = dict(record["user_data"])
        node._display = record["display"]
        node._load_contents(record["children"]) if record["children"] else None
        built[record["name"]] = (node, record)
    for node, record in built.values():
        for index, ref in enumerate(record["inputs"]):
            if ref is None:
                continue
            if "indirect" in ref:
                node._inputs[index] = SubnetIndirectInput(parent, ref["indirect"])
            elif ref["node"] in built:
                node._inputs[index] = built[ref["node"]][0]


class _HipFile(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/hipFile.html (signatures as HOM_hipFile.h)."""

    def path(self):
        return _state["hip"] or os.path.join(os.getcwd(), "untitled.hip")

    def isNewFile(self):
        return _state["hip"] is None

    def hasUnsavedChanges(self):
        # "only works in a graphical session; in a non-graphical session it always returns True"
        return _state["modified"] if _state["ui"] else True

    def save(self, file_name=None, save_to_recent_files=True):
        path = os.path.abspath(file_name or self.path())
        if os.path.dirname(path) and not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        with open(path, "w") as f:
            json.dump({"obj": [_node_record(c) for c in _state["root"]._children]}, f, indent=1, sort_keys=True)
        _state["hip"], _state["modified"] = path, False

    def load(self, file_name, suppress_save_prompt=False, ignore_load_warnings=False):
        """Raises OperationFailed when the file cannot be read, LoadWarning (after loading what it can)
        when a node's type is missing, as for an asset whose library is not installed."""
        try:
            with open(file_name) as f:
                saved = json.load(f)
        except (IOError, OSError, ValueError) as e:
            raise OperationFailed("cannot load %s: %s" % (file_name, e))
        _clear()
        _build_children(_state["root"], saved["obj"])
        _state["hip"], _state["modified"] = os.path.abspath(file_name), False
        if _state["load_warnings"] and not ignore_load_warnings:
            raise LoadWarning("\n".join(_state["load_warnings"]))


hipFile = _HipFile()


def _scan_libraries():
    """Definitions Houdini finds at start-up: every .hda in an otls/ folder of HOUDINI_PATH and of the user's
    preference folder (https://www.sidefx.com/docs/houdini/hom/locations.html)."""
    folders = list(_state["houdini_path"]) + [_state["home"]]
    for folder in folders:
        otls = os.path.join(folder, "otls")
        if not os.path.isdir(otls):
            continue
        for name in sorted(os.listdir(otls)):
            if name.endswith(".hda"):
                path = os.path.join(otls, name)
                with open(path) as f:
                    record = json.load(f)
                _state["definitions"].setdefault(record["name"], HDADefinition(record, path))


def _clear():
    _state.update({"pwd": None, "nodes": {}, "selected": [], "cooking": [], "cook_writes": [], "load_warnings": [],
                   "hip": None})
    _state["root"] = Node(None, "obj", "obj", "Manager")


def _reset(ui_available=False, houdini_path=(), home=None):
    """Test control: a fresh Houdini process (new Python state, assets found again from HOUDINI_PATH), graphical
    or not, with an empty /obj/geo."""
    _state.update({"ui": ui_available, "interrupt_after": None, "progress": [], "messages": [], "status": [],
                   "input_answer": None, "definitions": {}, "houdini_path": list(houdini_path),
                   "home": home or os.path.join(os.getcwd(), "houdini20.5"), "loading_contents": 0})
    _scan_libraries()
    _clear()
    geo = _state["root"].createNode("geo", "geo")
    _state["modified"] = False
    return geo
