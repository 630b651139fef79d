"""The Conduit menu in the Nodes toolbar: one gizmo per model valid for Nuke, by category.

Gizmo files are written into the user's gizmo folder (``$CONDUIT_HOME/nuke/gizmos``, which init.py
puts on the plug-in path) each time the menu is built, so they always match the models the agent
offers in this show. Menu calls: ``nuke.toolbar``, ``Menu.addMenu``, ``Menu.addCommand``,
``Menu.removeItem`` (DCC_API.md 3.3).
"""

import os
import threading

import nuke

from conduit_client import ConduitError
from conduit_client.agent import default_home
from conduit_nuke import gizmo
from conduit_nuke.client import get_client

_offered = {}


def gizmo_dir():
    return os.path.join(default_home(), "nuke", "gizmos")


def entry_for(name):
    """The model's entry as last listed (listing again when the session has not yet)."""
    if name not in _offered:
        for entry in get_client().models():
            _offered[entry["name"]] = entry
    if name not in _offered:
        raise ConduitError("%s is not offered for Nuke here; Refresh Models lists what is" % name, "CDT-MODEL-NOT-FOUND")
    return _offered[name]


def category(entry):
    text = entry["host"].get("category", "")
    return text[len("Conduit/"):] if text.startswith("Conduit/") else (text or "Models")


def write_gizmos(models):
    """Writes one .gizmo per model; returns {class name: entry}."""
    folder = gizmo_dir()
    if not os.path.isdir(folder):
        os.makedirs(folder)
    classes = {}
    for entry in models:
        name = gizmo.class_name(entry)
        path = os.path.join(folder, name + ".gizmo")
        staged = path + ".tmp"
        with open(staged, "w") as f:
            f.write(gizmo.text(entry))
        if os.path.exists(path):
            os.remove(path)  # Windows will not rename over an existing file
        os.rename(staged, path)
        classes[name] = entry
    return classes


def build():
    """(Re)builds the menu: at once with a "Loading models..." entry, then, when a worker thread has the
    agent's list (starting the agent can take seconds), filled in on the main thread
    (nuke.executeInMainThread: one args tuple, DCC_API.md 3.2). Nuke never waits."""
    root = _fresh_menu()
    root.addCommand("Loading models...", "import conduit_nuke.menu\nconduit_nuke.menu.build()")

    def work():
        try:
            models, error = get_client().models(), None
        except ConduitError as e:
            models, error = [], e
        nuke.executeInMainThread(fill, (models, error))

    worker = threading.Thread(target=work, name="conduit-nuke-menu")
    worker.daemon = True
    worker.start()
    return worker


def _fresh_menu():
    toolbar = nuke.toolbar("Nodes")
    if toolbar.findItem("Conduit") is not None:
        toolbar.removeItem("Conduit")
    return toolbar.addMenu(name="Conduit", tooltip="Models from Conduit, valid for this show")


def fill(models, error=None):
    """On the main thread: one gizmo and menu entry per model (or the reason there are none)."""
    root = _fresh_menu()
    _offered.clear()
    if error is not None:
        root.addCommand("No models: %s" % error.message, "import conduit_nuke.menu\nconduit_nuke.menu.build()")
    for entry in models:
        _offered[entry["name"]] = entry
    if models:
        nuke.pluginAddPath(gizmo_dir())
        for name, entry in sorted(write_gizmos(models).items()):
            root.addCommand("%s/%s" % (category(entry), entry["host"]["label"]), "nuke.createNode('%s')" % name,
                            tooltip="%s@%s (%s)" % (entry["name"], entry["version"], entry["chosenBy"]))
    root.addSeparator()
    root.addCommand("Refresh Models", "import conduit_nuke.menu\nconduit_nuke.menu.build()")
    root.addCommand("Doctor", "import conduit_nuke.menu\nconduit_nuke.menu.doctor()")
    return models


def doctor():
    """The agent's status, for an artist to read out to a TD."""
    text = get_client().status_text()
    if nuke.GUI:
        nuke.message(text)
    return text
