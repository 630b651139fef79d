"""Conduit inside Houdini: the Conduit Inference node type, its shelf tools, and the geometry codec.

``install()`` is what pythonrc.py calls at start-up; the shelf and the node do the rest on demand.
"""

__version__ = "0.1.0"


def install():
    """Checks that the shared client is importable, so a broken installation says so at start-up, and
    makes sure the Conduit Inference node type is installed, so it is in the TAB menu from the first
    session on (built once, then loaded from its library like any asset: see asset.py)."""
    import conduit_client  # noqa: F401 (shipped beside this package; see packages/conduit.json.template)
    from conduit_houdini import asset
    return asset.ensure_type()
