"""Figures of the review workspace (issue 11's bar), measured in one run:

* the server time of the document page of the largest circular of ``../shared/corpus/docs``
  (the app in process, driven by Starlette's TestClient; min / median / max of ``--repeat``);
* the time from an upload (POST /uploads) to its records (the job reports done), for one
  circular, against a local Prefect API started beforehand (its start-up is not counted);
* the size of the XLSX, CSV and ICS ledgers exported for the whole of ``../shared/corpus/docs``.

Run from the project root:  .venv/bin/python benchmarks/review_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fastapi.testclient import TestClient  # noqa: E402

from flows.review.app import ReviewConfig, create_app  # noqa: E402
from pipeline import Source, load_resources, process_source  # noqa: E402
from pipeline.identity import extractor_version  # noqa: E402
from pipeline.ledger import ledger_rows  # noqa: E402
from pipeline.ledger_files import write_csv, write_ics, write_xlsx  # noqa: E402
from pipeline.store import Store  # noqa: E402

SHARED = (REPO.parent / "shared") if (REPO.parent / "shared").is_dir() else Path("/work/shared")


def fill(output: Path) -> tuple[str, int]:
    """Store every circular of the shared docs set; the key and length of the largest."""
    resources = load_resources()
    largest = ("", -1)
    with Store.open(None, output) as store:
        for path in sorted((SHARED / "corpus" / "docs").iterdir()):
            result = process_source(Source(path, path.name), resources)
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            saved = store.save(result, path.name, sha, extractor_version())
            size = len(result.document.text) if result.document else 0
            if size > largest[1]:
                largest = (saved.document_key, size)
    return largest


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp)
        key, size = fill(output)
        from flows.batch import batch_flow
        from flows.server import prefect_api

        with prefect_api():
            config = ReviewConfig(output=output, token="t", run_batch=lambda f, o, s: batch_flow(f, o, s, 0))
            with TestClient(create_app(config)) as client:
                client.get(f"/documents/{key}")  # warm-up: templates compiled
                times = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    page = client.get(f"/documents/{key}")
                    times.append(time.perf_counter() - started)
                    assert page.status_code == 200
                print(f"document page, largest circular ({size:,} chars)   median {statistics.median(times) * 1000:7.1f} ms"
                      f"  (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}; {len(page.text):,} bytes of HTML)")
                client.post("/signin", data={"token": "t", "reviewer": "bench"})
                csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
                sample = REPO / "corpus" / "sample-notice.txt"
                started = time.perf_counter()
                reply = client.post("/uploads", data={"csrf_token": csrf},
                                    files={"files": ("upload-notice.txt", sample.read_bytes(), "text/plain")})
                job = re.search(r'hx-get="/uploads/([0-9a-f]+)"', reply.text).group(1)
                while "正在抽取" in client.get(f"/uploads/{job}").text:
                    time.sleep(0.05)
                print(f"upload to records, one circular ({sample.name})     {time.perf_counter() - started:7.2f} s"
                      f"  (the batch flow against a running local Prefect API)")
        with Store.open(None, output) as store:
            rows = ledger_rows(store)
            for name, writer in (("ledger.xlsx", write_xlsx), ("ledger.csv", write_csv), ("deadlines.ics", write_ics)):
                count = writer(rows, output / name)
                print(f"{name:14} for ../shared/corpus/docs   {(output / name).stat().st_size:9,} bytes  ({count} rows/events)")


if __name__ == "__main__":
    main()
