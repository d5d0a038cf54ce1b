"""The scheduled batch over an inbox (issue 10): what it reads, what it skips, what it reports,
and that a batch killed with SIGKILL at any point finishes on the next run with no record lost
and none doubled."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import NOTICE

from flows.cli import main
from pipeline.inbox import is_temporary, scan_inbox

REPO = Path(__file__).resolve().parents[1]
PLAN = (REPO / "tests" / "test_store.py").read_text(encoding="utf-8").split('PLAN = """', 1)[1].split('"""', 1)[0]


def batch(*args: str):
    return CliRunner().invoke(main, ["batch", *args, "--settle", "0"], catch_exceptions=False)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "sub" / "plan.md").write_text(PLAN, encoding="utf-8")
    (folder / "minutes.xyz").write_text("会议纪要", encoding="utf-8")
    return folder


# --- what is ready --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["~$plan.docx", ".~lock.plan.docx#", "plan.docx.part", "plan.pdf.crdownload",
                                  "plan.txt~", "plan.tmp"])
def test_editor_and_download_temporaries_are_left_alone(name):
    assert is_temporary(name)


@pytest.mark.parametrize("name", ["plan.docx", "通知.pdf", "a~b.txt"])
def test_ordinary_names_are_read(name):
    assert not is_temporary(name)


def test_hidden_temporary_and_growing_files_wait_for_the_next_tick(inbox):
    (inbox / ".hidden.txt").write_text(NOTICE, encoding="utf-8")
    (inbox / "~$notice.docx").write_bytes(b"lock")
    growing = inbox / "arriving.txt"
    growing.write_text(NOTICE, encoding="utf-8")

    def keep_writing() -> None:
        for _ in range(6):
            time.sleep(0.05)
            with growing.open("a", encoding="utf-8") as fh:
                fh.write("补充说明。\n")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    scan = scan_inbox(inbox, settle_seconds=0.2)
    writer.join()
    assert [f.name for f in scan.ready] == ["minutes.xyz", "notice.txt", "sub/plan.md"]
    assert scan.waiting == ["arriving.txt"]


# --- one run, and the next -------------------------------------------------------------------------

def test_a_batch_reads_every_file_and_reports_each(inbox, tmp_path, record_schemas, prefect_test_harness):
    out = tmp_path / "out"
    result = batch(str(inbox), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert "3 files seen: 3 new" in result.output and "1 of an unsupported type" in result.output
    documents = record_schemas.check_jsonl("document", out / "documents.jsonl")
    record_schemas.check_jsonl("obligation", out / "obligations.jsonl")
    assert {(d["source_file"], d["status"], d["version"]) for d in documents} == {
        ("minutes.xyz", "unsupported", 1), ("notice.txt", "ok", 1), ("sub/plan.md", "ok", 1)}
    assert (out / "policyflow.db").is_file()


def test_a_second_run_skips_everything_and_rewrites_identical_exports(inbox, tmp_path, prefect_test_harness):
    out = tmp_path / "out"
    batch(str(inbox), "--output", str(out))
    first = {name: (out / name).read_bytes() for name in ("documents.jsonl", "obligations.jsonl")}
    result = batch(str(inbox), "--output", str(out))
    assert "0 new, 0 changed, 0 re-extracted, 3 skipped (seen before)" in result.output
    assert {name: (out / name).read_bytes() for name in first} == first


def test_a_changed_file_is_a_new_version_with_its_diff(inbox, tmp_path, prefect_test_harness):
    out = tmp_path / "out"
    batch(str(inbox), "--output", str(out))
    before = {r["record_id"]: r for r in lines(out / "obligations.jsonl")}
    (inbox / "sub" / "plan.md").write_text(
        PLAN.replace("（市应急管理局）\n4.", "（市应急管理局牵头，市消防救援支队配合）\n4."), encoding="utf-8")
    result = batch(str(inbox), "--output", str(out))
    assert "1 changed" in result.output and "0 added, 0 removed, 1 changed" in result.output
    [plan] = [d for d in lines(out / "documents.jsonl") if d["source_file"] == "sub/plan.md"]
    assert plan["version"] == 2
    assert [c["fields"] for c in plan["changes"]["changed"]] == [{"co": [[], ["市消防救援支队"]]}]
    after = {r["record_id"]: r for r in lines(out / "obligations.jsonl")}
    assert after.keys() == before.keys()  # the same tasks keep their ids across versions


def test_a_missing_inbox_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "nowhere"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2 and "is not a folder" in result.output


# --- killed at any point ------------------------------------------------------------------------------

def _inbox_of(folder: Path, count: int) -> Path:
    """``count`` distinct circulars (their numbers differ), txt and md."""
    folder.mkdir(parents=True)
    for i in range(count):
        text = PLAN.replace("〔2027〕5号", f"〔2027〕{i + 10}号").replace("5月底前", f"{5 + i % 6}月底前")
        (folder / f"plan-{i:02d}.{'md' if i % 2 else 'txt'}").write_text(text, encoding="utf-8")
    return folder


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM versions").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not migrated yet


def _batch_process(inbox: Path, out: Path, api_url: str) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PYTHONPATH": str(REPO)}
    out.mkdir(parents=True, exist_ok=True)
    with (out.parent / f"{out.name}.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "batch", str(inbox), "--output", str(out),
                                 "--settle", "0", "--quiet"], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _kill_when(process: subprocess.Popen, db: Path, stored_at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None and _stored(db) < stored_at_least:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return _stored(db)


def test_a_batch_killed_at_any_point_finishes_on_the_next_run(tmp_path, prefect_test_harness):
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()
    inbox = _inbox_of(tmp_path / "inbox", 8)
    reference = tmp_path / "reference"
    done = _batch_process(inbox, reference, api_url)
    assert done.wait(300) == 0, (tmp_path / "reference.log").read_text()
    out, db = tmp_path / "out", tmp_path / "out" / "policyflow.db"
    kills = [_kill_when(_batch_process(inbox, out, api_url), db, n) for n in (0, 1, 5)]
    assert kills[0] < 8  # each kill stopped a batch with work left
    finish = _batch_process(inbox, out, api_url)
    assert finish.wait(300) == 0, (tmp_path / "out.log").read_text()
    for name in ("documents.jsonl", "obligations.jsonl"):
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    ids = [r["record_id"] for r in lines(out / "obligations.jsonl")]
    assert len(ids) == len(set(ids)) and len(lines(out / "documents.jsonl")) == 8


def test_a_transient_database_error_is_retried(inbox, tmp_path, monkeypatch, prefect_test_harness):
    import sqlalchemy as sa

    from flows.batch import batch_flow, store_for
    from pipeline.store import Store

    save, failures = Store.save, []

    def locked_once(self, result, path, sha256, version, stat=None):
        if not failures:
            failures.append(path)
            raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))
        return save(self, result, path, sha256, version, stat)

    monkeypatch.setattr(Store, "save", locked_once)
    store_for.cache_clear()
    report = batch_flow(str(inbox), str(tmp_path / "out"), None, 0)
    assert failures and {line["kind"] for line in report.lines} == {"new"}
    assert len(lines(tmp_path / "out" / "documents.jsonl")) == 3


def test_an_unchanged_inbox_is_rescanned_without_hashing(inbox, tmp_path, monkeypatch, prefect_test_harness):
    import pipeline.inbox
    from flows.batch import batch_flow, store_for

    store_for.cache_clear()
    out = str(tmp_path / "out")
    batch_flow(str(inbox), out, None, 0)
    hashed: list[str] = []
    real = pipeline.inbox._sha256
    monkeypatch.setattr(pipeline.inbox, "_sha256", lambda path: hashed.append(path.name) or real(path))
    report = batch_flow(str(inbox), out, None, 0)
    assert hashed == [] and {line["kind"] for line in report.lines} == {"seen"}
    touched = inbox / "notice.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))  # same bytes, new time
    batch_flow(str(inbox), out, None, 0)
    assert hashed == ["notice.txt"]  # hashed once, found unchanged, remembered
    batch_flow(str(inbox), out, None, 0)
    assert hashed == ["notice.txt"]
