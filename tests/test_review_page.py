"""The review page (issue 11) through HTTP: what it shows, and what it refuses.

A store is filled with the batch flow's own code (`Store.save`) from short synthetic circulars;
the app is driven with Starlette's TestClient. The browser walk-through is in
``tests/test_review_browser.py``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from flows.review import app as review_app
from flows.review.app import ReviewConfig, create_app
from pipeline import extract_bytes
from pipeline.store import Store

PLAN = (Path(__file__).parent / "test_store.py").read_text(encoding="utf-8").split('PLAN = """', 1)[1].split('"""', 1)[0]
HOSTILE = PLAN.replace("组织开展汛前隐患排查", "组织开展<script>alert(1)</script>汛前隐患排查")
TOKEN = "review-token"


def fill(output: Path, *texts: str) -> list[str]:
    keys = []
    with Store.open(None, output) as store:
        for i, text in enumerate(texts):
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            keys.append(store.save(extract_bytes(text.encode("utf-8"), f"plan-{i}.txt"), f"plan-{i}.txt", sha,
                                   "test").document_key)
    return keys


@pytest.fixture
def site(tmp_path):
    keys = fill(tmp_path, PLAN, HOSTILE)
    runs: list[str] = []
    app = create_app(ReviewConfig(output=tmp_path, token=TOKEN, run_batch=lambda folder, out, store: runs.append(folder)))
    with TestClient(app) as client:
        yield client, keys


def sign_in(client: TestClient, reviewer: str = "张三") -> str:
    response = client.post("/signin", data={"token": TOKEN, "reviewer": reviewer}, follow_redirects=False)
    assert response.status_code == 303
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)


def task_keys(client: TestClient, key: str) -> list[str]:
    return re.findall(r'<article class="task [a-z]+" id="task-([^"]+)"', client.get(f"/documents/{key}").text)


def test_the_document_list_counts_tasks_by_status(site):
    client, _ = site
    page = client.get("/").text
    assert page.count('class="document-row"') == 2 and "澄应急发〔2027〕5号" in page
    assert re.search(r'<td class="count pending">\d+</td>', page)


def test_the_document_page_highlights_every_task_span(site):
    client, (key, _) = site
    page = client.get(f"/documents/{key}").text
    tasks = task_keys(client, key)
    assert tasks and all(f'id="span-{t}"' in page for t in tasks)
    assert "一、隐患排查" in page  # the outline


def test_document_text_is_escaped(site):
    client, (_, hostile) = site
    page = client.get(f"/documents/{hostile}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_writes_need_the_token_and_the_csrf_token(site):
    client, (key, _) = site
    task = task_keys(client, key)[0]
    assert client.post(f"/documents/{key}/tasks/{task}", data={"status": "accepted"}).status_code == 403
    assert client.post("/signin", data={"token": "wrong", "reviewer": "张三"}).status_code == 200  # asked again
    csrf = sign_in(client)
    assert client.post(f"/documents/{key}/tasks/{task}", data={"status": "accepted"},
                       headers={"X-CSRF-Token": "forged"}).status_code == 403
    accepted = client.post(f"/documents/{key}/tasks/{task}", data={"status": "accepted", "revision": 0},
                           headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 200 and 'class="task accepted"' in accepted.text


def test_a_stale_save_gets_a_conflict_and_changes_nothing(site):
    client, (key, _) = site
    csrf = sign_in(client)
    task = task_keys(client, key)[1]
    first = client.post(f"/documents/{key}/tasks/{task}", data={"status": "accepted", "revision": 0},
                        headers={"X-CSRF-Token": csrf})
    assert first.status_code == 200
    stale = client.post(f"/documents/{key}/tasks/{task}", data={"status": "rejected", "revision": 0},
                        headers={"X-CSRF-Token": csrf})
    assert stale.status_code == 409 and "张三 saved this task" in stale.text
    assert 'class="task accepted" id="task-' + task in client.get(f"/documents/{key}").text


def test_a_correction_shows_beside_the_extracted_value_and_in_the_department_view(site):
    client, (key, _) = site
    csrf = sign_in(client)
    task = task_keys(client, key)[1]
    corrected = client.post(f"/documents/{key}/tasks/{task}", headers={"X-CSRF-Token": csrf},
                            data={"status": "corrected", "revision": 0, "lead": "澄阳市气象局", "co": "市水务局、市财政局"})
    assert corrected.status_code == 200 and "澄阳市气象局" in corrected.text and "审核更正" in corrected.text
    view = client.get("/departments/澄阳市气象局").text
    assert view.count("<tr") == 2 and "牵头" in view


def test_uploads_are_type_checked_and_size_limited(site, monkeypatch):
    client, _ = site
    csrf = sign_in(client)
    wrong = client.post("/uploads", data={"csrf_token": csrf}, files={"files": ("run.exe", b"MZ", "application/octet-stream")})
    assert wrong.status_code == 415 and "policyflow reads" in wrong.text
    monkeypatch.setattr(review_app, "MAX_UPLOAD_BYTES", 10)
    big = client.post("/uploads", data={"csrf_token": csrf}, files={"files": ("plan.txt", PLAN.encode(), "text/plain")})
    assert big.status_code == 413
    assert client.post("/uploads", files={"files": ("plan.txt", b"x", "text/plain")}).status_code == 403
