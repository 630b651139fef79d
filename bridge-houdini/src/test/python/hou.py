"""A fake of Houdini's ``hou`` module for tests, implementing only the calls the bridge uses.

Every name, argument name, default and return shape follows ../shared/DCC_API.md section 1 and the
SideFX pages it cites (https://www.sidefx.com/docs/houdini/hom/hou/...); keyword arguments that
the real call does not take raise TypeError here too. Names starting with ``_`` are the test's
controls, never called by bridge code. Behaviour reproduced (DCC_API.md section 4): the
``*AsString`` calls return packed little-endian float32/int32 bytes; ``*FromString`` takes any
buffer and fails on a size mismatch; writes to a SOP's cooked geometry raise
GeometryPermissionError; missing things return None; InterruptableOperation raises
OperationInterrupted once cancelled; ``hou.ui`` needs ``isUIAvailable()``.
"""

import json
import os
import struct
import sys

_TEXT = (str,) if sys.version_info[0] >= 3 else (str, unicode)  # noqa: F821 (Python 2 has unicode)


class Error(Exception):
    pass


class OperationInterrupted(Error):
    pass


class GeometryPermissionError(Error):
    pass


class OperationFailed(Error):
    pass


class LoadWarning(Error):
    """hipFile.html#load: raised after loading when there were warnings, e.g. a missing asset."""


class _Enum(object):
    def __init__(self, kind, name):
        self._kind, self._name = kind, name

    def __repr__(self):
        return "hou.%s.%s" % (self._kind, self._name)


class attribType(object):
    Point, Prim, Vertex, Global = [_Enum("attribType", n) for n in ("Point", "Prim", "Vertex", "Global")]


class attribData(object):
    Int, Float, String = [_Enum("attribData", n) for n in ("Int", "Float", "String")]


class numericData(object):
    Int8, Int16, Int32, Int64, Float16, Float32, Float64 = [
        _Enum("numericData", n) for n in ("Int8", "Int16", "Int32", "Int64", "Float16", "Float32", "Float64")]


class scriptLanguage(object):
    Python, Hscript = _Enum("scriptLanguage", "Python"), _Enum("scriptLanguage", "Hscript")


class parmNamingScheme(object):
    Base1, XYZW = _Enum("parmNamingScheme", "Base1"), _Enum("parmNamingScheme", "XYZW")


class stringParmType(object):
    Regular, FileReference = _Enum("stringParmType", "Regular"), _Enum("stringParmType", "FileReference")


class fileType(object):
    Any = _Enum("fileType", "Any")


class severityType(object):
    Message, ImportantMessage, Warning, Error, Fatal = [
        _Enum("severityType", n) for n in ("Message", "ImportantMessage", "Warning", "Error", "Fatal")]


_state = {"ui": False, "pwd": None, "nodes": {}, "selected": [], "interrupt_after": None, "progress": [],
          "messages": [], "status": [], "input_answer": None, "cooking": [], "cook_writes": [], "modified": False,
          "definitions": {}, "houdini_path": [], "home": None, "hip": None, "load_warnings": [],
          "loading_contents": 0, "root": None}


def applicationVersion(include_patch=False):
    return (20, 5, 445) if include_patch else (20, 5)


def applicationVersionString():
    return "20.5.445"


def isUIAvailable():
    return _state["ui"]


def pwd():
    return _state["pwd"]


def node(path):
    return _state["nodes"].get(path)


def selectedNodes(include_hidden=False):
    """https://www.sidefx.com/docs/houdini/hom/hou/selectedNodes.html -> tuple of Node."""
    return tuple(_state["selected"])


class _UI(object):
    def _require(self):
        if not _state["ui"]:
            raise Error("hou.ui is not available without a graphical session")

    def displayMessage(self, text, buttons=("OK",), severity=severityType.Message, default_choice=0, close_choice=-1,
                       help=None, title=None, details=None, details_label=None, details_expanded=False):
        self._require()
        _state["messages"].append(text)
        return default_choice

    def readInput(self, message, buttons=("OK",), severity=severityType.Message, default_choice=0, close_choice=-1,
                  help=None, title=None, initial_contents=None):
        """https://www.sidefx.com/docs/houdini/hom/hou/ui.html#readInput -> (button index, text)."""
        self._require()
        _state["messages"].append(message)
        return _state["input_answer"]

    def setStatusMessage(self, message, severity=severityType.Message):
        self._require()
        _state["status"].append(message)


ui = _UI()


class InterruptableOperation(object):
    def __init__(self, operation_name, long_operation_name=None, open_interrupt_dialog=False):
        self.operation_name = operation_name
        self._updates = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def _tick(self, percentage):
        if percentage != -1.0 and not 0.0 <= percentage <= 1.0:
            raise Error("percentage is a fraction from 0.0 to 1.0, or -1; got %r" % percentage)
        _state["progress"].append(percentage)
        self._updates += 1
        after = _state["interrupt_after"]
        if after is not None and self._updates > after:
            raise OperationInterrupted("interrupted")

    def updateProgress(self, percentage=-1.0):
        self._tick(percentage)

    def updateLongProgress(self, percentage=-1.0, long_op_status=None):
        self._tick(percentage)


class Attrib(object):
    def __init__(self, attrib_type, name, size, data_type, values):
        self._type, self._name, self._size, self._data_type, self._values = attrib_type, name, size, data_type, values

    def name(self):
        return self._name

    def size(self):
        return self._size

    def type(self):
        return self._type

    def dataType(self):
        return self._data_type


class Volume(object):
    """Built by tests only (Houdini creates volumes through geometry); the methods are the documented ones."""

    def __init__(self, resolution, voxels):
        self._resolution = tuple(resolution)
        self._voxels = list(voxels)

    def resolution(self):
        return self._resolution

    def allVoxels(self):
        return tuple(self._voxels)

    def allVoxelsAsString(self):
        return struct.pack("<%df" % len(self._voxels), *self._voxels)

    def setAllVoxelsFromString(self, values):
        raw = _buffer_bytes(values)
        if len(raw) != 4 * len(self._voxels):
            raise Error("expected %d bytes of float32 voxels, got %d" % (4 * len(self._voxels), len(raw)))
        self._voxels = list(struct.unpack("<%df" % len(self._voxels), raw))


def _buffer_bytes(values):
    """Any buffer (bytes, array, memoryview) as bytes, as the real *FromString calls accept."""
    if isinstance(values, bytes):
        return values
    if hasattr(values, "tobytes"):
        return values.tobytes()
    if hasattr(values, "tostring"):
        return values.tostring()
    return memoryview(values).tobytes()


class Geometry(object):
    def __init__(self):
        self._attribs = {}
        self._points = 0
        self._prims = []
        self._read_only = False
        self._add(attribType.Point, "P", (0.0, 0.0, 0.0))

    def _writable(self):
        if self._read_only:
            raise GeometryPermissionError("Geometry is read-only")

    def _add(self, attrib_type, name, default_value):
        size = len(default_value) if isinstance(default_value, (tuple, list)) else 1
        defaults = list(default_value) if isinstance(default_value, (tuple, list)) else [default_value]
        if isinstance(defaults[0], _TEXT):
            data_type = attribData.String
        elif isinstance(defaults[0], int) and not isinstance(defaults[0], bool):
            data_type = attribData.Int
        else:
            data_type = attribData.Float
        count = {attribType.Point: self._points, attribType.Prim: len(self._prims), attribType.Global: 1}[attrib_type]
        attrib = Attrib(attrib_type, name, size, data_type, defaults * count)
        self._attribs[(attrib_type, name)] = attrib
        return attrib

    def _set_prims(self, prims):
        """Test control: the primitives (volumes) this geometry holds."""
        self._prims = list(prims)

    def freeze(self, read_only=False):
        copy = Geometry()
        copy._points = self._points
        copy._prims = list(self._prims)
        for key, a in self._attribs.items():
            copy._attribs[key] = Attrib(a._type, a._name, a._size, a._data_type, list(a._values))
        copy._read_only = read_only
        return copy

    def createPoints(self, point_positions):
        self._writable()
        start = self._points
        self._points += len(point_positions)
        for (kind, _), a in self._attribs.items():
            if kind is attribType.Point:
                a._values.extend([0.0 if a._data_type is attribData.Float else 0] * (a._size * len(point_positions)))
        p = self._attribs[(attribType.Point, "P")]
        for i, pos in enumerate(point_positions):
            p._values[3 * (start + i):3 * (start + i) + 3] = [float(c) for c in pos]
        return tuple(range(start, self._points))

    def prims(self):
        return tuple(self._prims)

    def prim(self, index):
        """Geometry.html#prim: the primitive with that number, or None."""
        return self._prims[index] if 0 <= index < len(self._prims) else None

    def intrinsicValue(self, intrinsic_name):
        if intrinsic_name == "pointcount":
            return self._points
        if intrinsic_name == "primitivecount":
            return len(self._prims)
        raise Error("unknown intrinsic %r" % intrinsic_name)

    def findPointAttrib(self, name):
        return self._attribs.get((attribType.Point, name))

    def findPrimAttrib(self, name):
        return self._attribs.get((attribType.Prim, name))

    def findVertexAttrib(self, name):
        return None

    def findGlobalAttrib(self, name):
        return self._attribs.get((attribType.Global, name))

    def addAttrib(self, type, name, default_value, transform_as_normal=False, create_local_variable=True):
        self._writable()
        if (type, name) in self._attribs:
            raise Error("attribute %s already exists" % name)
        return self._add(type, name, default_value)

    def attribValue(self, name_or_attrib):
        """https://www.sidefx.com/docs/houdini/hom/hou/Geometry.html#attribValue: the detail attribute's value."""
        a = self.findGlobalAttrib(name_or_attrib if isinstance(name_or_attrib, _TEXT) else name_or_attrib.name())
        if a is None:
            raise Error("no detail attribute %r" % (name_or_attrib,))
        return a._values[0] if a._size == 1 else tuple(a._values)

    def setGlobalAttribValue(self, name_or_attrib, attrib_value):
        """https://www.sidefx.com/docs/houdini/hom/hou/Geometry.html#setGlobalAttribValue."""
        self._writable()
        a = self.findGlobalAttrib(name_or_attrib if isinstance(name_or_attrib, _TEXT) else name_or_attrib.name())
        if a is None:
            raise Error("no detail attribute %r" % (name_or_attrib,))
        a._values = list(attrib_value) if isinstance(attrib_value, (tuple, list)) else [attrib_value]

    def _values_as_string(self, kind, name, code, number_type, expected_type):
        a = self._attribs.get((kind, name))
        if a is None:
            raise Error("no attribute %r" % name)
        if number_type is not expected_type[0] and number_type is not expected_type[1]:
            raise Error("unsupported numeric type %r" % number_type)
        if a._data_type is not (attribData.Float if code == "f" else attribData.Int):
            raise Error("attribute %r holds %r values" % (name, a._data_type))
        wide = number_type in (numericData.Float64, numericData.Int64)
        fmt = {"f": "d" if wide else "f", "i": "q" if wide else "i"}[code]
        return struct.pack("<%d%s" % (len(a._values), fmt), *a._values)

    def _set_from_string(self, kind, name, values, code, number_type):
        self._writable()
        a = self._attribs.get((kind, name))
        if a is None:
            raise Error("no attribute %r" % name)
        wide = number_type in (numericData.Float64, numericData.Int64)
        fmt = {"f": "d" if wide else "f", "i": "q" if wide else "i"}[code]
        raw = _buffer_bytes(values)
        size = struct.calcsize("<" + fmt)
        if len(raw) != size * len(a._values):
            raise Error("expected %d values (elements x tuple size), got %d bytes" % (len(a._values), len(raw)))
        a._values = list(struct.unpack("<%d%s" % (len(a._values), fmt), raw))

    def pointFloatAttribValuesAsString(self, name, float_type=numericData.Float32):
        return self._values_as_string(attribType.Point, name, "f", float_type, (numericData.Float32, numericData.Float64))

    def setPointFloatAttribValuesFromString(self, name, values, float_type=numericData.Float32):
        self._set_from_string(attribType.Point, name, values, "f", float_type)

    def pointIntAttribValuesAsString(self, name, int_type=numericData.Int32):
        return self._values_as_string(attribType.Point, name, "i", int_type, (numericData.Int32, numericData.Int64))

    def setPointIntAttribValuesFromString(self, name, values, int_type=numericData.Int32):
        self._set_from_string(attribType.Point, name, values, "i", int_type)

    def primFloatAttribValuesAsString(self, name, float_type=numericData.Float32):
        return self._values_as_string(attribType.Prim, name, "f", float_type, (numericData.Float32, numericData.Float64))

    def setPrimFloatAttribValuesFromString(self, name, values, float_type=numericData.Float32):
        self._set_from_string(attribType.Prim, name, values, "f", float_type)

    def primIntAttribValuesAsString(self, name, int_type=numericData.Int32):
        return self._values_as_string(attribType.Prim, name, "i", int_type, (numericData.Int32, numericData.Int64))

    def setPrimIntAttribValuesFromString(self, name, values, int_type=numericData.Int32):
        self._set_from_string(attribType.Prim, name, values, "i", int_type)

    def pointFloatAttribValues(self, name):
        return tuple(self._attribs[(attribType.Point, name)]._values)


class _ParmTemplate(object):
    """Every template keeps the arguments it was built with, so a .hip or .hda can rebuild it."""

    def _record(self, arguments):
        arguments = dict(arguments)
        del arguments["self"]
        self._arguments = arguments
        self._name, self._label = arguments["name"], arguments["label"]
        self._keywords = dict(arguments)
        default = arguments.get("default_value")
        if isinstance(self, ToggleParmTemplate):
            default = (1 if default else 0,)
        elif isinstance(self, (MenuParmTemplate, ButtonParmTemplate)):
            default = (default or 0,)
        else:
            default = tuple(default or ()) or (self._empty,)
        self._keywords["default_value"] = default
        self._keywords["menu_items"] = tuple(arguments.get("menu_items") or ())

    _empty = ""

    def name(self):
        return self._name

    def label(self):
        return self._label

    def clone(self):
        return type(self)(**self._arguments)

    def _default(self):
        return self._keywords.get("default_value")


class FloatParmTemplate(_ParmTemplate):
    _empty = 0.0

    def __init__(self, name, label, num_components, default_value=(), min=0.0, max=10.0, min_is_strict=False,
                 max_is_strict=False, look=None, naming_scheme=parmNamingScheme.XYZW, disable_when=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class IntParmTemplate(_ParmTemplate):
    _empty = 0

    def __init__(self, name, label, num_components, default_value=(), min=0, max=10, min_is_strict=False,
                 max_is_strict=False, naming_scheme=parmNamingScheme.XYZW, menu_items=(), menu_labels=(),
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class StringParmTemplate(_ParmTemplate):
    def __init__(self, name, label, num_components, default_value=(), naming_scheme=parmNamingScheme.Base1,
                 string_type=stringParmType.Regular, file_type=fileType.Any, menu_items=(), menu_labels=(),
                 icon_names=(), item_generator_script=None, item_generator_script_language=None, menu_type=None,
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())

    def menuItems(self):
        return self._keywords["menu_items"]


class ToggleParmTemplate(_ParmTemplate):
    def __init__(self, name, label, default_value=False, disable_when=None, is_hidden=False, is_label_hidden=False,
                 join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class MenuParmTemplate(_ParmTemplate):
    def __init__(self, name, label, menu_items, menu_labels=(), default_value=0, icon_names=(),
                 item_generator_script=None, item_generator_script_language=None, disable_when=None, menu_type=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())

    def menuItems(self):
        return self._keywords["menu_items"]


class ButtonParmTemplate(_ParmTemplate):
    def __init__(self, name, label, disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False,
                 help=None, script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={},
                 conditionals={}):
        self._record(locals())


class ParmTemplateGroup(object):
    def __init__(self, parm_templates=()):
        self._templates = list(parm_templates)

    def append(self, parm_template):
        self._templates.append(parm_template)

    addParmTemplate = append

    def find(self, name):
        for t in self._templates:
            if t.name() == name:
                return t
        return None

    def replace(self, name, parm_template):
        self._templates = [parm_template if t.name() == name else t for t in self._templates]

    def remove(self, name):
        self._templates = [t for t in self._templates if t.name() != name]

    def entries(self):
        return tuple(self._templates)


def _changed(node, what):
    """Every scene edit comes here: the .hip becomes modified, and an edit made while a node cooks is recorded,
    since SideFX says not to set parameters (or user data) inside a Python SOP's cook (hom/pythonsop.html)."""
    _state["modified"] = True
    if _state["cooking"]:
        _state["cook_writes"].append("%s: %s while %s cooked" % (node.path(), what, _state["cooking"][-1].path()))


class Parm(object):
    def __init__(self, node, template, value):
        self._node, self._template, self._value = node, template, value

    def name(self):
        return self._template.name()

    def node(self):
        return self._node

    def parmTemplate(self):
        return self._template

    def eval(self):
        return self._value

    def evalAsFloat(self):
        return float(self._value)

    def evalAsInt(self):
        return int(self._value)

    def evalAsString(self):
        items = self._template._keywords.get("menu_items")
        if isinstance(self._template, MenuParmTemplate) and items:
            return items[int(self._value)]  # a menu parameter evaluates to its token as a string
        return str(self._value)

    def menuItems(self):
        """Parm.html#menuItems: the tokens; a Python menu script returns [token, label, token, label, ...]."""
        script = self._template._keywords.get("item_generator_script")
        if script and self._template._keywords.get("item_generator_script_language") is scriptLanguage.Python:
            body = "def _menu(kwargs):\n" + "".join("    " + line + "\n" for line in script.splitlines())
            scope = {"hou": sys.modules[__name__]}
            exec(body, scope)
            return tuple(scope["_menu"]({"node": self._node, "parm": self})[0::2])
        return tuple(self._template._keywords.get("menu_items") or ())

    def lock(self, on):
        """https://www.sidefx.com/docs/houdini/hom/hou/Parm.html#lock"""
        _changed(self._node, "parameter %s locked" % self.name())
        self._locked = bool(on)

    def isLocked(self):
        return getattr(self, "_locked", False)

    def set(self, value, language=None, follow_parm_reference=True):
        if getattr(self, "_locked", False):
            raise Error("The parameter is locked")  # Houdini refuses to set a locked parameter
        _changed(self._node, "parameter %s set" % self.name())
        self._value = value
        self._node._dirty()

    def pressButton(self):
        script = self._template._keywords.get("script_callback")
        if script:
            exec(script, {"hou": sys.modules[__name__], "kwargs": {"node": self._node, "parm": self}})


class NodeTypeCategory(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/NodeTypeCategory.html: nodeTypes() is what the TAB menu offers."""

    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def nodeTypes(self):
        types = dict((n, NodeType(self, n, None)) for n in _BUILTIN_TYPES.get(self._name, ()))
        for definition in _state["definitions"].values():
            if definition._category == self._name:
                types[definition.nodeTypeName()] = NodeType(self, definition.nodeTypeName(), definition)
        return types

    def nodeType(self, type_name):
        return self.nodeTypes().get(type_name)


class NodeType(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/NodeType.html (definition() from OpNodeType)."""

    def __init__(self, category, name, definition):
        self._category, self._name, self._definition = category, name, definition

    def name(self):
        return self._name

    def category(self):
        return self._category

    def description(self):
        return self._definition.description() if self._definition else self._name

    def definition(self):
        return self._definition


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


def sopNodeTypeCategory():
    return NodeTypeCategory("Sop")


def objNodeTypeCategory():
    return NodeTypeCategory("Object")


def homeHoudiniDirectory():
    return _state["home"]


# What each context offers without any asset installed (only the types the tests use).
_BUILTIN_TYPES = {"Object": ("geo", "subnet"), "Sop": ("python", "null", "file", "subnet")}
_CHILD_CATEGORY = {"obj": "Object", "geo": "Sop"}


class SubnetIndirectInput(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/SubnetIndirectInput.html: a subnet's input seen from inside."""

    def __init__(self, subnet, number):
        self._subnet, self._number = subnet, number

    def number(self):
        return self._number  # 1-based, as Houdini numbers them

    def input(self):
        return self._subnet._inputs[self._number - 1]


class Node(object):
    def __init__(self, parent, type_name, name, category, definition=None):
        self._parent, self._type_name, self._name = parent, type_name, name
        self._category, self._definition = category, definition
        self._children, self._inputs, self._user_data, self._errors = [], [None, None, None, None], {}, []
        self._parms = {}
        self._templates = ParmTemplateGroup()
        self._geometry = Geometry()
        self._cooking = False
        self._stale = True
        self._display = False
        self._cooks = 0  # test control: how many times this Python SOP's code ran
        self._apply_templates(self._base_group())
        _state["nodes"][self.path()] = self

    def _base_group(self):
        if self._definition is not None:
            return self._definition.parmTemplateGroup()
        if self._type_name in ("python", "file"):
            label = "Python Code" if self._type_name == "python" else "Geometry File"
            return ParmTemplateGroup([StringParmTemplate(self._type_name, label, 1, default_value=("",))])
        return ParmTemplateGroup()

    def _spare(self):
        base = set(t.name() for t in self._base_group().entries())
        return tuple(t for t in self._templates.entries() if t.name() not in base)

    def _apply_templates(self, group):
        self._templates = ParmTemplateGroup(group.entries())
        kept = {}
        for t in self._templates.entries():
            old = self._parms.get(t.name())
            default = t._default()
            kept[t.name()] = old if old is not None else Parm(self, t, default[0] if default else "")
            kept[t.name()]._template = t
        self._parms = kept

    def name(self):
        return self._name

    def path(self):
        return (self._parent.path().rstrip("/") if self._parent else "") + "/" + self._name

    def parent(self):
        return self._parent

    def children(self):
        return tuple(self._children)

    def type(self):
        return NodeType(NodeTypeCategory(self._category), self._type_name, self._definition)

    def node(self, node_path):
        for child in self._children:
            if child.name() == node_path:
                return child
        return None

    def _child_category(self):
        if self._definition is not None or self._type_name == "subnet":
            return self._category
        return _CHILD_CATEGORY.get(self._type_name)

    def createNode(self, node_type_name, node_name=None, run_init_scripts=True, load_contents=True,
                   exact_type_name=False):
        """Node.html#createNode: a type the network's context does not offer raises OperationFailed
        ("Invalid node type name"), e.g. a python SOP asked for in /obj."""
        category = self._child_category()
        offered = NodeTypeCategory(category).nodeTypes() if category else {}
        if node_type_name not in offered:
            raise OperationFailed("Invalid node type name: %r in %s (a %s network)"
                                  % (node_type_name, self.path(), category or "non-network"))
        if self._definition is not None and not _state["loading_contents"]:
            raise OperationFailed("Cannot create nodes inside a locked digital asset (%s)" % self.path())
        _changed(self, "node %s created" % node_type_name)
        name = node_name or node_type_name.split("::")[-2 if "::" in node_type_name else 0] + str(len(self._children) + 1)
        child = Node(self, node_type_name, name, category, offered[node_type_name].definition())
        self._children.append(child)
        if child._definition is not None:
            child._load_contents(child._definition._record["contents"])
        return child

    def _load_contents(self, records):
        _state["loading_contents"] += 1
        try:
            _build_children(self, records)
        finally:
            _state["loading_contents"] -= 1

    def destroy(self):
        _changed(self, "node destroyed")
        for child in list(self._children):
            child.destroy()
        if self._parent is not None:
            self._parent._children.remove(self)
        _state["nodes"].pop(self.path(), None)

    def indirectInputs(self):
        """Node.html#indirectInputs: the subnet's inputs as seen by the nodes inside."""
        if self._type_name != "subnet" and self._definition is None:
            return ()
        return tuple(SubnetIndirectInput(self, i + 1) for i in range(4))

    def inputs(self):
        return tuple(i for i in self._inputs if i is not None)

    def setInput(self, input_index, item_to_become_input, output_index=0):
        _changed(self, "input %d set" % input_index)
        self._inputs[input_index] = item_to_become_input
        self._dirty()

    def setFirstInput(self, item_to_become_input, output_index=0):
        self.setInput(0, item_to_become_input, output_index)

    def setDisplayFlag(self, on):
        """SopNode.html#setDisplayFlag: one display node per network."""
        _changed(self, "display flag set")
        if on and self._parent is not None:
            for sibling in self._parent._children:
                sibling._display = False
        self._display = bool(on)
        if self._parent is not None:
            self._parent._dirty()

    def setRenderFlag(self, on):
        _changed(self, "render flag set")

    def isDisplayFlagSet(self):
        return self._display

    def displayNode(self):
        """ObjNode.html#displayNode: the SOP with the display flag inside this object, or None."""
        for child in self._children:
            if child._display:
                return child
        return None

    def parm(self, parm_path):
        return self._parms.get(parm_path)

    def parmTemplateGroup(self):
        return ParmTemplateGroup(self._templates.entries())

    def setParmTemplateGroup(self, parm_template_group, rename_conflicting_parms=False):
        _changed(self, "parameter interface changed")
        names = set(t.name() for t in parm_template_group.entries())
        for t in self._base_group().entries():
            if t.name() not in names:
                raise OperationFailed("Cannot remove parameter %s: it belongs to the node type %s"
                                      % (t.name(), self._type_name))
        self._apply_templates(parm_template_group)

    def setUserData(self, name, value):
        if not isinstance(value, _TEXT):
            raise TypeError("user data values are strings")
        _changed(self, "user data %s set" % name)
        self._user_data[name] = value

    def userData(self, name):
        return self._user_data.get(name)

    def setCachedUserData(self, name, value):
        """https://www.sidefx.com/docs/houdini/hom/nodeuserdata.html: kept in memory, never saved."""
        self._cached_user_data = getattr(self, "_cached_user_data", {})
        self._cached_user_data[name] = value

    def cachedUserData(self, name):
        return getattr(self, "_cached_user_data", {}).get(name)

    def canCreateDigitalAsset(self):
        return self._type_name == "subnet" and self._definition is None

    def createDigitalAsset(self, name=None, hda_file_name=None, description=None, min_num_inputs=0,
                           max_num_inputs=0, compress_contents=False, comment=None, version=None,
                           save_as_embedded=False, ignore_external_references=False, compile_asset=False,
                           change_node_type=True, create_backup=True):
        """Node.html#createDigitalAsset: the subnet's contents become a new node type saved in hda_file_name,
        installed in this session, and (change_node_type) this node becomes its first instance."""
        if not self.canCreateDigitalAsset():
            raise OperationFailed("%s is not a subnet; only subnets become digital assets" % self.path())
        record = {"name": name, "category": self._category, "description": description or name,
                  "min_inputs": min_num_inputs, "max_inputs": max_num_inputs, "version": version,
                  "parms": [_template_record(t) for t in self._templates.entries()],
                  "contents": [_node_record(c) for c in self._children], "sections": {}}
        definition = HDADefinition(record, os.path.abspath(hda_file_name))
        definition._write()
        _state["definitions"][name] = definition
        if not change_node_type:
            return self
        parent, node_name, inputs = self._parent, self._name, list(self._inputs)
        self.destroy()
        instance = parent.createNode(name, node_name)
        instance._inputs = inputs
        return instance

    def errors(self):
        return tuple(self._errors)

    def geometry(self, output_index=0):
        if self._cooking:
            return self._geometry  # hou.pwd().geometry() in a Python SOP's cook is writable
        return self._geometry.freeze(read_only=True)

    def _set_geometry(self, geometry):
        """Test control: what this SOP produces from now on (as if it read a file)."""
        self._geometry = self._produced = geometry
        self._dirty()

    def _dirty(self):
        """Houdini recooks a node after any change to it or to anything upstream, and a subnet with its contents."""
        if self._stale:
            return
        self._stale = True
        for n in list(_state["nodes"].values()):
            if any(i is self or (isinstance(i, SubnetIndirectInput) and i._subnet is self) for i in n._inputs):
                n._dirty()
        if self._parent is not None and self._parent._category == self._category:
            self._parent._dirty()

    def _input_geometry(self, force):
        upstream = self._inputs[0]
        if isinstance(upstream, SubnetIndirectInput):
            upstream = upstream.input()
        if upstream is None:
            return Geometry()
        upstream.cook(force)
        return upstream._geometry.freeze(read_only=False)

    def cook(self, force=False):
        """Cooks like Houdini: only when something changed (or forced), inputs first; a Python SOP runs its code
        with hou.pwd() set to it; a subnet or asset cooks the node with the display flag inside it."""
        if not self._stale and not force:
            return
        self._errors = []
        self._geometry = self._input_geometry(force)
        if getattr(self, "_produced", None) is not None:
            self._geometry = self._produced.freeze(read_only=False)
        elif self._type_name == "file":
            self._geometry = _read_geometry_file(self._parms["file"].eval())
        elif self._type_name == "subnet" or self._definition is not None:
            shown = self.displayNode()
            if shown is not None:
                shown.cook(force)
                self._geometry = shown._geometry.freeze(read_only=False)
                # the asset reports its contents' errors ([?] Houdini shows an error badge on the asset)
                self._errors = list(shown._errors)
        elif self._type_name == "python":
            previous = _state["pwd"]
            _state["pwd"] = self
            _state["cooking"].append(self)
            self._cooking = True
            self._cooks += 1
            try:
                exec(self._parms["python"].eval(), {"hou": sys.modules[__name__]})
            except Exception as e:
                self._errors.append(str(e))
            finally:
                self._cooking = False
                _state["cooking"].pop()
                _state["pwd"] = previous
        self._stale = False


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
        return getattr(globals()[value["enum"][0]], value["enum"][1])
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        return dict((k, _decode(v)) for k, v in value.items())
    return value


def _template_record(template):
    return {"class": type(template).__name__, "args": _encode(template._arguments)}


def _template_from(record):
    args = dict((str(k), v) for k, v in _decode(record["args"]).items())
    return globals()[record["class"]](**args)


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
