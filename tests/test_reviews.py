"""Reviews in the store (issue 11, item 1), on SQLite and PostgreSQL: decisions beside the
extracted values, an audit log, stale saves refused, reviews carried over to new versions and
flagged where a new version changed the task."""

from __future__ import annotations

import hashlib

import pytest

from pipeline import extract_bytes
from pipeline.ledger import ledger_rows
from pipeline.store import Store
from pipeline.store.reviews import ReviewConflict, ReviewError, Reviews

PLAN = (__import__("pathlib").Path(__file__).parent / "test_store.py").read_text(encoding="utf-8") \
    .split('PLAN = """', 1)[1].split('"""', 1)[0]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def store(store_url):
    opened = Store.open(store_url)
    yield opened
    opened.close()


def save(store: Store, text: str, version: str = "v1"):
    return store.save(extract_bytes(text.encode("utf-8"), "plan.txt"), "plan.txt", sha(text), version)


def key_of(store: Store, text: str, title_start: str) -> str:
    return next(k for k, t in store.tasks_of(sha(text)).items() if t.title.startswith(title_start))


def test_a_correction_is_kept_beside_the_extracted_values_with_its_audit(store):
    doc = save(store, PLAN).document_key
    task = key_of(store, PLAN, "建立排查台账")
    review = Reviews(store).decide(doc, task, "张三", "corrected", {"lead": "市应急管理局"})
    assert (review.status, review.fields, review.revision) == ("corrected", {"lead": "市应急管理局"}, 1)
    assert store.tasks_of(sha(PLAN))[task].assignment.lead.surface == "市水务局"  # the extracted value stays
    assert [(h["reviewer"], h["field"], h["old"], h["new"]) for h in Reviews(store).history(doc, task)] == [
        ("张三", "status", "pending", "corrected"), ("张三", "lead", "市水务局", "市应急管理局")]


def test_a_stale_save_is_refused_and_changes_nothing(store):
    doc = save(store, PLAN).document_key
    task = key_of(store, PLAN, "储备防汛物资")
    reviews = Reviews(store)
    reviews.decide(doc, task, "张三", "accepted")  # revision 0 → 1
    with pytest.raises(ReviewConflict, match="张三 saved this task"):
        reviews.decide(doc, task, "李四", "rejected", revision=0)  # loaded before 张三 saved
    assert reviews.get(doc, task).status == "accepted"
    assert reviews.decide(doc, task, "李四", "rejected", revision=1).revision == 2


@pytest.mark.parametrize(("status", "fields", "message"), [
    ("approved", {}, "unknown status"),
    ("corrected", {"owner": "x"}, "unknown field"),
    ("corrected", {"co": "市水务局"}, "list of department names"),
])
def test_a_review_that_cannot_be_saved_says_why(store, status, fields, message):
    doc = save(store, PLAN).document_key
    with pytest.raises(ReviewError, match=message):
        Reviews(store).decide(doc, "k", "张三", status, fields)
    with pytest.raises(ReviewError, match="reviewer"):
        Reviews(store).decide(doc, "k", " ", "accepted")


def test_re_extraction_never_overwrites_a_review(store):
    doc = save(store, PLAN).document_key
    task = key_of(store, PLAN, "建立排查台账")
    Reviews(store).decide(doc, task, "张三", "corrected", {"co": ["市气象局"]})
    save(store, PLAN, version="v2")  # the same bytes under new rules
    assert Reviews(store).get(doc, task).fields == {"co": ["市气象局"]}


def test_a_new_version_carries_reviews_over_and_flags_changed_tasks(store):
    doc = save(store, PLAN).document_key
    reviews = Reviews(store)
    unchanged, changed = key_of(store, PLAN, "完善防汛应急预案"), key_of(store, PLAN, "建立排查台账")
    reviews.decide(doc, unchanged, "张三", "accepted")
    reviews.decide(doc, changed, "张三", "accepted")
    v2 = PLAN.replace("请认真贯彻执行。", "请结合实际认真贯彻执行。").replace(
        "（市水务局牵头，各区应急管理局配合）", "（市应急管理局牵头，市水务局配合）")
    save(store, v2)
    assert reviews.get(doc, unchanged).needs_recheck is None and reviews.get(doc, unchanged).status == "accepted"
    flag = reviews.get(doc, changed).needs_recheck
    assert flag == {"version": 2, "changed": {"lead": ["市水务局", "市应急管理局"],
                                             "co": [["各区应急管理局"], ["市水务局"]]}}


def test_a_missed_task_is_added_from_selected_text(store):
    doc = save(store, PLAN).document_key
    text = store.snapshot(sha(PLAN)).text
    start = text.index("现将")
    added = Reviews(store).add_task(doc, sha(PLAN), start, start + 8, text[start:start + 8], "张三",
                                    {"lead": "市应急管理局", "due": "2027年5月底前"})
    assert added.task_key.startswith("added-") and added.added["text"] == "现将《汛期安全工"
    rows = [r for r in ledger_rows(store) if r.task_key == added.task_key]
    assert [(r.department, r.role, r.due.text, r.position) for r in rows] == [
        ("市应急管理局", "牵头", "2027年5月底前", "审核时补充")]


def test_ledger_rows_take_reviewed_values_and_leave_out_rejected_tasks(store):
    doc = save(store, PLAN).document_key
    reviews = Reviews(store)
    reviews.decide(doc, key_of(store, PLAN, "建立排查台账"), "张三", "corrected", {"lead": "市应急管理局", "co": []})
    reviews.decide(doc, key_of(store, PLAN, "储备防汛物资"), "张三", "rejected")
    rows = ledger_rows(store)
    assert ("市粮食和物资储备局", "牵头") not in {(r.department, r.role) for r in rows}
    mine = [(r.role, r.task, r.status_label) for r in ledger_rows(store, "市应急管理局")]
    assert ("牵头", "建立排查台账，每月报送进展情况", "已更正") in mine
    assert all(r.department == "市应急管理局" for r in ledger_rows(store, "市应急管理局"))
