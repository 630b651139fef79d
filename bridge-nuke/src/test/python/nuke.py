"""A fake of Nuke's ``nuke`` module for tests, holding only the calls the bridge uses.

Names, arguments and defaults follow ../shared/DCC_API.md section 3 and the Foundry pages it cites.
Behaviour reproduced (section 4): ``executeInMainThreadWithResult(call, args=(), kwargs={})`` takes ONE
tuple (a non-tuple is wrapped), prints an exception and returns None; ``nuke.menu`` raises without a
GUI; missing things return None; ``execute`` runs on the main thread only. Gizmo and .nk text is parsed
the way Nuke reads it: a Group's ``addUserKnob`` lines and values, then its nodes, each taking the
previous one as input unless it says ``inputs 0``. Names starting with ``_`` are the test's controls.
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


def _reset(gui=True):
    """Test control: a new script, graphical unless ``gui`` is False; this thread is Nuke's main thread."""
    global GUI
    GUI = gui
    env["gui"] = gui
    _state.clear()
    _state.update({"main": threading.current_thread(), "queue": [], "plugin_path": [], "toolbars": {}, "nodes": [],
                   "selected": None, "this": None, "answers": [], "messages": [], "warnings": [], "tasks": [],
                   "root": Node("Root", {"first_frame": 1, "last_frame": 1})})


def _require_main(what):
    if threading.current_thread() is not _state["main"]:
        raise RuntimeError("%s must run on Nuke's main thread" % what)


class Knob(object):
    def __init__(self, name, label=None, value=None):
        self._name, self._label, self._value = name, label or name, value

    def name(self):
        return self._name

    def label(self):
        return self._label

    def value(self):
        return self._value

    getValue = value

    def setValue(self, value):
        _require_main("Knob.setValue")
        self._value = value
        return True


class Enumeration_Knob(Knob):
    def __init__(self, name, label, items):
        Knob.__init__(self, name, label, items[0] if items else "")
        self._items = list(items)

    def values(self):
        return list(self._items)


class File_Knob(Knob):
    def fromUserText(self, s):
        """Sets the path and a trailing frame range ("out.%04d.exr 1-10")."""
        _require_main("File_Knob.fromUserText")
        match = re.match(r"^(.*?)(?:\s+(-?\d+)-(-?\d+))?$", s)
        self._value = match.group(1)
        if match.group(2) is not None:
            self._range = (int(match.group(2)), int(match.group(3)))


class PyScript_Knob(Knob):
    def __init__(self, name, label=None, command=None):
        Knob.__init__(self, name, label, command or "")

    def execute(self):
        """What clicking the button does: runs its Python with nuke.thisNode() set to the knob's node."""
        _state["this"] = self._node
        try:
            exec(self._value, {"nuke": sys.modules[__name__]})
        finally:
            _state["this"] = None


class Node(object):
    def __init__(self, node_class, knobs=None, name=None):
        self._class = node_class
        self._knobs = {}
        self._inputs = {}
        self._children = []
        self._name = name or node_class + str(len(_state.get("nodes", [])) + 1)
        for key, value in (knobs or {}).items():
            self._knobs[key] = File_Knob(key, value=value) if key == "file" else Knob(key, value=value)

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


def _tokens(text):
    """Splits an addUserKnob body into words, keeping "quoted strings" and {braced groups} whole."""
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
            tokens.append("".join(out))
            i = j + 1
        elif ch == "{":
            depth, j = 1, i + 1
            while depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            tokens.append(text[i + 1:j - 1].strip())
            i = j
        else:
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            tokens.append(text[i:j])
            i = j
    return tokens


def _parse_group(text):
    """A Group node from gizmo / .nk text, as Nuke builds it."""
    lines = text.splitlines()
    assert lines[0].strip() in ("Group {", "Gizmo {"), "not a Group: %r" % lines[0]
    group = Node("Group")
    i = 1
    values = {}
    while lines[i].strip() != "}":
        line = lines[i].strip()
        if line.startswith("addUserKnob {"):
            words = _tokens(line[len("addUserKnob {"):-1])
            kind, name = int(words[0]), words[1]
            opts = dict((words[k], words[k + 1]) for k in range(2, len(words) - 1) if words[k] in ("l", "T", "M", "t"))
            if kind == 4:
                knob = Enumeration_Knob(name, opts.get("l"), opts.get("M", "").split())
            elif kind == 22:
                knob = PyScript_Knob(name, opts.get("l"), opts.get("T"))
            elif kind in (2,):
                knob = File_Knob(name, opts.get("l"), "")
            else:
                knob = Knob(name, opts.get("l"), opts.get("T", {6: False, 7: 0.0, 3: 0}.get(kind, "")))
            knob._type = kind
            group.addKnob(knob)
        elif line.startswith("name "):
            group.setName(_tokens(line[5:])[0])
        else:
            words = _tokens(line)
            if len(words) == 2:
                values[words[0]] = words[1]
        i += 1
    for name, raw in values.items():
        knob = group.knob(name)
        if knob is not None:
            knob._value = _typed(getattr(knob, "_type", 1), raw)
    i += 1
    previous = None
    while lines[i].strip() != "end_group":
        cls = lines[i].strip()[:-1].strip()
        knobs, connect = {}, True
        i += 1
        while lines[i].strip() != "}":
            words = _tokens(lines[i].strip())
            if words[0] == "inputs" and words[1] == "0":
                connect = False
            elif len(words) == 2:
                knobs[words[0]] = words[1]
            i += 1
        child = Node(cls, dict((k, v) for k, v in knobs.items() if k != "name"), knobs.get("name"))
        if connect and previous is not None:
            child.setInput(0, previous)
        group._children.append(child)
        previous = child
        i += 1
    return group


def _typed(kind, raw):
    if kind == 6:
        return raw == "true"
    if kind == 7:
        return float(raw)
    if kind == 3:
        return int(raw)
    return raw


def pluginAddPath(args, addToSysPath=True):
    paths = args if isinstance(args, (list, tuple)) else [args]
    for p in paths:
        _state["plugin_path"].insert(0, p)
        if addToSysPath and p not in sys.path:
            sys.path.insert(0, p)


def pluginPath():
    return list(_state["plugin_path"])


def createNode(node, args=None, inpanel=True):
    _require_main("createNode")
    for folder in _state["plugin_path"]:
        path = os.path.join(folder, node + ".gizmo")
        if os.path.isfile(path):
            with open(path) as f:
                made = _parse_group(f.read())
            made._class = node
            break
    else:
        made = Node(node)
    if _state["selected"] is not None:
        made.setInput(0, _state["selected"])  # connected like a UI creation
    _state["nodes"].append(made)
    return made


def nodePaste(path):
    _require_main("nodePaste")
    with open(path) as f:
        made = _parse_group(f.read())
    _state["nodes"].append(made)
    return made


def toNode(name):
    for n in _state["nodes"]:
        if n.name() == name:
            return n
    return None


def root():
    return _state["root"]


def thisNode():
    return _state["this"]


def delete(node):
    _state["nodes"].remove(node)


def _upstream_pixels(node, frame):
    """Pixels reaching ``node``'s input at ``frame``: through a gizmo's Input1, up to a test source."""
    source = node.input(0)
    if source is None:
        raise RuntimeError("%s has no input" % node.name())
    if source.Class() == "Input":
        owner = [g for g in _state["nodes"] if source in g._children][0]
        return _upstream_pixels(owner, frame)
    return source._pixels(frame)


def execute(nameOrNode, start=None, end=None, incr=None, views=None, continueOnError=False):
    """Renders a Write over frames start..end: here, its input's pixels to uncompressed FLOAT EXRs."""
    _require_main("execute")
    node = toNode(nameOrNode) if isinstance(nameOrNode, str) else nameOrNode
    if node.Class() != "Write":
        raise RuntimeError("%s is not a Write" % node.name())
    start = root().firstFrame() if start is None else start
    end = root().lastFrame() if end is None else end
    pattern = node["file"].value()
    for frame in range(start, end + 1, incr or 1):
        width, height, channels = _upstream_pixels(node, frame)
        path = re.sub(r"%0(\d)d", lambda m: str(frame).zfill(int(m.group(1))), pattern)
        exr_min.write(path, width, height, channels)


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
    print(" ".join(str(v) for v in values))


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
    """nuke.nodes.<Class>(**knobs): a node without auto-connection."""

    def __getattr__(self, cls):
        def make(**knobs):
            inputs = knobs.pop("inputs", [])
            made = Node(cls, knobs)
            for i, n in enumerate(inputs):
                made.setInput(i, n)
            _state["nodes"].append(made)
            return made
        return make


nodes = _Nodes()
