"""The Prefect API a command talks to: the user's server when ``PREFECT_API_URL`` is set,
else a local temporary one that lives exactly as long as the command.

Prefect's own ephemeral server shares the terminal's process group, so Ctrl-C kills it
first and the flow then retries against a dead API for over a minute; and a command killed
with SIGKILL leaves it running. The local server here is started in a session of its own
(Ctrl-C reaches only the command, which stops the server itself) and tethered to the
command's process (`flows._tether`), so it never outlives it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import prefect
from prefect.events.worker import EventsWorker
from prefect.logging.handlers import APILogWorker
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, PREFECT_HOME, get_current_settings, temporary_settings


class _TetheredServer(SubprocessASGIServer):
    """Prefect's temporary API server, in its own session, ended with its parent."""

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        assert self.port is not None
        # the server's own log goes to a file, not into the command's progress lines
        log_path = Path(PREFECT_HOME.value()) / "policyflow-api.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "flows._tether", str(os.getpid()), "uvicorn",
                 "--app-dir", str(prefect.__module_path__.parent), "--factory", "prefect.server.api.server:create_app",
                 "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
                env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                     "PREFECT__SERVER_FINAL": "1",
                     **get_current_settings().to_environment_variables(exclude_unset=True)},
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@contextmanager
def prefect_api() -> Iterator[str]:
    """Yield the URL of the Prefect API to use; a local server is stopped on the way out."""
    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    server = _TetheredServer()
    try:
        server.start()
        os.environ["PREFECT_API_URL"] = server.api_url  # for any process the flow starts
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        # logs and events still queued for the API are sent before the API stops
        APILogWorker.drain_all(timeout=5)
        EventsWorker.drain_all(timeout=5)
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
