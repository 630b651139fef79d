"""The Conduit menu in the Nodes toolbar: one entry per model the agent offers for Nuke, by category.

The entries create the installed gizmo of the model's major version (``conduit gizmos`` writes them into
the plug-in folder; nothing is written here) and pin the exact version the agent chose for this show
on the new node, where it is saved with the script. A model whose gizmo is not installed is listed
with the fix instead of failing at creation. Menu calls: ``nuke.toolbar``, ``Menu.addMenu``,
``Menu.addCommand``, ``Menu.removeItem`` (DCC_API.md 3.3).
"""

import threading

import nuke

from conduit_client import ConduitError
from conduit_nuke import gizmo
from conduit_nuke.client import get_client

_offered = {}


def _list(refresh=False):
    if refresh or not _offered:
        models = get_client().models()
        _offered.clear()
        for entry in models:
            _offered[entry["name"]] = entry
    return _offered


def entry_for(name, version=None):
    """The model's entry as last listed (listing again when the session has not yet). Within a major version a
    newer entry describes the pinned one too (a minor release adds knobs, never changes one)."""
    entry = _list().get(name)
    if entry is None:
        raise ConduitError(u"%s is not offered for Nuke here; Refresh Models lists what is" % name, "CDT-MODEL-NOT-FOUND")
    if version and gizmo.major(version) != gizmo.major(entry["version"]):
        # The agent offers another major version now; the node still runs its own, pinned one.
        entry = dict(entry)
        entry["version"] = version
    return entry


def offered_version(name, refresh=False):
    """The version the agent offers for ``name`` in this show now, or None."""
    try:
        entry = _list(refresh).get(name)
    except ConduitError:
        return None
    return entry["version"] if entry else None


def category(entry):
    text = entry["host"].get("category", "")
    return text[len("Conduit/"):] if text.startswith("Conduit/") else (text or "Models")


def create(name):
    """A menu entry's command: the model's gizmo, pinned to the version the agent chose."""
    entry = entry_for(name)
    node = nuke.createNode(gizmo.class_name(name, entry["version"]))
    node["conduit_version"].setValue(entry["version"])
    return node


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
    """On the main thread: one menu entry per model (or the reason there are none)."""
    root = _fresh_menu()
    _offered.clear()
    if error is not None:
        root.addCommand(u"No models: %s" % error.message, "import conduit_nuke.menu\nconduit_nuke.menu.build()")
    for entry in sorted(models, key=lambda e: e["name"]):
        _offered[entry["name"]] = entry
        class_ = gizmo.class_name(entry["name"], entry["version"])
        label = u"%s/%s" % (category(entry), entry["host"]["label"])
        if gizmo.gizmo_file(class_, nuke.pluginPath()) is None:
            root.addCommand(label + u" (not installed)", "import nuke\nnuke.message(%r)" % (
                "%s is not installed on this machine's plug-in path; a TD runs: conduit gizmos" % class_))
            continue
        root.addCommand(label, "import conduit_nuke.menu\nconduit_nuke.menu.create(%r)" % str(entry["name"]),
                        tooltip=u"%s@%s (%s)" % (entry["name"], entry["version"], entry["chosenBy"]))
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
