"""Conduit inside Maya: the Conduit menu, its actions on the selection, and batch use from mayapy.

``install()`` is what userSetup.py defers to after start-up; ``conduit_maya.batch.run_on_meshes``
is for scripts without UI.
"""

__version__ = "0.1.0"


def install():
    """Builds the Conduit menu (graphical sessions only)."""
    from conduit_maya import menu
    menu.build()
