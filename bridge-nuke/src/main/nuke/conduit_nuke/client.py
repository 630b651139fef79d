"""The one Conduit client of this Nuke session."""

from conduit_client import Client

_client = []


def get_client():
    if not _client:
        _client.append(Client("nuke"))
    return _client[0]


def set_client(client):
    """Replaces the session's client (tests, or a TD pointing Nuke at another agent)."""
    del _client[:]
    _client.append(client)
