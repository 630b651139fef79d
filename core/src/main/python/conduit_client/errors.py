"""The exceptions the client raises; each carries the agent's own message and its CDT code."""


class ConduitError(Exception):
    """A call failed. ``message`` says what and why; ``code`` is the CDT-... code to search docs/errors.md for."""

    def __init__(self, message, code="", status=0):
        Exception.__init__(self, message)
        self.message = message
        self.code = code
        self.status = status

    def __str__(self):
        if self.code:
            return "%s [%s]" % (self.message, self.code)
        return self.message


class AgentUnavailable(ConduitError):
    """The agent could not be found, started or reached, or it stopped during the call."""


class Cancelled(ConduitError):
    """The caller cancelled the call before it finished."""
