"""Nodes, parameters and node types of the fake ``hou`` (re-exported by hou.py; see its docstring).

Node types come from their network's context: a type another context offers, or an asset that is
not installed, raises OperationFailed as Houdini does (Node.html#createNode). Every edit goes
through ``_changed``, which records one made while a node cooks.
"""

import os
import sys

from hou import (_state, _TEXT, Error, Geometry, OperationFailed, fileType, parmNamingScheme, scriptLanguage,
                 stringParmType)


class _ParmTemplate(object):
    """Every template keeps the arguments it was built with, so a .hip or .hda can rebuild it."""

    def _record(self, arguments):
        arguments = dict(arguments)
        del arguments["self"]
        self._arguments = arguments
        self._name, self._label = arguments["name"], arguments["label"]
        self._keywords = dict(arguments)
        default = arguments.get("default_value")
        if isinstance(self, ToggleParmTemplate):
            default = (1 if default else 0,)
        elif isinstance(self, (MenuParmTemplate, ButtonParmTemplate)):
            default = (default or 0,)
        else:
            default = tuple(default or ()) or (self._empty,)
        self._keywords["default_value"] = default
        self._keywords["menu_items"] = tuple(arguments.get("menu_items") or ())

    _empty = ""

    def name(self):
        return self._name

    def label(self):
        return self._label

    def clone(self):
        return type(self)(**self._arguments)

    def _default(self):
        return self._keywords.get("default_value")


class FloatParmTemplate(_ParmTemplate):
    _empty = 0.0

    def __init__(self, name, label, num_components, default_value=(), min=0.0, max=10.0, min_is_strict=False,
                 max_is_strict=False, look=None, naming_scheme=parmNamingScheme.XYZW, disable_when=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class IntParmTemplate(_ParmTemplate):
    _empty = 0

    def __init__(self, name, label, num_components, default_value=(), min=0, max=10, min_is_strict=False,
                 max_is_strict=False, naming_scheme=parmNamingScheme.XYZW, menu_items=(), menu_labels=(),
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class StringParmTemplate(_ParmTemplate):
    def __init__(self, name, label, num_components, default_value=(), naming_scheme=parmNamingScheme.Base1,
                 string_type=stringParmType.Regular, file_type=fileType.Any, menu_items=(), menu_labels=(),
                 icon_names=(), item_generator_script=None, item_generator_script_language=None, menu_type=None,
                 disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False, help=None,
                 script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())

    def menuItems(self):
        return self._keywords["menu_items"]


class ToggleParmTemplate(_ParmTemplate):
    def __init__(self, name, label, default_value=False, disable_when=None, is_hidden=False, is_label_hidden=False,
                 join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())


class MenuParmTemplate(_ParmTemplate):
    def __init__(self, name, label, menu_items, menu_labels=(), default_value=0, icon_names=(),
                 item_generator_script=None, item_generator_script_language=None, disable_when=None, menu_type=None,
                 is_hidden=False, is_label_hidden=False, join_with_next=False, help=None, script_callback=None,
                 script_callback_language=scriptLanguage.Hscript, tags={}):
        self._record(locals())

    def menuItems(self):
        return self._keywords["menu_items"]


class ButtonParmTemplate(_ParmTemplate):
    def __init__(self, name, label, disable_when=None, is_hidden=False, is_label_hidden=False, join_with_next=False,
                 help=None, script_callback=None, script_callback_language=scriptLanguage.Hscript, tags={},
                 conditionals={}):
        self._record(locals())


class ParmTemplateGroup(object):
    def __init__(self, parm_templates=()):
        self._templates = list(parm_templates)

    def append(self, parm_template):
        self._templates.append(parm_template)

    addParmTemplate = append

    def find(self, name):
        for t in self._templates:
            if t.name() == name:
                return t
        return None

    def replace(self, name, parm_template):
        self._templates = [parm_template if t.name() == name else t for t in self._templates]

    def remove(self, name):
        self._templates = [t for t in self._templates if t.name() != name]

    def entries(self):
        return tuple(self._templates)


def _changed(node, what):
    """Every scene edit comes here: the .hip becomes modified, and an edit made while a node cooks is recorded,
    since SideFX says not to set parameters (or user data) inside a Python SOP's cook (hom/pythonsop.html)."""
    _state["modified"] = True
    if _state["cooking"]:
        _state["cook_writes"].append("%s: %s while %s cooked" % (node.path(), what, _state["cooking"][-1].path()))


class Parm(object):
    def __init__(self, node, template, value):
        self._node, self._template, self._value = node, template, value

    def name(self):
        return self._template.name()

    def node(self):
        return self._node

    def parmTemplate(self):
        return self._template

    def eval(self):
        return self._value

    def evalAsFloat(self):
        return float(self._value)

    def evalAsInt(self):
        return int(self._value)

    def evalAsString(self):
        items = self._template._keywords.get("menu_items")
        if isinstance(self._template, MenuParmTemplate) and items:
            return items[int(self._value)]  # a menu parameter evaluates to its token as a string
        return str(self._value)

    def menuItems(self):
        """Parm.html#menuItems: the tokens; a Python menu script returns [token, label, token, label, ...]."""
        script = self._template._keywords.get("item_generator_script")
        if script and self._template._keywords.get("item_generator_script_language") is scriptLanguage.Python:
            body = "def _menu(kwargs):\n" + "".join("    " + line + "\n" for line in script.splitlines())
            scope = {"hou": sys.modules["hou"]}
            exec(body, scope)
            return tuple(scope["_menu"]({"node": self._node, "parm": self})[0::2])
        return tuple(self._template._keywords.get("menu_items") or ())

    def lock(self, on):
        """https://www.sidefx.com/docs/houdini/hom/hou/Parm.html#lock"""
        _changed(self._node, "parameter %s locked" % self.name())
        self._locked = bool(on)

    def isLocked(self):
        return getattr(self, "_locked", False)

    def set(self, value, language=None, follow_parm_reference=True):
        if getattr(self, "_locked", False):
            raise Error("The parameter is locked")  # Houdini refuses to set a locked parameter
        _changed(self._node, "parameter %s set" % self.name())
        self._value = value
        self._node._dirty()

    def pressButton(self):
        script = self._template._keywords.get("script_callback")
        if script:
            exec(script, {"hou": sys.modules["hou"], "kwargs": {"node": self._node, "parm": self}})


class NodeTypeCategory(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/NodeTypeCategory.html: nodeTypes() is what the TAB menu offers."""

    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name

    def nodeTypes(self):
        types = dict((n, NodeType(self, n, None)) for n in _BUILTIN_TYPES.get(self._name, ()))
        for definition in _state["definitions"].values():
            if definition._category == self._name:
                types[definition.nodeTypeName()] = NodeType(self, definition.nodeTypeName(), definition)
        return types

    def nodeType(self, type_name):
        return self.nodeTypes().get(type_name)


class NodeType(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/NodeType.html (definition() from OpNodeType)."""

    def __init__(self, category, name, definition):
        self._category, self._name, self._definition = category, name, definition

    def name(self):
        return self._name

    def category(self):
        return self._category

    def description(self):
        return self._definition.description() if self._definition else self._name

    def definition(self):
        return self._definition


def sopNodeTypeCategory():
    return NodeTypeCategory("Sop")


def objNodeTypeCategory():
    return NodeTypeCategory("Object")


def homeHoudiniDirectory():
    return _state["home"]


# What each context offers without any asset installed (only the types the tests use).
_BUILTIN_TYPES = {"Object": ("geo", "subnet"), "Sop": ("python", "null", "file", "subnet")}
_CHILD_CATEGORY = {"obj": "Object", "geo": "Sop"}


class SubnetIndirectInput(object):
    """https://www.sidefx.com/docs/houdini/hom/hou/SubnetIndirectInput.html: a subnet's input seen from inside."""

    def __init__(self, subnet, number):
        self._subnet, self._number = subnet, number

    def number(self):
        return self._number  # 1-based, as Houdini numbers them

    def input(self):
        return self._subnet._inputs[self._number - 1]


class Node(object):
    def __init__(self, parent, type_name, name, category, definition=None):
        self._parent, self._type_name, self._name = parent, type_name, name
        self._category, self._definition = category, definition
        self._children, self._inputs, self._user_data, self._errors = [], [None, None, None, None], {}, []
        self._parms = {}
        self._templates = ParmTemplateGroup()
        self._geometry = Geometry()
        self._cooking = False
        self._stale = True
        self._display = False
        self._cooks = 0  # test control: how many times this Python SOP's code ran
        self._apply_templates(self._base_group())
        _state["nodes"][self.path()] = self

    def _base_group(self):
        if self._definition is not None:
            return self._definition.parmTemplateGroup()
        if self._type_name in ("python", "file"):
            label = "Python Code" if self._type_name == "python" else "Geometry File"
            return ParmTemplateGroup([StringParmTemplate(self._type_name, label, 1, default_value=("",))])
        return ParmTemplateGroup()

    def _spare(self):
        base = set(t.name() for t in self._base_group().entries())
        return tuple(t for t in self._templates.entries() if t.name() not in base)

    def _apply_templates(self, group):
        self._templates = ParmTemplateGroup(group.entries())
        kept = {}
        for t in self._templates.entries():
            old = self._parms.get(t.name())
            default = t._default()
            kept[t.name()] = old if old is not None else Parm(self, t, default[0] if default else "")
            kept[t.name()]._template = t
        self._parms = kept

    def name(self):
        return self._name

    def path(self):
        return (self._parent.path().rstrip("/") if self._parent else "") + "/" + self._name

    def parent(self):
        return self._parent

    def children(self):
        return tuple(self._children)

    def type(self):
        return NodeType(NodeTypeCategory(self._category), self._type_name, self._definition)

    def node(self, node_path):
        for child in self._children:
            if child.name() == node_path:
                return child
        return None

    def _child_category(self):
        if self._definition is not None or self._type_name == "subnet":
            return self._category
        return _CHILD_CATEGORY.get(self._type_name)

    def createNode(self, node_type_name, node_name=None, run_init_scripts=True, load_contents=True,
                   exact_type_name=False):
        """Node.html#createNode: a type the network's context does not offer raises OperationFailed
        ("Invalid node type name"), e.g. a python SOP asked for in /obj."""
        category = self._child_category()
        offered = NodeTypeCategory(category).nodeTypes() if category else {}
        if node_type_name not in offered:
            raise OperationFailed("Invalid node type name: %r in %s (a %s network)"
                                  % (node_type_name, self.path(), category or "non-network"))
        if self._definition is not None and not _state["loading_contents"]:
            raise OperationFailed("Cannot create nodes inside a locked digital asset (%s)" % self.path())
        _changed(self, "node %s created" % node_type_name)
        name = node_name or node_type_name.split("::")[-2 if "::" in node_type_name else 0] + str(len(self._children) + 1)
        child = Node(self, node_type_name, name, category, offered[node_type_name].definition())
        self._children.append(child)
        if child._definition is not None:
            child._load_contents(child._definition._record["contents"])
        return child

    def _load_contents(self, records):
        _state["loading_contents"] += 1
        try:
            _build_children(self, records)
        finally:
            _state["loading_contents"] -= 1

    def destroy(self):
        _changed(self, "node destroyed")
        for child in list(self._children):
            child.destroy()
        if self._parent is not None:
            self._parent._children.remove(self)
        _state["nodes"].pop(self.path(), None)

    def indirectInputs(self):
        """Node.html#indirectInputs: the subnet's inputs as seen by the nodes inside."""
        if self._type_name != "subnet" and self._definition is None:
            return ()
        return tuple(SubnetIndirectInput(self, i + 1) for i in range(4))

    def inputs(self):
        return tuple(i for i in self._inputs if i is not None)

    def setInput(self, input_index, item_to_become_input, output_index=0):
        _changed(self, "input %d set" % input_index)
        self._inputs[input_index] = item_to_become_input
        self._dirty()

    def setFirstInput(self, item_to_become_input, output_index=0):
        self.setInput(0, item_to_become_input, output_index)

    def setDisplayFlag(self, on):
        """SopNode.html#setDisplayFlag: one display node per network."""
        _changed(self, "display flag set")
        if on and self._parent is not None:
            for sibling in self._parent._children:
                sibling._display = False
        self._display = bool(on)
        if self._parent is not None:
            self._parent._dirty()

    def setRenderFlag(self, on):
        _changed(self, "render flag set")

    def isDisplayFlagSet(self):
        return self._display

    def displayNode(self):
        """ObjNode.html#displayNode: the SOP with the display flag inside this object, or None."""
        for child in self._children:
            if child._display:
                return child
        return None

    def parm(self, parm_path):
        return self._parms.get(parm_path)

    def parmTemplateGroup(self):
        return ParmTemplateGroup(self._templates.entries())

    def setParmTemplateGroup(self, parm_template_group, rename_conflicting_parms=False):
        _changed(self, "parameter interface changed")
        names = set(t.name() for t in parm_template_group.entries())
        for t in self._base_group().entries():
            if t.name() not in names:
                raise OperationFailed("Cannot remove parameter %s: it belongs to the node type %s"
                                      % (t.name(), self._type_name))
        self._apply_templates(parm_template_group)

    def setUserData(self, name, value):
        if not isinstance(value, _TEXT):
            raise TypeError("user data values are strings")
        _changed(self, "user data %s set" % name)
        self._user_data[name] = value

    def userData(self, name):
        return self._user_data.get(name)

    def setCachedUserData(self, name, value):
        """https://www.sidefx.com/docs/houdini/hom/nodeuserdata.html: kept in memory, never saved."""
        self._cached_user_data = getattr(self, "_cached_user_data", {})
        self._cached_user_data[name] = value

    def cachedUserData(self, name):
        return getattr(self, "_cached_user_data", {}).get(name)

    def canCreateDigitalAsset(self):
        return self._type_name == "subnet" and self._definition is None

    def createDigitalAsset(self, name=None, hda_file_name=None, description=None, min_num_inputs=0,
                           max_num_inputs=0, compress_contents=False, comment=None, version=None,
                           save_as_embedded=False, ignore_external_references=False, compile_asset=False,
                           change_node_type=True, create_backup=True):
        """Node.html#createDigitalAsset: the subnet's contents become a new node type saved in hda_file_name,
        installed in this session, and (change_node_type) this node becomes its first instance."""
        if not self.canCreateDigitalAsset():
            raise OperationFailed("%s is not a subnet; only subnets become digital assets" % self.path())
        record = {"name": name, "category": self._category, "description": description or name,
                  "min_inputs": min_num_inputs, "max_inputs": max_num_inputs, "version": version,
                  "parms": [_template_record(t) for t in self._templates.entries()],
                  "contents": [_node_record(c) for c in self._children], "sections": {}}
        definition = HDADefinition(record, os.path.abspath(hda_file_name))
        definition._write()
        _state["definitions"][name] = definition
        if not change_node_type:
            return self
        parent, node_name, inputs = self._parent, self._name, list(self._inputs)
        self.destroy()
        instance = parent.createNode(name, node_name)
        instance._inputs = inputs
        return instance

    def errors(self):
        return tuple(self._errors)

    def geometry(self, output_index=0):
        if self._cooking:
            return self._geometry  # hou.pwd().geometry() in a Python SOP's cook is writable
        return self._geometry.freeze(read_only=True)

    def _set_geometry(self, geometry):
        """Test control: what this SOP produces from now on (as if it read a file)."""
        self._geometry = self._produced = geometry
        self._dirty()

    def _dirty(self):
        """Houdini recooks a node after any change to it or to anything upstream, and a subnet with its contents."""
        if self._stale:
            return
        self._stale = True
        for n in list(_state["nodes"].values()):
            if any(i is self or (isinstance(i, SubnetIndirectInput) and i._subnet is self) for i in n._inputs):
                n._dirty()
        if self._parent is not None and self._parent._category == self._category:
            self._parent._dirty()

    def _input_geometry(self, force):
        upstream = self._inputs[0]
        if isinstance(upstream, SubnetIndirectInput):
            upstream = upstream.input()
        if upstream is None:
            return Geometry()
        upstream.cook(force)
        return upstream._geometry.freeze(read_only=False)

    def cook(self, force=False):
        """Cooks like Houdini: only when something changed (or forced), inputs first; a Python SOP runs its code
        with hou.pwd() set to it; a subnet or asset cooks the node with the display flag inside it."""
        if not self._stale and not force:
            return
        self._errors = []
        self._geometry = self._input_geometry(force)
        if getattr(self, "_produced", None) is not None:
            self._geometry = self._produced.freeze(read_only=False)
        elif self._type_name == "file":
            self._geometry = _read_geometry_file(self._parms["file"].eval())
        elif self._type_name == "subnet" or self._definition is not None:
            shown = self.displayNode()
            if shown is not None:
                shown.cook(force)
                self._geometry = shown._geometry.freeze(read_only=False)
                # the asset reports its contents' errors ([?] Houdini shows an error badge on the asset)
                self._errors = list(shown._errors)
        elif self._type_name == "python":
            previous = _state["pwd"]
            _state["pwd"] = self
            _state["cooking"].append(self)
            self._cooking = True
            self._cooks += 1
            try:
                exec(self._parms["python"].eval(), {"hou": sys.modules["hou"]})
            except Exception as e:
                self._errors.append(str(e))
            finally:
                self._cooking = False
                _state["cooking"].pop()
                _state["pwd"] = previous
        self._stale = False


# Asset definitions and saved nodes are rebuilt from files by hou_files, which builds nodes in turn.
from hou_files import HDADefinition, _build_children, _node_record, _read_geometry_file, _template_record  # noqa: E402
