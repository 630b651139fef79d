"""Geometry to tensors and back, in bulk: whole attributes move as raw bytes, never point by point.

A mapping names where a tensor lives: ``point:P``, ``prim:Cd``, ``detail:scale`` or ``volume:0``
(the volume primitive with that number). Calls and their byte layouts are those of
https://www.sidefx.com/docs/houdini/hom/hou/Geometry.html and .../hou/Volume.html.
"""

import hou

from conduit_client import ConduitError, Tensor

CLASSES = ("point", "prim", "detail", "volume")


def parse_mapping(text):
    """('point', 'P') from 'point:P', refusing anything else with the forms it accepts."""
    cls, sep, name = (text or "").partition(":")
    if not sep or cls not in CLASSES or not name:
        raise ConduitError("attribute mapping %r is not CLASS:NAME with CLASS one of %s (e.g. point:P)"
                           % (text, ", ".join(CLASSES)), "CDT-USAGE")
    return cls, name


def read_tensor(geo, mapping, spec):
    """The tensor for input ``spec`` (name, datatype, shape, layout) read from ``geo`` per ``mapping``."""
    cls, name = parse_mapping(mapping)
    if cls == "volume":
        return _read_volume(geo, name, spec)
    if cls == "detail":
        # attribValue returns the detail (global) attribute's value: Geometry.html#attribValue
        value = geo.attribValue(name) if geo.findGlobalAttrib(name) is not None else None
        if value is None:
            raise ConduitError("input %s: the geometry has no detail attribute %r" % (spec["name"], name), "CDT-INPUT-INVALID")
        values = list(value) if isinstance(value, (tuple, list)) else [value]
        return Tensor.from_values(spec["name"], spec["datatype"], fit_shape(spec, 1, len(values)), values)
    attrib = geo.findPointAttrib(name) if cls == "point" else geo.findPrimAttrib(name)
    if attrib is None:
        raise ConduitError("input %s: the geometry has no %s attribute %r" % (spec["name"], cls, name), "CDT-INPUT-INVALID")
    count = geo.intrinsicValue("pointcount" if cls == "point" else "primitivecount")
    size = attrib.size()
    wanted = {"FP32": hou.attribData.Float, "INT32": hou.attribData.Int}.get(spec["datatype"])
    if wanted is not None and attrib.dataType() != wanted:
        raise ConduitError("input %s is %s but %s attribute %r is not a%s attribute; map one that is"
                           % (spec["name"], spec["datatype"], cls, name,
                              " float" if wanted == hou.attribData.Float else "n integer"), "CDT-INPUT-INVALID")
    if spec["datatype"] == "FP32":
        raw = (geo.pointFloatAttribValuesAsString(name, float_type=hou.numericData.Float32) if cls == "point"
               else geo.primFloatAttribValuesAsString(name, float_type=hou.numericData.Float32))
    elif spec["datatype"] == "INT32":
        raw = (geo.pointIntAttribValuesAsString(name, int_type=hou.numericData.Int32) if cls == "point"
               else geo.primIntAttribValuesAsString(name, int_type=hou.numericData.Int32))
    else:
        raise ConduitError("input %s is %s; geometry attributes map to FP32 or INT32 inputs"
                           % (spec["name"], spec["datatype"]), "CDT-INPUT-INVALID")
    return Tensor(spec["name"], spec["datatype"], fit_shape(spec, count, size), raw)


def _read_volume(geo, number, spec):
    volume = _volume(geo, number, spec["name"])
    xres, yres, zres = volume.resolution()
    # allVoxelsAsString: float32, x fastest, then y, then z -> a (z, y, x) array (Volume.html)
    raw = volume.allVoxelsAsString()
    rank = len(spec["shape"])
    shape = [zres, yres, xres]
    while len(shape) < rank:
        shape.insert(0, 1)
    return Tensor(spec["name"], "FP32", shape, raw)


def _volume(geo, number, what):
    try:
        # Geometry.prim(index) builds one primitive, not all of them (HOM_Geometry.h;
        # https://www.sidefx.com/docs/houdini/hom/hou/Geometry.html#prim); None when out of range.
        prim = geo.prim(int(number))
    except (ValueError, IndexError):
        prim = None
    if prim is None:
        raise ConduitError("%s: volume:%s names no primitive; write volume:N with N the volume's primitive number"
                           % (what, number), "CDT-INPUT-INVALID")
    if not hasattr(prim, "allVoxelsAsString"):
        raise ConduitError("%s: primitive %s is not a volume" % (what, number), "CDT-INPUT-INVALID")
    return prim


def fit_shape(spec, count, size):
    """The input's shape for ``count`` elements of ``size`` components, per its declared rank."""
    declared = spec["shape"]
    if len(declared) == 3:
        return [1, count, size]
    if len(declared) == 2:
        return [count, size]
    if len(declared) == 1:
        return [count * size]
    raise ConduitError("input %s has shape %s; attributes map to [N, C], [1, N, C] or [N*C] inputs"
                       % (spec["name"], declared), "CDT-INPUT-INVALID")


def write_tensor(geo, mapping, tensor):
    """Writes ``tensor`` into ``geo`` per ``mapping``, adding the attribute when it does not exist."""
    cls, name = parse_mapping(mapping)
    if tensor.datatype != "FP32":
        raise ConduitError("output %s is %s; only FP32 outputs are written to geometry" % (tensor.name, tensor.datatype),
                           "CDT-INPUT-INVALID")
    if cls == "volume":
        _volume(geo, name, "output " + tensor.name).setAllVoxelsFromString(tensor.data)
        return
    if cls == "detail":
        values = tensor.values()
        if geo.findGlobalAttrib(name) is None:
            _add(geo, hou.attribType.Global, name, len(values))
        # setGlobalAttribValue: Geometry.html#setGlobalAttribValue
        geo.setGlobalAttribValue(name, values[0] if len(values) == 1 else tuple(values))
        return
    count = geo.intrinsicValue("pointcount" if cls == "point" else "primitivecount")
    total = 1
    for axis in tensor.shape:
        total *= axis
    if count == 0 or total % count:
        raise ConduitError("output %s has %d values, which do not divide among %d %ss"
                           % (tensor.name, total, count, cls), "CDT-INFERENCE-FAILED")
    size = total // count
    find = geo.findPointAttrib if cls == "point" else geo.findPrimAttrib
    attrib = find(name)
    if attrib is None:
        _add(geo, hou.attribType.Point if cls == "point" else hou.attribType.Prim, name, size)
    elif attrib.size() != size:
        raise ConduitError("output %s has %d components per %s but attribute %s has %d"
                           % (tensor.name, size, cls, name, attrib.size()), "CDT-INFERENCE-FAILED")
    if cls == "point":
        geo.setPointFloatAttribValuesFromString(name, tensor.data, float_type=hou.numericData.Float32)
    else:
        geo.setPrimFloatAttribValuesFromString(name, tensor.data, float_type=hou.numericData.Float32)


def _add(geo, attrib_type, name, size):
    default = 0.0 if size == 1 else tuple([0.0] * size)
    # Both keywords always passed: their defaults differ between sources (DCC_API.md 1.4).
    geo.addAttrib(attrib_type, name, default_value=default, transform_as_normal=(name == "N"),
                  create_local_variable=False)
