"""The exceptions the client raises; each carries the agent's own message and its CDT code."""

import sys


class ConduitError(Exception):
    """A call failed. ``message`` says what and why; ``code`` is the CDT-... code to search docs/errors.md for."""

    def __init__(self, message, code="", status=0):
        Exception.__init__(self, message)
        self.message = message
        self.code = code
        self.status = status

    def _text(self):
        if self.code:
            return u"%s [%s]" % (self.message, self.code)
        return self.message

    def __str__(self):
        text = self._text()
        if sys.version_info[0] < 3 and not isinstance(text, str):
            return text.encode("utf-8")  # Python 2: str() of a non-ASCII message must not raise
        return text

    def __unicode__(self):
        return self._text()


class AgentUnavailable(ConduitError):
    """The agent could not be found, started or reached, or it stopped during the call."""


class Cancelled(ConduitError):
    """The caller cancelled the call before it finished."""
