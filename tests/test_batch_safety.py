"""A batch never loses work: every input gets a line, the output pair is written whole or not
at all, and the command stops cleanly. Regression tests for the findings of issue 7
("Never lose a batch"), each named for what it pins."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import NOTICE

from flows.cli import main
from pipeline import (
    BatchOutput,
    LimitExceededError,
    Settings,
    check_outputs,
    extract_bytes,
    process_source,
    scan_inputs,
)
from pipeline.inputs import display_name, printable_name

REPO = Path(__file__).resolve().parents[1]


def run_cli(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    return folder


# --- every input gets a line -----------------------------------------------------------------

def test_issue7_gbk_file_name_is_written_as_its_chinese_name(inbox, tmp_path, record_schemas, prefect_test_harness):
    gbk_name = "汛期通知.txt".encode("gbk")
    with open(os.path.join(os.fsencode(inbox), gbk_name), "wb") as fh:
        fh.write(NOTICE.encode("utf-8"))
    out = tmp_path / "out"
    result = run_cli(str(inbox), "--output", str(out))
    assert result.exit_code == 0, result.output
    documents = record_schemas.check_jsonl("document", out / "documents.jsonl")
    assert sorted(Path(d["source_file"]).name for d in documents) == ["notice.txt", "汛期通知.txt"]
    assert all(d["status"] == "ok" for d in documents)


def test_issue7_name_that_is_neither_utf8_nor_gbk_is_shown_with_escapes():
    name = os.fsdecode(b"bad-\xff\xfe.txt")
    assert display_name(name) == "bad-\\xff\\xfe.txt"


def test_issue7_control_characters_in_a_name_are_escaped_for_the_terminal():
    assert printable_name("a\x1b[2Jb\u202ec.txt") == "a\\x1b[2Jb\\u202ec.txt"


def test_issue7_dangling_link_fifo_and_socket_each_get_a_failed_line(inbox, resources):
    (inbox / "gone.txt").symlink_to(inbox / "nowhere.txt")
    os.mkfifo(inbox / "pipe.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(inbox / "sock.md"))
        results = {Path(s.source_file).name: process_source(s, resources)
                   for s in scan_inputs([inbox], resources.settings).sources}
    assert {name: r.status for name, r in results.items()} == {
        "gone.txt": "failed", "notice.txt": "ok", "pipe.txt": "failed", "sock.md": "failed"}
    assert "dangling symbolic link" in (results["gone.txt"].error or "")
    assert "FIFO" in (results["pipe.txt"].error or "")
    assert "socket" in (results["sock.md"].error or "")


def test_issue7_symlink_loop_named_on_the_command_line_is_a_failed_line(tmp_path, resources):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    [source] = scan_inputs([loop], resources.settings).sources
    result = process_source(source, resources)
    assert result.status == "failed"
    assert "symbolic link loop" in (result.error or "")


def test_issue7_folder_link_cycle_is_walked_once(inbox, resources):
    (inbox / "again").symlink_to(inbox)
    names = [s.source_file for s in scan_inputs([inbox], resources.settings).sources]
    assert [Path(n).name for n in names] == ["notice.txt"]


def test_issue7_unreadable_subfolder_gets_a_line(tmp_path, resources, monkeypatch):
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(NOTICE, encoding="utf-8")
    locked.chmod(0o000)
    if os.geteuid() == 0:  # root reads every folder: refuse as the kernel would for a user
        real_scandir = os.scandir

        def scandir(path):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        sources = {s.source_file: s for s in scan_inputs([tmp_path], resources.settings).sources}
    finally:
        locked.chmod(0o755)
    assert sources[str(tmp_path / "notice.txt")].problem is None
    assert sources[str(locked)].problem == "cannot list the folder: Permission denied"
    result = process_source(sources[str(locked)], resources)
    assert result.status == "failed" and "Permission denied" in (result.error or "")


def test_issue7_files_of_other_formats_are_counted_not_silently_dropped(inbox, resources):
    (inbox / "budget.xlsx").write_bytes(b"PK\x03\x04")
    scan = scan_inputs([inbox], resources.settings)
    assert [Path(s).name for s in scan.skipped] == ["budget.xlsx"]


def test_issue7_text_over_max_text_chars_is_a_typed_error_naming_the_setting(resources):
    text = ("各部门要加强组织领导，落实工作责任。\n" * 60_000).encode("utf-8")  # 1.14 million characters
    with pytest.raises(LimitExceededError) as caught:
        extract_bytes(text, "long.txt", resources)
    assert caught.value.setting == "max_text_chars"
    assert "max_text_chars" in str(caught.value) and "long.txt" in str(caught.value)


# --- the output pair ---------------------------------------------------------------------------

def test_issue7_empty_input_leaves_the_previous_output_alone(inbox, tmp_path, prefect_test_harness):
    out = tmp_path / "out"
    assert run_cli(str(inbox), "--output", str(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "minutes.xlsx").write_bytes(b"PK\x03\x04")
    result = run_cli(str(empty), "--output", str(out))
    assert result.exit_code == 1
    assert "no circulars found" in result.output and "left unchanged" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_issue7_output_files_respect_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        BatchOutput().write(tmp_path)
    finally:
        os.umask(old)
    for name in ("documents.jsonl", "obligations.jsonl", "manifest.json"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_issue7_manifest_names_the_pair_and_a_torn_write_is_detected(tmp_path, monkeypatch):
    batch = BatchOutput()
    batch.add({"document_id": "a", "source_file": "a.txt", "status": "ok", "warnings": []}, [{"record_id": "a-1"}])
    batch.write(tmp_path)
    assert check_outputs(tmp_path) is None
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["files"]["obligations.jsonl"]["lines"] == 1

    # a second run killed after renaming obligations.jsonl, before documents.jsonl
    batch.add({"document_id": "b", "source_file": "b.txt", "status": "ok", "warnings": []}, [{"record_id": "b-1"}])
    real_replace = os.replace
    calls = []

    def replace_then_die(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        batch.write(tmp_path)
    monkeypatch.undo()
    problem = check_outputs(tmp_path)
    assert problem is not None and "obligations.jsonl" in problem


def test_issue7_stale_temporary_files_of_dead_runs_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    stale = tmp_path / f".documents.jsonl.{dead}.0badc0de.tmp"
    live = tmp_path / f".documents.jsonl.{os.getpid()}.0badc0de.tmp"
    stale.write_text("half a file")
    live.write_text("being written")
    BatchOutput().write(tmp_path)
    assert not stale.exists()
    assert live.exists()


def test_issue7_identical_bytes_under_two_names_share_no_record_id(inbox, tmp_path, prefect_test_harness):
    (inbox / "copy-of-notice.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(str(inbox), "--output", str(out)).exit_code == 0
    documents = {d["source_file"]: d for d in lines(out / "documents.jsonl")}
    ids = [o["record_id"] for o in lines(out / "obligations.jsonl")]
    assert len(ids) == len(set(ids)) > 0
    copy = documents[str(inbox / "notice.txt")]
    assert copy["duplicate_of"] == str(inbox / "copy-of-notice.txt")
    assert copy["record_count"] == 0 and "the same bytes as" in copy["warnings"][-1]


def test_issue7_unusable_output_folder_is_refused_before_any_work(inbox, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    result = run_cli(str(inbox), "--output", str(blocker / "sub"))
    assert result.exit_code == 2
    assert "cannot write to the output folder" in result.output
    assert "[1/1]" not in result.output


def test_issue7_malformed_registry_is_refused_before_any_work(inbox, tmp_path):
    registry = tmp_path / "ours.jsonl"
    registry.write_text('{"name": "澄阳市营商环境促进中心", "abbreviations": [\n', encoding="utf-8")
    result = run_cli(str(inbox), "--output", str(tmp_path / "out"), "--registry", str(registry))
    assert result.exit_code == 2
    assert "ours.jsonl" in result.output
    assert "[1/1]" not in result.output and "Traceback" not in result.output


# --- the command as a process: interruption, kills, a HOME that cannot be written ---------------

def _command_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", **extra)
    return env


def _tethered_servers(parent: int) -> list[str]:
    found = subprocess.run(["pgrep", "-f", f"flows._tether {parent} "], capture_output=True, text=True)
    return found.stdout.split()


def _many_circulars(tmp_path: Path, count: int = 400) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(count):
        (folder / f"notice-{i:03d}.txt").write_text(NOTICE + f"\n（第{i}号）\n", encoding="utf-8")
    return folder


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as fh:
        return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=env,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_issue7_ctrl_c_stops_with_one_line_and_keeps_the_previous_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.jsonl").write_text('{"previous": true}\n')
    log = tmp_path / "log"
    proc = _start(["run", str(_many_circulars(tmp_path)), "--output", str(out)], _command_env(tmp_path), log)
    try:
        assert _wait_for(lambda: "[1/400]" in log.read_text(errors="replace"), 120), log.read_text()
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    text = log.read_text(errors="replace")
    assert proc.returncode == 130, text
    assert [line for line in text.splitlines() if not line.startswith("[")] == [
        line for line in text.splitlines() if line.startswith("interrupted after")]
    assert (out / "documents.jsonl").read_text() == '{"previous": true}\n'
    assert not (out / "obligations.jsonl").exists()
    assert _wait_for(lambda: not _tethered_servers(proc.pid), 10)


def test_issue7_killed_command_leaves_no_prefect_server_behind(tmp_path):
    log = tmp_path / "log"
    proc = _start(["run", str(_many_circulars(tmp_path)), "--output", str(tmp_path / "out")],
                  _command_env(tmp_path), log)
    try:
        assert _wait_for(lambda: bool(_tethered_servers(proc.pid)), 120), log.read_text()
        proc.kill()
        proc.wait()
        assert _wait_for(lambda: not _tethered_servers(proc.pid), 15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_issue7_home_that_cannot_be_written_falls_back_with_a_note(tmp_path, inbox):
    env = _command_env(tmp_path, HOME="/dev/null")  # ~/.prefect cannot be created under a file
    del env["PREFECT_HOME"]
    done = subprocess.run([sys.executable, "-m", "flows.cli", "run", str(inbox), "--output", str(tmp_path / "out")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "is not writable; Prefect's local data goes to" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(lines(tmp_path / "out" / "documents.jsonl")) == 1


def test_issue7_settings_refuse_limits_that_are_not_positive():
    from pipeline import SettingsError

    for name in ("max_text_chars", "max_unpacked_bytes", "max_nesting_depth"):
        with pytest.raises(SettingsError, match=name):
            Settings(**{name: 0})
