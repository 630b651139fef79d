"""Bake to Group: the node's cached result as a plain Group holding a Read, for scripts that must render
where Conduit is not installed (another facility, an archive).

The button's code runs in the gizmo's context, where new nodes would land *inside* the gizmo (and be lost,
since gizmo internals are not saved); so the group is made under ``with nuke.root():`` (DCC_API.md section 4
item 9; shotgunsoftware/tk-nuke-writenode PR #35). A Group, unlike a gizmo, is saved whole with the script,
so its Read keeps the absolute cache path, the frame range found on disk, the format (``fromUserText``
opens the file) and ``before``/``after`` set to black: outside the computed frames the group shows nothing
rather than a held, wrong frame.
"""

import os
import re

import nuke

from conduit_client import ConduitError
from conduit_nuke import gizmo

_FRAME = re.compile(r"^out\.(\d{4,})\.exr$")


def cached_frames(folder):
    """The frame numbers whose results are in ``folder``, sorted."""
    if not folder or not os.path.isdir(folder):
        return []
    return sorted(int(m.group(1)) for m in (_FRAME.match(f) for f in os.listdir(folder)) if m)


def bake(node):
    folder = gizmo.folder(nuke.root()["name"].value(), node["conduit_cache"].value(), node.name())
    frames = cached_frames(folder)
    if not frames:
        raise ConduitError(u"%s has no cached result to bake; Run it first" % node.name(), "CDT-USAGE")
    first, last = frames[0], frames[-1]
    with nuke.root():
        group = nuke.nodes.Group(name=node.name() + "_baked")
        for name, label in (("conduit_model", "model"), ("conduit_version", "version")):
            knob = nuke.String_Knob(name, label, node[name].value())
            group.addKnob(knob)
        with group:
            nuke.nodes.Input(name="Input1")
            read = nuke.nodes.Read(name="conduit_read")
            read["file"].fromUserText("%s/out.%%04d.exr %d-%d" % (folder, first, last))
            read["before"].setValue("black")
            read["after"].setValue("black")
            nuke.nodes.Output(name="Output1", inputs=[read])
    group.setInput(0, node.input(0))
    return group
