"""The Houdini bridge end to end: a fake Houdini node, the real bridge code, a real agent and model.

Run by installer's HoudiniBridgeTest under CPython 3 and under Jython 2.7 (as Houdini's Python 2.7
would run it):  python3 test_houdini_bridge.py CONFIG.json, or run(CONFIG.json) from Jython.
CONFIG names the agent's home folder and the command that starts it.
"""

import json
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
import unittest

import hou
from conduit_client import AgentLocator, Client, ConduitError, transport
from conduit_houdini import client as bridge_client
from conduit_houdini import shelf, sop

CONFIG = {}
POINTS = 2000


def make_client(show="ABC"):
    locator = AgentLocator(home=CONFIG["home"], command=CONFIG["command"], start_timeout=180.0)
    return Client("houdini", locator=locator, show=show, department="fx", timeout=120.0)


def positions():
    return [(float(i), 2.0 * i, -0.5 * i) for i in range(POINTS)]


def read_p(geo):
    raw = geo.pointFloatAttribValuesAsString("P", float_type=hou.numericData.Float32)
    return struct.unpack("<%df" % (len(raw) // 4), raw)


def kill(pid):
    if os.name == "java":  # Jython: the JVM's own process handle (os.kill is not there)
        from java.lang import ProcessHandle
        ProcessHandle.of(pid).get().destroyForcibly()
    else:
        os.kill(pid, 9)


def wait_dead(pid, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if os.name == "java":
            from java.lang import ProcessHandle
            if not ProcessHandle.of(pid).isPresent():
                return
        else:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return  # our child (the client started it), now reaped
            except OSError:  # not our child: ask whether it still exists
                try:
                    os.kill(pid, 0)
                except OSError:
                    return
        time.sleep(0.1)
    raise AssertionError("agent %d did not stop" % pid)


def agent_pid():
    with open(os.path.join(CONFIG["home"], "agent.json")) as f:
        return json.load(f)["pid"]


def installed_houdini(test):
    """A fresh stand-in for $CONDUIT_ROOT/houdini (the package's folder on HOUDINI_PATH) and a user's preference
    folder, removed after ``test``; returns (installed, preferences)."""
    top = tempfile.mkdtemp(prefix="conduit-houdini-")
    test.addCleanup(shutil.rmtree, top, True)
    installed = os.path.join(top, "conduit", "houdini")
    os.makedirs(installed)
    os.environ["CONDUIT_HOUDINI"] = installed  # what the package JSON sets
    return installed, os.path.join(top, "home", "houdini20.5")


class HoudiniBridgeTest(unittest.TestCase):
    def setUp(self):
        installed, preferences = installed_houdini(self)
        self.geo_node = hou._reset(houdini_path=[installed], home=preferences)
        self.locator = make_client().locator
        bridge_client.set_client(make_client())
        self.source = self.geo_node.createNode("null", "points")
        geometry = hou.Geometry()
        geometry.createPoints(positions())
        self.source._set_geometry(geometry)

    def inference_node(self, model):
        node = sop.create(self.geo_node)
        node.setFirstInput(self.source)
        node.parm("conduit_model").set(model)
        sop.on_model_changed(node)  # what the model menu's callback runs
        return node

    def test_1_the_agent_is_started_on_demand_and_lists_only_models_valid_here(self):
        self.assertIsNone(self.locator.read(), "no agent before the first call")
        names = [m["name"] for m in bridge_client.get_client().models()]
        self.assertEqual(["point-offset", "slow-identity"], names, "Maya-only and other shows' models are not offered")
        self.assertTrue(self.locator.alive(self.locator.read()))
        on_xyz = [m["name"] for m in make_client(show="XYZ").models()]
        self.assertIn("show-only", on_xyz)
        why = dict((h["name"], h["reason"]) for h in bridge_client.get_client().hidden())
        self.assertEqual("show-only is for show XYZ; SHOW is ABC", why["show-only"], "the agent says why it is hidden")
        self.assertIn("declares no hosts.houdini entry; it is offered in maya", why["maya-only"])
        self.assertIn("not offered: show-only (show-only is for show XYZ; SHOW is ABC)",
                      bridge_client.get_client().status_text())

    def test_2_a_cook_writes_the_models_output_into_the_attributes(self):
        node = self.inference_node("point-offset")
        self.assertEqual("point-offset", node.parm("conduit_model").evalAsString())
        self.assertTrue(node.parm("conduit_version").evalAsString().startswith("1.0.0"))
        node.parm("conduit_p_amount").set(0.25)
        node.parm("conduit_out_moved").set("point:P")
        node.cook()
        self.assertEqual((), node.errors())
        self.assertEqual([], hou._state["cook_writes"], "a cook sets no parameter and no user data")
        expected = [2.0 * c + 0.25 for p in positions() for c in p]
        self.assertEqual(expected, list(read_p(node.geometry())))
        self.assertTrue(node.cachedUserData("conduit_status").startswith("point-offset@1.0.0 on local-cpu in "),
                        node.cachedUserData("conduit_status"))
        self.assertEqual(node.cachedUserData("conduit_status"), node.geometry().attribValue("conduit_status"))
        self.assertTrue(node.parm("conduit_version").isLocked(), "the version is shown read-only")
        node.parm("conduit_out_moved").set("point:moved")
        node.cook()
        moved = node.geometry().pointFloatAttribValuesAsString("moved", float_type=hou.numericData.Float32)
        self.assertEqual(expected, list(struct.unpack("<%df" % (3 * POINTS), moved)), "a new attribute is added")
        kept = shelf.feedback_for(node, 4, "edges look right")
        self.assertEqual((4, "local-cpu", "20.5.445", "houdini", "fx"),
                         (kept["rating"], kept["route"], kept["hostVersion"], kept["host"], kept["department"]))
        self.assertNotIn("preview", kept, "no picture unless the artist asks")
        with open(os.path.join(CONFIG["home"], "feedback", "spool.jsonl")) as f:
            self.assertIn('"note": "edges look right"', f.read().replace('":"', '": "'))

    def test_3_a_wrong_token_is_refused(self):
        bridge_client.get_client().models()
        port, _ = self.locator.read()
        for method, path in (("GET", "/conduit/v1/agent/models?host=houdini"), ("POST", "/v2/models/point-offset/infer")):
            status, _, body = transport.Exchange(port, 10.0).send(method, path, {"Authorization": "Bearer wrong"})
            self.assertEqual(401, status)
            with self.assertRaises(ConduitError) as refused:
                transport.raise_for_status(status, body)
            self.assertEqual("CDT-UNAUTHORIZED", refused.exception.code)

    def test_4_bad_mappings_and_interrupts_show_clearly_on_the_node(self):
        switched = self.inference_node("point-offset")
        switched.parm("conduit_model").set("slow-identity")
        sop.on_model_changed(switched)
        self.assertTrue(switched.parm("conduit_version").evalAsString().startswith("1.0.0  (the newest"),
                        "the version field follows the model")
        self.assertIsNone(switched.parm("conduit_p_amount"), "the old model's controls are gone")
        node = self.inference_node("slow-identity")
        node.parm("conduit_in_P").set("pt:P")
        node.cook()
        self.assertIn("is not CLASS:NAME", node.errors()[0])
        node.parm("conduit_in_P").set("point:missing")
        node.cook()
        self.assertIn("the geometry has no point attribute 'missing'", node.errors()[0])
        node.parm("conduit_in_P").set("point:P")
        # Esc before the first progress update: the node checks it before it waits for the call, so the call
        # is cancelled whether the model takes a second or a millisecond (no race with its speed).
        hou._state["interrupt_after"] = 0
        updates_before = len(hou._state["progress"])
        node.cook()
        self.assertIn("cancelled by the artist", node.errors()[0])
        self.assertEqual(1, len(hou._state["progress"]) - updates_before, "cancelled at the first update, before any wait")
        self.assertTrue(all(0.0 <= p <= 1.0 for p in hou._state["progress"]), "progress is a fraction")
        hou._state["interrupt_after"] = None
        point_offset = self.inference_node("point-offset")
        point_offset.parm("conduit_device").set(sop.DEVICES.index("gpu"))
        point_offset.cook()
        self.assertIn("CDT-DEVICE-UNAVAILABLE", point_offset.errors()[0], "no GPU here, and the device menu asked for one")
        point_offset.parm("conduit_device").set(sop.DEVICES.index("cpu"))
        point_offset.cook()
        self.assertEqual((), point_offset.errors())

    def test_5_the_agent_killed_mid_call_is_a_clear_error_and_the_next_cook_restarts_it(self):
        node = self.inference_node("slow-identity")
        node.parm("conduit_out_same").set("point:same")
        first = agent_pid()
        threading.Timer(0.4, kill, [first]).start()
        node.cook()
        self.assertTrue(node.errors(), "the cook failed")
        self.assertIn("stopped answering", node.errors()[0])
        self.assertIn("started again on the next call", node.errors()[0])
        wait_dead(first)
        node.cook(force=True)  # nothing changed, so only a forced cook runs again (Node.html#cook)
        self.assertEqual((), node.errors())
        self.assertNotEqual(first, agent_pid(), "a new agent serves the second cook")
        same = node.geometry().pointFloatAttribValuesAsString("same", float_type=hou.numericData.Float32)
        self.assertEqual([c for p in positions() for c in p], list(struct.unpack("<%df" % (3 * POINTS), same)))


    def test_6_a_node_from_an_earlier_release_keeps_cooking(self):
        from conduit_houdini import asset
        legacy = self.geo_node.createNode("python", "made_before_the_asset")  # a Python SOP with spare parameters
        legacy.parm("python").set(asset.COOK_CODE)
        group = legacy.parmTemplateGroup()
        for template in asset.base_parameters().entries():
            group.append(template)
        legacy.setParmTemplateGroup(group)
        legacy.setFirstInput(self.source)
        legacy.parm("conduit_model").set("slow-identity")
        sop.on_model_changed(legacy)
        legacy.parm("conduit_out_same").set("point:same")
        legacy.cook()
        self.assertEqual((), legacy.errors())
        same = legacy.geometry().pointFloatAttribValuesAsString("same", float_type=hou.numericData.Float32)
        self.assertEqual([c for p in positions() for c in p], list(struct.unpack("<%df" % (3 * POINTS), same)))


class GeometryCodecTest(unittest.TestCase):
    """host.py alone: every attribute class and volumes, both ways, and the errors it gives."""

    def setUp(self):
        hou._reset()
        self.geo = hou.Geometry()
        self.geo._set_prims([hou.Volume((2, 3, 4), [float(i) for i in range(24)]), object()])
        self.geo.createPoints([(1.0, 2.0, 3.0), (4.0, 5.0, 6.0)])

    def test_prims_details_ints_and_volumes_round_trip(self):
        from conduit_houdini import host
        from conduit_client import Tensor
        self.geo.addAttrib(hou.attribType.Prim, "w", default_value=0.5, transform_as_normal=False,
                           create_local_variable=False)
        prim = host.read_tensor(self.geo, "prim:w", {"name": "w", "datatype": "FP32", "shape": [-1, 1]})
        self.assertEqual(([2, 1], [0.5, 0.5]), (prim.shape, prim.values()))
        self.geo.addAttrib(hou.attribType.Point, "id", default_value=7, transform_as_normal=False,
                           create_local_variable=False)
        ids = host.read_tensor(self.geo, "point:id", {"name": "id", "datatype": "INT32", "shape": [-1]})
        self.assertEqual(([2], [7, 7]), (ids.shape, ids.values()))
        host.write_tensor(self.geo, "detail:scale", Tensor.from_values("s", "FP32", [1], [2.5]))
        self.assertEqual(2.5, self.geo.attribValue("scale"))
        detail = host.read_tensor(self.geo, "detail:scale", {"name": "s", "datatype": "FP32", "shape": [1]})
        self.assertEqual([2.5], detail.values())
        volume = host.read_tensor(self.geo, "volume:0", {"name": "v", "datatype": "FP32", "shape": [1, 1, -1, -1, -1]})
        self.assertEqual([1, 1, 4, 3, 2], volume.shape, "(z, y, x), x fastest, padded to the input's rank")
        host.write_tensor(self.geo, "volume:0", Tensor.from_values("v", "FP32", [1, 1, 4, 3, 2], [1.0] * 24))
        self.assertEqual(tuple([1.0] * 24), self.geo.prims()[0].allVoxels())
        host.write_tensor(self.geo, "prim:Cd", Tensor.from_values("c", "FP32", [2, 3], [0.1, 0.2, 0.3] * 2))
        self.assertEqual(3, self.geo.findPrimAttrib("Cd").size(), "a missing attribute is added with the tensor's width")

    def test_mismatches_are_named(self):
        from conduit_houdini import host
        from conduit_client import Tensor
        with self.assertRaises(ConduitError) as odd:
            host.write_tensor(self.geo, "point:P", Tensor.from_values("y", "FP32", [5], [0.0] * 5))
        self.assertIn("do not divide among 2 points", odd.exception.message)
        with self.assertRaises(ConduitError) as width:
            host.write_tensor(self.geo, "point:P", Tensor.from_values("y", "FP32", [2, 2], [0.0] * 4))
        self.assertIn("has 2 components per point but attribute P has 3", width.exception.message)
        with self.assertRaises(ConduitError) as not_volume:
            host.read_tensor(self.geo, "volume:1", {"name": "v", "datatype": "FP32", "shape": [-1, -1, -1]})
        self.assertIn("primitive 1 is not a volume", not_volume.exception.message)


def run(config_path):
    """Runs the tests; returns the number of failures and errors (for the JUnit side)."""
    with open(config_path) as f:
        CONFIG.update(json.load(f))
    loader = unittest.TestLoader()
    import test_houdini_studio_day as studio
    studio.CONFIG.update(CONFIG)
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(GeometryCodecTest),
                                loader.loadTestsFromTestCase(HoudiniBridgeTest),
                                loader.loadTestsFromTestCase(studio.FakeHoudiniTest),
                                loader.loadTestsFromTestCase(studio.StudioDayTest)])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return len(result.failures) + len(result.errors)


if __name__ == "__main__":
    sys.exit(1 if run(sys.argv[1]) else 0)
