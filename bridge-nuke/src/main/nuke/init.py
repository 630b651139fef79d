# Conduit's Nuke start-up, part 1. Nuke runs every init.py on its plug-in path in every session, nuke -t and
# farm renders included, so this only sets paths: the shared Python client, and the folder of generated gizmos.
try:
    import os
    import nuke
    _here = os.path.dirname(os.path.abspath(__file__))
    # pluginAddPath also puts the folder on sys.path (addToSysPath=True), which is how conduit_client is found.
    nuke.pluginAddPath(os.path.join(os.path.dirname(_here), "python"))
    _home = os.environ.get("CONDUIT_HOME") or os.path.join(os.path.expanduser("~"), ".conduit")
    nuke.pluginAddPath(os.path.join(_home, "nuke", "gizmos"))
except Exception as e:  # one line, and Nuke carries on
    print("Conduit: paths not set (%s)" % e)
