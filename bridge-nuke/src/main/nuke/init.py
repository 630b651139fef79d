# Conduit's Nuke start-up, part 1. Nuke runs every init.py on its plug-in path in every session, nuke -t and
# farm renders included, so this only sets paths: the shared Python client, and the installed gizmos
# (written by `conduit gizmos`, never per user), so any user or render node that opens a script finds them.
try:
    import os
    import nuke
    _here = os.path.dirname(os.path.abspath(__file__))
    # The distribution this folder belongs to: the agent is started from it when none runs yet.
    os.environ.setdefault("CONDUIT_ROOT", os.path.dirname(_here))
    # pluginAddPath also puts the folder on sys.path (addToSysPath=True), which is how conduit_client is found.
    nuke.pluginAddPath(os.path.join(os.path.dirname(_here), "python"))
    # A studio may keep the gizmos on a share of its own: CONDUIT_NUKE_GIZMOS (os.pathsep-separated).
    _gizmos = os.environ.get("CONDUIT_NUKE_GIZMOS")
    for _folder in (_gizmos.split(os.pathsep) if _gizmos else [os.path.join(_here, "gizmos")]):
        nuke.pluginAddPath(_folder, addToSysPath=False)
except Exception as e:  # one line, and Nuke carries on
    print("Conduit: paths not set (%s)" % e)
