# Conduit's Nuke start-up, part 2: menu.py runs only in sessions with a UI. It builds the Conduit menu.
try:
    import conduit_nuke
    conduit_nuke.install()
except Exception as e:  # one line, and Nuke carries on
    print("Conduit: not loaded (%s)" % e)
