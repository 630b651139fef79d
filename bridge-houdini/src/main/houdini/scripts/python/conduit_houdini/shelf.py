"""What the Conduit shelf's tools do (toolbar/conduit.shelf)."""

import json

import hou

from conduit_client import ConduitError
from conduit_houdini import sop
from conduit_houdini.client import get_client

RATINGS = ("1", "2", "3", "4", "5")


def add_inference_node():
    """A Conduit Inference node wired after the selected SOP (https://www.sidefx.com/docs/houdini/hom/hou/selectedNodes.html)."""
    selected = hou.selectedNodes()
    if not selected:
        hou.ui.displayMessage("Select the SOP whose geometry the model should process.", title="Conduit")
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
    return get_client().feedback(last["model"], last["version"], rating, note, last.get("requestId", ""))


def send_feedback():
    """Asks the artist for a rating and a note on the selected node's last result (ui.html#readInput)."""
    nodes = [n for n in hou.selectedNodes() if n.userData(sop.LAST_RESULT)]
    if not nodes:
        hou.ui.displayMessage("Select a Conduit Inference node that has cooked.", title="Conduit")
        return None
    choice, note = hou.ui.readInput("How good is this result? (1 = unusable, 5 = perfect)",
                                    buttons=RATINGS + ("Cancel",), close_choice=len(RATINGS), title="Conduit feedback")
    if choice >= len(RATINGS):
        return None
    kept = feedback_for(nodes[0], choice + 1, note)
    hou.ui.setStatusMessage("Conduit: thank you, feedback on %s@%s sent" % (kept["model"], kept["version"]))
    return kept
