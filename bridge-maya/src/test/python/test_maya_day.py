"""A studio day in Maya: what the fake must refuse as Maya does (DCC_API.md 4.7, 4.12, 4.13), and the bridge
through it: history and deformers, units, save, a restart, undo and redo, and the farm's mayapy.

Run with test_maya_bridge.py (its run() loads these tests too), against the same real agent and models.
"""

import math
import os
import shutil
import sys
import unittest

from maya import cmds, utils
from maya.api import OpenMaya as om
import test_maya_bridge as common

BODY = common.BODY
JOINT = "|rig|root"


def build_skinned_body():
    """|body's shape deformed by a skinCluster (following |rig|root) over a blendShape (half a 1-unit lift in
    Y) over its hidden Orig shape, as Maya builds a skinned mesh with a corrective shape."""
    common.build_scene()
    cmds._add_node("|rig", "transform")
    cmds._add_node(JOINT, "joint", "|rig", translate=[0.0, 0.0, 0.0], rotate=[0.0, 0.0, 0.0])
    cmds._add_node("|body|bodyShapeOrig", "mesh", "|body", vrts=list(BODY), normals=[(0.0, 1.0, 0.0)] * len(BODY),
                   intermediateObject=True)
    cmds._scene["nodes"]["|body|bodyShape"]["attrs"]["vrts"] = []  # a deformed shape's points come from upstream
    cmds._add_node("blendShape1", "blendShape", weight=[0.5], delta=[(0.0, 1.0, 0.0)] * len(BODY))
    cmds._add_node("skinCluster1", "skinCluster", influence=JOINT, bindTranslate=[0.0, 0.0, 0.0])
    cmds._connect("|body|bodyShapeOrig.outMesh", "blendShape1.input")
    cmds._connect("blendShape1.outputGeometry[0]", "skinCluster1.input")
    cmds._connect("skinCluster1.outputGeometry[0]", "|body|bodyShape.inMesh")


def scene_folder():
    """A fresh folder for scene files, beside the agent's home (Jython's tempfile cannot create files)."""
    folder = common.CONFIG["home"] + "-scenes"
    if os.path.isdir(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    return folder


def mesh_fn(shape):
    selection = om.MSelectionList()
    selection.add(shape)
    return om.MFnMesh(selection.getDagPath(0))


def deformed(points, lift=0.5, moved=(0.0, 0.0, 0.0)):
    return [(p[0] + moved[0], p[1] + lift + moved[1], p[2] + moved[2]) for p in points]


def restart_maya(batch=False):
    """Tears the session down as quitting Maya does: the scene, the undo queue and every bridge module's
    Python state are gone; the next import is a fresh start."""
    for name in list(sys.modules):
        if name == "conduit_maya" or name.startswith("conduit_maya."):
            del sys.modules[name]
    cmds._reset(batch=batch)
    import conduit_maya.actions
    import conduit_maya.batch
    import conduit_maya.client
    import conduit_maya.menu
    return conduit_maya


def farm_client(home):
    """A client as another user on a farm machine would have: its own, empty home (no agent.json, no
    preferences), starting its own agent."""
    command = list(common.CONFIG["command"])
    command[command.index("--home") + 1] = home
    from conduit_client import AgentLocator, Client
    return Client("maya", locator=AgentLocator(home=home, command=command, start_timeout=180.0), timeout=120.0)


class MayaFakeTest(unittest.TestCase):
    """The fake behaves as Maya does where the bridge used to rely on it not doing so."""

    def test_a_setpoints_is_outside_undo_and_lost_to_history(self):
        build_skinned_body()
        mesh = mesh_fn("|body|bodyShape")
        self.assertEqual(deformed(BODY), cmds._points("|body|bodyShape"), "history computes the shape")
        cmds.undoInfo(openChunk=True, chunkName="api edit")
        mesh.setPoints(om.MPointArray([om.MPoint(0.0, 0.0, 0.0)] * len(BODY)))
        cmds.undoInfo(closeChunk=True)
        self.assertEqual((0.0, 0.0, 0.0), cmds._points("|body|bodyShape")[7], "until the graph evaluates")
        cmds._evaluate()
        self.assertEqual(deformed(BODY), cmds._points("|body|bodyShape"), "DG evaluation overwrites API points")
        small = mesh_fn("|small|smallShape")
        small.setPoints(om.MPointArray([om.MPoint(5.0, 5.0, 5.0)] * 3))
        cmds.undo()
        self.assertEqual([(5.0, 5.0, 5.0)] * 3, cmds._points("|small|smallShape"), "undo does not see API edits")

    def test_b_commands_undo_and_redo_by_chunk_and_units_are_the_scenes(self):
        common.build_scene()
        cmds.currentUnit(linear="m")
        self.assertEqual(("m", "meter"), (cmds.currentUnit(query=True, linear=True),
                                          cmds.currentUnit(query=True, linear=True, fullName=True)))
        self.assertEqual([(0.01, 0.02, 0.03)], cmds.getAttr("|hip.translate"), "getAttr speaks UI units")
        cmds.undoInfo(openChunk=True, chunkName="two edits")
        cmds.setAttr("|hip.translate", 1.0, 1.0, 1.0)
        cmds.setAttr("|body|bodyShape.pnts[3]", 0.5, 0.0, 0.0)
        cmds.undoInfo(closeChunk=True)
        self.assertEqual((BODY[3][0] + 50.0, BODY[3][1], BODY[3][2]), cmds._points("|body|bodyShape")[3], "0.5 m = 50 cm")
        cmds.undo()
        self.assertEqual([1.0, 2.0, 3.0], cmds._scene["nodes"]["|hip"]["attrs"]["translate"], "one Ctrl+Z undoes")
        self.assertEqual(BODY, cmds._points("|body|bodyShape"), "the whole chunk")
        cmds.redo()
        self.assertEqual([(1.0, 1.0, 1.0)], cmds.getAttr("|hip.translate"))
        with self.assertRaises(RuntimeError):
            cmds.undoInfo(closeChunk=True)  # unpaired: Maya's undo queue would be left in a bad state

    def test_c_a_saved_scene_keeps_nodes_and_values_only(self):
        build_skinned_body()
        path = os.path.join(scene_folder(), "shot.ma")
        cmds.setAttr("|body|bodyShape.pnts[0]", 0.0, 9.0, 0.0)
        mesh_fn("|small|smallShape").setPoints(om.MPointArray([om.MPoint(5.0, 5.0, 5.0)] * 3))  # no history: kept
        mesh_fn("|body|bodyShape").setPoints(om.MPointArray([om.MPoint(0.0, 0.0, 0.0)] * len(BODY)))  # cached only
        cmds.file(rename=path)
        cmds.file(save=True, type="mayaAscii")
        restart_maya(batch=True)
        self.assertEqual([], cmds.ls(type="mesh"), "a fresh session starts empty")
        cmds.file(path, open=True, force=True)
        self.assertEqual([(5.0, 5.0, 5.0)] * 3, cmds._points("|small|smallShape"))
        expected = deformed(BODY)
        expected[0] = (expected[0][0], expected[0][1] + 9.0, expected[0][2])
        self.assertEqual(expected, cmds._points("|body|bodyShape"), "history recomputed, the tweak kept")
        cmds.undo()
        self.assertIn("There are no more commands to undo.", cmds._scene["warnings"], "the undo queue is not saved")
        self.assertTrue(cmds.about(batch=True))
        with self.assertRaises(RuntimeError):
            cmds.menu("ConduitMenu", label="Conduit", parent="MayaWindow")
        shutil.rmtree(os.path.dirname(path))


class MayaStudioDayTest(unittest.TestCase):
    """The bridge through a day: history and deformers, units, save, restart, undo, the farm."""

    def setUp(self):
        self.folder = scene_folder()

    def tearDown(self):
        shutil.rmtree(self.folder)

    def test_d_a_result_on_a_skinned_mesh_survives_evaluation_and_undoes_exactly(self):
        build_skinned_body()
        maya = restart_maya_keeping_scene()
        run_from_menu(maya, ["|body"], "Mesh Offset")
        result = common.offset(deformed(BODY))
        common.assert_points(self, result, "|body|bodyShape", "applied on top of the deformers")
        cmds._evaluate()
        common.assert_points(self, result, "|body|bodyShape", "a DG evaluation keeps it")
        cmds.setAttr(JOINT + ".translate", 2.0, 0.0, 0.0)
        common.assert_points(self, [(p[0] + 2.0, p[1], p[2]) for p in result], "|body|bodyShape",
                             "the result rides on the skin when the joint moves")
        cmds.undo()
        cmds.undo()
        self.assertEqual(deformed(BODY), cmds._points("|body|bodyShape"), "Ctrl+Z restores every point exactly")
        cmds.redo()
        common.assert_points(self, result, "|body|bodyShape", "Shift+Z applies it again")

    def test_e_points_and_joints_reach_the_model_in_its_declared_units(self):
        common.build_scene()
        cmds.currentUnit(linear="mm")  # a scene set up in millimetres; Maya still keeps centimetres inside
        maya = restart_maya_keeping_scene()
        run_from_menu(maya, ["|small"], "Mesh Offset (m)")
        # 1 cm is 0.01 m to the model: 2 * 0.01 + 0.5 = 0.52 m = 52 cm, whatever the scene shows
        common.assert_points(self, [(52.0, 52.0, 52.0)] * 3, "|small|smallShape", "converted both ways")
        for k in range(3):
            self.assertAlmostEqual(510.0, cmds.getAttr("|small|smallShape.pnts[0]")[0][k], places=3,
                                   msg="the tweak (51 cm) is set in the scene's millimetres")
        cmds.currentUnit(linear="cm")
        run_from_menu(maya, ["|hip"], "Joint Offset (m, rad)")
        translate, rotate = cmds.getAttr("|hip.translate")[0], cmds.getAttr("|hip.rotate")[0]
        # 1 cm = 0.01 m -> 1.02 m = 102 cm; 10 deg -> 2 * 0.1745 + 1 rad = 1.349 rad = 77.30 deg
        for expected, actual in zip((102.0, 104.0, 106.0), translate):
            self.assertAlmostEqual(expected, actual, places=3)
        self.assertAlmostEqual(math.degrees(2 * math.radians(10.0) + 1.0), rotate[0], places=3)
        self.assertAlmostEqual(math.degrees(1.0), rotate[1], places=3)

    def test_f_studio_day_menu_save_restart_reopen_undo_and_the_farm(self):
        path = os.path.join(self.folder, "shot010_anim.ma")
        build_skinned_body()
        maya = restart_maya_keeping_scene()
        run_from_menu(maya, ["|body"], "Mesh Offset")
        result = common.offset(deformed(BODY))
        cmds.file(rename=path)
        cmds.file(save=True, type="mayaAscii")

        maya = restart_maya()  # the artist quits; tomorrow a new Maya opens the shot
        maya.client.set_client(common.make_client())
        cmds.file(path, open=True, force=True)
        common.assert_points(self, result, "|body|bodyShape", "the result is in the saved scene")
        cmds._evaluate()
        common.assert_points(self, result, "|body|bodyShape", "and stays through evaluation")
        run_from_menu(maya, ["|body"], "Mesh Offset")
        again = common.offset(result)
        common.assert_points(self, again, "|body|bodyShape", "a second pass on the reopened scene")
        cmds.undo()
        common.assert_points(self, result, "|body|bodyShape", "Ctrl+Z returns to what was saved")
        cmds.redo()
        common.assert_points(self, again, "|body|bodyShape", "Shift+Z")
        cmds.file(save=True, type="mayaAscii")

        maya = restart_maya(batch=True)  # mayapy on a farm machine, as another user with an empty home
        farm_home = common.CONFIG["home"] + "-farm"
        maya.client.set_client(farm_client(farm_home))
        exec(compile(open(common.USER_SETUP).read(), common.USER_SETUP, "exec"), {"__name__": "userSetup"})
        cmds.file(path, open=True, force=True)
        common.assert_points(self, again, "|body|bodyShape", "the farm sees the artist's result without any agent")
        self.assertFalse(os.path.exists(os.path.join(farm_home, "agent.json")), "nothing was asked of an agent yet")
        statuses = maya.batch.run_on_meshes("mesh-offset", ["|body|bodyShape"])
        self.assertIn("mesh-offset@1.0.0", statuses[0])
        common.assert_points(self, common.offset(again), "|body|bodyShape", "a farm pass runs without UI")
        self.assertEqual(({}, []), (cmds._scene["menus"], cmds._scene["deferred"]), "no UI in batch mode")
        self.assertNotIn("progress_windows", cmds._scene)


def restart_maya_keeping_scene():
    """The bridge as a graphical session starts it, on the scene already built."""
    state = dict(cmds._scene)
    maya = restart_maya(batch=state["batch"])
    cmds._scene.update(state)
    maya.client.set_client(common.make_client())
    return maya


def run_from_menu(maya, selection, label):
    """The artist's way in: the Conduit menu, the selection, the item; waits for the result."""
    maya.menu.build()
    assert utils._pump(lambda: label in common.items(), 120), "the menu has no %s: %s" % (label, sorted(str(k) for k in common.items()))
    cmds._scene["selection"] = list(selection)
    worker = common.items()[label]["command"](False)
    assert worker is not None, cmds._scene["dialogs"]
    common.wait_for(worker)
    assert not cmds._scene["dialogs"], cmds._scene["dialogs"]
