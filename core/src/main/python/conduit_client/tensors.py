"""Tensors as the V2 binary extension carries them: raw little-endian bytes, a datatype and a shape.

BYTES tensors (strings) hold Triton's binary layout: each element a 4-byte little-endian length followed by its
UTF-8 bytes.
"""

import array
import struct
import sys

from conduit_client.errors import ConduitError

# V2 datatype -> (struct code, bytes per element). array.array lacks 8-byte integers on Python 2,
# so every datatype goes through struct codes, which are the same on 2 and 3. BF16 has no struct
# code: its values go through FP32 (bfloat16 is the top half of a float32).
_FORMATS = {
    "BOOL": ("?", 1),
    "UINT8": ("B", 1),
    "INT8": ("b", 1),
    "INT16": ("h", 2),
    "UINT16": ("H", 2),
    "INT32": ("i", 4),
    "UINT32": ("I", 4),
    "INT64": ("q", 8),
    "UINT64": ("Q", 8),
    "FP16": ("e", 2),
    "BF16": (None, 2),
    "FP32": ("f", 4),
    "FP64": ("d", 8),
}

_ARRAY_CODES = {"f": "FP32", "d": "FP64", "i": "INT32", "B": "UINT8", "b": "INT8", "h": "INT16", "H": "UINT16"}

# numpy dtype per datatype; bfloat16 is read as its raw 16-bit pattern (numpy has no bfloat16).
_NUMPY_DTYPES = {"BOOL": "?", "UINT8": "u1", "INT8": "i1", "INT16": "<i2", "UINT16": "<u2", "INT32": "<i4",
                 "UINT32": "<u4", "INT64": "<i8", "UINT64": "<u8", "FP16": "<f2", "FP32": "<f4", "FP64": "<f8"}


STRINGS = "BYTES"


def _pack_strings(values):
    parts = []
    for value in values:
        raw = value if isinstance(value, bytes) else value.encode("utf-8")  # Python 2's str is bytes already
        parts.append(struct.pack("<I", len(raw)))
        parts.append(raw)
    return b"".join(parts)


def _unpack_strings(name, raw):
    strings = []
    offset = 0
    while offset < len(raw):
        if offset + 4 > len(raw):
            raise ConduitError("tensor %s: its BYTES data ends inside the length of string %d" % (name, len(strings)),
                               "CDT-PROTOCOL")
        length = struct.unpack("<I", raw[offset:offset + 4])[0]
        offset += 4
        if offset + length > len(raw):
            raise ConduitError("tensor %s: string %d declares %d bytes but only %d remain"
                               % (name, len(strings), length, len(raw) - offset), "CDT-PROTOCOL")
        strings.append(raw[offset:offset + length].decode("utf-8"))
        offset += length
    return strings


def _check_struct(datatype):
    # struct's "e" (half floats) arrived in Python 3.6; Python 2.7 and Jython have no way to pack them.
    if datatype == "FP16" and sys.version_info < (3, 6):
        raise ConduitError("FP16 values need Python 3.6 or later to convert; this is Python %d.%d. Send FP16 as raw"
                           " bytes (Tensor(name, 'FP16', shape, data)) instead" % sys.version_info[:2], "CDT-USAGE")


def _pack(datatype, values):
    if datatype == "BF16":
        return b"".join(struct.pack("<H", _bf16_bits(v)) for v in values)
    return struct.pack("<%d%s" % (len(values), _FORMATS[datatype][0]), *values)


def _unpack(datatype, raw):
    if datatype == "BF16":
        halves = struct.unpack("<%dH" % (len(raw) // 2), raw)
        return [struct.unpack("<f", struct.pack("<I", h << 16))[0] for h in halves]
    code, size = _FORMATS[datatype]
    return list(struct.unpack("<%d%s" % (len(raw) // size, code), raw))


def _bf16_bits(value):
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    if (bits & 0x7f800000) == 0x7f800000 and (bits & 0x7fffff):
        return (bits >> 16) | 0x40  # NaN stays NaN, quiet
    return ((bits + 0x7fff + ((bits >> 16) & 1)) >> 16) & 0xffff  # round to nearest, ties to even


def element_size(datatype):
    if datatype == STRINGS:
        raise ConduitError("BYTES elements are strings of any length; they have no element size", "CDT-USAGE")
    if datatype not in _FORMATS:
        raise ConduitError("datatype %r is not one of %s" % (datatype, ", ".join(sorted(list(_FORMATS) + [STRINGS]))))
    return _FORMATS[datatype][1]


def _count(shape):
    n = 1
    for axis in shape:
        n *= int(axis)
    return n


class Tensor(object):
    """A named tensor. ``data`` holds ``prod(shape) * element_size`` little-endian bytes (any buffer); for BYTES,
    each string's 4-byte little-endian length and UTF-8 bytes."""

    def __init__(self, name, datatype, shape, data):
        self.name = name
        self.datatype = datatype
        self.shape = [int(axis) for axis in shape]
        self.data = data
        if datatype == STRINGS:
            count = len(_unpack_strings(name, _as_bytes(data)))
            if count != _count(self.shape):
                raise ConduitError("tensor %s: %d strings for shape %s; expected %d"
                                   % (name, count, self.shape, _count(self.shape)))
            return
        expected = _count(self.shape) * element_size(datatype)
        if nbytes_of(data) != expected:
            raise ConduitError("tensor %s: %d bytes of data for shape %s of %s; expected %d"
                               % (name, nbytes_of(data), self.shape, datatype, expected))

    @classmethod
    def from_values(cls, name, datatype, shape, values):
        """A tensor from a flat sequence of numbers (of text or UTF-8 bytes for BYTES)."""
        if datatype == STRINGS:
            return cls(name, datatype, shape, _pack_strings(values))
        element_size(datatype)
        _check_struct(datatype)
        return cls(name, datatype, shape, _pack(datatype, values))

    @classmethod
    def from_array(cls, name, values, shape):
        """A tensor from an ``array.array`` ('f', 'd', 'i', 'b', 'B', 'h' or 'H') or a numpy array, without a Python loop."""
        if isinstance(values, array.array):
            if values.typecode not in _ARRAY_CODES:
                raise ConduitError("tensor %s: array typecode %r is not one of %s"
                                   % (name, values.typecode, sorted(_ARRAY_CODES)))
            if sys.byteorder != "little":
                values = array.array(values.typecode, values)
                values.byteswap()
            return cls(name, _ARRAY_CODES[values.typecode], shape, _array_bytes(values))
        datatype = _numpy_datatype(name, values)
        if datatype == STRINGS:
            return cls.from_values(name, datatype, shape, values.ravel().tolist())
        return cls(name, datatype, shape, values.astype(values.dtype.newbyteorder("<"), copy=False).tobytes())

    def values(self):
        """The elements as a flat list of Python numbers, or of text for BYTES (small tensors; use ``as_array`` for
        big ones)."""
        if self.datatype == STRINGS:
            return _unpack_strings(self.name, _as_bytes(self.data))
        _check_struct(self.datatype)
        return _unpack(self.datatype, _as_bytes(self.data))

    def as_array(self):
        """The elements as an ``array.array`` (FP32 'f', FP64 'd', INT32 'i', INT8 'b', INT16 'h', UINT16 'H',
        UINT8/BOOL 'B')."""
        codes = dict((datatype, code) for code, datatype in _ARRAY_CODES.items())
        codes["BOOL"] = "B"
        if self.datatype not in codes:
            raise ConduitError("tensor %s is %s; as_array takes %s (use values())"
                               % (self.name, self.datatype, ", ".join(sorted(codes))))
        out = array.array(codes[self.datatype])
        _array_extend(out, _as_bytes(self.data))
        if sys.byteorder != "little":
            out.byteswap()
        return out

    def as_numpy(self):
        """The elements as a numpy array of the tensor's shape (needs numpy, which the client never requires).
        BF16 comes back as FP32 (numpy has no bfloat16), exactly; BYTES as numpy's fixed-width unicode."""
        import numpy
        if self.datatype == STRINGS:
            return numpy.array(self.values(), dtype=numpy.str_).reshape(self.shape)
        if self.datatype == "BF16":
            bits = numpy.frombuffer(self.data, dtype="<u2").astype("<u4") << 16
            return bits.view("<f4").reshape(self.shape)
        return numpy.frombuffer(self.data, dtype=_NUMPY_DTYPES[self.datatype]).reshape(self.shape)

    def nbytes(self):
        return nbytes_of(self.data)

    def tobytes(self):
        """The raw little-endian bytes (a copy when ``data`` is a view)."""
        return _as_bytes(self.data)

    def __repr__(self):
        return "Tensor(%r, %s, %s)" % (self.name, self.datatype, self.shape)


def nbytes_of(data):
    if isinstance(data, array.array):
        return len(data) * data.itemsize  # Python 2's arrays have no buffer interface for memoryview
    try:
        view = memoryview(data)
    except TypeError:
        return len(data)
    if hasattr(view, "nbytes"):
        return view.nbytes
    return len(view) * view.itemsize  # Python 2 and Jython: 1-D views without nbytes


def _as_bytes(data):
    if isinstance(data, bytes):
        return data
    if isinstance(data, array.array):
        return _array_bytes(data)
    return memoryview(data).tobytes()


def _array_bytes(values):
    if hasattr(values, "tobytes"):
        return values.tobytes()
    return values.tostring()  # Python 2


def _array_extend(out, raw):
    if hasattr(out, "frombytes"):
        out.frombytes(raw)
    else:
        out.fromstring(raw)  # Python 2


def _numpy_datatype(name, values):
    kinds = {("f", 8): "FP64", ("f", 4): "FP32", ("f", 2): "FP16", ("i", 1): "INT8", ("i", 2): "INT16",
             ("i", 4): "INT32", ("i", 8): "INT64", ("u", 1): "UINT8", ("u", 2): "UINT16", ("u", 4): "UINT32",
             ("u", 8): "UINT64", ("b", 1): "BOOL"}
    dtype = getattr(values, "dtype", None)
    if dtype is not None and dtype.kind == "U":
        return STRINGS
    key = (dtype.kind, dtype.itemsize) if dtype is not None else None
    if key not in kinds:
        raise ConduitError("tensor %s: expected an array.array or a numpy array of float16/32/64, int8/16/32/64,"
                           " uint8/16/32/64, bool or str (bfloat16: Tensor(name, 'BF16', shape, raw_bytes)); got %r"
                           % (name, type(values).__name__ if dtype is None else dtype))
    return kinds[key]
