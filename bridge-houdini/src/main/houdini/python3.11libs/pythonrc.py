# Conduit's start-up shim: Houdini runs every pythonrc.py on its path at start-up. It must never block start-up.
try:
    import conduit_houdini
    conduit_houdini.install()
except Exception as e:  # one line, and Houdini carries on
    print("Conduit: not loaded (%s)" % e)
