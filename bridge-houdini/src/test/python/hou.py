"""A fake of Houdini's ``hou`` module for tests, implementing only the calls the bridge uses.

Every name, argument name, default and return shape follows ../shared/DCC_API.md section 1 and the
SideFX pages it cites (https://www.sidefx.com/docs/houdini/hom/hou/...); keyword arguments that
the real call does not take raise TypeError here too. Names starting with ``_`` are the test's
controls, never called by bridge code. Behaviour reproduced (DCC_API.md section 4): the
``*AsString`` calls return packed little-endian float32/int32 bytes; ``*FromString`` takes any
buffer and fails on a size mismatch; writes to a SOP's cooked geometry raise
GeometryPermissionError; missing things return None; InterruptableOperation raises
OperationInterrupted once cancelled; ``hou.ui`` needs ``isUIAvailable()``; node types exist only in
their network's context and only when built in or installed; a ``.hip`` keeps what Houdini saves
and nothing else; a cook that writes parameters or user data is recorded (hou_nodes.py, hou_files.py).

This file holds the session, progress and geometry; nodes and parameters are in hou_nodes.py,
digital asset libraries and .hip files in hou_files.py, all re-exported here as ``hou.*``.
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


# Nodes, parameters and files, after everything they use from this module is defined.
from hou_nodes import (  # noqa: E402
    ButtonParmTemplate, FloatParmTemplate, IntParmTemplate, MenuParmTemplate, Node, NodeType, NodeTypeCategory,
    Parm, ParmTemplateGroup, StringParmTemplate, SubnetIndirectInput, ToggleParmTemplate, homeHoudiniDirectory,
    objNodeTypeCategory, sopNodeTypeCategory)
from hou_files import HDADefinition, HDASection, _reset, hipFile  # noqa: E402,F401
