"""The Conduit Inference node type: a versioned digital asset, ``conduit::inference::1.0``.

Artists find node types in the TAB menu only when they come from digital assets, and a saved
scene refers to a node by its type name alone, so the type name carries a namespace and a version
(``conduit::NAME::MAJOR.MINOR``; a change that would break saved scenes gets a new version and the
old definition stays installed). The asset is built with Houdini's own calls the first time it is
missing (``Node.createDigitalAsset`` on a subnet holding one Python SOP,
https://www.sidefx.com/docs/houdini/hom/hou/Node.html#createDigitalAsset, and
``HDADefinition.setParmTemplateGroup``, .../hom/hou/HDADefinition.html) rather than written from
Java, because the .hda format is Houdini's own and undocumented. It is saved into the installed
package's ``otls/`` folder (``$CONDUIT_HOUDINI/otls``, on ``HOUDINI_PATH`` through the package), so
every user of the installation and the farm load it from there; when that folder is read-only it
goes to the user's ``otls/`` (``hou.homeHoudiniDirectory()``), which only that user sees.
"""

import os

import hou

from conduit_client import ConduitError

TYPE_NAME = "conduit::inference::1.0"
LABEL = "Conduit Inference"
LIBRARY = "conduit_inference.hda"
COOK_CODE = "import conduit_houdini.sop\nconduit_houdini.sop.cook(hou.pwd())\n"
_CALLBACK = "import conduit_houdini.sop\nconduit_houdini.sop.%s(kwargs['node'])"
MODEL_MENU = "import conduit_houdini.sop\nreturn conduit_houdini.sop.model_menu()"
DEVICES = ("auto", "gpu", "cpu", "remote")


def node_type():
    """The installed type, or None (hou.sopNodeTypeCategory().nodeTypes() is what the TAB menu lists:
    https://www.sidefx.com/docs/houdini/hom/hou/NodeTypeCategory.html#nodeTypes)."""
    return hou.sopNodeTypeCategory().nodeTypes().get(TYPE_NAME)


def base_parameters():
    """The parameters every instance has; a model's own controls and mappings are added per node."""
    return hou.ParmTemplateGroup((
        hou.StringParmTemplate("conduit_model", "Model", 1, item_generator_script=MODEL_MENU,
                               item_generator_script_language=hou.scriptLanguage.Python,
                               script_callback=_CALLBACK % "on_model_changed",
                               script_callback_language=hou.scriptLanguage.Python),
        hou.ButtonParmTemplate("conduit_refresh", "Refresh Models", script_callback=_CALLBACK % "refresh",
                               script_callback_language=hou.scriptLanguage.Python),
        hou.StringParmTemplate("conduit_version", "Version", 1),
        hou.MenuParmTemplate("conduit_device", "Device", DEVICES, menu_labels=("Auto", "GPU", "CPU", "Remote"),
                             default_value=0),
    ))


def library_folders():
    """Where the asset's library may be written: the installation's otls/ first, then the user's."""
    folders = []
    installed = os.environ.get("CONDUIT_HOUDINI")
    if installed:
        folders.append(os.path.join(installed, "otls"))
    folders.append(os.path.join(hou.homeHoudiniDirectory(), "otls"))
    return folders


def _writable(folder):
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder)
    except (IOError, OSError):
        return False
    return os.access(folder, os.W_OK)


def ensure_type():
    """The node type, built and saved the first time it is missing from every library Houdini loaded."""
    existing = node_type()
    if existing is not None:
        return existing
    folder = [f for f in library_folders() if _writable(f)]
    if not folder:
        raise ConduitError("cannot install the Conduit Inference node type: none of %s is writable; run Houdini"
                           " once as a user who may write the first (the Conduit installation's houdini/otls)"
                           % ", ".join(library_folders()), "CDT-IO")
    # Built in a scratch object that is removed again; hou.node("/obj") and Node.destroy: Node.html.
    scratch = hou.node("/obj").createNode("geo", "conduit_asset_build")
    try:
        subnet = scratch.createNode("subnet", "conduit_inference")
        cook = subnet.createNode("python", "cook")
        cook.parm("python").set(COOK_CODE)
        # The subnet's first input, seen from inside: Node.html#indirectInputs, SubnetIndirectInput.html
        cook.setFirstInput(subnet.indirectInputs()[0])
        # The SOP with the display and render flags is the subnet's output: SopNode.html#setDisplayFlag
        cook.setDisplayFlag(True)
        cook.setRenderFlag(True)
        instance = subnet.createDigitalAsset(name=TYPE_NAME, hda_file_name=os.path.join(folder[0], LIBRARY),
                                             description=LABEL, min_num_inputs=1, max_num_inputs=1)
        instance.type().definition().setParmTemplateGroup(base_parameters())
    finally:
        scratch.destroy()
    return node_type()
