"""Golden files: the records of each bundled sample, one per input format.

The expected JSON lives in tests/golden/. When a change alters the output on purpose,
regenerate with ``POLICYFLOW_REGENERATE_GOLDEN=1 pytest tests/test_golden.py`` and review
the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pipeline import document_record, extract_file, obligation_records

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLES = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_file())


def summary(path: Path, resources: Any) -> dict[str, Any]:
    result = extract_file(path, resources, source_file=path.name)
    document = document_record(result)
    return {
        "document": {k: document[k] for k in ("status", "doc_number", "title", "issuer", "date", "addressees",
                                              "task_count")},
        "records": [
            {
                "section_path": r["section_path"],
                "title": r["title"],
                "assignment_text": r["assignment_text"],
                "lead": r["lead_department"]["name"] if r["lead_department"] else None,
                "co": [d["name"] for d in r["co_departments"]],
                "open_ended": r["open_ended"],
                "deadlines": [[d["text"], d["date"], d["rrule"]] for d in r["deadlines"]],
                "modalities": [o["modality"] for o in r["obligations"]],
                "references": r["references"],
            }
            for r in obligation_records(result)
        ],
    }


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_golden_records_of_bundled_samples(sample, resources):
    got = summary(sample, resources)
    golden = GOLDEN / f"{sample.name}.json"
    if os.environ.get("POLICYFLOW_REGENERATE_GOLDEN"):
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.is_file(), f"no golden file for {sample.name}: run with POLICYFLOW_REGENERATE_GOLDEN=1"
    assert got == json.loads(golden.read_text(encoding="utf-8"))
