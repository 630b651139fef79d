"""Conduit inside Houdini: the Conduit Inference SOP, its shelf tools, and the geometry codec.

``install()`` is what pythonrc.py calls at start-up; the shelf and the node do the rest on demand.
"""

__version__ = "0.1.0"


def install():
    """Checks that the shared client is importable, so a broken installation says so at start-up."""
    import conduit_client  # noqa: F401 (shipped beside this package; see packages/conduit.json.template)
