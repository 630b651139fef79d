"""Conduit inside Nuke: one gizmo per model valid for Nuke, generated from its manifest, under a Conduit menu.

``install()`` is what menu.py calls in a GUI session; ``render.run(node)`` is what a gizmo's Run button does.
"""

__version__ = "0.1.0"


def install():
    """Builds the Conduit menu in the Nodes toolbar (graphical sessions only)."""
    import nuke
    if not nuke.GUI:
        return
    from conduit_nuke import menu
    menu.build()
