"""The Conduit Inference node: an instance of the ``conduit::inference::1.0`` asset (asset.py)
whose model-specific parameters come from the chosen model's manifest.

Parameters (https://www.sidefx.com/docs/houdini/hom/hou/ParmTemplateGroup.html and the
*ParmTemplate pages): the asset's own model menu (models valid for Houdini in the artist's show
and department), resolved version (read-only) and device; then, added to each node as spare
parameters, the model's own controls and one attribute mapping per tensor. The chosen model's
entry is kept in the node's user data when the model is chosen, so a cook needs no listing call
and a saved scene cooks the version it was set up with until refreshed. A cook writes no parameter
and no user data (hom/pythonsop.html: that would mark the scene modified on every cook).
"""

import json

import hou

from conduit_client import Cancelled, ConduitError
from conduit_client.controls import control_tensor, controls_by_input
from conduit_houdini import asset, cache, host
from conduit_houdini.client import get_client

DEVICES = asset.DEVICES
ENTRY = "conduit_model_entry"
STATUS = "conduit_status"
LAST_RESULT = "conduit_last_result"
_PREFIX = "conduit_"
_SPARE = (_PREFIX + "p_", _PREFIX + "in_", _PREFIX + "out_")
_models = []


def create(parent, name="conduit_inference"):
    """A new Conduit Inference node in ``parent`` (a SOP network), set up with the first model offered."""
    asset.ensure_type()
    node = parent.createNode(asset.TYPE_NAME, name)
    refresh(node)
    return node


def holder(node):
    """The node that carries the parameters: the asset instance around the cooking Python SOP, or a node
    made by an older Conduit (a plain Python SOP with spare parameters) itself."""
    return node if node.parm(_PREFIX + "model") is not None else node.parent()


def _list_models():
    models = get_client().models()
    del _models[:]
    _models.extend(models)
    return models


def model_menu():
    """The model menu's items, [name, label, ...] (a Python menu script's return value,
    https://www.sidefx.com/docs/houdini/ref/windows/optype.html#menus); listed once per session."""
    models = _models or _list_models()
    items = []
    for m in models:
        items.extend([m["name"], "%s (%s)" % (m["host"]["label"], m["name"])])
    return items


def refresh(node):
    """Lists the models again and rebuilds the node's parameters, keeping the chosen model if still offered."""
    models = _list_models()
    chosen = node.parm(_PREFIX + "model").evalAsString()
    names = [m["name"] for m in models]
    entry = None
    if models:
        entry = models[names.index(chosen)] if chosen in names else models[0]
    _build(node, entry)


def on_model_changed(node):
    chosen = node.parm(_PREFIX + "model").evalAsString()
    entry = [m for m in (_models or _list_models()) if m["name"] == chosen]
    _build(node, entry[0] if entry else None)


def _build(node, entry):
    group = node.parmTemplateGroup()  # a copy: edited, then set back (Node.html#parmTemplateGroup)
    for template in list(group.entries()):
        if template.name().startswith(_SPARE):
            group.remove(template.name())
    fed = set()
    if entry is not None:
        for param in entry["host"].get("parameters", []):
            group.append(_control(param))
            if param.get("input"):
                fed.add(param["input"])
        for spec in entry["inputs"]:
            if spec["name"] not in fed:
                group.append(hou.StringParmTemplate(_PREFIX + "in_" + spec["name"], "Input " + spec["name"], 1,
                                                    default_value=(default_input_mapping(spec),)))
        for spec in entry["outputs"]:
            group.append(hou.StringParmTemplate(_PREFIX + "out_" + spec["name"], "Output " + spec["name"], 1,
                                                default_value=("point:" + spec["name"],)))
    node.setParmTemplateGroup(group)
    if entry is not None and node.parm(_PREFIX + "model").evalAsString() != entry["name"]:
        node.parm(_PREFIX + "model").set(entry["name"])
    version = "%s  (%s)" % (entry["version"], entry["chosenBy"]) if entry else "no model valid for this show"
    # Set, then locked so the artist reads it but cannot edit it
    # (https://www.sidefx.com/docs/houdini/hom/hou/Parm.html#lock).
    version_parm = node.parm(_PREFIX + "version")
    version_parm.lock(False)
    version_parm.set(version)
    version_parm.lock(True)
    node.setUserData(ENTRY, json.dumps(entry) if entry else "")


def _control(param):
    if param["type"] == "string" and param.get("input"):
        raise ConduitError("control %s is a string and feeds input %s; only numeric controls can feed a tensor"
                           % (param["name"], param["input"]), "CDT-MANIFEST-INVALID")
    name = _PREFIX + "p_" + param["name"]
    label = param.get("label", param["name"])
    kind = param["type"]
    if kind == "float":
        return hou.FloatParmTemplate(name, label, 1, default_value=(float(param["default"]),),
                                     min=float(param.get("min", 0.0)), max=float(param.get("max", 1.0)))
    if kind == "int":
        return hou.IntParmTemplate(name, label, 1, default_value=(int(param["default"]),),
                                   min=int(param.get("min", 0)), max=int(param.get("max", 10)))
    if kind == "bool":
        return hou.ToggleParmTemplate(name, label, default_value=bool(param["default"]))
    if kind == "choice":
        choices = tuple(str(c) for c in param["choices"])
        return hou.MenuParmTemplate(name, label, choices, default_value=choices.index(str(param["default"])))
    return hou.StringParmTemplate(name, label, 1, default_value=(str(param["default"]),))


def default_input_mapping(spec):
    """point:P for a points input of 3 components, else a point attribute named after the input."""
    shape = spec["shape"]
    if spec.get("layout") == "points" and shape and shape[-1] == 3:
        return "point:P"
    return "point:" + spec["name"]


def cook(node):
    """The cook of the asset's Python SOP (``node``): geometry in, the model's outputs out. The model runs
    only for inputs it has not seen (cache.py); errors show on the node.

    Calls beyond DCC_API.md, with their pages: hou.Node.name, hou.Node.parent
    (https://www.sidefx.com/docs/houdini/hom/hou/Node.html), hou.ParmTemplate.name
    (https://www.sidefx.com/docs/houdini/hom/hou/ParmTemplate.html).
    """
    owner = holder(node)
    raw = owner.userData(ENTRY)
    if not raw:
        raise ConduitError("choose a model (Refresh Models lists the ones valid for your show)", "CDT-USAGE")
    entry = json.loads(raw)
    geo = node.geometry()
    inputs = []
    params = controls_by_input(entry["host"])
    for spec in entry["inputs"]:
        if spec["name"] in params:
            inputs.append(_parameter_tensor(owner, params[spec["name"]], spec))
        else:
            mapping = owner.parm(_PREFIX + "in_" + spec["name"]).evalAsString()
            inputs.append(host.read_tensor(geo, mapping, spec))
    key = cache.digest(entry, inputs)
    result = cache.load(key)
    if result is None:
        result = _run(entry, inputs, DEVICES[owner.parm(_PREFIX + "device").evalAsInt()])
        cache.store(key, result)
    for spec in entry["outputs"]:
        host.write_tensor(geo, owner.parm(_PREFIX + "out_" + spec["name"]).evalAsString(), result.outputs[spec["name"]])
    status = result.status_line()
    # Cached user data lives in memory only and is not saved, so setting it does not mark the .hip
    # modified (https://www.sidefx.com/docs/houdini/hom/nodeuserdata.html).
    owner.setCachedUserData(STATUS, status)
    owner.setCachedUserData(LAST_RESULT, json.dumps({"model": result.model, "version": result.version,
                                                      "requestId": result.request_id, "route": result.route}))
    if geo.findGlobalAttrib(STATUS) is None:
        geo.addAttrib(hou.attribType.Global, STATUS, default_value="", transform_as_normal=False,
                      create_local_variable=False)
    geo.setGlobalAttribValue(STATUS, status)
    if hou.isUIAvailable():
        hou.ui.setStatusMessage("Conduit: " + status)
    return result


def _parameter_tensor(node, param, spec):
    parm = node.parm(_PREFIX + "p_" + param["name"])
    kind = param["type"]
    if kind == "float":
        value = parm.evalAsFloat()
    elif kind == "choice":
        value = param["choices"][parm.evalAsInt()]
    else:
        value = parm.evalAsInt()
    return control_tensor(spec, param, value)


def _run(entry, inputs, device):
    """Runs the call on a worker thread while this (cooking) thread keeps Houdini's interrupt working."""
    client = get_client()
    with hou.InterruptableOperation("Conduit: " + entry["name"], long_operation_name="Conduit inference",
                                    open_interrupt_dialog=True) as operation:
        call = client.infer_async(entry["name"], inputs, version=entry["version"], device=device)
        while True:
            # Progress first, then wait: the dialog shows (and Esc counts) from the start, however fast the call.
            try:
                # fraction 0..1; raises hou.OperationInterrupted once the artist presses Esc (InterruptableOperation.html)
                operation.updateLongProgress(percentage=call.progress, long_op_status=call.message)
            except hou.OperationInterrupted:
                call.cancel()
                raise Cancelled("cancelled by the artist")
            result = call.wait(0.05)
            if result is not None:
                return result
