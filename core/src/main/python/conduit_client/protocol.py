"""KServe V2 binary tensor extension: the request header and payload, and the response split back into tensors.

The JSON header comes first; each input's bytes follow in order, its length given by
``parameters.binary_data_size``; ``Inference-Header-Content-Length`` says where the JSON ends.
"""

import json
import sys

from conduit_client.errors import ConduitError
from conduit_client.tensors import Tensor

HEADER_LENGTH = "Inference-Header-Content-Length"


def encode_request(inputs, outputs=None, request_id=""):
    """The JSON header (bytes) and the list of input buffers to send after it."""
    header = {"inputs": [], "parameters": {"binary_data_output": True}}
    if request_id:
        header["id"] = request_id
    for tensor in inputs:
        header["inputs"].append({"name": tensor.name, "datatype": tensor.datatype, "shape": tensor.shape,
                                 "parameters": {"binary_data_size": tensor.nbytes()}})
    if outputs:
        header["outputs"] = [{"name": name, "parameters": {"binary_data": True}} for name in outputs]
    return json.dumps(header).encode("utf-8"), [tensor.data for tensor in inputs]


def decode_response(body, header_length):
    """(response JSON, {name: Tensor}) from a whole response body."""
    view = memoryview(body)
    if header_length is None:
        header_length = len(body)
    try:
        header = json.loads(view[:header_length].tobytes().decode("utf-8"))
    except ValueError as e:
        raise ConduitError("the agent's answer is not V2 JSON: %s" % e, "CDT-PROTOCOL")
    outputs = {}
    offset = header_length
    for out in header.get("outputs", []):
        size = (out.get("parameters") or {}).get("binary_data_size")
        if size is None:
            data = out.get("data", [])
            outputs[out["name"]] = Tensor.from_values(out["name"], out["datatype"], out["shape"], _flatten(data))
            continue
        if offset + size > len(body):
            raise ConduitError("the agent's answer ends before output %s (%d bytes announced, %d left)"
                               % (out["name"], size, len(body) - offset), "CDT-PROTOCOL")
        piece = view[offset:offset + size]
        # Python 3 keeps a view of the body (no copy); Python 2 and Jython want str for their buffers.
        outputs[out["name"]] = Tensor(out["name"], out["datatype"], out["shape"],
                                      piece if sys.version_info[0] >= 3 else piece.tobytes())
        offset += size
    return header, outputs


def _flatten(values):
    flat = []
    for v in values:
        if isinstance(v, list):
            flat.extend(_flatten(v))
        else:
            flat.append(v)
    return flat
