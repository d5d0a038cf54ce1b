"""``policyflow serve`` (issue 10): the batch as a scheduled deployment on a local Prefect
server that the command starts and stops itself."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from samples import NOTICE

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_post(url: str, body: dict) -> list[dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_serve_runs_the_batch_on_its_schedule_publishes_an_artifact_and_stops_cleanly(tmp_path):
    inbox, out, port = tmp_path / "inbox", tmp_path / "out", free_port()
    inbox.mkdir()
    (inbox / "notice.txt").write_text(NOTICE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PYTHONPATH=str(REPO))
    with (tmp_path / "serve.log").open("wb") as log:
        serve = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve", str(inbox), "--output", str(out),
                                  "--interval", "3", "--port", str(port), "--settle", "0"],
                                 env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while not (out / "documents.jsonl").exists() and time.monotonic() < deadline and serve.poll() is None:
            time.sleep(0.5)
        assert (out / "documents.jsonl").exists(), (tmp_path / "serve.log").read_text()
        api = f"http://127.0.0.1:{port}/api"
        # the run publishes its artifact after it has written the exports
        wanted = {"artifacts": {"key": {"any_": ["policyflow-batch"]}}}
        artifacts = api_post(f"{api}/artifacts/filter", wanted)
        deadline = time.monotonic() + 60
        while not artifacts and time.monotonic() < deadline:
            time.sleep(0.5)
            artifacts = api_post(f"{api}/artifacts/filter", wanted)
        assert any("1 new" in a["data"] for a in artifacts), artifacts
        deployments = api_post(f"{api}/deployments/filter", {})
        assert [d["name"] for d in deployments] == ["inbox"]
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(60)
    assert code == 0, (tmp_path / "serve.log").read_text()
    with socket.socket() as s:  # the server it started is gone with it
        assert s.connect_ex(("127.0.0.1", port)) != 0
