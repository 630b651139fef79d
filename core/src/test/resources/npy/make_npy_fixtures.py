#!/usr/bin/env python3
"""Writes .npy files with numpy itself, so core's reader is checked against the real format.

Run from this folder with Debian's python3-numpy:  python3 make_npy_fixtures.py
Each good fixture holds arange(6) reshaped to (2, 3) in its dtype (bool: index % 2 == 1).
"""
import numpy as np

base = np.arange(6).reshape(2, 3)
for name, dtype in [("float32", np.float32), ("float16", np.float16), ("int32", np.int32),
                    ("int64", np.int64), ("uint8", np.uint8)]:
    np.save(name + ".npy", base.astype(dtype))
np.save("bool.npy", (base % 2) == 1)
np.save("scalar_float32.npy", np.float32(2.5))
np.save("fortran_float32.npy", np.asfortranarray(base.astype(np.float32)))
np.save("bigendian_float32.npy", base.astype(">f4"))
np.save("float64.npy", base.astype(np.float64))
print("wrote fixtures")
