"""Results of earlier cooks, on disk, keyed by a digest of everything the model was given.

Houdini cooks the node again after any upstream change and on every frame of animated input
(https://www.sidefx.com/docs/houdini/nodes/sop/python.html), and after a scene is reopened, while
the inputs the model reads are often the same. A cook therefore hashes the model, its version and
every input tensor (attribute values and the control values that feed tensors) and runs the model
only for a digest it has not seen. Results live beside the scene, in ``$HIP/conduit/cache``
(``hou.hipFile.path()``, https://www.sidefx.com/docs/houdini/hom/hou/hipFile.html), so a reopened
scene and a farm render of it find them; an unsaved scene uses the agent's folder
(``~/.conduit/cache/houdini``), and a result found there is copied beside the scene once it has been
saved, so the farm finds it too. Nothing is written into the node: parameters and user data stay
untouched during a cook, so a cook never marks the scene modified. The folder can be deleted at any time.
"""

import hashlib
import json
import os

import hou

from conduit_client import Tensor
from conduit_houdini.client import get_client

FOLDER = os.path.join("conduit", "cache")


def digest(entry, inputs):
    """The key of a cook: model name and version, then each input's name, type, shape and bytes."""
    h = hashlib.sha256()
    h.update(json.dumps([entry["name"], entry["version"]]).encode("utf-8"))
    for tensor in inputs:
        h.update(json.dumps([tensor.name, tensor.datatype, [int(a) for a in tensor.shape]]).encode("utf-8"))
        h.update(tensor.tobytes())
    return h.hexdigest()


def folders():
    """Where results are looked for, the scene's own folder first."""
    found = []
    if not hou.hipFile.isNewFile():
        found.append(os.path.join(os.path.dirname(hou.hipFile.path()), FOLDER))
    found.append(os.path.join(get_client().locator.home, "cache", "houdini"))
    return found


class Stored(object):
    """A result read back from the cache: the outputs, and what the status line and feedback need."""

    def __init__(self, record, outputs):
        self.model, self.version = record["model"], record["version"]
        self.route, self.request_id = record["route"], record["requestId"]
        self.seconds = record["seconds"]
        self.outputs = outputs

    def status_line(self):
        return "%s@%s on %s in %.2f s (cached)" % (self.model, self.version, self.route or "?", self.seconds)


def load(key):
    """The stored result for ``key``, or None when no folder has a complete one; one found in the agent's
    folder is copied beside the saved scene."""
    places = folders()
    for folder in places:
        try:
            with open(os.path.join(folder, key + ".json")) as f:
                record = json.load(f)
            outputs = {}
            for spec in record["outputs"]:
                with open(os.path.join(folder, "%s.%d.bin" % (key, spec["index"])), "rb") as f:
                    data = f.read()
                outputs[spec["name"]] = Tensor(spec["name"], spec["datatype"], spec["shape"], data)
            stored = Stored(record, outputs)
            if folder != places[0]:
                store(key, stored)
            return stored
        except (IOError, OSError, ValueError, KeyError):
            continue
    return None


def store(key, result):
    """Keeps ``result`` under ``key`` in the first writable folder; a cache that cannot be written only
    costs a later recompute, so failures are ignored. The record is written last, so a half-written
    entry is never read."""
    for folder in folders():
        try:
            if not os.path.isdir(folder):
                os.makedirs(folder)
            specs = []
            for index, name in enumerate(sorted(result.outputs)):
                tensor = result.outputs[name]
                _write(os.path.join(folder, "%s.%d.bin" % (key, index)), tensor.tobytes())
                specs.append({"name": name, "index": index, "datatype": tensor.datatype,
                              "shape": [int(a) for a in tensor.shape]})
            record = {"model": result.model, "version": result.version, "route": result.route,
                      "requestId": result.request_id, "seconds": result.seconds, "outputs": specs}
            _write(os.path.join(folder, key + ".json"), json.dumps(record).encode("utf-8"))
            return folder
        except (IOError, OSError):
            continue
    return None


def _write(path, data):
    temp = "%s.%d.tmp" % (path, os.getpid())
    with open(temp, "wb") as f:
        f.write(data)
    if os.path.exists(path):  # os.rename does not replace on Windows; the same key holds the same bytes
        os.remove(temp)
        return
    os.rename(temp, path)
