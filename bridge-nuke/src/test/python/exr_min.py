"""The smallest OpenEXR writer and reader a test needs: scanline, HALF or FLOAT channels, NONE, ZIPS or ZIP.

Used by the fake Nuke to render a Write (with the Write's datatype and compression knobs), and by the test to
read what the agent wrote back. Layout per the OpenEXR file format: magic, version, header attributes, a line
offset table, then one block per 1 (NONE, ZIPS) or 16 (ZIP) scanlines with channels in alphabetical order.
Half floats are converted by hand: Jython 2.7's struct has no 'e' format.
"""

import struct
import zlib

MAGIC = 20000630


def _attr(name, kind, value):
    return name.encode("ascii") + b"\0" + kind.encode("ascii") + b"\0" + struct.pack("<i", len(value)) + value


HALF, FLOAT = 1, 2
NONE, ZIPS, ZIP = 0, 2, 3
_LINES = {NONE: 1, ZIPS: 1, ZIP: 16}


def half_bits(value):
    """IEEE half bits of a float, rounded to nearest even."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    sign, exp, mant = (bits >> 16) & 0x8000, (bits >> 23) & 0xFF, bits & 0x7FFFFF
    if exp == 0xFF:
        return sign | 0x7C00 | (0x200 if mant else 0)
    e = exp - 127 + 15
    if e >= 0x1F:
        return sign | 0x7C00
    if e <= 0:
        if e < -10:
            return sign
        mant |= 0x800000
        shift = 14 - e
        h = mant >> shift
        rest = mant & ((1 << shift) - 1)
        halfway = 1 << (shift - 1)
        if rest > halfway or (rest == halfway and h & 1):
            h += 1
        return sign | h
    h = sign | (e << 10) | (mant >> 13)
    rest = mant & 0x1FFF
    if rest > 0x1000 or (rest == 0x1000 and h & 1):
        h += 1
    return h


def half_value(bits):
    sign = -1.0 if bits & 0x8000 else 1.0
    e, m = (bits >> 10) & 0x1F, bits & 0x3FF
    if e == 0:
        return sign * m * 2.0 ** -24
    if e == 31:
        return sign * float("inf") if m == 0 else float("nan")
    return sign * (1.0 + m / 1024.0) * 2.0 ** (e - 15)


def as_half(value):
    """The float a HALF channel stores for ``value``."""
    return half_value(half_bits(value))


def _zip(raw):
    """OpenEXR's ZIP: split even and odd bytes, a byte delta predictor, then zlib."""
    raw = bytearray(raw)
    t = raw[0::2] + raw[1::2]
    out = bytearray(t)
    for i in range(1, len(t)):
        out[i] = (t[i] - t[i - 1] + 128 + 256) & 0xFF
    return zlib.compress(bytes(out))


def write(path, width, height, channels, pixel_type=FLOAT, compression=NONE):
    """channels: {name: list of width*height floats, row-major from the top}."""
    names = sorted(channels)
    size = 2 if pixel_type == HALF else 4
    chlist = b"".join(n.encode("ascii") + b"\0" + struct.pack("<iB3xii", pixel_type, 0, 1, 1) for n in names) + b"\0"
    box = struct.pack("<iiii", 0, 0, width - 1, height - 1)
    header = (struct.pack("<ii", MAGIC, 2) + _attr("channels", "chlist", chlist)
              + _attr("compression", "compression", struct.pack("<B", compression)) + _attr("dataWindow", "box2i", box)
              + _attr("displayWindow", "box2i", box) + _attr("lineOrder", "lineOrder", b"\0")
              + _attr("pixelAspectRatio", "float", struct.pack("<f", 1.0))
              + _attr("screenWindowCenter", "v2f", struct.pack("<ff", 0.0, 0.0))
              + _attr("screenWindowWidth", "float", struct.pack("<f", 1.0)) + b"\0")
    blocks = []
    step = _LINES[compression]
    for y0 in range(0, height, step):
        raw = b""
        for y in range(y0, min(height, y0 + step)):
            for n in names:
                row = channels[n][y * width:(y + 1) * width]
                raw += (struct.pack("<%dH" % width, *[half_bits(v) for v in row]) if size == 2
                        else struct.pack("<%df" % width, *row))
        if compression != NONE:
            packed = _zip(raw)
            raw = packed if len(packed) < len(raw) else raw
        blocks.append(struct.pack("<ii", y0, len(raw)) + raw)
    offset = len(header) + 8 * len(blocks)
    table = b""
    for block in blocks:
        table += struct.pack("<Q", offset)
        offset += len(block)
    with open(path, "wb") as f:
        f.write(header + table + b"".join(blocks))


def _attributes(data):
    """({attribute name: raw value}, offset after the header) of a file's bytes."""
    pos, attrs = 8, {}
    while data[pos:pos + 1] != b"\0":
        name_end = data.index(b"\0", pos)
        kind_end = data.index(b"\0", name_end + 1)
        size = struct.unpack("<i", data[kind_end + 1:kind_end + 5])[0]
        attrs[data[pos:name_end].decode("ascii")] = data[kind_end + 5:kind_end + 5 + size]
        pos = kind_end + 5 + size
    return attrs, pos + 1


def _channels(chl):
    """[(name, pixel type)] of a chlist attribute."""
    found, i = [], 0
    while chl[i:i + 1] != b"\0":
        end = chl.index(b"\0", i)
        found.append((chl[i:end].decode("ascii"), struct.unpack("<i", chl[end + 1:end + 5])[0]))
        i = end + 1 + 16
    return found


def read(path):
    """(width, height, {name: floats}) of a scanline file: HALF or FLOAT, NONE, ZIPS or ZIP."""
    with open(path, "rb") as f:
        data = f.read()
    attrs, pos = _attributes(data)
    x0, y0, x1, y1 = struct.unpack("<iiii", attrs["dataWindow"])
    width, height = x1 - x0 + 1, y1 - y0 + 1
    channels = _channels(attrs["channels"])
    names, types = [n for n, _ in channels], [t for _, t in channels]
    compression = ord(attrs["compression"][0:1])
    lines_per_block = {0: 1, 2: 1, 3: 16}[compression]
    blocks = (height + lines_per_block - 1) // lines_per_block
    offsets = struct.unpack("<%dQ" % blocks, data[pos:pos + 8 * blocks])
    out = dict((n, []) for n in names)
    for offset in offsets:
        y, size = struct.unpack("<ii", data[offset:offset + 8])
        raw = data[offset + 8:offset + 8 + size]
        lines = min(lines_per_block, y1 + 1 - y)
        line_bytes = sum((2 if t == HALF else 4) * width for t in types)
        if compression != 0 and size < line_bytes * lines:
            raw = _unzip(raw)
        start = 0
        for line in range(lines):
            for n, t in zip(names, types):
                if t == HALF:
                    out[n].extend(half_value(b) for b in struct.unpack("<%dH" % width, raw[start:start + 2 * width]))
                    start += 2 * width
                else:
                    out[n].extend(struct.unpack("<%df" % width, raw[start:start + 4 * width]))
                    start += 4 * width
    return width, height, out


def header(path):
    """{"compression": code, "types": {channel: HALF or FLOAT}} of a file, for tests of what was written."""
    with open(path, "rb") as f:
        attrs = _attributes(f.read(4096))[0]
    return {"compression": ord(attrs["compression"][0:1]), "types": dict(_channels(attrs["channels"]))}


def _unzip(raw):
    """OpenEXR's ZIP: zlib, then undo the byte predictor, then interleave the two halves."""
    t = bytearray(zlib.decompress(raw))
    for i in range(1, len(t)):
        t[i] = (t[i - 1] + t[i] - 128) & 0xFF
    half = (len(t) + 1) // 2
    out = bytearray(len(t))
    out[0::2] = t[:half]
    out[1::2] = t[half:]
    return bytes(out)
