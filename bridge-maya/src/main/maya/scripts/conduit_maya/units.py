"""Scene units to the units a model declares, and back (DCC_API.md 4.13).

``cmds.getAttr``/``setAttr`` speak the scene's UI units (``cmds.currentUnit``: the linear unit, degrees
unless changed); the API (``MFnMesh.getPoints``) speaks internal units, centimetres and radians. A model
declares what it was trained on in its manifest (``"units": {"length": "m", "angle": "rad"}`` on a tensor);
one that declares nothing gets the scene's UI units, what the artist reads in the Channel Box.
CommandsPython currentUnit: https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/CommandsPython/currentUnit.html
"""

import math

import maya.cmds as cmds

CENTIMETRES = {"mm": 0.1, "cm": 1.0, "m": 100.0, "km": 100000.0, "in": 2.54, "ft": 30.48, "yd": 91.44, "mi": 160934.4}
RADIANS = {"deg": math.pi / 180.0, "rad": 1.0}


def scene_length():
    return cmds.currentUnit(query=True, linear=True)


def scene_angle():
    return cmds.currentUnit(query=True, angle=True)


def _declared(spec, kind):
    return (spec.get("units") or {}).get(kind)


def cm_per_model_length(spec):
    """Centimetres in one of the model's length units."""
    return CENTIMETRES[_declared(spec, "length") or scene_length()]


def rad_per_model_angle(spec):
    """Radians in one of the model's angle units."""
    return RADIANS[_declared(spec, "angle") or scene_angle()]


def cm_per_scene_length():
    return CENTIMETRES[scene_length()]


def rad_per_scene_angle():
    return RADIANS[scene_angle()]
