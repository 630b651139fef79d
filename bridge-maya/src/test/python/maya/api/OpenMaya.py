"""Fake ``maya.api.OpenMaya`` (API 2.0): MSelectionList, MDagPath, MFnMesh, MPoint, MPointArray, MSpace.

Per the Python API reference pages cited in DCC_API.md 2.8. A mesh's points are what the fake DG
evaluates (maya/_dg.py), in internal units (cm) whatever the scene's UI units; ``attrs["normals"]`` holds
its normals. ``setPoints`` is outside undo and, on a mesh with history, lost at the next evaluation
(DCC_API.md 4.12).
"""

from maya import _dg, cmds


class MSpace(object):
    kObject, kWorld = 2, 4


class MGlobal(object):
    kInteractive, kBatch, kLibraryApp, kBaseUIMode = 0, 1, 2, 3

    @staticmethod
    def mayaState():
        return MGlobal.kBatch if cmds._scene["batch"] else MGlobal.kInteractive

    @staticmethod
    def displayInfo(msg):
        cmds._scene["warnings"].append(msg)

    @staticmethod
    def displayWarning(msg):
        cmds._scene["warnings"].append(msg)

    @staticmethod
    def displayError(msg):
        cmds._scene["warnings"].append(msg)


class MPoint(object):
    def __init__(self, x=0.0, y=0.0, z=0.0, w=1.0):
        self.x, self.y, self.z, self.w = float(x), float(y), float(z), float(w)


class MFloatVector(object):
    def __init__(self, x=0.0, y=0.0, z=0.0):
        self.x, self.y, self.z = float(x), float(y), float(z)


class _Array(object):
    def __init__(self, items=()):
        self._items = list(items)

    def append(self, item):
        self._items.append(item)

    def setLength(self, length):
        self._items = (self._items + [None] * length)[:length]

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __iter__(self):
        return iter(self._items)


class MPointArray(_Array):
    pass


class MFloatVectorArray(_Array):
    pass


class MDagPath(object):
    def __init__(self, name):
        self._name = name

    def fullPathName(self):
        return self._name


class MSelectionList(object):
    def __init__(self):
        self._names = []

    def add(self, name):
        cmds._require_main()  # OpenMaya off the main thread "has unforeseen side effects" (Maya threading docs)
        if name not in cmds._scene["nodes"]:
            raise RuntimeError("(kInvalidParameter): Object does not exist")
        self._names.append(name)
        return self

    def getDagPath(self, index):
        return MDagPath(self._names[index])


class MFnMesh(object):
    def __init__(self, dag):
        cmds._require_main()
        self._name = dag.fullPathName()
        node = cmds._scene["nodes"][self._name]
        if node["type"] != "mesh":
            raise RuntimeError("(kInvalidParameter): Object is incompatible with this method")
        self._attrs = node["attrs"]

    @property
    def numVertices(self):
        return len(_dg.base(cmds._scene, self._name))

    def getPoints(self, space=MSpace.kObject):
        if space != MSpace.kObject:
            raise NotImplementedError("the fake has object space only")
        return MPointArray([MPoint(*p) for p in _dg.points(cmds._scene, self._name)])

    def setPoints(self, points, space=MSpace.kObject):
        """Not recorded by undo. With history: a cached result until the next DG evaluation. Without:
        the mesh's own vertices become what makes these points (its tweaks stay)."""
        if len(points) != self.numVertices:
            raise ValueError("setPoints needs exactly %d points, got %d" % (self.numVertices, len(points)))
        wanted = [(p.x, p.y, p.z) for p in points]
        if _dg.has_history(cmds._scene, self._name):
            self._attrs["_api_points"] = wanted
        else:
            tweaks = self._attrs.get("pnts", {})
            self._attrs["vrts"] = [tuple(w[k] - tweaks.get(i, (0.0, 0.0, 0.0))[k] for k in range(3))
                                   for i, w in enumerate(wanted)]
        self._attrs["_updated"] = False  # until updateSurface

    def updateSurface(self):
        self._attrs["_updated"] = True

    def getVertexNormals(self, angleWeighted, space=MSpace.kObject):
        return MFloatVectorArray([MFloatVector(*n) for n in self._attrs["normals"]])
