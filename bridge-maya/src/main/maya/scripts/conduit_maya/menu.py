"""The Conduit menu on Maya's main window: one action per model valid for Maya, grouped by category.

Calls per the CommandsPython pages (menu, menuItem, setParent, confirmDialog, promptDialog):
https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/CommandsPython/<command>.html. A
menuItem's Python command is called with one extra argument, hence ``lambda *_``.
"""

import threading

import maya.cmds as cmds
import maya.utils

from conduit_client import ConduitError
from conduit_maya import actions
from conduit_maya.client import get_client

MENU = "ConduitMenu"
RATINGS = ["1", "2", "3", "4", "5"]
_offered = {}  # model name -> entry, as last listed


def category(entry):
    """The submenu a model sits in: its manifest category without a leading "Conduit/"."""
    text = entry["host"].get("category", "")
    if text.startswith("Conduit/"):
        text = text[len("Conduit/"):]
    return text or "Models"


def build():
    """(Re)builds the menu: at once with a "Loading models..." line, then, when a worker thread has the
    agent's list (starting the agent can take seconds), filled in on the main thread. Maya never waits."""
    if cmds.menu(MENU, exists=True):
        cmds.menu(MENU, edit=True, deleteAllItems=True)
    else:
        cmds.menu(MENU, label="Conduit", parent="MayaWindow", tearOff=True)
    cmds.menuItem(label="Loading models...", parent=MENU)

    def work():
        try:
            models, error = get_client().models(), None
        except ConduitError as e:
            models, error = [], e
        maya.utils.executeDeferred(fill, models, error)

    worker = threading.Thread(target=work, name="conduit-maya-menu")
    worker.daemon = True
    worker.start()
    return worker


def fill(models, error=None):
    """On the main thread: the menu's items for ``models`` (or the reason there are none)."""
    cmds.menu(MENU, edit=True, deleteAllItems=True)
    _offered.clear()
    if error is not None:
        cmds.menuItem(label="No models: %s" % error.message, parent=MENU)
    groups = {}
    for entry in models:
        _offered[entry["name"]] = entry
        groups.setdefault(category(entry), []).append(entry)
    for name in sorted(groups):
        submenu = cmds.menuItem(label=name, subMenu=True, parent=MENU)
        for entry in groups[name]:
            cmds.menuItem(label=entry["host"]["label"], parent=submenu, command=_action(entry),
                          annotation="%s@%s (%s)" % (entry["name"], entry["version"], entry["chosenBy"]))
        cmds.setParent("..", menu=True)
    cmds.menuItem(divider=True, parent=MENU)
    cmds.menuItem(label="Refresh Models", parent=MENU, command=lambda *_: build())
    cmds.menuItem(label="Model Info...", parent=MENU, command=lambda *_: show_info())
    cmds.menuItem(label="Send Feedback...", parent=MENU, command=lambda *_: send_feedback())
    cmds.menuItem(label="Doctor", parent=MENU, command=lambda *_: doctor())
    return models


def _action(entry):
    return lambda *_: actions.apply_to_selection(entry)


def info_text():
    """Version, lineage summary and last route of every model used in this session (or offered, if none)."""
    names = sorted(actions.last_results) or sorted(_offered)
    if not names:
        return "No models offered for Maya here. Refresh Models, or run Doctor."
    lines = []
    for name in names:
        entry = _offered.get(name, {})
        lineage = entry.get("lineage") or {}
        parents = ", ".join(lineage.get("parents", [])) or "none"  # "name@version" strings
        lines.append("%s@%s  (%s)" % (name, entry.get("version", "?"), entry.get("chosenBy", "")))
        lines.append("  parents: %s; training data: %d source(s); code: %s"
                     % (parents, len(lineage.get("trainingData", [])), (lineage.get("code") or {}).get("commit", "unknown")))
        last = actions.last_results.get(name)
        lines.append("  last run: %s" % (last["status"] + " - " + last["reason"] if last else "not run yet"))
    return "\n".join(lines)


def show_info():
    cmds.confirmDialog(title="Conduit: model info", message=info_text(), button=["OK"])


def send_feedback():
    """Asks for a rating and a note on the last result and sends them to the agent."""
    if not actions.last_model:
        cmds.confirmDialog(title="Conduit", message="Apply a model first; feedback is about its last result.",
                           button=["OK"])
        return None
    name = actions.last_model[0]
    last = actions.last_results[name]
    rating = cmds.confirmDialog(title="Conduit feedback", message="How good is %s@%s's result? (1 = unusable, 5 = perfect)"
                                % (name, last["version"]), button=RATINGS + ["Cancel"], defaultButton="4",
                                cancelButton="Cancel", dismissString="Cancel")
    if rating not in RATINGS:
        return None
    # promptDialog: https://help.autodesk.com/cloudhelp/2024/ENU/Maya-Tech-Docs/CommandsPython/promptDialog.html
    pressed = cmds.promptDialog(title="Conduit feedback", message="A note for the model's authors (optional):",
                                button=["Send", "Cancel"], defaultButton="Send", cancelButton="Cancel",
                                dismissString="Cancel")
    if pressed != "Send":
        return None
    note = cmds.promptDialog(query=True, text=True)
    context = {"route": last["route"], "hostVersion": cmds.about(version=True), "outputs": [last["target"]]}
    return get_client().feedback(name, last["version"], int(rating), note, last["requestId"], context)


def doctor():
    """The agent's status, for an artist to read out to a TD."""
    text = get_client().status_text()
    cmds.confirmDialog(title="Conduit doctor", message=text, button=["OK"])
    return text
