# -*- coding: utf-8 -*-
"""The Nuke bridge end to end: a fake Nuke, the real bridge code, a real agent, real EXR files.

Run by installer's NukeBridgeTest under CPython 3 and under Jython 2.7 (Nuke 12 and earlier ship
Python 2.7): python3 test_nuke_bridge.py CONFIG.json, or run(CONFIG.json) from Jython. The gizmos come
from the installed folder that NukeBridgeTest wrote with the Java that `conduit gizmos` runs; init.py is
run as Nuke runs it; scripts are saved and reopened in a fresh fake, which keeps only what Nuke saves.
"""

import json
import os
import shutil
import sys
import unittest

import exr_min
import nuke
from conduit_client import AgentLocator, Client
from conduit_nuke import farm, gizmo, menu, render
from conduit_nuke import client as bridge_client
import conduit_nuke

CONFIG = {}
HERE = os.path.dirname(os.path.abspath(__file__))
INIT = os.path.join(HERE, "..", "..", "main", "nuke", "init.py")
WIDTH, HEIGHT = 40, 24
LABEL = u"Image Gain \u00e9"  # a label beyond ASCII, as Python 2.7 hosts must show it
CLASS = "Conduit_image_gain_v1"


def make_client(home=None, show="ABC"):
    home = home or CONFIG["home"]
    command = list(CONFIG["command"])
    command[command.index("--home") + 1] = home
    locator = AgentLocator(home=home, command=command, start_timeout=180.0)
    return Client("nuke", locator=locator, show=show, department="comp", timeout=120.0)


def run_file(path, namespace):
    """Runs a start-up file as Nuke does (a function of its own: Python 2 forbids exec beside closures)."""
    with open(path) as f:
        code = compile(f.read(), path, "exec")
    exec(code, namespace)


def commands(m, prefix=u""):
    found = {}
    for item in m.items():
        if isinstance(item, nuke.Menu):
            found.update(commands(item, prefix + item.name() + u"/"))
        elif item.name():
            found[prefix + item.name()] = item
    return found


def start_nuke(gui=True, home=None):
    """A new Nuke process: the fake's state, the bridge's Python state and init.py, as at start-up."""
    nuke._reset(gui=gui)
    menu._offered.clear()
    render._last_runs.clear()
    os.environ["CONDUIT_NUKE_GIZMOS"] = CONFIG["gizmos"]
    run_file(INIT, {"__file__": INIT, "__name__": "init"})
    bridge_client.set_client(make_client(home))


def pixels_equal(test, expected, got, half):
    tolerance = 2e-3 if half else 1e-5
    for e, g in zip(expected, got):
        test.assertTrue(abs(e - g) <= tolerance * max(1.0, abs(e)), "%r != %r" % (e, g))


class NukeBridgeTest(unittest.TestCase):
    def setUp(self):
        start_nuke()
        self.plate = nuke._Source(WIDTH, HEIGHT)
        nuke._place(self.plate)
        nuke._state["selected"] = self.plate
        self.scripts = os.path.join(CONFIG["home"], "shots", self.id().split(".")[-1])
        if os.path.isdir(self.scripts):
            shutil.rmtree(self.scripts)
        os.makedirs(self.scripts)
        self.script = os.path.join(self.scripts, "sh010_comp_v001.nk").replace("\\", "/")

    def build_menu(self):
        conduit_nuke.install()
        conduit_menu = lambda: nuke.toolbar("Nodes").findItem("Conduit")
        self.assertIn("Loading models...", commands(conduit_menu()), "the menu appears at once")
        self.assertTrue(nuke._pump(lambda: "Refresh Models" in commands(conduit_menu())), "and is filled in later")
        return commands(conduit_menu())

    def gain_node(self, saved=True):
        self.build_menu()
        commands(nuke.toolbar("Nodes").findItem("Conduit"))[u"Grade/" + LABEL].invoke()
        node = nuke._state["root"]._children[-1]
        if saved:
            nuke.scriptSaveAs(self.script)
        return node

    def run_node(self, node, first, last):
        worker = render.run(node, first, last)
        self.assertTrue(nuke._pump(lambda: not worker.is_alive()))
        return node["status"].value()

    def expected(self, frame, gain, channel="R"):
        return [gain * exr_min.as_half(v) for v in self.plate._pixels(frame)[2][channel]]

    def test_1_the_menu_creates_the_installed_gizmo_of_the_major_version_pinned_to_the_offered_version(self):
        found = self.build_menu()
        self.assertEqual(u"import conduit_nuke.menu\nconduit_nuke.menu.create('image-gain')",
                         found[u"Grade/" + LABEL].script())
        self.assertIn("Refresh Models", found)
        self.assertNotIn("Maya Only", u" ".join(found), "models not declared for Nuke are not offered")
        self.assertFalse(os.path.exists(os.path.join(CONFIG["home"], "nuke", "gizmos")), "nothing written per user")
        path = gizmo.gizmo_file(CLASS, nuke.pluginPath())
        self.assertEqual(os.path.join(CONFIG["gizmos"], CLASS + ".gizmo"), path, "the installed definition")
        found[u"Grade/" + LABEL].invoke()
        node = nuke._state["root"]._children[-1]
        self.assertEqual(CLASS, node.Class())
        self.assertEqual("1.1.0", node["conduit_version"].value(), "pinned to the version the agent offers")
        self.assertEqual(0.5, node["p_gain"].value(), "with the manifest's default")
        self.assertIs(self.plate, node.input(0), "created after the selected node")
        nuke._state["plugin_path"] = [p for p in nuke._state["plugin_path"] if p != CONFIG["gizmos"]]
        menu.fill(menu.get_client().models())
        missing = commands(nuke.toolbar("Nodes").findItem("Conduit"))
        self.assertIn(u"Grade/" + LABEL + u" (not installed)", missing, "the fix instead of a failing creation")
        with self.assertRaises(RuntimeError):
            nuke.createNode(CLASS)

    def test_2_run_writes_compressed_side_files_into_the_cache_beside_the_script_and_sets_no_inner_knob(self):
        node = self.gain_node()
        node["p_gain"].setValue(2.0)
        inner = dict((c.name(), dict((k, v._value) for k, v in c._knobs.items())) for c in node.nodes())
        status = self.run_node(node, 1, 3)
        self.assertTrue(status.startswith("image-gain@1.1.0: 3 frame(s)"), status)
        self.assertIn("3 ran", status)
        self.assertIn(" on local-cpu", status, "the route that ran the frames")
        self.assertEqual(inner, dict((c.name(), dict((k, v._value) for k, v in c._knobs.items())) for c in node.nodes()),
                         "no knob inside the gizmo was set: it would be lost on save")
        folder = self.scripts + "/conduit/sh010_comp_v001/" + node.name()
        self.assertEqual(folder + "/out.%04d.exr", nuke._evaluated_file(node.node("conduit_read")))
        side = exr_min.header(folder + "/in.0002.exr")
        self.assertEqual(exr_min.ZIP, side["compression"], "side files are compressed")
        self.assertEqual(set([exr_min.HALF]), set(side["types"].values()), "colour travels as half floats")
        result = folder + "/out.0002.exr"
        width, height, channels = exr_min.read(result)
        self.assertEqual((WIDTH, HEIGHT), (width, height))
        half = exr_min.HALF in exr_min.header(result)["types"].values()
        pixels_equal(self, self.expected(2, 2.0), channels["R"], half)
        self.assertEqual(100, nuke._state["tasks"][-1].progress)

    def test_3_unchanged_inputs_and_knobs_come_back_from_the_cache_and_a_changed_knob_runs_again(self):
        node = self.gain_node()
        node["p_gain"].setValue(3.0)
        for expected in ("3 ran", "3 done-before"):
            self.assertIn(expected, self.run_node(node, 1, 3))
        node["p_gain"].setValue(4.0)
        self.assertIn("3 ran", self.run_node(node, 1, 3))

    def test_4_errors_show_on_the_node_with_the_fix(self):
        node = self.gain_node(saved=False)
        self.assertEqual(None, render.run(node, 1, 1))
        self.assertIn("save the script first", node["status"].value())
        nuke.scriptSaveAs(self.script)
        node["device"].setValue("gpu")
        status = self.run_node(node, 1, 1)
        self.assertTrue(status.startswith("failed:"), status)
        self.assertIn("CDT-DEVICE-UNAVAILABLE", status)
        self.assertTrue(nuke._state["warnings"])

    def test_5_bake_to_group_from_the_button_lands_at_root_with_range_format_and_holds(self):
        node = self.gain_node()
        node["p_gain"].setValue(1.5)
        self.run_node(node, 2, 4)
        node["bake"].execute()  # the button's code runs in the gizmo's context
        groups = [n for n in nuke._state["root"]._children if n.Class() == "Group"]
        self.assertEqual(1, len(groups), "the group is made at the root, not inside the gizmo")
        self.assertEqual([], [n for n in node.nodes() if n.Class() == "Group"])
        read = groups[0].node("conduit_read")
        folder = self.scripts + "/conduit/sh010_comp_v001/" + node.name()
        self.assertEqual(folder + "/out.%04d.exr", read["file"].value(), "the shared cache path, forward slashes")
        self.assertEqual((2, 4), (read["first"].value(), read["last"].value()))
        self.assertEqual("%d %d 0 0 %d %d 1" % (WIDTH, HEIGHT, WIDTH, HEIGHT), read["format"].value())
        self.assertEqual(("black", "black"), (read["before"].value(), read["after"].value()))
        self.assertIs(self.plate, groups[0].input(0))
        nuke._state["answers"] = ["5", "crisp edges", True]  # rating, note, and yes to the preview
        kept = render.feedback(node)
        self.assertEqual((5, "crisp edges", "nuke", "15.0v1"), (kept["rating"], kept["note"], kept["host"],
                                                                kept["hostVersion"]))
        self.assertTrue(kept["preview"].startswith("data:image/png;base64,"), "a small PNG the agent made")
        self.assertIn("model(s) offered for Nuke: image-gain", menu.doctor())

    def test_6_init_sets_paths_only_and_a_session_without_ui_builds_no_menu(self):
        start_nuke(gui=False)
        self.assertIn(CONFIG["gizmos"], nuke.pluginPath(), "the installed gizmos, not a per-user folder")
        self.assertFalse(any(p.startswith(CONFIG["home"]) for p in nuke.pluginPath()))
        self.assertTrue(any(p.endswith("python") for p in nuke.pluginPath()))
        self.assertTrue(os.environ.get("CONDUIT_ROOT"), "the bridge knows where Conduit is installed")
        conduit_nuke.install()
        self.assertEqual({}, nuke._state["toolbars"], "no menu without the GUI")
        with self.assertRaises(RuntimeError):
            nuke.menu("Nuke")

    def test_7_a_newer_release_is_offered_never_applied_silently(self):
        node = self.gain_node()
        node["conduit_version"].setValue("1.0.0")  # a script saved before 1.1.0 was published
        status = self.run_node(node, 1, 1)
        self.assertTrue(status.startswith("image-gain@1.0.0:"), "the pinned version ran: " + status)
        self.assertIn("1.1.0 is available", status)
        self.assertEqual("1.0.0", node["conduit_version"].value())
        node["update"].execute()
        self.assertEqual("1.1.0", node["conduit_version"].value(), "the artist chose the update")
        self.assertTrue(self.run_node(node, 1, 1).startswith("image-gain@1.1.0:"))

    def test_8_studio_day_create_run_save_reopen_rerun_and_render_on_the_farm(self):
        node = self.gain_node()
        node["p_gain"].setValue(2.25)  # a gain no other test ran, so nothing comes from the cache
        name = node.name()
        self.assertIn("3 ran", self.run_node(node, 1, 3))
        comp = nuke.nodes.Write(name="comp", inputs=[node], file=self.scripts + "/render/comp.%04d.exr",
                                datatype="32 bit float", compression="Zip (16 scanlines)")
        nuke.scriptSave(self.script)

        start_nuke()  # the artist's next session
        nuke.scriptOpen(self.script)
        self.assertEqual([], nuke._state["load_errors"])
        node = nuke.toNode(name)
        self.assertEqual((CLASS, "1.1.0", 2.25), (node.Class(), node["conduit_version"].value(), node["p_gain"].value()),
                         "class, pinned version and knobs come back from the saved script")
        self.assertEqual(self.scripts + "/conduit/sh010_comp_v001/" + name + "/out.%04d.exr",
                         nuke._evaluated_file(node.node("conduit_read")), "the Read finds the cache again")
        os.makedirs(self.scripts + "/render")
        nuke.execute("comp", 1, 3)
        pixels_equal(self, self.expected(3, 2.25), exr_min.read(self.scripts + "/render/comp.0003.exr")[2]["R"], True)
        self.assertIn("3 done-before", self.run_node(node, 1, 3), "nothing changed, nothing reruns")
        node["p_gain"].setValue(2.75)
        self.assertIn("3 ran", self.run_node(node, 1, 3), "a changed knob reruns")
        nuke.scriptSave()
        os.remove(self.scripts + "/conduit/sh010_comp_v001/%s/out.0003.exr" % name)  # lost, or never made

        farm_home = CONFIG["home"] + "-farm"
        start_nuke(gui=False, home=farm_home)  # a render node: another user, no GUI, none of the artist's files
        nuke._state["plugin_path"] = [p for p in nuke._state["plugin_path"] if p != CONFIG["gizmos"]]
        nuke.scriptOpen(self.script)
        self.assertEqual(["%s: unknown command" % CLASS], nuke._state["load_errors"],
                         "without the installed gizmos the node cannot load")

        start_nuke(gui=False, home=farm_home)
        nuke.scriptOpen(self.script)
        with self.assertRaises(RuntimeError):
            nuke.execute("comp", 3, 3)  # a missing result fails the render, never renders black
        outcome = farm.precompute(1, 3)
        self.assertIn(": 1 frame(s)", outcome[name], "only the missing frame is made")
        self.assertIn("1 ran", outcome[name])
        nuke.execute("comp", 1, 3)
        for frame in (1, 3):
            got = exr_min.read(self.scripts + "/render/comp.%04d.exr" % frame)[2]["R"]
            pixels_equal(self, self.expected(frame, 2.75), got, True)
        self.assertFalse(os.path.exists(os.path.join(farm_home, "nuke")), "the farm wrote nothing per user")


def run(config_path):
    """Runs the tests; returns the number of failures and errors (for the JUnit side)."""
    with open(config_path) as f:
        CONFIG.update(json.load(f))
    suite = unittest.TestLoader().loadTestsFromTestCase(NukeBridgeTest)
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return len(result.failures) + len(result.errors)


if __name__ == "__main__":
    sys.exit(1 if run(sys.argv[1]) else 0)
