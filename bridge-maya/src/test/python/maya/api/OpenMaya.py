"""Fake ``maya.api.OpenMaya`` (API 2.0): MSelectionList, MDagPath, MFnMesh, MPoint, MPointArray, MSpace.

Per the Python API reference pages cited in DCC_API.md 2.8. A mesh's data lives in the fake cmds
scene: ``attrs["points"]`` (list of (x, y, z)) and ``attrs["normals"]``.
"""

from maya import cmds


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
        node = cmds._scene["nodes"][dag.fullPathName()]
        if node["type"] != "mesh":
            raise RuntimeError("(kInvalidParameter): Object is incompatible with this method")
        self._attrs = node["attrs"]

    @property
    def numVertices(self):
        return len(self._attrs["points"])

    def getPoints(self, space=MSpace.kObject):
        return MPointArray([MPoint(*p) for p in self._attrs["points"]])

    def setPoints(self, points, space=MSpace.kObject):
        if len(points) != self.numVertices:
            raise ValueError("setPoints needs exactly %d points, got %d" % (self.numVertices, len(points)))
        self._attrs["points"] = [(p.x, p.y, p.z) for p in points]
        self._attrs["updated"] = False  # until updateSurface

    def updateSurface(self):
        self._attrs["updated"] = True

    def getVertexNormals(self, angleWeighted, space=MSpace.kObject):
        return MFloatVectorArray([MFloatVector(*n) for n in self._attrs["normals"]])
