"""The Nuke bridge end to end: a fake Nuke script, the real bridge code, a real agent, real EXR files.

Run by installer's NukeBridgeTest under CPython 3 and under Jython 2.7 (Nuke 12 and earlier ship
Python 2.7): python3 test_nuke_bridge.py CONFIG.json, or run(CONFIG.json) from Jython.
"""

import json
import os
import sys
import unittest

import exr_min
import nuke
from conduit_client import AgentLocator, Client
from conduit_nuke import bake, gizmo, menu, render
from conduit_nuke import client as bridge_client
import conduit_nuke

CONFIG = {}
HERE = os.path.dirname(os.path.abspath(__file__))
INIT = os.path.join(HERE, "..", "..", "main", "nuke", "init.py")
WIDTH, HEIGHT = 40, 24


def make_client():
    locator = AgentLocator(home=CONFIG["home"], command=CONFIG["command"], start_timeout=180.0)
    return Client("nuke", locator=locator, show="ABC", department="comp", timeout=120.0)


def run_file(path, namespace):
    """Runs a start-up file as Nuke does (a function of its own: Python 2 forbids exec beside closures)."""
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    exec(code, namespace)


def commands(m, prefix=""):
    found = {}
    for item in m.items():
        if isinstance(item, nuke.Menu):
            found.update(commands(item, prefix + item.name() + "/"))
        elif item.name():
            found[prefix + item.name()] = item.script()
    return found


class NukeBridgeTest(unittest.TestCase):
    def setUp(self):
        nuke._reset()
        os.environ["CONDUIT_HOME"] = CONFIG["home"]
        bridge_client.set_client(make_client())
        self.plate = nuke._Source(WIDTH, HEIGHT)
        nuke._state["selected"] = self.plate

    def build_menu(self):
        conduit_nuke.install()
        conduit_menu = lambda: nuke.toolbar("Nodes").findItem("Conduit")
        self.assertIn("Loading models...", commands(conduit_menu()), "the menu appears at once")
        self.assertTrue(nuke._pump(lambda: "Refresh Models" in commands(conduit_menu())), "and is filled in later")
        return commands(conduit_menu())

    def gain_node(self):
        self.build_menu()
        return nuke.createNode("Conduit_ImageGain")

    def test_1_the_menu_offers_one_gizmo_per_model_valid_for_nuke(self):
        found = self.build_menu()
        self.assertEqual("nuke.createNode('Conduit_ImageGain')", found["Grade/Image Gain"])
        self.assertIn("Refresh Models", found)
        self.assertNotIn("Maya Only", " ".join(found), "models not declared for Nuke are not offered")
        path = os.path.join(CONFIG["home"], "nuke", "gizmos", "Conduit_ImageGain.gizmo")
        with open(path) as f:
            text = f.read()
        self.assertTrue(text.startswith("Group {") and text.rstrip().endswith("end_group"))
        entry = menu.entry_for("image-gain")
        declared = [(gizmo.KNOB_DOUBLE, "p_gain")]
        knobs = gizmo.parse_knobs(text)
        for knob in declared:
            self.assertIn(knob, knobs, "the manifest's parameter is a knob")
        node = nuke.createNode("Conduit_ImageGain")
        self.assertEqual(sorted(n for _, n in knobs), sorted(node.knobs()), "the text parses back to the same knobs")
        self.assertEqual(0.5, node["p_gain"].value(), "with the manifest's default")
        self.assertTrue(node["version"].value().startswith("image-gain@1.0.0"))
        self.assertIs(self.plate, node.input(0), "created after the selected node")
        self.assertEqual(entry["name"], node["conduit_model"].value())

    def test_2_run_renders_the_input_runs_the_model_and_reads_the_result(self):
        node = self.gain_node()
        node["p_gain"].setValue(2.0)
        worker = render.run(node, 1, 3)
        self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
        self.assertTrue(node["status"].value().startswith("image-gain@1.0.0: 3 frame(s)"), node["status"].value())
        self.assertIn("3 ran", node["status"].value())
        self.assertTrue(node["status"].value().endswith(" on local-cpu"), "the route that ran the frames")
        read = node.node("conduit_read")
        self.assertTrue(read["file"].value().endswith("out.%04d.exr"))
        self.assertEqual((1, 3), read["file"]._range)
        width, height, channels = exr_min.read(read["file"].value().replace("%04d", "0002"))
        source = self.plate._pixels(2)[2]
        self.assertEqual((WIDTH, HEIGHT), (width, height))
        self.assertEqual(["B", "G", "R"], sorted(channels))
        for name in ("R", "G", "B"):
            for got, expected in zip(channels[name], source[name]):
                self.assertAlmostEqual(2.0 * expected, got, places=5)
        task = nuke._state["tasks"][-1]
        self.assertEqual(100, task.progress)

    def test_3_unchanged_inputs_and_knobs_come_back_from_the_cache_and_a_changed_knob_runs_again(self):
        node = self.gain_node()
        node["p_gain"].setValue(3.0)
        for expected in ("3 ran", "3 done-before"):
            worker = render.run(node, 1, 3)
            self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
            self.assertIn(expected, node["status"].value())
        node["p_gain"].setValue(4.0)
        worker = render.run(node, 1, 3)
        self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
        self.assertIn("3 ran", node["status"].value())

    def test_4_errors_show_on_the_node_with_the_agents_message(self):
        node = self.gain_node()
        node["device"].setValue("gpu")
        worker = render.run(node, 1, 1)
        self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
        self.assertTrue(node["status"].value().startswith("failed:"), node["status"].value())
        self.assertIn("CDT-DEVICE-UNAVAILABLE", node["status"].value())
        self.assertTrue(nuke._state["warnings"])

    def test_5_bake_to_group_feedback_and_doctor(self):
        node = self.gain_node()
        node["p_gain"].setValue(1.5)
        worker = render.run(node, 1, 1)
        self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
        group = bake.bake(node)
        self.assertEqual("Group", group.Class())
        self.assertEqual(1.5, group["p_gain"].value(), "the knob values travel")
        self.assertEqual(node.node("conduit_read")["file"].value(), group.node("conduit_read")["file"].value())
        self.assertIs(self.plate, group.input(0))
        nuke._state["answers"] = ["5", "crisp edges", True]  # rating, note, and yes to the preview
        kept = render.feedback(node)
        self.assertEqual((5, "crisp edges", "nuke", "15.0v1"), (kept["rating"], kept["note"], kept["host"],
                                                                kept["hostVersion"]))
        self.assertTrue(kept["preview"].startswith("data:image/png;base64,"), "a small PNG the agent made")
        self.assertEqual("local-cpu", kept["route"])
        self.assertIn("model(s) offered for Nuke: image-gain", menu.doctor())

    def test_6_init_sets_paths_only_and_a_session_without_ui_builds_no_menu(self):
        nuke._reset(gui=False)
        run_file(INIT, {"__file__": INIT, "__name__": "init"})
        self.assertTrue(any(p.endswith(os.path.join("nuke", "gizmos")) for p in nuke.pluginPath()))
        self.assertTrue(any(p.endswith("python") for p in nuke.pluginPath()))
        conduit_nuke.install()
        self.assertEqual({}, nuke._state["toolbars"], "no menu without the GUI")
        with self.assertRaises(RuntimeError):
            nuke.menu("Nuke")


def run(config_path):
    """Runs the tests; returns the number of failures and errors (for the JUnit side)."""
    with open(config_path) as f:
        CONFIG.update(json.load(f))
    suite = unittest.TestLoader().loadTestsFromTestCase(NukeBridgeTest)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return len(result.failures) + len(result.errors)


if __name__ == "__main__":
    sys.exit(1 if run(sys.argv[1]) else 0)
