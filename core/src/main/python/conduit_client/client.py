"""The calls a bridge makes: models for its host application, inference, feedback."""

import json
import os
import sys
import threading
import time
import uuid

try:
    from urllib.parse import quote, urlencode  # Python 3
except ImportError:  # Python 2
    from urllib import quote, urlencode

from conduit_client import protocol, transport
from conduit_client.agent import AgentLocator
from conduit_client.errors import AgentUnavailable, ConduitError

DEVICES = ("auto", "gpu", "cpu", "remote")


class Result(object):
    """The outputs of one inference, and how it ran: route, reason, resolved version, seconds."""

    def __init__(self, header, outputs, seconds):
        params = header.get("parameters") or {}
        self.outputs = outputs
        self.model = header.get("model_name", "")
        self.version = header.get("model_version", "")
        self.request_id = header.get("id", "")
        self.route = params.get("conduit_route", "")
        self.reason = params.get("conduit_reason", "")
        self.resolved_by = params.get("conduit_resolved_by", "")
        self.compute_ms = float(params.get("conduit_compute_ms") or 0.0)  # the model's own time on the agent
        self.seconds = seconds

    def status_line(self):
        """One line for a node's status: model, version, route and time."""
        return "%s@%s on %s in %.2f s" % (self.model, self.version, self.route or "?", self.seconds)


class Call(object):
    """An inference running on a worker thread. ``done()``, ``wait()``, ``cancel()``, ``progress``."""

    def __init__(self):
        self.progress = 0.0
        self.message = "queued"
        self._finished = threading.Event()
        self._exchange = None
        self._result = None
        self._error = None

    def done(self):
        return self._finished.is_set()

    def wait(self, timeout=None):
        """Waits for the call; returns the Result or raises its error (None if still running after timeout)."""
        self._finished.wait(timeout)
        if not self._finished.is_set():
            return None
        if self._error is not None:
            raise self._error
        return self._result

    def cancel(self):
        exchange = self._exchange
        if exchange is not None:
            exchange.cancel()


class Client(object):
    """Talks to this user's agent on behalf of one host application (``houdini``, ``maya`` or ``nuke``).

    The artist's show and department come from the variables a studio launcher sets (``SHOW`` and
    ``DEPT`` unless ``CONDUIT_SCOPE_SHOW_VARIABLE`` / ``CONDUIT_SCOPE_DEPARTMENT_VARIABLE`` name others),
    so the agent resolves each model to the version their rollout rules pick.
    """

    def __init__(self, host_app, locator=None, show=None, department=None, timeout=600.0):
        self.host_app = host_app
        self.locator = locator or AgentLocator()
        self.show = show if show is not None else _scope("CONDUIT_SCOPE_SHOW_VARIABLE", "SHOW")
        self.department = department if department is not None else _scope("CONDUIT_SCOPE_DEPARTMENT_VARIABLE", "DEPT")
        self.timeout = timeout

    def models(self):
        """The models valid for this host in the artist's scope: name, version, chosenBy, host, inputs, outputs."""
        return self._listing()["models"]

    def hidden(self):
        """The models the agent has but does not offer here, each {"name", "reason"}: why a model is not in
        the menu ("plate-denoiser is for show ABC; SHOW is XYZ")."""
        return self._listing().get("hidden", [])

    def _listing(self):
        query = urlencode([("host", self.host_app), ("show", self.show), ("department", self.department)])
        status, _, body = self._send("GET", "/conduit/v1/agent/models?" + query, timeout=30.0)
        transport.raise_for_status(status, body)
        return json.loads(body.decode("utf-8"))

    def infer(self, model, inputs, version=None, device="auto", outputs=None, progress=None, call=None):
        """Runs ``model`` on ``inputs`` (a list of Tensors) and returns a Result; blocks until done."""
        if device not in DEVICES:
            raise ConduitError("device %r is not one of %s" % (device, ", ".join(DEVICES)), "CDT-USAGE")
        path = "/v2/models/" + _quote(model)
        if version:
            path += "/versions/" + _quote(version)
        path += "/infer"
        request_id = uuid.uuid4().hex
        header, parts = protocol.encode_request(inputs, outputs, request_id)
        started = time.time()

        def sending(fraction):
            if progress is not None:
                progress(0.9 * fraction, "sending to the agent" if fraction < 1 else "running on the agent")

        status, headers, body = self._send("POST", path, parts=[header] + parts, extra={
            protocol.HEADER_LENGTH: len(header), "Content-Type": "application/octet-stream",
            "Conduit-Device": device}, progress=sending, call=call)
        transport.raise_for_status(status, body)
        length = headers.get(protocol.HEADER_LENGTH.lower())
        answer, tensors = protocol.decode_response(body, int(length) if length is not None else None)
        if progress is not None:
            progress(1.0, "done")
        return Result(answer, tensors, time.time() - started)

    def infer_async(self, model, inputs, callback=None, **kwargs):
        """Starts ``infer`` on a worker thread and returns its Call at once.

        ``callback(result, error)`` runs on the worker thread when the call ends; a bridge hands it to
        its application's main-thread dispatcher before touching the scene.
        """
        return self._start(lambda call, progress: self.infer(model, inputs, progress=progress, call=call, **kwargs),
                           callback)

    def run_files_async(self, model, inputs, outputs, frames, callback=None, **kwargs):
        """``run_files`` on a worker thread; returns its Call (cancellable) at once."""
        return self._start(lambda call, progress: self.run_files(model, inputs, outputs, frames, call=call, **kwargs),
                           callback)

    def _start(self, work, callback):
        call = Call()

        def progress(fraction, message):
            call.progress = fraction
            call.message = message

        def run():
            try:
                call._result = work(call, progress)
            except Exception as e:  # handed to the caller, whatever it is
                call._error = e
            call._finished.set()
            if callback is not None:
                callback(call._result, call._error)

        worker = threading.Thread(target=run, name="conduit-call")
        worker.daemon = True
        worker.start()
        return call

    def run_files(self, model, inputs, outputs, frames, version=None, device="auto", controls=None, call=None):
        """Runs ``model`` over a frame range of files on this workstation (the agent reads and writes them).

        ``inputs`` and ``outputs`` map tensor names to file patterns (``plate.%04d.exr`` or ``####``),
        ``frames`` is ``"1001-1010"``, ``controls`` maps inputs fed by a knob to their value. Frames the
        agent has already computed for the same inputs and knobs come back from its cache at once.
        Returns the agent's answer: ``{"model", "version", "frames": [{"frame", "status", "detail"}]}``;
        raises the first failed frame's error.
        """
        body = {"model": model, "inputs": inputs, "outputs": outputs, "frames": frames, "device": device,
                "controls": controls or {}}
        if version:
            body["version"] = version
        status, _, answer = self._send("POST", "/conduit/v1/agent/batch", parts=[json.dumps(body).encode("utf-8")],
                                       extra={"Content-Type": "application/json"}, call=call)
        transport.raise_for_status(status, answer)
        result = json.loads(answer.decode("utf-8") if isinstance(answer, (bytes, bytearray)) else answer)
        for frame in result["frames"]:
            if frame["status"] == "failed":
                raise ConduitError("frame %s: %s" % (frame["frame"], frame["detail"]), frame.get("code", ""))
        return result

    def feedback(self, model, version, rating, note="", request_id="", context=None):
        """Sends an artist's rating (1-5) and note on a result to the agent, which keeps it and passes it on.

        ``context`` adds what the bridge knows: ``route``, ``hostVersion``, ``inputs`` and ``outputs``
        (paths, node names or digests, never pixels), and ``preview`` ({"file": path} of an image the
        agent shrinks to a small PNG) only when the artist asked for one. The show and department come
        from the launcher's variables, the shot and asset from ``SHOT`` and ``ASSET``.
        """
        body = {"model": model, "version": version, "rating": rating, "note": note, "host": self.host_app,
                "requestId": request_id, "shot": os.environ.get("SHOT", ""), "asset": os.environ.get("ASSET", "")}
        body.update(context or {})
        encoded = json.dumps(body).encode("utf-8")
        status, _, answer = self._send("POST", "/conduit/v1/agent/feedback", parts=[encoded],
                                       extra={"Content-Type": "application/json"}, timeout=30.0)
        transport.raise_for_status(status, answer)
        return json.loads(answer.decode("utf-8"))

    def status_text(self):
        """One paragraph for a Doctor menu item: the agent's port and home and the models offered here."""
        try:
            port, _ = self.locator.ensure_running()
            listing = self._listing()
            models, hidden = listing["models"], listing.get("hidden", [])
            text = u"Agent on port %d (home %s): %d model(s) offered for %s: %s" % (
                port, self.locator.home, len(models), self.host_app.capitalize(),
                ", ".join(m["name"] for m in models) or "none")
            for h in hidden:
                text += u"\n  not offered: %s (%s)" % (h["name"], h["reason"])
            return text
        except ConduitError as e:
            return "The agent is not usable: %s" % e

    def _send(self, method, path, parts=(), extra=None, progress=None, timeout=None, call=None):
        """One request with the agent's token; the agent is started first when it is not running."""
        port, token = self.locator.ensure_running()
        headers = {"Authorization": "Bearer " + token}
        if self.show:
            headers["Conduit-Show"] = self.show
        if self.department:
            headers["Conduit-Department"] = self.department
        headers.update(extra or {})
        exchange = transport.Exchange(port, timeout or self.timeout)
        if call is not None:
            call._exchange = exchange
        return exchange.send(method, path, headers, parts, progress)


def _quote(segment):
    if sys.version_info[0] < 3 and not isinstance(segment, str):
        segment = segment.encode("utf-8")  # Python 2's quote fails on non-ASCII unicode
    return quote(segment, safe="")


def _scope(variable_setting, default_variable):
    return os.environ.get(os.environ.get(variable_setting, default_variable), "")
