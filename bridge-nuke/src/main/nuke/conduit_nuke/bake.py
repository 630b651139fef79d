"""Bake to Group: the gizmo's text, with its current knob values, pasted as a plain Group.

A script holding a Group renders on farm machines that lack the generated gizmo files (the Read
inside points at the rendered result). ``nuke.nodePaste(path)`` pastes saved node text and returns
the new node (DCC_API.md 3.4).
"""

import os
import tempfile

import nuke

from conduit_nuke import gizmo, menu


def bake(node):
    entry = menu.entry_for(node["conduit_model"].value())
    values = {"conduit_version_pin": node["conduit_version_pin"].value(), "device": node["device"].value(),
              "status": node["status"].value(), "conduit_read_file": node.node("conduit_read")["file"].value()}
    for param in entry["host"].get("parameters", []):
        name = gizmo.knob_name(param["name"])
        values[name] = node[name].value()
    text = gizmo.text(entry, values).replace(" name " + gizmo.class_name(entry), " name " + node.name() + "_baked", 1)
    handle, path = tempfile.mkstemp(suffix=".nk")
    try:
        with os.fdopen(handle, "w") as f:
            f.write(text)
        group = nuke.nodePaste(path)
    finally:
        os.remove(path)
    group.setInput(0, node.input(0))
    return group
