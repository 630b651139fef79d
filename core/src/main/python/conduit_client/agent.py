"""Finding this user's Conduit agent, and starting it when it is not running.

The agent writes ``agent.json`` (port, token) into the Conduit folder (``$CONDUIT_HOME``, else
``~/.conduit``). Several applications may start it at the same moment: the agent holds an OS lock,
so only one keeps running, and every caller waits for the file that one writes.
"""

import json
import os
import shlex
import subprocess
import sys
import time

from conduit_client import transport
from conduit_client.errors import AgentUnavailable

AGENT_FILE = "agent.json"
LOG_FILE = "agent.log"


def default_home():
    home = os.environ.get("CONDUIT_HOME")
    if home:
        return home
    return os.path.join(os.path.expanduser("~"), ".conduit")


def default_command():
    """How to start the agent: $CONDUIT_AGENT_COMMAND, else $CONDUIT_ROOT/bin/conduit, else conduit on PATH."""
    explicit = os.environ.get("CONDUIT_AGENT_COMMAND")
    if explicit:
        if explicit.strip().startswith("["):
            return json.loads(explicit)
        return shlex.split(explicit)
    root = os.environ.get("CONDUIT_ROOT")
    launcher = "conduit.cmd" if _windows() else "conduit"
    if root:
        return [os.path.join(root, "bin", launcher), "agent"]
    return [launcher, "agent"]


def _windows():
    if os.name == "nt":
        return True
    if os.name == "java":  # Jython reports the JVM, not the operating system
        import java.lang.System
        return java.lang.System.getProperty("os.name").lower().startswith("windows")
    return False


class AgentLocator(object):
    """Knows where the agent is; ``ensure_running()`` returns (port, token), starting the agent if needed."""

    def __init__(self, home=None, command=None, start_timeout=120.0):
        self.home = home or default_home()
        self.command = command or default_command()
        self.start_timeout = start_timeout

    def read(self):
        """(port, token) from agent.json, or None when there is no readable file."""
        try:
            with open(os.path.join(self.home, AGENT_FILE)) as f:
                info = json.load(f)
            return int(info["port"]), str(info["token"])
        except (IOError, OSError, ValueError, KeyError, TypeError):
            return None

    def alive(self, info):
        """Whether an agent answers on the file's port and accepts its token."""
        port, token = info
        try:
            status, _, _ = transport.Exchange(port, 5.0).send(
                "GET", "/conduit/v1/agent", {"Authorization": "Bearer " + token})
        except AgentUnavailable:
            return False
        return status == 200

    def ensure_running(self, progress=None):
        info = self.read()
        if info is not None and self.alive(info):
            return info
        if progress is not None:
            progress(0.0, "starting the Conduit agent")
        self.start()
        deadline = time.time() + self.start_timeout
        while time.time() < deadline:
            info = self.read()
            if info is not None and self.alive(info):
                return info
            time.sleep(0.2)
        raise AgentUnavailable("the Conduit agent did not start within %d s (command %s); the end of %s says: %s"
                               % (self.start_timeout, " ".join(self.command), os.path.join(self.home, LOG_FILE),
                                  self.log_tail()))

    def log_tail(self, size=800):
        """The last lines the agent wrote, for an error message an artist can hand to a TD."""
        try:
            with open(os.path.join(self.home, LOG_FILE), "rb") as f:
                f.seek(0, 2)
                f.seek(max(0, f.tell() - size))
                return f.read().decode("utf-8", "replace").strip() or "(nothing)"
        except (IOError, OSError):
            return "(no log)"

    def start(self):
        """Starts the agent detached from this application, its output appended to agent.log."""
        if not os.path.isdir(self.home):
            os.makedirs(self.home)
        log_path = os.path.join(self.home, LOG_FILE)
        try:
            if os.name == "java":
                _start_on_jvm(self.command, log_path)
                return
            log = open(log_path, "ab")
            try:
                subprocess.Popen(self.command, stdin=_devnull(), stdout=log, stderr=subprocess.STDOUT,
                                 close_fds=not _windows() or sys.version_info[0] >= 3, **_detached())
            finally:
                log.close()
        except (OSError, IOError) as e:
            raise AgentUnavailable("cannot start the Conduit agent with %s: %s; set CONDUIT_ROOT to the Conduit"
                                   " installation or put conduit on PATH" % (" ".join(self.command), e))


def _start_on_jvm(command, log_path):
    """Jython: the JVM's ProcessBuilder writes the agent's output straight to the log file, so no thread
    of this application has to copy it (Jython's subprocess would, and would fail once the file closed)."""
    from java.io import File, IOException
    from java.lang import ProcessBuilder
    builder = ProcessBuilder(list(command))
    builder.redirectErrorStream(True)
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(File(log_path)))
    builder.redirectInput(getattr(ProcessBuilder.Redirect, "from")(File(os.devnull)))  # "from" is a Python keyword
    try:
        builder.start()
    except IOException as e:
        raise OSError(str(e))


def _devnull():
    return open(os.devnull, "rb")


def _detached():
    """Keyword arguments that keep the agent running when the application that started it quits."""
    if _windows():
        return {"creationflags": 0x00000008 | 0x00000200}  # DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP
    if sys.version_info[0] >= 3:
        return {"start_new_session": True}
    return {"preexec_fn": os.setsid}

