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
    """A Conduit Inference node where the selection says, so the tool works whatever is selected
    (https://www.sidefx.com/docs/houdini/hom/hou/selectedNodes.html): after a selected SOP, inside a
    selected geometry object (after the SOP it displays, ObjNode.html#displayNode), or, with nothing
    selected, inside a new geometry object. The new node gets the display flag, so the artist sees it.
    A node's context: Node.type().category().name() is "Sop" for SOPs (NodeType.html#category,
    NodeTypeCategory.html#name)."""
    selected = hou.selectedNodes()
    source = selected[-1] if selected else None
    if source is None:
        network, upstream = hou.node("/obj").createNode("geo", "conduit_geo"), None
    elif source.type().category().name() == "Sop":
        network, upstream = source.parent(), source
    elif source.type().name() == "geo":
        network, upstream = source, source.displayNode()
    else:
        _tell("Select a SOP or a geometry object (%s is a %s node), or nothing to start a new object."
              % (source.name(), source.type().name()))
        return None
    node = sop.create(network)
    if upstream is not None:
        node.setFirstInput(upstream)
    node.setDisplayFlag(True)
    return node


def feedback_for(node, rating, note):
    """Sends ``rating`` (1-5) and ``note`` about the node's last result to the agent; returns what it kept."""
    raw = node.cachedUserData(sop.LAST_RESULT)
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
    nodes = [n for n in hou.selectedNodes() if n.cachedUserData(sop.LAST_RESULT)]
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
