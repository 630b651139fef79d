"""Batch use from mayapy: run a model over a scene's meshes without any UI.

    import maya.standalone; maya.standalone.initialize()
    from conduit_maya import batch
    batch.run_on_meshes("mesh-smooth", ["|body|bodyShape"])   # or every mesh: run_on_meshes("mesh-smooth")
"""

import maya.cmds as cmds

from conduit_client import ConduitError
from conduit_maya import actions
from conduit_maya.client import get_client


def find_model(name):
    """The model's entry as the agent offers it to Maya in this scope."""
    models = get_client().models()
    for entry in models:
        if entry["name"] == name:
            return entry
    raise ConduitError("%s is not offered for Maya here; the agent offers %s"
                       % (name, [m["name"] for m in models]), "CDT-MODEL-NOT-FOUND")


def run_on_meshes(model, meshes=None, device="auto"):
    """Applies ``model`` to ``meshes`` (default: every mesh in the scene); returns one status line per mesh."""
    entry = find_model(model)
    if meshes is None:
        # noIntermediate leaves out the *ShapeOrig meshes behind deformers, which must not be rewritten
        # (https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/CommandsPython/ls.html).
        meshes = cmds.ls(type="mesh", long=True, noIntermediate=True) or []
    return actions.run_inline(entry, meshes, device)
