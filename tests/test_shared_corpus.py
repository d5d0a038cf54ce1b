"""The shared gold corpus, read through the library (no Prefect) and scored by its scorer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline import collect_sources, document_record, obligation_records, process_source, write_jsonl_atomic

BARS = {
    "recall": 0.97,
    "lead_accuracy": 0.97,
    "co_f1": 0.95,
    "precision": 0.95,
    "metadata_accuracy": 0.90,
    "deadline_recall": 0.90,
    "deadline_accuracy": 0.85,
    "modality_recall": 0.95,
    "modality_accuracy": 0.85,
}


@pytest.mark.corpus
def test_shared_corpus_scores_above_the_bars(resources, shared_dir, tmp_path):
    docs = shared_dir / "corpus" / "docs"
    if not docs.is_dir():
        pytest.skip(f"no shared corpus at {docs}")
    documents, obligations = [], []
    for source in collect_sources([docs], resources.settings):
        result = process_source(source, resources)
        documents.append(document_record(result))
        obligations += obligation_records(result)
    write_jsonl_atomic(tmp_path / "documents.jsonl", documents)
    write_jsonl_atomic(tmp_path / "obligations.jsonl", obligations)

    scorer, gold = shared_dir / "tools" / "score.py", shared_dir / "corpus" / "gold"
    bars = [arg for name, value in BARS.items() for arg in ("--min", f"{name}={value}")]
    scored = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--output", str(tmp_path), *bars],
                            capture_output=True, text=True, timeout=300)
    report = scored.stdout + scored.stderr
    assert scored.returncode == 0, report

    schema_line = next(line for line in scored.stdout.splitlines() if line.startswith("schema:"))
    schema = json.loads(schema_line.removeprefix("schema:"))
    assert schema["documents"]["invalid"] == 0, report
    assert schema["obligations"]["invalid"] == 0, report
    assert schema["documents"]["records"] == len(documents)
