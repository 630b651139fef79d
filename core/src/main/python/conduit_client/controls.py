"""Tensors for a model's controls: the manifest's host parameters whose ``input`` feeds a tensor."""

from conduit_client.tensors import Tensor


def controls_by_input(host_entry):
    """{input name: parameter} for the parameters of a host entry that feed an input."""
    return dict((p["input"], p) for p in host_entry.get("parameters", []) if p.get("input"))


def control_tensor(spec, param, value=None):
    """The input ``spec`` filled with a control's value (its manifest default when ``value`` is None).

    Dynamic axes become 1; a ``choice`` value is the chosen item converted to a number.
    """
    if value is None:
        value = param["default"]
    if param["type"] == "choice" and not isinstance(value, (int, float)):
        value = float(value)
    shape = [1 if axis < 0 else axis for axis in spec["shape"]]
    count = 1
    for axis in shape:
        count *= axis
    if spec["datatype"].startswith("INT") or spec["datatype"].startswith("UINT"):
        value = int(value)
    elif spec["datatype"] == "BOOL":
        value = bool(value)
    else:
        value = float(value)
    return Tensor.from_values(spec["name"], spec["datatype"], shape, [value] * count)
