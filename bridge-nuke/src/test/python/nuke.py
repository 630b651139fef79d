"""A fake of Nuke's ``nuke`` module for tests, holding only the calls the bridge uses.

Names, arguments and defaults follow ../shared/DCC_API.md section 3 and the Foundry pages it cites.
Behaviour reproduced (section 4): ``executeInMainThreadWithResult(call, args=(), kwargs={})`` takes ONE
tuple (a non-tuple is wrapped), prints an exception and returns None; ``nuke.menu`` raises without a
GUI; missing things return None; knobs are read and written, and ``execute`` runs, on the main thread
only (item 9); a PyScript button runs in its node's context, so nodes it creates land inside that group
unless made under ``with nuke.root():`` (item 9); file knobs are TCL-evaluated when a Read or Write uses
them (item 10: the small TCL subset ``value``, ``file dirname|tail|rootname``, ``if``/``return``; anything
else raises, so the bridge cannot rely on TCL this fake does not model).

Scripts: ``scriptSaveAs`` writes what Nuke saves (item 8): each top-level node's class, name, connections
and the knob values that differ from their defaults; for a gizmo, only its own top-level knobs that differ
from the ``.gizmo`` definition, never what is inside it; a plain Group is saved whole. ``scriptOpen`` in a
fresh ``_reset()`` (a new Nuke process) rebuilds nodes from that text alone: a gizmo's insides come from
the ``.gizmo`` file found on the plug-in path then, and a node whose class is not there fails to load
(recorded in ``_state["load_errors"]``), as on a farm machine without the gizmo. Connections are written
as ``input0 NAME`` lines where Nuke writes a node stack: the same information. Names starting with ``_``
are the test's controls.
"""

import os
import re
import sys
import threading
import time
import traceback

import exr_min

GUI = True
NUKE_VERSION_MAJOR, NUKE_VERSION_MINOR, NUKE_VERSION_RELEASE, NUKE_VERSION_STRING = 15, 0, 1, "15.0v1"
env = {"gui": True, "NukeVersionMajor": 15, "NukeVersionMinor": 0, "NukeVersionString": "15.0v1", "nc": False}
STARTLINE, INVISIBLE = 4096, 1024

_state = {}
_lock = threading.Lock()

# Classes Nuke itself has (a subset), with the knobs and defaults the fake models.
_BUILTIN = {
    "Read": {"file": "", "first": 1, "last": 1, "before": "hold", "after": "hold", "format": "", "on_error": "error"},
    "Write": {"file": "", "file_type": "", "datatype": "16 bit half", "compression": "Zip (1 scanline)",
              "channels": "rgb"},
    "Group": {}, "Input": {}, "Output": {}, "Constant": {}, "Grade": {},
}
_DATATYPES = {"16 bit half": exr_min.HALF, "32 bit float": exr_min.FLOAT}
_COMPRESSIONS = {"none": exr_min.NONE, "Zip (1 scanline)": exr_min.ZIPS, "Zip (16 scanlines)": exr_min.ZIP}


def _reset(gui=True):
    """Test control: a new Nuke process with an empty script, graphical unless ``gui`` is False; this thread
    is Nuke's main thread. Python state of the bridge is the test's to reset (a new process loses it)."""
    global GUI
    GUI = gui
    env["gui"] = gui
    _state.clear()
    root_node = Node("Root", name="root")
    root_node._defaults = {"name": "", "first_frame": 1, "last_frame": 1}
    for key, value in root_node._defaults.items():
        root_node._add(key, value)
    _state.update({"main": threading.current_thread(), "queue": [], "plugin_path": [], "toolbars": {},
                   "selected": None, "this": None, "answers": [], "messages": [], "warnings": [], "tasks": [],
                   "root": root_node, "context": [root_node], "load_errors": [], "modified": False})


def _require_main(what):
    if threading.current_thread() is not _state["main"]:
        raise RuntimeError("%s must run on Nuke's main thread" % what)


class Knob(object):
    def __init__(self, name, label=None, value=None):
        self._name, self._label, self._value = name, label or name, value
        self._node = None

    def name(self):
        return self._name

    def label(self):
        return self._label

    def value(self):
        _require_main("Knob.value")
        return self._value

    getValue = value

    def setValue(self, value):
        _require_main("Knob.setValue")
        self._value = value
        _state["modified"] = True
        return True


class String_Knob(Knob):
    def __init__(self, name, label=None, value=""):
        Knob.__init__(self, name, label, value)


class Enumeration_Knob(Knob):
    def __init__(self, name, label, items):
        Knob.__init__(self, name, label, items[0] if items else "")
        self._items = list(items)

    def values(self):
        return list(self._items)


class File_Knob(Knob):
    def fromUserText(self, s):
        """Sets the path and a trailing frame range ("out.%04d.exr 1-10"); on a Read, opens the file of the
        first frame to set the format (DCC_API.md 3.4)."""
        _require_main("File_Knob.fromUserText")
        match = re.match(r"^(.*?)(?:\s+(-?\d+)-(-?\d+))?$", s)
        self._value = match.group(1)
        node = self._node
        if match.group(2) is not None and node is not None and node.Class() == "Read":
            first, last = int(match.group(2)), int(match.group(3))
            node._knobs["first"]._value, node._knobs["last"]._value = first, last
            width, height, _ = exr_min.read(_frame_path(self._value, first))
            node._knobs["format"]._value = "%d %d 0 0 %d %d 1" % (width, height, width, height)


class PyScript_Knob(Knob):
    def __init__(self, name, label=None, command=None):
        Knob.__init__(self, name, label, command or "")

    def execute(self):
        """What clicking the button does: runs its Python with nuke.thisNode() set to the knob's node, in that
        node's context (nodes created now land inside it)."""
        _state["this"] = self._node
        _state["context"].append(self._node)
        try:
            exec(self._value, {"nuke": sys.modules[__name__]})
        finally:
            _state["context"].pop()
            _state["this"] = None


class Node(object):
    def __init__(self, node_class, knobs=None, name=None):
        self._class = node_class
        self._knobs = {}
        self._inputs = {}
        self._children = []
        self._defaults = dict(_BUILTIN.get(node_class, {}))
        self._name = name or _unique(node_class)
        self._parent = None
        for key, value in self._defaults.items():
            self._add(key, value)
        for key, value in (knobs or {}).items():
            if key in self._knobs:
                self._knobs[key]._value = value
            else:
                self._add(key, value)

    def _add(self, key, value):
        knob = File_Knob(key, value=value) if key == "file" else Knob(key, value=value)
        knob._node = self
        self._knobs[key] = knob

    def Class(self):
        return self._class

    def name(self):
        return self._name

    def setName(self, name, uncollide=True, updateExpressions=False):
        self._name = name

    def knobs(self):
        return dict(self._knobs)

    def knob(self, name):
        return self._knobs.get(name)

    def __getitem__(self, name):
        if name not in self._knobs:
            raise NameError("knob %s does not exist" % name)
        return self._knobs[name]

    def addKnob(self, knob):
        knob._node = self
        self._knobs[knob.name()] = knob

    def setInput(self, i, node):
        self._inputs[i] = node
        return True

    def input(self, i):
        return self._inputs.get(i)

    def firstFrame(self):
        return self._knobs["first_frame"].value() if "first_frame" in self._knobs else 1

    def lastFrame(self):
        return self._knobs["last_frame"].value() if "last_frame" in self._knobs else 1

    # Group
    def node(self, name):
        for child in self._children:
            if child.name() == name:
                return child
        return None

    def nodes(self):
        return list(self._children)

    def __enter__(self):
        _state["context"].append(self)
        return self

    def __exit__(self, *exc):
        _state["context"].pop()
        return False


def _unique(node_class):
    used = set(n.name() for n in _all())
    i = 1
    while "%s%d" % (node_class, i) in used:
        i += 1
    return "%s%d" % (node_class, i)


def _all(group=None):
    """Every node at any depth (for unique names)."""
    found = []
    for n in (group or _state["root"])._children if _state else []:
        found.append(n)
        found.extend(_all(n))
    return found


def _place(node):
    """Adds a new node to the current context: the root, a group being edited, or the group whose button runs."""
    group = _state["context"][-1]
    node._parent = group
    group._children.append(node)
    _state["modified"] = True
    return node


# --- TCL, as file knobs evaluate it (the subset the bridge uses; anything else is refused) ---------------------

def _matching(text, i, opening, closing):
    depth, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        if text[j] == opening:
            depth += 1
        elif text[j] == closing:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise RuntimeError("TCL: unbalanced %s in %r" % (opening, text))


def _tcl_subst(text, ctx):
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif ch == "[":
            j = _matching(text, i, "[", "]")
            out.append(_tcl_eval(text[i + 1:j], ctx))
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _tcl_words(script):
    """(kind, text) words: 'brace' (literal), 'quote' and 'bare' (substituted)."""
    words, i = [], 0
    while i < len(script):
        ch = script[i]
        if ch.isspace():
            i += 1
        elif ch == "{":
            j = _matching(script, i, "{", "}")
            words.append(("brace", script[i + 1:j]))
            i = j + 1
        elif ch == '"':
            j = i + 1
            while script[j] != '"':
                j += 2 if script[j] == "\\" else 1
            words.append(("quote", script[i + 1:j]))
            i = j + 1
        else:
            j = i
            while j < len(script) and not script[j].isspace():
                if script[j] == "[":
                    j = _matching(script, j, "[", "]")
                j += 1
            words.append(("bare", script[i:j]))
            i = j
    return words


def _tcl_eval(script, ctx):
    words = _tcl_words(script)
    values = [w if kind == "brace" else _tcl_subst(w, ctx) for kind, w in words]
    command = values[0]
    if command == "value":
        return str(_tcl_value(values[1], ctx))
    if command == "file" and values[1] in ("dirname", "tail", "rootname"):
        path = values[2]
        if values[1] == "dirname":
            head = path.rsplit("/", 1)[0] if "/" in path else "."
            return head or "/"
        if values[1] == "tail":
            return path.rsplit("/", 1)[-1]
        return os.path.splitext(path)[0]
    if command == "return":
        return values[1] if len(values) > 1 else ""
    if command == "if":
        cond = [w if kind == "brace" else _tcl_subst(w, ctx) for kind, w in _tcl_words(words[1][1])]
        if len(cond) != 3 or cond[1] not in ("eq", "ne", "==", "!="):
            raise RuntimeError("TCL (fake): unsupported condition %r" % words[1][1])
        true = (cond[0] == cond[2]) == (cond[1] in ("eq", "=="))
        bodies = [w for k, w in words[2:] if not (k == "bare" and w == "else")]
        return _tcl_eval(bodies[0], ctx) if true else (_tcl_eval(bodies[1], ctx) if len(bodies) > 1 else "")
    raise RuntimeError("TCL (fake): unsupported command %r" % command)


def _tcl_value(reference, ctx):
    node, parent = ctx
    if "." in reference:
        owner_name, knob = reference.split(".", 1)
        owner = _state["root"] if owner_name == "root" else parent if owner_name == "parent" else toNode(owner_name)
    else:
        owner, knob = node, reference
    if owner is None:
        raise RuntimeError("TCL: no node for %r" % reference)
    if knob == "name" and owner is not _state["root"]:
        return owner.name()
    if knob not in owner._knobs:
        raise RuntimeError("TCL: %s has no knob %s" % (owner.name(), knob))
    return owner._knobs[knob]._value


def _evaluated_file(node):
    """A Read's or Write's file knob as Nuke evaluates it (TCL), in the node's own context."""
    return _tcl_subst(node._knobs["file"]._value, (node, node._parent or _state["root"]))


def _frame_path(pattern, frame):
    return re.sub(r"%0(\d)d", lambda m: str(frame).zfill(int(m.group(1))), pattern)


# --- gizmo and script text ----------------------------------------------------------------------------------

def _tokens(text):
    """Splits a line into words, keeping "quoted strings" (unescaped) and {braced groups} (verbatim) whole."""
    tokens, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            j, out = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":
                    j += 1
                    out.append({"n": "\n"}.get(text[j], text[j]))
                else:
                    out.append(text[j])
                j += 1
            tokens.append(_Quoted("".join(out)))
            i = j + 1
        elif ch == "{":
            j = _matching(text, i, "{", "}")
            tokens.append(_Quoted(text[i + 1:j].strip()))
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


class _Quoted(str):
    """A word that was quoted or braced: always a string, never a number."""


def _typed(kind, raw):
    if kind == 6:
        return raw in ("true", True)
    if kind == 7:
        return float(raw)
    if kind == 3:
        return int(raw)
    return str(raw)


def _guess(raw):
    if isinstance(raw, _Quoted):
        return str(raw)
    if raw in ("true", "false"):
        return raw == "true"
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            pass
    return raw


def _parse_group(lines, i, group):
    """Reads a Group's or gizmo's header block from lines[i] (after ``Group {``) and its nodes up to
    ``end_group``; returns the index after it."""
    values = []
    while lines[i].strip() != "}":
        line = lines[i].strip()
        if line.startswith("addUserKnob {"):
            words = _tokens(line[len("addUserKnob {"):-1])
            kind, name = int(words[0]), str(words[1])
            opts = dict((words[k], words[k + 1]) for k in range(2, len(words) - 1) if words[k] in ("l", "T", "M", "t"))
            if kind == 4:
                knob = Enumeration_Knob(name, opts.get("l"), str(opts.get("M", "")).split())
            elif kind == 22:
                knob = PyScript_Knob(name, opts.get("l"), opts.get("T"))
            elif kind == 2:
                knob = File_Knob(name, opts.get("l"), "")
            else:
                knob = Knob(name, opts.get("l"), opts.get("T", {6: False, 7: 0.0, 3: 0}.get(kind, "")))
            knob._type = kind
            group.addKnob(knob)
        elif line.startswith("name "):
            group.setName(str(_tokens(line[5:])[0]))
        else:
            words = _tokens(line)
            if len(words) == 2 and not re.match(r"input\d+$", str(words[0])):
                values.append((str(words[0]), words[1]))
        i += 1
    for name, raw in values:
        knob = group.knob(name)
        if knob is not None:
            knob._value = _typed(getattr(knob, "_type", 1), raw)
        else:
            group._add(name, _guess(raw))
    i += 1
    previous = None
    while lines[i].strip() != "end_group":
        cls = lines[i].strip()[:-1].strip()
        knobs, connect, name = {}, True, None
        i += 1
        while lines[i].strip() != "}":
            words = _tokens(lines[i].strip())
            if words[0] == "inputs" and words[1] == "0":
                connect = False
            elif words[0] == "name":
                name = str(words[1])
            elif len(words) == 2:
                knobs[str(words[0])] = _guess(words[1])
            i += 1
        child = Node(cls, knobs, name)
        child._parent = group
        if connect and previous is not None:
            child.setInput(0, previous)
        group._children.append(child)
        previous = child
        i += 1
    return i + 1


def _definition(node_class):
    """A gizmo class's definition (a Group node) from the plug-in path, or None."""
    for folder in _state["plugin_path"]:
        path = os.path.join(folder, node_class + ".gizmo")
        if os.path.isfile(path):
            with open(path) as f:
                lines = f.read().splitlines()
            made = Node("Group", name=node_class)
            _parse_group(lines, 1, made)
            made._class = node_class
            made._defaults = dict((k, v._value) for k, v in made._knobs.items())
            made._gizmo = True
            return made
    return None


def pluginAddPath(args, addToSysPath=True):
    paths = args if isinstance(args, (list, tuple)) else [args]
    for p in paths:
        _state["plugin_path"].insert(0, p)
        if addToSysPath and p not in sys.path:
            sys.path.insert(0, p)


def pluginPath():
    return list(_state["plugin_path"])


def _make(node_class, knobs=None, name=None):
    if node_class in _BUILTIN:
        return Node(node_class, knobs, name)
    made = _definition(node_class)
    if made is None:
        raise RuntimeError("%s: unknown command" % node_class)  # Nuke's words for a class it cannot find
    made.setName(name or _unique(node_class))
    for key, value in (knobs or {}).items():
        if key in made._knobs:
            made._knobs[key]._value = value
    return made


def createNode(node, args=None, inpanel=True):
    _require_main("createNode")
    made = _place(_make(node))
    if _state["selected"] is not None:
        made.setInput(0, _state["selected"])  # connected like a UI creation
    return made


def nodePaste(path):
    _require_main("nodePaste")
    with open(path) as f:
        lines = f.read().splitlines()
    made = Node("Group")
    _parse_group(lines, 1, made)
    return _place(made)


def toNode(name):
    for n in _state["root"]._children:
        if n.name() == name:
            return n
    return None


def allNodes(filter=None, group=None):
    return [n for n in (group or _current())._children if filter is None or n.Class() == filter]


def _current():
    return _state["context"][-1]


def root():
    return _state["root"]


def thisNode():
    return _state["this"]


def delete(node):
    node._parent._children.remove(node)


def scriptSaveAs(filename=None, overwrite=-1):
    """Saves the script as Nuke does (see the module's docstring) and makes ``filename`` the script's name."""
    _require_main("scriptSaveAs")
    root_node = _state["root"]
    root_node._knobs["name"]._value = filename.replace("\\", "/")
    lines = ["Root {"] + _saved_knobs(root_node) + ["}"]
    for node in root_node._children:
        lines += _saved_node(node)
    with open(filename, "w") as f:
        f.write("\n".join(lines) + "\n")
    _state["modified"] = False


def scriptSave(filename=None):
    scriptSaveAs(filename or root()["name"].value())


def _saved_knobs(node, indent=" "):
    lines = []
    for key, knob in sorted(node._knobs.items()):
        if isinstance(knob, PyScript_Knob) or (key in node._defaults and node._defaults[key] == knob._value):
            continue
        value = knob._value
        text = ("true" if value else "false") if isinstance(value, bool) else (
            repr(value) if isinstance(value, (int, float)) else '"%s"' % str(value).replace("\\", "\\\\").replace(
                '"', '\\"').replace("[", "\\["))
        lines.append("%s%s %s" % (indent, key, text))
    return lines


def _saved_node(node):
    head = ["%s {" % node.Class(), " name %s" % node.name()]
    links = [" input%d %s" % (i, n.name()) for i, n in sorted(node._inputs.items()) if n is not None]
    if getattr(node, "_gizmo", False):
        return head + _saved_knobs(node) + links + ["}"]
    if isinstance(node, _Source):
        return ["_Source {", " name %s" % node.name(), " width %d" % node.width, " height %d" % node.height, "}"]
    if node.Class() == "Group":
        lines = ["Group {", " name %s" % node.name()]
        for key, knob in sorted(node._knobs.items()):
            lines.append(" addUserKnob {1 %s l %s}" % (key, knob.label()))
            lines.append(' %s "%s"' % (key, knob._value))
        lines += links + ["}"]
        for child in node._children:
            lines.append(" %s {" % child.Class())
            lines += [" " + l for l in _saved_knobs(child)]
            if child.input(0) is None:
                lines.append("  inputs 0")
            lines += ["  name %s" % child.name(), " }"]
        return lines + ["end_group"]
    return head + _saved_knobs(node) + links + ["}"]


def scriptOpen(filename):
    """Loads a saved script into this (fresh) session, rebuilding nodes from the text alone."""
    _require_main("scriptOpen")
    with open(filename) as f:
        lines = f.read().splitlines()
    root_node = _state["root"]
    links, i = [], 0
    while i < len(lines):
        head = lines[i].strip()
        cls = head[:-1].strip()
        body, j = [], i + 1
        while lines[j].strip() != "}":
            body.append(_tokens(lines[j].strip()))
            j += 1
        named = dict((str(w[0]), w[1]) for w in body if len(w) == 2)
        if cls == "Root":
            for key, raw in named.items():
                root_node._knobs[key]._value = _guess(raw)
            i = j + 1
            continue
        if cls == "Group":
            group = Node("Group", name=str(named["name"]))
            i = _parse_group(lines, i + 1, group)
            _place(group)
            links += [(group, w) for w in body if str(w[0]).startswith("input")]
            continue
        i = j + 1
        try:
            if cls == "_Source":
                made = _Source(int(named["width"]), int(named["height"]))
            else:
                made = _make(cls, name=str(named["name"]))
        except RuntimeError as e:
            _state["load_errors"].append(str(e))
            continue
        for key, raw in named.items():
            if key != "name" and not key.startswith("input") and key in made._knobs:
                made._knobs[key]._value = _typed(getattr(made._knobs[key], "_type", 0), raw) \
                    if hasattr(made._knobs[key], "_type") else _guess(raw)
        _place(made)
        links += [(made, w) for w in body if str(w[0]).startswith("input")]
    for node, words in links:
        source = toNode(str(words[1]))
        if source is not None:
            node.setInput(int(str(words[0])[5:]), source)
    _state["modified"] = False


def modified():
    return _state["modified"]


# --- rendering ----------------------------------------------------------------------------------------------

def _pixels(node, frame):
    """What ``node`` outputs at ``frame``: (width, height, {channel: floats})."""
    if isinstance(node, _Source):
        return node._pixels(frame)
    cls = node.Class()
    if cls == "Read":
        first, last = node._knobs["first"]._value, node._knobs["last"]._value
        outside = frame < first or frame > last
        if outside and node._knobs["before"]._value == "black" and node._knobs["file"]._value:
            width, height, channels = exr_min.read(_frame_path(_evaluated_file(node), first))
            return width, height, dict((c, [0.0] * (width * height)) for c in channels)
        path = _frame_path(_evaluated_file(node), frame)
        if not os.path.isfile(path):
            raise RuntimeError("%s: Read error: %s: No such file or directory" % (node.name(), path))
        return exr_min.read(path)
    if cls == "Input":
        owner = node._parent
        return _pixels(_required_input(owner), frame)
    if node._children:  # a Group or gizmo: what its Output receives
        output = [c for c in node._children if c.Class() == "Output"][0]
        return _pixels(_required_input(output), frame)
    if cls in ("Write", "Output"):
        return _pixels(_required_input(node), frame)
    raise RuntimeError("the fake cannot render a %s" % cls)


def _required_input(node):
    source = node.input(0)
    if source is None:
        raise RuntimeError("%s has no input" % node.name())
    return source


def execute(nameOrNode, start=None, end=None, incr=None, views=None, continueOnError=False):
    """Renders a Write over frames start..end, with its datatype and compression (main thread only)."""
    _require_main("execute")
    node = toNode(nameOrNode) if isinstance(nameOrNode, str) else nameOrNode
    if node is None or node.Class() != "Write":
        raise RuntimeError("%s is not a Write" % nameOrNode)
    start = root().firstFrame() if start is None else start
    end = root().lastFrame() if end is None else end
    pattern = _evaluated_file(node)
    for frame in range(start, end + 1, incr or 1):
        width, height, channels = _pixels(_required_input(node), frame)
        path = _frame_path(pattern, frame)
        if not os.path.isdir(os.path.dirname(path)):
            raise RuntimeError("%s: cannot write %s: no such folder" % (node.name(), path))
        exr_min.write(path, width, height, channels, _DATATYPES[node._knobs["datatype"]._value],
                      _COMPRESSIONS[node._knobs["compression"]._value])


class ProgressTask(object):
    def __init__(self, name):
        self.name, self.progress, self.message = name, 0, ""
        _state["tasks"].append(self)

    def setMessage(self, s):
        self.message = s

    def setProgress(self, i):
        if not isinstance(i, int) or not 0 <= i <= 100:
            raise ValueError("progress is an int from 0 to 100; got %r" % (i,))
        self.progress = i

    def isCancelled(self):
        return _state.get("cancel", False)


def executeInMainThreadWithResult(call, args=(), kwargs={}):
    if type(args) != tuple:
        args = (args,)
    if threading.current_thread() is _state["main"]:
        raise RuntimeError("called from the main thread, this would wait on itself")
    if not GUI:
        raise RuntimeError("no event loop without the GUI: this call would wait forever")
    done, box = threading.Event(), {}
    with _lock:
        _state["queue"].append((call, args, kwargs, box, done))
    done.wait()
    return box.get("result")


def executeInMainThread(call, args=(), kwargs={}):
    if type(args) != tuple:
        args = (args,)
    with _lock:
        _state["queue"].append((call, args, kwargs, {}, threading.Event()))


def _pump(until, timeout=120.0):
    """Test control: the main thread's event loop, running queued calls until ``until()`` or ``timeout``."""
    deadline = time.time() + timeout
    while True:
        with _lock:
            work = list(_state["queue"])
            del _state["queue"][:]
        for call, args, kwargs, box, done in work:
            try:
                box["result"] = call(*args, **kwargs)
            except Exception:
                traceback.print_exc()  # Nuke prints it and returns None
                box["result"] = None
            done.set()
        if until() or time.time() > deadline:
            return until()
        time.sleep(0.01)


class MenuItem(object):
    def __init__(self, name, command):
        self._name, self._command = name, command

    def name(self):
        return self._name

    def script(self):
        return self._command

    def invoke(self):
        """Test control: what choosing the item does (Python command string, run on the main thread)."""
        exec(self._command, {"nuke": sys.modules[__name__]})


class Menu(MenuItem):
    def __init__(self, name):
        MenuItem.__init__(self, name, None)
        self._items = []

    def addMenu(self, **kwargs):
        sub = Menu(kwargs["name"])
        self._items.append(sub)
        return sub

    def addCommand(self, name, command=None, shortcut=None, icon=None, tooltip=None, index=None, readonly=None,
                   shortcutContext=None, tag=None, tagTarget=None, nodeClass=""):
        parts = name.split("/")
        menu = self
        for part in parts[:-1]:  # "/" in a name makes submenus
            found = menu.findItem(part)
            menu = found if found is not None else menu.addMenu(name=part)
        item = MenuItem(parts[-1], command if command is not None else "nuke.createNode(%r)" % parts[-1])
        menu._items.append(item)
        return item

    def addSeparator(self, **kwargs):
        item = MenuItem("", None)
        self._items.append(item)
        return item

    def findItem(self, name):
        for item in self._items:
            if item.name() == name:
                return item
        return None

    def removeItem(self, name):
        self._items = [i for i in self._items if i.name() != name]

    def items(self):
        return list(self._items)


def menu(name):
    if not GUI:
        raise RuntimeError("nuke.menu needs the GUI")
    return _state["toolbars"].setdefault("menu:" + name, Menu(name))


def toolbar(name, create=True):
    if name not in _state["toolbars"] and not create:
        return None
    return _state["toolbars"].setdefault(name, Menu(name))


def message(prompt):
    _state["messages"].append(prompt)


def ask(prompt):
    _state["messages"].append(prompt)
    return _state["answers"].pop(0) if _state["answers"] else False


def getInput(prompt, default=None):
    _state["messages"].append(prompt)
    return _state["answers"].pop(0) if _state["answers"] else default


def warning(message):
    _state["warnings"].append(message)


def error(message):
    _state["warnings"].append(message)


def tprint(*values):
    print(" ".join(u"%s" % (v,) for v in values))


class _Source(Node):
    """Test control: a node whose output at each frame is a gradient scaled by the frame number."""

    def __init__(self, width, height):
        Node.__init__(self, "Constant", name="plate")
        self.width, self.height = width, height

    def _pixels(self, frame):
        n = self.width * self.height
        ramp = [float(i % self.width) / self.width for i in range(n)]
        return self.width, self.height, {"R": [v * frame for v in ramp], "G": [0.5] * n,
                                         "B": [1.0 - v for v in ramp], "A": [1.0] * n}


class _Nodes(object):
    """nuke.nodes.<Class>(**knobs): a node in the current context, without auto-connection."""

    def __getattr__(self, cls):
        def make(**knobs):
            _require_main("nuke.nodes." + cls)
            inputs = knobs.pop("inputs", [])
            name = knobs.pop("name", None)
            made = _place(_make(cls, knobs, name))
            for i, n in enumerate(inputs):
                made.setInput(i, n)
            return made
        return make


nodes = _Nodes()
