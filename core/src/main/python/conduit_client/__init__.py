"""Conduit's Python client: the one package the Houdini, Maya and Nuke bridges share.

It finds (or starts) this user's Conduit agent, lists the models valid for the host application,
sends tensors with the KServe V2 binary extension and returns the outputs. Standard library only;
runs on Python 2.7 (and Jython 2.7) and 3.7+, and uses numpy only when the caller hands it numpy
arrays.
"""

from conduit_client.errors import AgentUnavailable, Cancelled, ConduitError
from conduit_client.tensors import Tensor
from conduit_client.agent import AgentLocator
from conduit_client.client import Call, Client, Result

__version__ = "0.1.0"
__all__ = ["AgentLocator", "AgentUnavailable", "Call", "Cancelled", "Client", "ConduitError", "Result", "Tensor"]
