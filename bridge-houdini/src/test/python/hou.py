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

import struct
import sys

_TEXT = (str,) if sys.version_info[0] >= 3 else (str, unicode)  # noqa: F821 (Python 2 has unicode)


class Error(Exception):
    pass


class OperationInterrupted(Error):
    pass


class GeometryPermissionError(Error):
    pass


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
          "messages": [], "status": [], "input_answer": None}


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
    def __init__(self, name, label, **keywords):
        self._name, self._label, self._keywords = name, label, keywords

    def name(self):
        return self._name

    def label(self):
        return self._label

    def _default(self):
        return self._keywords.get("default_value")


class FloatParmTemplate(_ParmTemplate):
    def __init__(self, name, label, num_components, default_value=(), min=0.0, max=10.0, min_is_strict=False,
                 max_is_strict=False, look=None, naming_scheme=parmNamingScheme.XYZW, disable_when=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        _ParmTemplate.__init__(self, name, label, default_value=tuple(default_value) or (0.0,),
                               script_callback=script_callback)


class IntParmTemplate(_ParmTemplate):
    def __init__(self, name, label, num_components, default_value=(), min=0, max=10, min_is_strict=False,
                 max_is_strict=False, naming_scheme=parmNamingScheme.XYZW, menu_items=(), menu_labels=(),
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        _ParmTemplate.__init__(self, name, label, default_value=tuple(default_value) or (0,),
                               script_callback=script_callback)


class StringParmTemplate(_ParmTemplate):
    def __init__(self, name, label, num_components, default_value=(), naming_scheme=parmNamingScheme.Base1,
                 string_type=stringParmType.Regular, file_type=fileType.Any, menu_items=(), menu_labels=(),
                 icon_names=(), item_generator_script=None, item_generator_script_language=None, menu_type=None,
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        _ParmTemplate.__init__(self, name, label, default_value=tuple(default_value) or ("",),
                               script_callback=script_callback, menu_items=tuple(menu_items),
                               disable_when=disable_when)

    def menuItems(self):
        return self._keywords["menu_items"]


class ToggleParmTemplate(_ParmTemplate):
    def __init__(self, name, label, default_value=False, disable_when=None, is_hidden=False, is_label_hidden=False,
                 join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        _ParmTemplate.__init__(self, name, label, default_value=(1 if default_value else 0,),
                               script_callback=script_callback)


class MenuParmTemplate(_ParmTemplate):
    def __init__(self, name, label, menu_items, menu_labels=(), default_value=0, icon_names=(),
                 item_generator_script=None, item_generator_script_language=None, disable_when=None, menu_type=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        _ParmTemplate.__init__(self, name, label, default_value=(default_value,), script_callback=script_callback,
                               menu_items=tuple(menu_items))

    def menuItems(self):
        return self._keywords["menu_items"]


class ButtonParmTemplate(_ParmTemplate):
    def __init__(self, name, label, disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False,
                 help=None, script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={},
                 conditionals={}):
        _ParmTemplate.__init__(self, name, label, default_value=(0,), script_callback=script_callback)


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


class Parm(object):
    def __init__(self, node, template, value):
        self._node, self._template, self._value = node, template, value

    def name(self):
        return self._template.name()

    def node(self):
        return self._node

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

    def lock(self, on):
        """https://www.sidefx.com/docs/houdini/hom/hou/Parm.html#lock"""
        self._locked = bool(on)

    def isLocked(self):
        return getattr(self, "_locked", False)

    def set(self, value, language=None, follow_parm_reference=True):
        if getattr(self, "_locked", False):
            raise Error("The parameter is locked")  # Houdini refuses to set a locked parameter
        self._value = value

    def pressButton(self):
        script = self._template._keywords.get("script_callback")
        if script:
            exec(script, {"hou": __import__("hou"), "kwargs": {"node": self._node, "parm": self}})


class Node(object):
    def __init__(self, parent, type_name, name):
        self._parent, self._type_name, self._name = parent, type_name, name
        self._children, self._inputs, self._user_data, self._errors = [], [None, None, None, None], {}, []
        self._parms = {}
        self._templates = ParmTemplateGroup()
        self._geometry = Geometry()
        self._cooking = False
        if type_name == "python":
            template = StringParmTemplate("python", "Python Code", 1, default_value=("",))
            self._templates.append(template)
            self._parms["python"] = Parm(self, template, "")
        _state["nodes"][self.path()] = self

    def name(self):
        return self._name

    def path(self):
        return (self._parent.path().rstrip("/") if self._parent else "") + "/" + self._name

    def parent(self):
        return self._parent

    def children(self):
        return tuple(self._children)

    def createNode(self, node_type_name, node_name=None, run_init_scripts=True, load_contents=True,
                   exact_type_name=False):
        child = Node(self, node_type_name, node_name or node_type_name + str(len(self._children) + 1))
        self._children.append(child)
        return child

    def setInput(self, input_index, item_to_become_input, output_index=0):
        self._inputs[input_index] = item_to_become_input

    def setFirstInput(self, item_to_become_input, output_index=0):
        self.setInput(0, item_to_become_input, output_index)

    def parm(self, parm_path):
        return self._parms.get(parm_path)

    def parmTemplateGroup(self):
        return ParmTemplateGroup(self._templates.entries())

    def setParmTemplateGroup(self, parm_template_group, rename_conflicting_parms=False):
        self._templates = ParmTemplateGroup(parm_template_group.entries())
        kept = {}
        for t in self._templates.entries():
            old = self._parms.get(t.name())
            default = t._default()
            kept[t.name()] = old if old is not None else Parm(self, t, default[0] if default else "")
            kept[t.name()]._template = t
        self._parms = kept

    def setUserData(self, name, value):
        if not isinstance(value, _TEXT):
            raise TypeError("user data values are strings")
        self._user_data[name] = value

    def userData(self, name):
        return self._user_data.get(name)

    def setCachedUserData(self, name, value):
        """https://www.sidefx.com/docs/houdini/hom/nodeuserdata.html: kept in memory, never saved."""
        self._cached_user_data = getattr(self, "_cached_user_data", {})
        self._cached_user_data[name] = value

    def cachedUserData(self, name):
        return getattr(self, "_cached_user_data", {}).get(name)

    def errors(self):
        return tuple(self._errors)

    def geometry(self, output_index=0):
        if self._cooking:
            return self._geometry  # hou.pwd().geometry() in a Python SOP's cook is writable
        return self._geometry.freeze(read_only=True)

    def _set_geometry(self, geometry):
        self._geometry = geometry

    def cook(self, force=False):
        """Cooks like Houdini: inputs first, then a Python SOP runs its code with hou.pwd() set to it."""
        self._errors = []
        upstream = self._inputs[0]
        if upstream is not None:
            upstream.cook(force)
            self._geometry = upstream._geometry.freeze(read_only=False)
        if self._type_name != "python":
            return
        previous = _state["pwd"]
        _state["pwd"] = self
        self._cooking = True
        try:
            exec(self._parms["python"].eval(), {"hou": __import__("hou")})
        except Exception as e:
            self._errors.append(str(e))
        finally:
            self._cooking = False
            _state["pwd"] = previous


def _reset(ui_available=False):
    """Test control: a fresh session with /obj/geo, graphical or not."""
    _state.update({"ui": ui_available, "pwd": None, "nodes": {}, "selected": [], "interrupt_after": None,
                   "progress": [], "messages": [], "status": [], "input_answer": None})
    root = Node(None, "root", "obj")
    return root.createNode("geo", "geo")
