"""What the Conduit shelf's tools do (toolbar/conduit.shelf)."""

import json

import hou

from conduit_client import ConduitError
from conduit_houdini import sop
from conduit_houdini.client import get_client

RATINGS = ("1", "2", "3", "4", "5")


def _tell(text):
    """A message for the artist: a dialog in a graphical session, the console in hython (hou.ui needs a UI)."""
    if hou.isUIAvailable():
        hou.ui.displayMessage(text, title="Conduit")
    else:
        print("Conduit: " + text)


def add_inference_node():
    """A Conduit Inference node wired after the selected SOP
    (https://www.sidefx.com/docs/houdini/hom/hou/selectedNodes.html)."""
    selected = hou.selectedNodes()
    if not selected:
        _tell("Select the SOP whose geometry the model should process.")
        return None
    source = selected[-1]
    node = sop.create(source.parent())
    node.setFirstInput(source)
    return node


def feedback_for(node, rating, note):
    """Sends ``rating`` (1-5) and ``note`` about the node's last result to the agent; returns what it kept."""
    raw = node.userData(sop.LAST_RESULT)
    if not raw:
        raise ConduitError("%s has no result to rate yet; cook it first" % node.name(), "CDT-USAGE")
    last = json.loads(raw)
    # node.path(): https://www.sidefx.com/docs/houdini/hom/hou/Node.html#path
    context = {"route": last.get("route", ""), "hostVersion": hou.applicationVersionString(), "outputs": [node.path()]}
    return get_client().feedback(last["model"], last["version"], rating, note, last.get("requestId", ""), context)


def send_feedback():
    """Asks the artist for a rating and a note on the selected node's last result
    (https://www.sidefx.com/docs/houdini/hom/hou/ui.html#readInput returns (button index, text))."""
    if not hou.isUIAvailable():
        raise ConduitError("feedback asks the artist in a dialog; in hython call feedback_for(node, rating, note)",
                           "CDT-USAGE")
    nodes = [n for n in hou.selectedNodes() if n.userData(sop.LAST_RESULT)]
    if not nodes:
        _tell("Select a Conduit Inference node that has cooked.")
        return None
    # Enter presses the default button: make that Cancel, so a note typed and entered never rates 1.
    choice, note = hou.ui.readInput("How good is this result? (1 = unusable, 5 = perfect)",
                                    buttons=RATINGS + ("Cancel",), default_choice=len(RATINGS),
                                    close_choice=len(RATINGS), title="Conduit feedback")
    if choice >= len(RATINGS):
        return None
    kept = feedback_for(nodes[0], choice + 1, note)
    hou.ui.setStatusMessage("Conduit: thank you, feedback on %s@%s sent" % (kept["model"], kept["version"]))
    return kept
