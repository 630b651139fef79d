"""Farm renders of scripts that hold Conduit gizmos: results are found in the cache, or made first.

A render node runs ``nuke -x`` (or ``-t``) as another user, without a GUI and without the artist's files.
The gizmo's inner Read points at the node's cache folder beside the script (or its Cache folder knob), so a
frame the artist already ran is simply read. A frame that is missing would fail the Read (``on_error
error``: a missing result is never rendered as black). ``precompute`` makes those frames first, through the
agent (started from ``CONDUIT_ROOT`` if needed), before the Writes render. A farm job runs it as a pre-step:

    nuke -t <conduit>/nuke/conduit_nuke/farm.py shot.nk 1001-1100
    nuke -x shot.nk 1001-1100

``nuke.scriptOpen(filename)`` opens the script in the ``-t`` session
(learn.foundry.com/nuke/developers/latest/pythondevguide/_autosummary/nuke.scriptOpen.html).
"""

import os
import sys

import nuke

from conduit_nuke import bake, gizmo, render


def missing_frames(node, first, last):
    """The frames in first..last whose result is not in the node's cache folder."""
    folder = gizmo.folder(nuke.root()["name"].value(), node["conduit_cache"].value(), node.name())
    have = set(bake.cached_frames(folder))
    return [f for f in range(first, last + 1) if f not in have]


def precompute(first=None, last=None):
    """Runs every Conduit node of the open script over the frames it lacks; returns {node name: status}."""
    root = nuke.root()
    first = root.firstFrame() if first is None else first
    last = root.lastFrame() if last is None else last
    outcome = {}
    for node in nuke.allNodes():
        if not gizmo.is_conduit(node):
            continue
        missing = missing_frames(node, first, last)
        if missing:
            render.run(node, missing[0], missing[-1])
        else:
            node["status"].setValue(u"all %d frame(s) found in the cache" % (last - first + 1))
        outcome[node.name()] = node["status"].value()
        nuke.tprint("Conduit: %s: %s" % (node.name(), outcome[node.name()]))
    return outcome


def main(argv):
    """``farm.py SCRIPT.nk [FIRST-LAST]``: 0 when every Conduit node has its frames, 1 otherwise."""
    if len(argv) < 2:
        nuke.tprint("usage: nuke -t farm.py SCRIPT.nk [FIRST-LAST]")
        return 2
    nuke.scriptOpen(argv[1])
    first = last = None
    if len(argv) > 2:
        first, last = [int(p) for p in argv[2].split("-")]
    outcome = precompute(first, last)
    return 1 if any(s.startswith("failed") for s in outcome.values()) else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sys.exit(main(sys.argv))
