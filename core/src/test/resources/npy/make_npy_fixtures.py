#!/usr/bin/env python3
"""Writes .npy files with numpy itself, so core's reader is checked against the real format.

Run from this folder with Debian's python3-numpy:  python3 make_npy_fixtures.py
Each good fixture holds arange(6) reshaped to (2, 3) in its dtype (bool: index % 2 == 1).
complex64 is a dtype Conduit refuses. unicode.npy holds strings (fixed-width '<U5'); object.npy and
bytes.npy hold strings as numpy's object and byte-string dtypes, which Conduit refuses by name.
"""
import numpy as np

base = np.arange(6).reshape(2, 3)
for name, dtype in [("float32", np.float32), ("float16", np.float16), ("int32", np.int32),
                    ("int64", np.int64), ("uint8", np.uint8), ("float64", np.float64), ("int8", np.int8),
                    ("int16", np.int16), ("uint16", np.uint16), ("uint32", np.uint32), ("uint64", np.uint64)]:
    np.save(name + ".npy", base.astype(dtype))
np.save("bool.npy", (base % 2) == 1)
np.save("scalar_float32.npy", np.float32(2.5))
np.save("fortran_float32.npy", np.asfortranarray(base.astype(np.float32)))
np.save("bigendian_float32.npy", base.astype(">f4"))
# bfloat16 as ml_dtypes saves it: the top 16 bits of each float32, as a raw two-byte void dtype.
np.save("bfloat16.npy", (base.astype(np.float32).view(np.uint32) >> 16).astype(np.uint16).view("V2"))
np.save("complex64.npy", base.astype(np.complex64))
np.save("unicode.npy", np.array([["cat", "Dog", ""], [u"na\u00efve", u"\u65e5\u672c", u"a\U0001F600b"]]))
np.save("object.npy", np.array(["cat", "dog"], dtype=object))
np.save("bytes.npy", np.array([b"cat", b"dog"]))
print("wrote fixtures")
