"""conduit_client's tensors for every datatype Conduit carries: bytes as the V2 binary extension
lays them out, values back, numpy in and out. Standard library only (numpy parts skip without it);
runs on Python 2.7 and 3.x:  python3 test_tensors.py CLIENT_DIR
"""
import struct
import sys
import unittest

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else "../../main/python")
from conduit_client import tensors  # noqa: E402
from conduit_client.tensors import Tensor  # noqa: E402

try:
    import numpy
except ImportError:
    numpy = None

# datatype -> (values, the little-endian bytes the V2 binary extension carries for them)
CASES = {
    "FP64": ([1.5, -0.0], struct.pack("<2d", 1.5, -0.0)),
    "INT8": ([-128, 127], b"\x80\x7f"),
    "INT16": ([-2, 300], struct.pack("<2h", -2, 300)),
    "UINT16": ([65535, 1], b"\xff\xff\x01\x00"),
    "UINT32": ([4294967295, 2], b"\xff\xff\xff\xff\x02\x00\x00\x00"),
    "UINT64": ([18446744073709551615, 3], b"\xff" * 8 + b"\x03" + b"\x00" * 7),
    "BF16": ([1.0, -2.5], b"\x80\x3f\x20\xc0"),
}


class TensorsTest(unittest.TestCase):
    def test_every_new_datatype_packs_to_its_wire_bytes_and_back(self):
        for datatype, (values, wire) in sorted(CASES.items()):
            t = Tensor.from_values("x", datatype, [2], values)
            self.assertEqual(wire, t.tobytes(), datatype)
            self.assertEqual(values, t.values(), datatype)
            self.assertEqual(len(wire) // 2, tensors.element_size(datatype), datatype)

    def test_strings_pack_to_tritons_bytes_layout_and_back(self):
        words = [u"a", u"\u00e9", u""]
        t = Tensor.from_values("w", "BYTES", [3], words)
        self.assertEqual(b"\x01\x00\x00\x00a\x02\x00\x00\x00\xc3\xa9\x00\x00\x00\x00", t.tobytes())
        self.assertEqual(words, t.values())
        self.assertEqual(15, t.nbytes())
        self.assertEqual(words, Tensor("w", "BYTES", [3], t.tobytes()).values())
        self.assertRaises(tensors.ConduitError, Tensor, "w", "BYTES", [2], t.tobytes())
        self.assertRaises(tensors.ConduitError, Tensor, "w", "BYTES", [1], b"\x05\x00\x00\x00ab")
        if numpy is not None:
            grid = Tensor.from_array("w", numpy.array([[u"cat", u"d"], [u"\u65e5", u""]]), [2, 2])
            self.assertEqual("BYTES", grid.datatype)
            self.assertEqual([u"cat", u"d", u"\u65e5", u""], grid.values())
            self.assertEqual([[u"cat", u"d"], [u"\u65e5", u""]], grid.as_numpy().tolist())

    def test_minus_zero_keeps_its_sign(self):
        back = Tensor.from_values("x", "FP64", [1], [-0.0]).values()[0]
        self.assertEqual("-0.0", repr(back))

    def test_bf16_rounds_to_nearest_even(self):
        # 1 + 2**-8 lies halfway between two bfloat16 values; ties go to the even one (1.0).
        self.assertEqual([1.0, 1.0078125], Tensor.from_values("x", "BF16", [2], [1.00390625, 1.005]).values())

    def test_small_arrays_of_new_types(self):
        import array
        for code, datatype in (("d", "FP64"), ("b", "INT8"), ("h", "INT16"), ("H", "UINT16")):
            t = Tensor.from_array("x", array.array(code, [1, 2, 3]), [3])
            self.assertEqual(datatype, t.datatype)
            self.assertEqual([1, 2, 3], list(t.as_array()))

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_numpy_in_and_out(self):
        for dtype, datatype in (("float64", "FP64"), ("int8", "INT8"), ("int16", "INT16"), ("uint16", "UINT16"),
                                ("uint32", "UINT32"), ("uint64", "UINT64")):
            a = numpy.arange(6, dtype=dtype).reshape(2, 3)
            t = Tensor.from_array("x", a, [2, 3])
            self.assertEqual(datatype, t.datatype)
            self.assertTrue((t.as_numpy() == a).all(), datatype)
        bf16 = Tensor.from_values("x", "BF16", [2], [1.0, -2.5]).as_numpy()
        self.assertEqual([1.0, -2.5], bf16.tolist())


if __name__ == "__main__":
    result = unittest.TextTestRunner(verbosity=1).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(TensorsTest))
    sys.exit(0 if result.wasSuccessful() else 1)
