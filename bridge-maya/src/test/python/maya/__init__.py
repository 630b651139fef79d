"""A fake of Maya's Python packages for tests: ``maya.cmds``, ``maya.api.OpenMaya`` and ``maya.utils``.

Only the calls the bridge uses, with the flags and signatures of ../shared/DCC_API.md section 2 and the
Autodesk pages it cites; an undocumented flag raises TypeError, as Maya's own commands do. The scene
is a small dictionary of nodes. ``_scene`` in cmds holds it, and names starting with ``_`` are the
test's controls, never called by bridge code.
"""
