"""One HTTP exchange with the agent over loopback, with the standard library's HTTP client."""

import array
import json
import socket
import sys

try:
    import http.client as httplib  # Python 3
except ImportError:  # Python 2
    import httplib

from conduit_client.errors import AgentUnavailable, Cancelled, ConduitError
from conduit_client.tensors import nbytes_of

CHUNK = 1 << 20


class Exchange(object):
    """A request that can be cancelled from another thread (closing its connection ends the wait)."""

    def __init__(self, port, timeout):
        self._connection = httplib.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cancelled = False

    def cancel(self):
        self.cancelled = True
        try:
            sock = self._connection.sock
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass  # already closed

    def send(self, method, path, headers, parts=(), progress=None):
        """Sends the request (body given as byte buffers, sent in chunks) and returns (status, headers, body)."""
        total = 0
        for part in parts:
            total += nbytes_of(part)
        try:
            self._connection.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers.items():
                self._connection.putheader(name, str(value))
            self._connection.putheader("Content-Length", str(total))
            parts = list(parts)
            # A small first part (the V2 JSON header) leaves in the same packet as the HTTP headers.
            first = _bytes(parts.pop(0)) if parts and nbytes_of(parts[0]) <= 65536 else None
            self._connection.endheaders(first)
            sent = len(first) if first else 0
            for part in parts:
                view = _byte_view(part)
                size = nbytes_of(part)
                for start in range(0, size, CHUNK):
                    self._connection.send(_chunk(view, start))
                    sent += min(CHUNK, size - start)
                    if progress is not None and total:
                        progress(float(sent) / total)
            response = self._connection.getresponse()
            return response.status, dict((k.lower(), v) for k, v in response.getheaders()), _read_body(response)
        except (socket.error, httplib.HTTPException, IOError, OSError) as e:
            if self.cancelled:
                raise Cancelled("the call was cancelled")
            raise AgentUnavailable("the Conduit agent on port %s stopped answering (%s); it is started again on the"
                                   " next call" % (self._connection.port, e))
        finally:
            self._connection.close()


def _bytes(part):
    if isinstance(part, bytes):
        return part
    if isinstance(part, array.array):
        return part.tobytes() if hasattr(part, "tobytes") else part.tostring()
    return memoryview(part).tobytes()


def _read_body(response):
    """The whole body; on Python 3 read straight into one buffer of the announced size (no joins, no copies)."""
    length = response.getheader("Content-Length")
    if length is None or not hasattr(response, "readinto"):
        return response.read()
    body = bytearray(int(length))
    view = memoryview(body)
    got = 0
    while got < len(body):
        n = response.readinto(view[got:])
        if not n:
            raise IOError("the agent closed the connection after %d of %d bytes" % (got, len(body)))
        got += n
    return bytes(body) if len(body) < 65536 else body


def _byte_view(part):
    if isinstance(part, array.array) and sys.version_info[0] < 3:
        part = part.tostring()  # Python 2's arrays cannot be viewed
    view = memoryview(part)
    if view.itemsize == 1:
        return view
    if hasattr(view, "cast"):
        return view.cast("B")  # Python 3: the same memory seen as bytes
    return memoryview(view.tobytes())


def _chunk(view, start):
    piece = view[start:start + CHUNK]
    # Python 2's and Jython's sockets take str, not memoryview slices; Python 3 sends the slice without a copy.
    return piece.tobytes() if sys.version_info[0] < 3 else piece


def raise_for_status(status, body):
    """Turns an agent error answer ({"error": ..., "code": ...}) into a ConduitError carrying both."""
    if 200 <= status < 300:
        return
    message, code = None, ""
    try:
        parsed = json.loads(body.decode("utf-8") if isinstance(body, bytes) else body)
        message, code = parsed.get("error"), parsed.get("code", "")
    except (ValueError, AttributeError):
        pass
    if message is None:
        message = "HTTP %d from the agent" % status
    raise ConduitError(message, code, status)
