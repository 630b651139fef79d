"""Fake ``maya.utils``: the main-thread dispatcher (DCC_API.md 2.2).

``executeInMainThreadWithResult`` runs the code at once when called from the main thread, otherwise
queues it for the main thread's next idle moment and blocks until it has run; it does not exist in
batch mode. The test's main thread plays the idle loop with ``_pump``.
"""

import threading
import time

from maya import cmds

_queue = []
_lock = threading.Lock()


def executeInMainThreadWithResult(code, *args, **kwargs):
    if cmds._scene["batch"]:
        raise RuntimeError("executeInMainThreadWithResult is not available in batch mode")
    if threading.current_thread() is cmds._scene["main"]:
        return code(*args, **kwargs)
    done = threading.Event()
    box = {}
    with _lock:
        _queue.append((code, args, kwargs, box, done))
    done.wait()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def executeDeferred(code, *args, **kwargs):
    with _lock:
        _queue.append((code, args, kwargs, {}, threading.Event()))


def processIdleEvents():
    _pump(lambda: True, 0)


def _pump(until, timeout=60.0):
    """Test control: the main thread runs queued work until ``until()`` is true or ``timeout`` passes."""
    deadline = time.time() + timeout
    while True:
        with _lock:
            work = list(_queue)
            del _queue[:]
        for code, args, kwargs, box, done in work:
            try:
                box["result"] = code(*args, **kwargs)
            except Exception as e:
                box["error"] = e
            done.set()
        if until() or time.time() > deadline:
            return until()
        time.sleep(0.01)
