"""The ``policyflow`` command line, in-process with click's CliRunner, under one Prefect test
harness for the session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import NOTICE, OPINION

from flows.cli import main

BUNDLED_CORPUS = Path(__file__).resolve().parents[1] / "corpus"



@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (folder / "opinion.txt").write_text(OPINION, encoding="utf-8")
    return folder


def run(*args: str):
    return CliRunner().invoke(main, ["run", *args])


def test_cli_run_with_a_failed_document_exits_1_and_writes_every_record(inbox, tmp_path, record_schemas,
                                                                        prefect_test_harness):
    (inbox / "blank.txt").write_bytes(b"")
    output = tmp_path / "out"
    result = run(str(inbox), "--output", str(output))
    assert result.exit_code == 1, result.output
    documents = record_schemas.check_jsonl("document", output / "documents.jsonl")
    obligations = record_schemas.check_jsonl("obligation", output / "obligations.jsonl")
    assert sorted((Path(d["source_file"]).name, d["status"]) for d in documents) == [
        ("blank.txt", "empty"), ("notice.txt", "ok"), ("opinion.txt", "ok")]
    assert {Path(o["source_file"]).name for o in obligations} == {"notice.txt", "opinion.txt"}
    leads = [o["lead_department"]["surface"] for o in obligations if o["lead_department"]]
    assert leads == ["市水务局", "市水务局"]


def test_cli_run_on_good_files_exits_0_with_a_one_line_summary(inbox, tmp_path, prefect_test_harness):
    output = tmp_path / "out"
    result = run(str(inbox), "--output", str(output), "--quiet")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("2 documents (2 ok, 0 not ok), 2 assigned tasks")
    assert (output / "documents.jsonl").is_file()


def test_cli_run_reports_progress_per_document_on_stderr(inbox, tmp_path, prefect_test_harness):
    result = run(str(inbox), "--output", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 1
    progress = result.stderr.splitlines()
    assert len(progress) == 2
    assert any("notice.txt: ok, 2 tasks" in line for line in progress)


def test_cli_run_rejects_a_missing_registry_file(inbox, tmp_path):
    result = run(str(inbox), "--output", str(tmp_path / "out"), "--registry", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2
    assert "registry_files" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_run_bundled_corpus_exits_0(tmp_path, record_schemas, prefect_test_harness):
    output = tmp_path / "out"
    result = run(str(BUNDLED_CORPUS), "--output", str(output), "--quiet")
    assert result.exit_code == 0, result.output
    documents = record_schemas.check_jsonl("document", output / "documents.jsonl")
    record_schemas.check_jsonl("obligation", output / "obligations.jsonl")
    assert all(d["status"] == "ok" for d in documents)
    assert sum(d["task_count"] for d in documents) > 0


def test_cli_run_output_is_the_same_on_a_second_run(inbox, tmp_path, prefect_test_harness):
    first, second = tmp_path / "first", tmp_path / "second"
    assert run(str(inbox), "--output", str(first), "--quiet").exit_code == 0
    assert run(str(inbox), "--output", str(second), "--quiet").exit_code == 0
    for name in ("documents.jsonl", "obligations.jsonl"):
        assert [json.loads(line) for line in (first / name).read_text(encoding="utf-8").splitlines()] == [
            json.loads(line) for line in (second / name).read_text(encoding="utf-8").splitlines()]
