"""The smallest OpenEXR writer and reader a test needs: scanline, uncompressed, FLOAT channels.

Used by the fake Nuke to render a Write, and by the test to read what the agent wrote back (the agent
writes uncompressed or zip; only uncompressed is read here, which the test asks for). Layout per
the OpenEXR file format: magic, version, header attributes, a line offset table, then one block per
scanline with channels in alphabetical order.
"""

import struct
import zlib

MAGIC = 20000630


def _attr(name, kind, value):
    return name.encode("ascii") + b"\0" + kind.encode("ascii") + b"\0" + struct.pack("<i", len(value)) + value


def write(path, width, height, channels):
    """channels: {name: list of width*height floats, row-major from the top}."""
    names = sorted(channels)
    chlist = b"".join(n.encode("ascii") + b"\0" + struct.pack("<iB3xii", 2, 0, 1, 1) for n in names) + b"\0"
    box = struct.pack("<iiii", 0, 0, width - 1, height - 1)
    header = (struct.pack("<ii", MAGIC, 2) + _attr("channels", "chlist", chlist)
              + _attr("compression", "compression", b"\0") + _attr("dataWindow", "box2i", box)
              + _attr("displayWindow", "box2i", box) + _attr("lineOrder", "lineOrder", b"\0")
              + _attr("pixelAspectRatio", "float", struct.pack("<f", 1.0))
              + _attr("screenWindowCenter", "v2f", struct.pack("<ff", 0.0, 0.0))
              + _attr("screenWindowWidth", "float", struct.pack("<f", 1.0)) + b"\0")
    blocks = []
    for y in range(height):
        line = b"".join(struct.pack("<%df" % width, *channels[n][y * width:(y + 1) * width]) for n in names)
        blocks.append(struct.pack("<ii", y, len(line)) + line)
    offset = len(header) + 8 * height
    table = b""
    for block in blocks:
        table += struct.pack("<Q", offset)
        offset += len(block)
    with open(path, "wb") as f:
        f.write(header + table + b"".join(blocks))


def read(path):
    """(width, height, {name: floats}) of an uncompressed or zip FLOAT scanline file."""
    with open(path, "rb") as f:
        data = f.read()
    pos = 8
    attrs = {}
    while data[pos:pos + 1] != b"\0":
        name_end = data.index(b"\0", pos)
        kind_end = data.index(b"\0", name_end + 1)
        size = struct.unpack("<i", data[kind_end + 1:kind_end + 5])[0]
        attrs[data[pos:name_end].decode("ascii")] = data[kind_end + 5:kind_end + 5 + size]
        pos = kind_end + 5 + size
    pos += 1
    x0, y0, x1, y1 = struct.unpack("<iiii", attrs["dataWindow"])
    width, height = x1 - x0 + 1, y1 - y0 + 1
    names, chl = [], attrs["channels"]
    i = 0
    while chl[i:i + 1] != b"\0":
        end = chl.index(b"\0", i)
        names.append(chl[i:end].decode("ascii"))
        i = end + 1 + 16
    compression = ord(attrs["compression"][0:1])
    lines_per_block = {0: 1, 2: 1, 3: 16}[compression]
    blocks = (height + lines_per_block - 1) // lines_per_block
    offsets = struct.unpack("<%dQ" % blocks, data[pos:pos + 8 * blocks])
    out = dict((n, []) for n in names)
    for offset in offsets:
        y, size = struct.unpack("<ii", data[offset:offset + 8])
        raw = data[offset + 8:offset + 8 + size]
        lines = min(lines_per_block, y1 + 1 - y)
        if compression != 0 and size < 4 * width * len(names) * lines:
            raw = _unzip(raw)
        for line in range(lines):
            base = line * 4 * width * len(names)
            for c, n in enumerate(names):
                start = base + c * 4 * width
                out[n].extend(struct.unpack("<%df" % width, raw[start:start + 4 * width]))
    return width, height, out


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
