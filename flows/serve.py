"""``policyflow serve``: the batch flow as a Prefect deployment on a schedule.

Prefect's bare ephemeral API never fires schedules and has no UI, so unless
``PREFECT_API_URL`` names a server, `local_prefect_server` starts one (``prefect server
start``: scheduler and UI, its database under PREFECT_HOME) in a session of its own, tethered
to this process so that it never outlives it, waits until it answers, and stops it on the way
out. `serve_batch` then serves `flows.batch.batch_flow` with ``limit=1``, so two runs never
overlap on one inbox.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_INTERVAL = 600  # seconds: every ten minutes
DEFAULT_PORT = 4200


class ServerError(RuntimeError):
    """The local Prefect server did not start."""


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def local_prefect_server(port: int = DEFAULT_PORT, timeout: float = 120) -> Iterator[str]:
    """Yield the API URL of a Prefect server: ``PREFECT_API_URL`` when set, else a local one
    started here on 127.0.0.1:``port`` and stopped (with everything it started) on exit."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    if not _port_free(port):
        raise ServerError(f"port {port} is taken; choose another with --port")
    home = Path(os.environ.get("PREFECT_HOME", Path("~/.prefect").expanduser()))
    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "policyflow-server.log"
    # the UI asks the API at PREFECT_SERVER_API_HOST/PORT, not at --port (stack.md)
    env = {**os.environ, "PREFECT_SERVER_API_HOST": "127.0.0.1", "PREFECT_SERVER_API_PORT": str(port),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}
    with log_path.open("ab") as log:
        server = subprocess.Popen([sys.executable, "-m", "flows._tether", str(os.getpid()), "prefect", "server", "start"],
                                  env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(f"{api}/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"the local Prefect server did not start; see {log_path}")
            time.sleep(0.3)
        os.environ["PREFECT_API_URL"] = api  # the runs this process starts talk to it too
        yield api
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop_group(server)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """TERM the server's session, then KILL what is left after a grace period."""
    for sig, grace in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def serve_batch(inbox: str, output: str, store: str | None, interval: float | None, cron: str | None,
                settle_seconds: float) -> None:
    """Serve the batch flow on its schedule until stopped (Ctrl-C or SIGTERM)."""
    from flows.batch import batch_flow

    schedule = {"cron": cron} if cron else {"interval": dt.timedelta(seconds=interval or DEFAULT_INTERVAL)}
    batch_flow.serve(name="inbox", limit=1, pause_on_shutdown=True, print_starting_message=False,
                     parameters={"inbox": inbox, "output": output, "store": store, "settle_seconds": settle_seconds},
                     **schedule)
