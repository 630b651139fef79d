"""The Maya bridge end to end: fake Maya scene and UI, the real bridge code, a real agent and models.

Run by installer's MayaBridgeTest under CPython 3 and under Jython 2.7 (Maya 2020 and earlier ship
Python 2.7): python3 test_maya_bridge.py CONFIG.json, or run(CONFIG.json) from Jython.
"""

import json
import math
import os
import sys
import unittest

from maya import cmds, utils
from conduit_client import AgentLocator, Client
from conduit_maya import actions, batch, menu
from conduit_maya import client as bridge_client
import conduit_maya

CONFIG = {}
BODY = [(float(i), float(i % 7), -float(i)) for i in range(500)]
HERE = os.path.dirname(os.path.abspath(__file__))
USER_SETUP = os.path.join(HERE, "..", "..", "main", "maya", "scripts", "userSetup.py")


def make_client():
    locator = AgentLocator(home=CONFIG["home"], command=CONFIG["command"], start_timeout=180.0)
    return Client("maya", locator=locator, show="ABC", department="anim", timeout=120.0)


def build_scene(batch_mode=False):
    cmds._reset(batch=batch_mode)
    cmds._add_node("|body", "transform")
    cmds._add_node("|body|bodyShape", "mesh", "|body", vrts=list(BODY), normals=[(0.0, 1.0, 0.0)] * len(BODY))
    cmds._add_node("|small", "transform")
    cmds._add_node("|small|smallShape", "mesh", "|small", vrts=[(1.0, 1.0, 1.0)] * 3, normals=[(0.0, 0.0, 1.0)] * 3)
    cmds._add_node("|hip", "joint", translate=[1.0, 2.0, 3.0], rotate=radians([10.0, 0.0, 0.0]))
    cmds._add_node("|hip|knee", "joint", "|hip", translate=[0.0, -4.0, 0.0], rotate=radians([0.0, 0.0, 45.0]))


def radians(degrees):
    """Maya keeps rotations in radians whatever the UI shows (DCC_API.md 4.13)."""
    return [math.radians(d) for d in degrees]


def offset(points, amount=0.5):
    """What mesh-offset makes of points: 2 p + amount."""
    return [tuple(2.0 * c + amount for c in p) for p in points]


def assert_points(test, expected, shape, message=None):
    actual = cmds._points(shape)
    test.assertEqual(len(expected), len(actual), message)
    for e, a in zip(expected, actual):
        for k in range(3):
            test.assertAlmostEqual(e[k], a[k], places=4, msg="%s: %s != %s" % (message, e, a))


def items():
    return dict((i["label"], i) for i in cmds._scene["items"])


def build_menu():
    """Builds the menu and plays Maya's idle loop until the worker's list has filled it in."""
    worker = menu.build()
    assert utils._pump(lambda: not worker.is_alive() and "Refresh Models" in items(), 120), "the menu was not filled"


def click(label):
    """What Maya does when the artist picks a menu item: calls its command with one extra argument."""
    return items()[label]["command"](False)


def wait_for(worker):
    assert utils._pump(lambda: not worker.is_alive(), 120), "the action did not finish"


def chunks():
    """The undo log reduced to chunk boundaries, e.g. [('open', 'Conduit: Mesh Offset'), ('close',)]."""
    return [e for e in cmds._scene["undo"] if e[0] in ("open", "close")]


class MayaBridgeTest(unittest.TestCase):
    def setUp(self):
        build_scene()
        bridge_client.set_client(make_client())
        actions.last_results.clear()
        del actions.last_model[:]

    def test_1_the_menu_is_built_from_the_agents_list(self):
        self.assertIsNone(make_client().locator.read(), "no agent yet: the menu starts it")
        conduit_maya.install()
        self.assertTrue(cmds.menu(menu.MENU, exists=True))
        self.assertIn("Loading models...", items(), "the menu appears at once; Maya does not wait for the agent")
        self.assertTrue(utils._pump(lambda: "Refresh Models" in items(), 120))
        labels = items()
        for expected in ("Deform", "Mesh Offset", "Slow Mesh", "Rig", "Joint Offset", "Refresh Models", "Model Info...",
                         "Send Feedback...", "Doctor"):
            self.assertIn(expected, labels)
        self.assertNotIn("Revert Last Result", labels, "Ctrl+Z undoes a result; a revert list would not survive a restart")
        self.assertNotIn("Houdini Only", labels, "models not declared for Maya are not offered")
        self.assertEqual(labels["Deform"]["path"], labels["Mesh Offset"]["parent"], "grouped by category")
        click("Refresh Models")
        self.assertTrue(utils._pump(lambda: "Mesh Offset" in items(), 120))
        self.assertEqual(1, [i["label"] for i in cmds._scene["items"]].count("Mesh Offset"),
                         "a refresh replaces the items")

    def test_2_an_action_on_a_mesh_writes_its_points_in_one_undo_chunk_that_ctrl_z_undoes(self):
        build_menu()
        cmds._scene["selection"] = ["|body", "|body|bodyShape"]  # a transform and its own shape: one mesh, run once
        worker = click("Mesh Offset")
        wait_for(worker)
        assert_points(self, offset(BODY), "|body|bodyShape", "applied")
        self.assertEqual([("open", "Conduit: Mesh Offset"), ("close",)], chunks())
        self.assertIsNone(cmds._scene["progress"], "the progress window is closed")
        history = cmds._scene.get("progress_history", [])
        self.assertTrue(history and all(0 <= p <= 100 for p in history), history)
        self.assertIn("mesh-offset@1.0.0 on local-cpu", actions.last_results["mesh-offset"]["status"])
        cmds.undo()
        self.assertEqual(BODY, cmds._points("|body|bodyShape"), "Ctrl+Z restores every point exactly")
        cmds.redo()
        assert_points(self, offset(BODY), "|body|bodyShape", "redone")

    def test_3_joint_transforms_are_a_second_role(self):
        build_menu()
        cmds._scene["selection"] = ["|hip", "|hip|knee"]
        wait_for(click("Joint Offset"))
        translate, rotate = cmds.getAttr("|hip.translate")[0], cmds.getAttr("|hip.rotate")[0]
        for expected, actual in zip((3.0, 5.0, 7.0, 21.0, 1.0, 1.0), translate + rotate):
            self.assertAlmostEqual(expected, actual, places=4)
        undo = cmds._scene["undo"]
        self.assertEqual(("open", "Conduit: Joint Offset"), undo[0])
        self.assertEqual(("close",), undo[-1])
        self.assertEqual(4, len([e for e in undo if e[0] == "setAttr"]), "every edit inside the one chunk")

    def test_4_errors_reach_the_artist_with_the_agents_message_and_the_chunk_always_closes(self):
        build_menu()
        cmds._scene["selection"] = []
        self.assertIsNone(click("Mesh Offset"))
        self.assertIn("select one or more meshes", cmds._scene["dialogs"][-1])
        cmds._scene["selection"] = ["|body"]
        entry = [m for m in make_client().models() if m["name"] == "mesh-offset"][0]
        wait_for(actions.apply_to_selection(entry, device="gpu"))
        self.assertIn("CDT-DEVICE-UNAVAILABLE", cmds._scene["dialogs"][-1], "the agent's own message and code")
        self.assertEqual(BODY, cmds._points("|body|bodyShape"))
        body_job = actions.jobs_for(entry, ["|body"])[0]
        small_job = actions.jobs_for(entry, ["|small"])[0]
        result = make_client().infer("mesh-offset", body_job.inputs)
        with self.assertRaises(Exception) as mismatch:
            actions.apply(entry, small_job, result)
        self.assertIn("has 3 vertices", str(mismatch.exception))
        self.assertEqual([("open", "Conduit: Mesh Offset"), ("close",)], chunks(), "closed even on error")

    def test_5_cancel_stops_the_call_and_changes_nothing(self):
        build_menu()
        cmds._scene["selection"] = ["|body"]
        cmds._scene["cancel_at"] = 2
        wait_for(click("Slow Mesh"))
        self.assertIn("cancelled by the artist", cmds._scene["dialogs"][-1])
        self.assertEqual(BODY, cmds._points("|body|bodyShape"))
        self.assertEqual([], chunks(), "nothing was applied")
        self.assertIsNone(cmds._scene["progress"])

    def test_6_info_feedback_and_doctor(self):
        build_menu()
        cmds._scene["selection"] = ["|body"]
        wait_for(click("Mesh Offset"))
        info = menu.info_text()
        self.assertIn("mesh-offset@1.0.0", info)
        self.assertIn("last run: mesh-offset@1.0.0 on local-cpu", info)
        cmds._scene["selection"] = ["|hip"]
        wait_for(click("Joint Offset"))
        cmds._scene["answers"] = ["4", "Send"]
        cmds._scene["prompt_text"] = "the knee bends nicely"
        kept = menu.send_feedback()
        self.assertEqual(("joint-offset", 4, "the knee bends nicely", "maya"),
                         (kept["model"], kept["rating"], kept["note"], kept["host"]), "about the model applied last")
        self.assertEqual(("local-cpu", "2024", ["1 joints"]), (kept["route"], kept["hostVersion"], kept["outputs"]))
        self.assertIn("model(s) offered for Maya: ", menu.doctor())

    def test_7_batch_mode_builds_no_ui_and_runs_inline(self):
        build_scene(batch_mode=True)
        namespace = {"__name__": "userSetup"}
        exec(compile(open(USER_SETUP).read(), USER_SETUP, "exec"), namespace)
        self.assertEqual([], cmds._scene["deferred"], "no menu is scheduled in batch mode")
        cmds._add_node("|body|bodyShapeOrig", "mesh", "|body", vrts=list(BODY), normals=[(0.0, 1.0, 0.0)] * len(BODY),
                       intermediateObject=True)
        cmds._add_node("|small|smallShapeOrig", "mesh", "|small", vrts=[(1.0, 1.0, 1.0)] * 3,
                       normals=[(0.0, 0.0, 1.0)] * 3, intermediateObject=True)
        statuses = batch.run_on_meshes("mesh-offset")
        self.assertEqual(2, len(statuses), "every mesh of the scene, intermediate shapes left out")
        self.assertEqual(BODY, cmds._points("|body|bodyShapeOrig"))
        assert_points(self, offset(BODY), "|body|bodyShape", "batch")
        self.assertEqual({}, cmds._scene["menus"])
        self.assertNotIn("progress_windows", cmds._scene)
        build_scene(batch_mode=False)
        exec(compile(open(USER_SETUP).read(), USER_SETUP, "exec"), {"__name__": "userSetup"})
        self.assertEqual([conduit_maya.install], cmds._scene["deferred"], "a graphical session defers the menu")


def run(config_path):
    """Runs the tests; returns the number of failures and errors (for the JUnit side)."""
    with open(config_path) as f:
        CONFIG.update(json.load(f))
    sys.modules.setdefault("test_maya_bridge", sys.modules[__name__])  # run as __main__: one module, one CONFIG
    import test_maya_day  # after CONFIG is filled; it restarts the bridge's modules, so it runs last
    loader = unittest.TestLoader()
    suite = unittest.TestSuite([loader.loadTestsFromTestCase(case) for case in
                                (MayaBridgeTest, test_maya_day.MayaFakeTest, test_maya_day.MayaStudioDayTest)])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return len(result.failures) + len(result.errors)


if __name__ == "__main__":
    sys.exit(1 if run(sys.argv[1]) else 0)
