"""The store and the identity of records across versions (issue 10), on SQLite and PostgreSQL.

Every test runs twice through the `store_url` fixture: once on a SQLite file and once on a
throwaway PostgreSQL server. Circulars are short synthetic ones written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import ExtractionResult, TaskRecord, extract_bytes, extract_file
from pipeline.identity import extractor_version, task_keys
from pipeline.inbox import plan_inbox, scan_inbox
from pipeline.model import Document
from pipeline.serial import from_data, to_data
from pipeline.store import Store, StoreError
from pipeline.store import store_url as resolve_url

REPO = Path(__file__).resolve().parents[1]
VERSION = "test+000000000000"

PLAN = """澄阳市应急管理局关于印发汛期安全工作方案的通知
澄应急发〔2027〕5号
各区应急管理局：
现将《汛期安全工作方案》印发给你们，请认真贯彻执行。
澄阳市应急管理局
2027年4月1日
汛期安全工作方案
一、隐患排查
1.组织开展汛前隐患排查，5月底前完成整改。（市应急管理局、市水务局）
2.建立排查台账，每月报送进展情况。（市水务局牵头，各区应急管理局配合）
二、应急准备
3.完善防汛应急预案，组织开展联合演练。（市应急管理局）
4.储备防汛物资，6月15日前完成补充。（市粮食和物资储备局）
"""


def read(text: str, name: str = "plan.txt") -> ExtractionResult:
    return extract_bytes(text.encode("utf-8"), name)


def sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def store(store_url):
    opened = Store.open(store_url)
    yield opened
    opened.close()


def exported(store: Store, folder: Path) -> tuple[list[dict], list[dict]]:
    store.export(folder)
    return ([json.loads(line) for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines()],
            [json.loads(line) for line in (folder / "obligations.jsonl").read_text(encoding="utf-8").splitlines()])


# --- typed serialisation -----------------------------------------------------------------------

@pytest.mark.parametrize("sample", ["sample-notice.txt", "sample-plan.html", "sample-plan.docx", "sample-plan.pdf",
                                    "sample-news.md"])
def test_every_record_type_round_trips_through_plain_json(sample, resources):
    result = extract_file(REPO / "corpus" / sample, resources)
    result.document.spans = None  # working state of the segmentation, never stored
    back = from_data(ExtractionResult, json.loads(json.dumps(to_data(result), ensure_ascii=False)))
    assert back == result
    assert from_data(Document, json.loads(json.dumps(to_data(result.document)))) == result.document
    assert [from_data(TaskRecord, to_data(t)) for t in result.tasks] == result.tasks


# --- identity ----------------------------------------------------------------------------------

def test_task_keys_do_not_depend_on_offsets():
    before = read(PLAN)
    after = read(PLAN.replace("请认真贯彻执行。", "请结合实际认真贯彻执行。"))  # four characters in the cover
    assert [t.start for t in before.tasks] != [t.start for t in after.tasks]
    keyed = lambda r: {t.title: k for t, k in zip(r.tasks, task_keys(r.tasks), strict=True)}  # noqa: E731
    unchanged = [title for title in keyed(before) if "印发" not in title]
    assert unchanged and all(keyed(before)[t] == keyed(after)[t] for t in unchanged)


def test_a_task_printed_twice_gets_two_keys():
    twice = PLAN.replace("4.储备防汛物资", "4.完善防汛应急预案，组织开展联合演练。（市应急管理局）\n5.储备防汛物资")
    keys = task_keys(read(twice).tasks)
    assert len(keys) == len(set(keys))


def test_extractor_version_names_the_package_and_its_data():
    version = extractor_version()
    assert version.split("+")[0] and len(version.split("+")[1]) == 12
    assert extractor_version() == version


# --- the store ---------------------------------------------------------------------------------

def test_a_new_version_keeps_the_record_ids_of_unchanged_tasks(store, tmp_path):
    v2 = PLAN.replace("请认真贯彻执行。", "请结合实际认真贯彻执行。")
    first = store.save(read(PLAN), "inbox/plan.txt", sha(PLAN), VERSION)
    _, before = exported(store, tmp_path / "1")
    second = store.save(read(v2), "inbox/plan.txt", sha(v2), VERSION)
    documents, after = exported(store, tmp_path / "2")
    assert (first.kind, second.kind, second.document_key, second.seq) == ("new", "changed", first.document_key, 2)
    assert second.diff is not None and second.diff.empty
    assert [r["record_id"] for r in after] == [r["record_id"] for r in before]
    assert len(documents) == 1 and documents[0]["version"] == 2 and documents[0]["sha256"] == sha(v2)
    assert [v["seq"] for v in store.history(first.document_key)] == [1, 2]


def test_the_diff_names_tasks_added_removed_and_reassigned(store):
    v2 = (PLAN.replace("（市水务局牵头，各区应急管理局配合）", "（市应急管理局牵头，市水务局配合）")
              .replace("4.储备防汛物资，6月15日前完成补充。（市粮食和物资储备局）\n",
                       "4.开展防汛知识宣传进社区活动。（市应急管理局）\n"))
    store.save(read(PLAN), "plan.txt", sha(PLAN), VERSION)
    diff = store.save(read(v2), "plan.txt", sha(v2), VERSION).diff
    assert diff is not None
    assert [title for _, title in diff.added] == ["开展防汛知识宣传进社区活动"]
    assert [title for _, title in diff.removed] == ["储备防汛物资，6月15日前完成补充"]
    assert [(c.title, c.fields) for c in diff.changed] == [
        ("建立排查台账，每月报送进展情况", {"lead": ("市水务局", "市应急管理局"), "co": (["各区应急管理局"], ["市水务局"])})]


def test_a_slightly_edited_task_keeps_its_key(store, tmp_path):
    v2 = PLAN.replace("组织开展汛前隐患排查，5月底前完成整改", "组织开展汛前安全隐患排查，5月底前完成整改")
    store.save(read(PLAN), "plan.txt", sha(PLAN), VERSION)
    _, before = exported(store, tmp_path / "1")
    diff = store.save(read(v2), "plan.txt", sha(v2), VERSION).diff
    _, after = exported(store, tmp_path / "2")
    assert diff is not None and diff.empty
    assert [r["record_id"] for r in after] == [r["record_id"] for r in before]
    assert any("安全隐患" in r["text"] for r in after)


def test_the_same_bytes_under_a_new_name_are_the_same_document(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_text(PLAN, encoding="utf-8")
    saved = store.save(read(PLAN), "plan.txt", sha(PLAN), VERSION)
    (inbox / "plan.txt").rename(inbox / "renamed.txt")
    [planned] = plan_inbox(scan_inbox(inbox, 0), store, VERSION)
    assert planned.action == "moved"
    store.note_path("renamed.txt", sha(PLAN))
    documents, _ = exported(store, tmp_path / "out")
    assert [(d["document_key"], d["source_file"]) for d in documents] == [(saved.document_key, "renamed.txt")]


def test_known_bytes_are_read_again_only_under_other_rules(store, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "plan.txt").write_text(PLAN, encoding="utf-8")
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    for planned in plan_inbox(scan_inbox(inbox, 0), store, VERSION):
        result = extract_bytes(planned.file.path.read_bytes(), planned.file.name) if planned.file.name.endswith(".txt") \
            else ExtractionResult(planned.file.name, None, [], status="failed", error="broken", format="pdf")
        store.save(result, planned.file.name, planned.file.sha256, VERSION)
    assert {p.action for p in plan_inbox(scan_inbox(inbox, 0), store, VERSION)} == {"seen"}  # failed ones too
    assert {p.action for p in plan_inbox(scan_inbox(inbox, 0), store, "test+111111111111")} == {"re-extract"}
    documents, _ = exported(store, tmp_path / "out")
    assert {(d["source_file"], d["status"]) for d in documents} == {("broken.pdf", "failed"), ("plan.txt", "ok")}


def test_re_extraction_replaces_the_records_of_the_same_bytes(store, tmp_path):
    store.save(read(PLAN), "plan.txt", sha(PLAN), VERSION)
    again = store.save(read(PLAN), "plan.txt", sha(PLAN), "test+111111111111")
    documents, records = exported(store, tmp_path / "out")
    assert again.kind == "re-extracted" and again.seq == 1
    assert store.counts()["versions"] == 1 and len(records) == len(read(PLAN).tasks)
    assert documents[0]["extractor_version"] == "test+111111111111"


def test_the_document_snapshot_is_stored_for_highlighting(store):
    result = read(PLAN)
    store.save(result, "plan.txt", sha(PLAN), VERSION)
    snapshot = store.snapshot(sha(PLAN))
    assert snapshot is not None and snapshot.text == result.document.text
    task = next(iter(store.tasks_of(sha(PLAN)).values()))
    assert snapshot.text[task.start:task.end] == task.text


def test_opening_a_store_twice_migrates_once(store_url):
    Store.open(store_url).close()
    with Store.open(store_url) as again:
        assert again.counts() == {"documents": 0, "versions": 0, "tasks": 0, "paths": 0}


def test_a_store_url_that_cannot_be_used_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="cannot"):
        Store.open("nosuchdb://x")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2")


def test_store_url_defaults_to_sqlite_in_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICYFLOW_STORE", raising=False)
    assert resolve_url(None, tmp_path) == f"sqlite:///{tmp_path.resolve() / 'policyflow.db'}"
    assert resolve_url("postgresql://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("POLICYFLOW_STORE", "postgres://u@h/db")
    assert resolve_url(None, tmp_path) == "postgresql+psycopg://u@h/db"
