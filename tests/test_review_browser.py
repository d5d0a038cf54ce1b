"""The review page in a real browser (issue 11): Playwright drives Debian's Chromium headless
(``/usr/bin/chromium``; nothing downloads a browser). One walk through a reviewer's day: sign
in, upload a circular, open it, accept a task, correct a lead, reject one, add a missed task
by selecting its text, see the department view, export the XLSX and read its cells, and a
second reviewer's stale save refused.

Screenshots of the document page, the department view and the ledger go to
``$POLICYFLOW_SCREENSHOTS`` when it is set (the README's come from there).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
playwright_sync = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
TOKEN = "browser-token"
PLAN = (Path(__file__).parent / "test_store.py").read_text(encoding="utf-8").split('PLAN = """', 1)[1].split('"""', 1)[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, prefect_test_harness):
    """The review app on a free local port, uploads running the batch flow."""
    import uvicorn

    from flows.batch import batch_flow
    from flows.review.app import ReviewConfig, create_app

    config = ReviewConfig(output=tmp_path / "out", token=TOKEN,
                          run_batch=lambda folder, out, store: batch_flow(folder, out, store, 0))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def sign_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/signin")
    page.fill("#token", TOKEN)
    page.fill("#reviewer-name", name)
    page.click("#signin")
    page.wait_for_url(f"{base}/")


def task(page, n: int):
    return page.locator("article.task").nth(n)


def test_a_reviewers_day_in_the_browser(served, tmp_path):
    import openpyxl

    shots = Path(os.environ.get("POLICYFLOW_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    upload = tmp_path / "汛期安全工作方案.txt"
    upload.write_text(PLAN, encoding="utf-8")
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            first = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1500, "height": 1000})
            page = first.new_page()
            sign_in(page, served, "张三")

            # upload a circular: the on-demand flow runs, the document page opens from the result
            page.set_input_files("#upload-files", str(upload))
            page.click("#upload")
            page.wait_for_url("**/documents/*", timeout=120_000)  # opens by itself when its records are ready
            page.wait_for_selector("article.task")
            assert page.locator("#source-text .span").count() == page.locator("article.task").count()

            # accept, correct a lead, reject
            task(page, 0).locator("button.accept").click()
            page.wait_for_selector("article.task.accepted")
            second = task(page, 1)
            second.locator("summary").click()
            second.locator("input[name=lead]").fill("澄阳市气象局")
            second.locator("button.save").click()
            page.wait_for_selector("article.task.corrected >> text=澄阳市气象局")
            task(page, 2).locator("button.reject").click()
            page.wait_for_selector("article.task.rejected")

            # add a missed task by selecting its text in the source
            page.evaluate("""() => {
                const pre = document.getElementById('source-text');
                const node = pre.querySelector('span:not(.span)').firstChild;
                const range = document.createRange();
                range.setStart(node, 0); range.setEnd(node, Math.min(12, node.length));
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            }""")
            assert page.input_value("#add-end") != ""
            page.fill("#add-lead", "澄阳市气象局")
            page.click("#add-submit")
            page.wait_for_selector("article.task >> text=审核时补充")
            page.screenshot(path=str(shots / "document.png"), full_page=False)

            # the department view: the corrected task and the added one
            page.goto(f"{served}/departments/澄阳市气象局")
            assert page.locator("table.ledger tbody tr").count() == 2
            page.screenshot(path=str(shots / "department.png"))

            # the ledger: one sheet per department, its header, the corrected lead
            page.goto(f"{served}/")
            with page.expect_download() as download:
                page.click("#export-xlsx")
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            book = openpyxl.load_workbook(saved)
            assert "澄阳市气象局" in book.sheetnames
            sheet = book["澄阳市气象局"]
            assert [c.value for c in sheet[1]][:3] == ["序号", "任务", "牵头/配合"]
            assert sheet.freeze_panes == "A2"

            # a second reviewer loaded the page before the first saved: the stale save is refused
            other = browser.new_context(locale="zh-CN").new_page()
            sign_in(other, served, "李四")
            document_url = f"{served}/documents/" + saved_document_key(page, served)
            page.goto(document_url)
            other.goto(document_url)
            task(page, 3).locator("button.accept").click()
            page.wait_for_selector(f"#{task(page, 3).get_attribute('id')}.accepted")
            task(other, 3).locator("button.reject").click()
            other.wait_for_selector("text=张三 saved this task")
        finally:
            browser.close()
    if os.environ.get("POLICYFLOW_SCREENSHOTS"):
        shutil.copy(saved, shots / "ledger.xlsx")


def saved_document_key(page, base: str) -> str:
    page.goto(f"{base}/")
    href = page.locator("tr.document-row a").first.get_attribute("href")
    return href.rsplit("/", 1)[1]
