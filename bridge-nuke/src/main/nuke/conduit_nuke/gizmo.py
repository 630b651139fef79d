"""Gizmo text generated from a model's manifest entry, in Nuke's own syntax.

A gizmo is a Group saved as ``<Class>.gizmo`` on the plug-in path; its file name is the node class
(https://learn.foundry.com/nuke/8.0/content/user_guide/configuring_nuke/gizmos_custom_plugins_tcl.html).
Knobs are ``addUserKnob {<type id> <name> ...}`` lines (ids per nuke.KnobType; DCC_API.md 3.7):
the model's declared parameters, the version and the last route as read-only text, hidden knobs
holding the model, and Run, Send Feedback and Bake to Group buttons. Inside: Input1 feeds a Write
that renders the input to temporary EXRs; a Read loads the model's output, which Output1 passes on.
"""

import re

KNOB_TAB, KNOB_STRING, KNOB_INT, KNOB_ENUM, KNOB_BOOL, KNOB_DOUBLE, KNOB_PYSCRIPT, KNOB_TEXT = 20, 1, 3, 4, 6, 7, 22, 26
_BUTTON = "import conduit_nuke.%s\nconduit_nuke.%s(nuke.thisNode())"


def class_name(entry):
    """The node class: Conduit_ then the model's name in capitalised words (a gizmo class starts with a capital)."""
    words = re.split(r"[^A-Za-z0-9]+", entry["name"])
    return "Conduit_" + "".join(w[:1].upper() + w[1:] for w in words if w)


def knob_name(param_name):
    return "p_" + re.sub(r"[^A-Za-z0-9_]", "_", param_name)


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def text(entry, values=None):
    """The gizmo's text for ``entry`` (a model as the agent lists it); ``values`` overrides knob values by name."""
    values = values or {}
    lines = ["Group {", " name " + class_name(entry), " tile_color 0x3d6fb5ff",
             " addUserKnob {%d conduit l Conduit}" % KNOB_TAB,
             " addUserKnob {%d conduit_model l model +INVISIBLE}" % KNOB_STRING,
             " conduit_model " + _quote(entry["name"]),
             " addUserKnob {%d conduit_version_pin l version +INVISIBLE}" % KNOB_STRING,
             " conduit_version_pin " + _quote(values.get("conduit_version_pin", entry["version"])),
             " addUserKnob {%d version l Version T %s}" % (KNOB_TEXT, _quote("%s@%s (%s)" % (
                 entry["name"], entry["version"], entry["chosenBy"]))),
             " addUserKnob {%d device l Device M {auto gpu cpu remote}}" % KNOB_ENUM]
    if "device" in values:
        lines.append(" device " + str(values["device"]))
    for param in entry["host"].get("parameters", []):
        name = knob_name(param["name"])
        label = param.get("label", param["name"])
        kind = param["type"]
        if kind == "float":
            lines.append(" addUserKnob {%d %s l %s R %s %s}" % (KNOB_DOUBLE, name, _quote(label), param.get("min", 0),
                                                                 param.get("max", 1)))
        elif kind == "int":
            lines.append(" addUserKnob {%d %s l %s}" % (KNOB_INT, name, _quote(label)))
        elif kind == "bool":
            lines.append(" addUserKnob {%d %s l %s +STARTLINE}" % (KNOB_BOOL, name, _quote(label)))
        elif kind == "choice":
            lines.append(" addUserKnob {%d %s l %s M {%s}}" % (KNOB_ENUM, name, _quote(label),
                                                               " ".join(str(c) for c in param["choices"])))
        else:
            lines.append(" addUserKnob {%d %s l %s}" % (KNOB_STRING, name, _quote(label)))
        value = values.get(name, param["default"])
        lines.append(" %s %s" % (name, _value(kind, value)))
    lines += [" addUserKnob {%d run l Run T %s +STARTLINE}" % (KNOB_PYSCRIPT, _quote(_BUTTON % ("render", "render.run"))),
              " addUserKnob {%d feedback l \"Send Feedback\" T %s}" % (KNOB_PYSCRIPT,
                                                                        _quote(_BUTTON % ("render", "render.feedback"))),
              " addUserKnob {%d bake l \"Bake to Group\" T %s}" % (KNOB_PYSCRIPT, _quote(_BUTTON % ("bake", "bake.bake"))),
              " addUserKnob {%d status l Status T %s +STARTLINE}" % (KNOB_TEXT, _quote(values.get("status", "not run"))),
              "}",
              " Input {", "  inputs 0", "  name Input1", " }",
              " Write {", "  file \"\"", "  file_type exr", "  datatype \"32 bit float\"", "  channels rgba",
              "  compression none", "  name conduit_write", " }",
              " Read {", "  inputs 0", "  file " + _quote(values.get("conduit_read_file", "")), "  name conduit_read", " }",
              " Output {", "  name Output1", " }",
              "end_group", ""]
    return "\n".join(lines)


def _value(kind, value):
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("float", "int"):
        return str(value)
    return _quote(value)


_KNOB = re.compile(r"^ addUserKnob \{(\d+) (\S+)(.*)\}$")


def parse_knobs(gizmo_text):
    """(type id, name) of every user knob in a gizmo's text, in order: what Nuke builds from it."""
    knobs = []
    for line in gizmo_text.splitlines():
        match = _KNOB.match(line)
        if match:
            knobs.append((int(match.group(1)), match.group(2)))
    return knobs
