# Conduit's start-up shim: Maya runs every module's scripts/userSetup.py at start-up. It must never block it.
try:
    import maya.cmds as cmds
    if not cmds.about(batch=True):  # menus only in a graphical session; mayapy and maya -batch get none
        import conduit_maya
        cmds.evalDeferred(conduit_maya.install, lowestPriority=True)  # after Maya's own menus exist
except Exception as e:  # one line, and Maya carries on
    print("Conduit: not loaded (%s)" % e)
