"""A studio day with the Houdini bridge, and the Houdini behaviour the fake must reproduce for it to mean
anything (DCC_API.md section 4, item 11; hipFile.html).

The day: the artist creates the node from the shelf (or the TAB menu), it cooks through a real agent and
model, the scene is saved, Houdini quits (the fake is torn down and every bridge module forgotten), the
scene is opened in a fresh Houdini that knows only the node types on HOUDINI_PATH, the result is still there
and the model runs again only when its inputs change; then the farm cooks the scene in hython as another
user, with no ~/.conduit, finding the agent through CONDUIT_ROOT. Inferences are counted by the agent
itself (/conduit/v1/stats), not by the bridge. Run from test_houdini_bridge.run, which fills CONFIG.
"""

import json
import os
import shutil
import stat
import struct
import sys
import tempfile
import time
import unittest

import hou
from conduit_client import AgentLocator, Client, transport

CONFIG = {}
MODEL = "point-offset"


def points(scale, count=50):
    return [(scale * i, scale * 2.0 * i, -scale * 0.5 * i) for i in range(count)]


def write_points(folder, name, values):
    """A geometry file for the fake File SOP (standing in for a .bgeo)."""
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        json.dump({"P": [list(p) for p in values]}, f)
    return path


def read_p(node):
    raw = node.geometry().pointFloatAttribValuesAsString("P", float_type=hou.numericData.Float32)
    return list(struct.unpack("<%df" % (len(raw) // 4), raw))


def moved(values, amount):
    return [2.0 * c + amount for p in values for c in p]


def artist_client():
    locator = AgentLocator(home=CONFIG["home"], command=CONFIG["command"], start_timeout=180.0)
    return Client("houdini", locator=locator, show="ABC", department="fx", timeout=120.0)


def inferences(locator, at_least=0, timeout=10.0):
    """How many times the agent ran the model: its own telemetry, summed over versions and routes.

    The agent records a call's telemetry once its answer is written, a moment after the client has it;
    so this waits (up to ``timeout``) until the count reaches ``at_least``, then returns what it is.
    """
    port, token = locator.ensure_running()
    deadline = time.time() + timeout
    while True:
        status, _, body = transport.Exchange(port, 10.0).send("GET", "/conduit/v1/stats?model=" + MODEL,
                                                              {"Authorization": "Bearer " + token})
        assert status == 200, body
        count = sum(row["calls"] for row in json.loads(body.decode("utf-8"))["stats"])
        if count >= at_least or time.time() > deadline:
            return count
        time.sleep(0.05)


def new_houdini(installed, preferences, ui):
    """Quits Houdini and starts it again: a fresh fake, and the bridge's modules imported anew, so nothing the
    last session kept in Python memory survives."""
    for name in [n for n in sys.modules if n == "conduit_houdini" or n.startswith("conduit_houdini.")]:
        del sys.modules[name]
    geo = hou._reset(ui_available=ui, houdini_path=[installed], home=preferences)
    import conduit_houdini
    conduit_houdini.install()  # what pythonrc.py does at start-up
    return geo


def farm_launcher(root, user_home):
    """A stand-in for the distribution's bin/conduit under CONDUIT_ROOT: runs this build's agent. The farm
    user's Conduit folder is written in, since Jython starts processes with the JVM's environment."""
    command = list(CONFIG["command"])
    command[command.index("--home") + 1] = os.path.join(user_home, ".conduit")
    at = command.index("agent")
    quoted = ["'%s'" % part.replace("'", "'\\''") for part in command[:at]]
    rest = ["'%s'" % part.replace("'", "'\\''") for part in command[at + 1:]]
    os.makedirs(os.path.join(root, "bin"))
    path = os.path.join(root, "bin", "conduit")
    with open(path, "w") as f:
        f.write("#!/bin/sh\nexec %s \"$@\" %s\n" % (" ".join(quoted), " ".join(rest)))
    os.chmod(path, stat.S_IRWXU)
    return path


class FakeHoudiniTest(unittest.TestCase):
    """The fake refuses what Houdini refuses; without this, the studio day would prove nothing."""

    def setUp(self):
        self.top = tempfile.mkdtemp(prefix="conduit-fake-")
        self.addCleanup(shutil.rmtree, self.top, True)
        self.geo = hou._reset(houdini_path=[], home=os.path.join(self.top, "prefs"))

    def test_node_types_depend_on_the_network_and_on_what_is_installed(self):
        with self.assertRaises(hou.OperationFailed):
            hou.node("/obj").createNode("python")  # a SOP asked for at object level
        with self.assertRaises(hou.OperationFailed):
            self.geo.createNode("conduit::inference::1.0")  # no such asset installed
        self.assertIsNotNone(self.geo.createNode("python"))
        self.assertNotIn("python", hou.objNodeTypeCategory().nodeTypes())

    def test_a_cook_that_writes_parameters_or_user_data_is_caught(self):
        node = self.geo.createNode("python", "writer")
        node.parm("python").set("hou.pwd().setUserData('x', '1')\nhou.pwd().parm('python').eval()\n")
        node.cook()
        self.assertEqual(["/obj/geo/writer: user data x set while /obj/geo/writer cooked"], hou._state["cook_writes"])
        self.assertTrue(hou.hipFile.hasUnsavedChanges(), "hython always reports unsaved changes")

    def test_a_saved_scene_keeps_what_houdini_saves_and_nothing_else(self):
        source = self.geo.createNode("file", "points")
        source.parm("file").set(write_points(self.top, "a.json", points(1.0, 3)))
        node = self.geo.createNode("python", "py")
        node.setFirstInput(source)
        node.setUserData("kept", "yes")
        node.setCachedUserData("memory", "only")
        node.parm("python").set("hou.pwd().geometry()")
        node.cook()
        hip = os.path.join(self.top, "scene.hip")
        hou.hipFile.save(hip)
        self.assertFalse(hou._state["modified"])
        hou._reset(houdini_path=[], home=os.path.join(self.top, "prefs"))
        hou.hipFile.load(hip)
        loaded = hou.node("/obj/geo/py")
        self.assertEqual(("yes", None), (loaded.userData("kept"), loaded.cachedUserData("memory")))
        self.assertEqual(0, loaded.geometry().intrinsicValue("pointcount"), "cooked geometry is not saved")
        loaded.cook()
        self.assertEqual(3, loaded.geometry().intrinsicValue("pointcount"), "it comes back by cooking")
        self.assertEqual(hou.node("/obj/geo/points"), loaded.inputs()[0])

    def test_a_scene_whose_asset_is_not_installed_loads_without_that_node(self):
        library = os.path.join(self.top, "lib")
        os.makedirs(os.path.join(library, "otls"))
        subnet = self.geo.createNode("subnet", "tool")
        subnet.createDigitalAsset(name="test::tool::1.0", hda_file_name=os.path.join(library, "otls", "tool.hda"),
                                  description="Tool", min_num_inputs=1, max_num_inputs=1)
        hip = os.path.join(self.top, "asset.hip")
        hou.hipFile.save(hip)
        hou._reset(houdini_path=[], home=os.path.join(self.top, "prefs"))  # another machine, library not on the path
        with self.assertRaises(hou.LoadWarning) as warned:
            hou.hipFile.load(hip)
        self.assertIn("unknown node type test::tool::1.0", str(warned.exception))
        self.assertIsNone(hou.node("/obj/geo/tool"))
        hou._reset(houdini_path=[library], home=os.path.join(self.top, "prefs"))
        hou.hipFile.load(hip)
        self.assertEqual("test::tool::1.0", hou.node("/obj/geo/tool").type().name())


class StudioDayTest(unittest.TestCase):
    def setUp(self):
        self.top = tempfile.mkdtemp(prefix="conduit-day-")
        self.addCleanup(shutil.rmtree, self.top, True)
        self.installed = os.path.join(self.top, "conduit", "houdini")  # $CONDUIT_ROOT/houdini
        os.makedirs(self.installed)
        self.saved_env = dict((k, os.environ.get(k)) for k in ("CONDUIT_HOUDINI", "CONDUIT_ROOT", "CONDUIT_HOME", "HOME"))
        os.environ["CONDUIT_HOUDINI"] = self.installed
        self.preferences = os.path.join(self.top, "artist", "houdini20.5")
        self.farm_agents = []

    def tearDown(self):
        for key, value in self.saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for home in self.farm_agents:
            stop_agent(home)

    def artist_session(self, ui=True):
        geo = new_houdini(self.installed, self.preferences, ui)
        from conduit_houdini import client
        client.set_client(artist_client())
        return geo

    def test_the_shelf_tool_works_whatever_is_selected_and_the_type_is_in_the_tab_menu(self):
        geo = self.artist_session()
        node_type = hou.sopNodeTypeCategory().nodeTypes().get("conduit::inference::1.0")
        self.assertIsNotNone(node_type, "in the TAB menu of every SOP network")
        self.assertEqual("Conduit Inference", node_type.description())
        self.assertEqual(os.path.join(self.installed, "otls", "conduit_inference.hda"),
                         node_type.definition().libraryFilePath(), "in the installed package's otls/")
        from conduit_houdini import shelf
        source = geo.createNode("null", "src")
        source.setDisplayFlag(True)
        hou._state["selected"] = [geo]  # an OBJ node: the node goes inside it, after what it displays
        inside = shelf.add_inference_node()
        self.assertEqual((geo, source), (inside.parent(), inside.inputs()[0]))
        self.assertTrue(inside.isDisplayFlagSet())
        hou._state["selected"] = [source]  # a SOP: after it
        after = shelf.add_inference_node()
        self.assertEqual((geo, source), (after.parent(), after.inputs()[0]))
        hou._state["selected"] = []  # nothing: a new geometry object
        alone = shelf.add_inference_node()
        self.assertEqual(("geo", "/obj"), (alone.parent().type().name(), alone.parent().parent().path()))
        self.assertEqual([MODEL, "slow-identity"], list(inside.parm("conduit_model").menuItems()))

    def test_without_the_packages_folder_the_type_goes_to_the_users_own_otls(self):
        del os.environ["CONDUIT_HOUDINI"]  # Houdini started without Conduit's package, PYTHONPATH set by hand
        self.artist_session()
        library = hou.sopNodeTypeCategory().nodeTypes()["conduit::inference::1.0"].definition().libraryFilePath()
        self.assertEqual(os.path.join(self.preferences, "otls", "conduit_inference.hda"), library)

    def test_a_studio_day(self):
        # Morning: the artist builds the setup from the shelf.
        geo = self.artist_session()
        from conduit_houdini import client, shelf, sop
        locator = client.get_client().locator
        before = inferences(locator)
        source = geo.createNode("file", "scan")
        source.parm("file").set(write_points(self.top, "scan_v1.json", points(1.0)))
        source.setDisplayFlag(True)
        hou._state["selected"] = [geo]
        node = shelf.add_inference_node()
        node.parm("conduit_model").set(MODEL)
        node.parm("conduit_model").pressButton()  # what choosing from the menu runs
        node.parm("conduit_p_amount").set(0.25)
        node.parm("conduit_out_moved").set("point:P")
        node.cook()
        self.assertEqual((), node.errors())
        self.assertEqual(moved(points(1.0), 0.25), read_p(node))
        self.assertEqual(before + 1, inferences(locator, before + 1))
        hip = os.path.join(self.top, "shots", "sh010", "fx.hip")
        hou.hipFile.save(hip)
        # Upstream changes that leave the model's inputs as they were cook the node again, but run nothing.
        source.parm("file").set(write_points(self.top, "scan_v1_copy.json", points(1.0)))
        cooks = node.node("cook")._cooks
        node.cook()
        self.assertEqual(cooks + 1, node.node("cook")._cooks, "Houdini cooked the node again")
        self.assertEqual(before + 1, inferences(locator, before + 1), "the model did not run again")
        self.assertEqual([], hou._state["cook_writes"])
        hou.hipFile.save(hip)
        node.cook(force=True)
        self.assertFalse(hou.hipFile.hasUnsavedChanges(), "a cook does not mark the scene modified")

        # After lunch: Houdini was closed; the scene opens in a new session.
        self.artist_session()
        hou.hipFile.load(hip)
        node = hou.node("/obj/geo/conduit_inference")
        self.assertEqual("conduit::inference::1.0", node.type().name())
        node.cook()
        self.assertEqual((), node.errors())
        self.assertEqual(moved(points(1.0), 0.25), read_p(node), "the result is still there")
        self.assertEqual(before + 1, inferences(locator, before + 1), "without running the model")
        self.assertTrue(node.cachedUserData("conduit_status").endswith("(cached)"))
        hou.node("/obj/geo/scan").parm("file").set(write_points(self.top, "scan_v2.json", points(3.0)))
        node.cook()
        self.assertEqual(moved(points(3.0), 0.25), read_p(node))
        self.assertEqual(before + 2, inferences(locator, before + 2), "new inputs, one new inference")
        node.parm("conduit_p_amount").set(0.5)
        node.cook()
        self.assertEqual(moved(points(3.0), 0.5), read_p(node))
        self.assertEqual(before + 3, inferences(locator, before + 3), "a changed control is a changed input")
        hou.hipFile.save(hip)

        # Night: the farm cooks the scene in hython as another user, without any ~/.conduit.
        farm_home = os.path.join(self.top, "farm-user")
        os.makedirs(farm_home)
        os.environ["HOME"] = farm_home
        os.environ.pop("CONDUIT_HOME", None)
        os.environ["CONDUIT_ROOT"] = os.path.join(self.top, "conduit")
        farm_launcher(os.environ["CONDUIT_ROOT"], farm_home)
        self.farm_agents.append(os.path.join(farm_home, ".conduit"))
        new_houdini(self.installed, os.path.join(farm_home, "houdini20.5"), ui=False)
        hou.hipFile.load(hip)
        node = hou.node("/obj/geo/conduit_inference")
        node.cook()
        self.assertEqual((), node.errors())
        self.assertEqual(moved(points(3.0), 0.5), read_p(node), "the artist's result, found beside the scene")
        self.assertFalse(os.path.exists(os.path.join(farm_home, ".conduit", "agent.json")), "no agent was needed")
        hou.node("/obj/geo/scan").parm("file").set(write_points(self.top, "scan_v3.json", points(5.0)))
        node.cook()  # a frame the artist never cooked
        self.assertEqual((), node.errors())
        self.assertEqual(moved(points(5.0), 0.5), read_p(node))
        self.assertTrue(os.path.exists(os.path.join(farm_home, ".conduit", "agent.json")),
                        "the farm user's agent was started through CONDUIT_ROOT")
        self.assertEqual([], hou._state["messages"], "nothing asked of a user who is not there")


def stop_agent(home):
    try:
        with open(os.path.join(home, "agent.json")) as f:
            pid = json.load(f)["pid"]
    except (IOError, OSError, ValueError):
        return
    if os.name == "java":
        from java.lang import ProcessHandle
        found = ProcessHandle.of(pid)
        if found.isPresent():
            found.get().destroyForcibly()
    else:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
