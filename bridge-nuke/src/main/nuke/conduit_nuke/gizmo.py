"""Names and paths of Conduit's gizmos, the same rules as the Java that writes them (NukeGizmo.java).

The gizmo files themselves are written by ``conduit gizmos`` into the installed plug-in folder (never per
user at start-up), one class per model and major version: ``Conduit_plate_denoiser_v2``. A saved script
keeps only the gizmo's class and the values of its own knobs that differ from the definition
(learn.foundry.com, *Creating and Accessing Gizmos*; DCC_API.md section 4 item 8), so every piece of
state lives on the gizmo's own knobs and the inner Write/Read take their paths from TCL expressions
over them. This module computes the same paths in Python for the Run button and the farm.
"""

import os
import re


def class_name(model, version):
    """The node class of ``model`` at ``version`` ("2.1.0"): Conduit_<name>_v<major>."""
    major = str(version).split(".")[0]
    return "Conduit_" + re.sub(r"[^A-Za-z0-9_]", "_", model) + "_v" + major


def knob_name(param_name):
    return "p_" + re.sub(r"[^A-Za-z0-9_]", "_", param_name)


def major(version):
    return int(str(version).split(".")[0])


def is_conduit(node):
    """Whether ``node`` is one of Conduit's gizmos (or a node carrying its knobs)."""
    return node.knob("conduit_model") is not None and node.knob("conduit_cache") is not None


def _slashes(path):
    return path.replace("\\", "/")


def folder(script_path, cache_knob, node_name):
    """The node's side-file folder, as the inner Write/Read expressions compute it:
    ``<cache or <script folder>/conduit>/<script name without extension>/<node name>``, forward slashes.

    Returns None when the script has never been saved and no cache folder is set: there is nowhere
    beside the script yet, and a temporary folder would be lost to the farm and to the next session.
    """
    script_path = _slashes(script_path or "")
    if cache_knob:
        root = _slashes(cache_knob)
    elif script_path:
        root = os.path.dirname(script_path).replace("\\", "/") + "/conduit"
    else:
        return None
    script_key = os.path.splitext(os.path.basename(script_path))[0]
    return "%s/%s/%s" % (root.rstrip("/"), script_key, node_name)


def gizmo_file(class_, plugin_path):
    """The .gizmo file of ``class_`` on the plug-in path (first match wins, as in Nuke), or None."""
    for entry in plugin_path:
        path = os.path.join(entry, class_ + ".gizmo")
        if os.path.isfile(path):
            return path
    return None
