"""The Conduit Inference node: a Python SOP whose spare parameters come from the chosen model's manifest.

Parameters (https://www.sidefx.com/docs/houdini/hom/hou/ParmTemplateGroup.html and the
*ParmTemplate pages): the model menu (models valid for Houdini in the artist's show and
department), the resolved version (read-only), the device, the model's own controls, and one
attribute mapping per tensor. The chosen model's entry is kept in the node's user data, so a cook
needs no listing call and a saved scene cooks the version it was set up with until refreshed.
"""

import json

import hou

from conduit_client import Cancelled, ConduitError
from conduit_client.controls import control_tensor, controls_by_input
from conduit_houdini import host
from conduit_houdini.client import get_client

COOK_CODE = "import conduit_houdini.sop\nconduit_houdini.sop.cook(hou.pwd())\n"
DEVICES = ("auto", "gpu", "cpu", "remote")
ENTRY = "conduit_model_entry"
STATUS = "conduit_status"
LAST_RESULT = "conduit_last_result"
_PREFIX = "conduit_"
_CALLBACK = "import conduit_houdini.sop\nconduit_houdini.sop.%s(kwargs['node'])"


def create(parent, name="conduit_inference"):
    """A new Conduit Inference node in ``parent`` (a SOP network), set up with the first model offered."""
    node = parent.createNode("python", name)
    node.parm("python").set(COOK_CODE)
    refresh(node)
    return node


def refresh(node):
    """Lists the models again and rebuilds the node's parameters, keeping the chosen model if still offered."""
    models = get_client().models()
    current = node.parm(_PREFIX + "model")
    chosen = current.evalAsString() if current is not None else ""
    names = [m["name"] for m in models]
    entry = None
    if models:
        entry = models[names.index(chosen)] if chosen in names else models[0]
    _build(node, models, entry)


def on_model_changed(node):
    chosen = node.parm(_PREFIX + "model").evalAsString()
    models = get_client().models()
    entry = [m for m in models if m["name"] == chosen]
    _build(node, models, entry[0] if entry else None)


def _build(node, models, entry):
    group = node.parmTemplateGroup()  # a copy: edited, then set back (Node.html#parmTemplateGroup)
    for template in list(group.entries()):
        if template.name().startswith(_PREFIX):
            group.remove(template.name())
    names = tuple(m["name"] for m in models)
    labels = tuple("%s (%s)" % (m["host"]["label"], m["name"]) for m in models)
    group.append(hou.StringParmTemplate(
        _PREFIX + "model", "Model", 1, default_value=(entry["name"] if entry else "",), menu_items=names,
        menu_labels=labels, script_callback=_CALLBACK % "on_model_changed",
        script_callback_language=hou.scriptLanguage.Python))
    group.append(hou.ButtonParmTemplate(_PREFIX + "refresh", "Refresh Models", script_callback=_CALLBACK % "refresh",
                                        script_callback_language=hou.scriptLanguage.Python))
    version = "%s  (%s)" % (entry["version"], entry["chosenBy"]) if entry else "no model valid for this show"
    group.append(hou.StringParmTemplate(_PREFIX + "version", "Version", 1, default_value=(version,)))
    group.append(hou.MenuParmTemplate(_PREFIX + "device", "Device", DEVICES,
                                      menu_labels=("Auto", "GPU", "CPU", "Remote"), default_value=0))
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
    # A parameter that survives a rebuild keeps its old value, not the template's new default: set it,
    # then lock it so the artist reads it but cannot edit it
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
    """The Python SOP's cook: geometry in, inference through the agent, geometry out. Errors show on the node.

    Calls beyond DCC_API.md, with their pages: hou.Node.name, hou.Node.parent
    (https://www.sidefx.com/docs/houdini/hom/hou/Node.html), hou.ParmTemplate.name
    (https://www.sidefx.com/docs/houdini/hom/hou/ParmTemplate.html).
    """
    raw = node.userData(ENTRY)
    if not raw:
        raise ConduitError("choose a model (Refresh Models lists the ones valid for your show)", "CDT-USAGE")
    entry = json.loads(raw)
    geo = node.geometry()
    inputs = []
    params = controls_by_input(entry["host"])
    for spec in entry["inputs"]:
        if spec["name"] in params:
            inputs.append(_parameter_tensor(node, params[spec["name"]], spec))
        else:
            mapping = node.parm(_PREFIX + "in_" + spec["name"]).evalAsString()
            inputs.append(host.read_tensor(geo, mapping, spec))
    device = DEVICES[node.parm(_PREFIX + "device").evalAsInt()]
    result = _run(entry, inputs, device)
    for spec in entry["outputs"]:
        host.write_tensor(geo, node.parm(_PREFIX + "out_" + spec["name"]).evalAsString(), result.outputs[spec["name"]])
    status = result.status_line()
    # Cached user data is not saved with the scene, so a cook does not mark the .hip modified
    # (https://www.sidefx.com/docs/houdini/hom/nodeuserdata.html).
    node.setCachedUserData(STATUS, status)
    node.setUserData(LAST_RESULT, json.dumps({"model": result.model, "version": result.version,
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
            result = call.wait(0.05)
            if result is not None:
                return result
            try:
                # fraction 0..1; raises hou.OperationInterrupted once the artist presses Esc (InterruptableOperation.html)
                operation.updateLongProgress(percentage=call.progress, long_op_status=call.message)
            except hou.OperationInterrupted:
                call.cancel()
                raise Cancelled("cancelled by the artist")
