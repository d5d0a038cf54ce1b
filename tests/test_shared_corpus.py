"""The shared gold corpus, read through the library (no Prefect) and scored by its scorer."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline import BatchOutput, document_record, obligation_records, process_source, scan_inputs

#: Bars per set: what the product must keep (a little under what it scores), so that no
#: format or family regresses silently. ``wide/`` holds forms of writing still being learnt
#: (issues 8 and 9): its bars sit under today's figures and rise as they are learnt.
_PERFECT = {"recall": 0.97, "lead_accuracy": 0.97, "co_f1": 0.95, "precision": 0.95, "metadata_accuracy": 0.90,
            "deadline_recall": 0.90, "deadline_accuracy": 0.85, "modality_recall": 0.95, "modality_accuracy": 0.85}
BARS = {
    "docs": _PERFECT,
    "pdf": _PERFECT,
    "docx": _PERFECT,
    "wide/docs": {"recall": 0.97, "lead_accuracy": 0.68, "co_f1": 0.82, "precision": 0.95, "metadata_accuracy": 0.86,
                  "deadline_recall": 0.60, "modality_recall": 0.95, "modality_accuracy": 0.90},
    "wide/pdf": {"recall": 0.97, "lead_accuracy": 0.59, "co_f1": 0.90, "precision": 0.95, "metadata_accuracy": 0.97,
                 "deadline_recall": 0.72, "modality_recall": 0.95, "modality_accuracy": 0.95},
    "wide/docx": {"recall": 0.97, "lead_accuracy": 0.59, "co_f1": 0.90, "precision": 0.95, "metadata_accuracy": 0.95,
                  "deadline_recall": 0.72, "modality_recall": 0.95, "modality_accuracy": 0.95},
}


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(BARS))
def test_shared_corpus_scores_above_the_bars(name, resources, shared_dir, tmp_path):
    docs = shared_dir / "corpus" / name
    if not docs.is_dir():
        pytest.skip(f"no shared corpus at {docs}")
    batch = BatchOutput()
    for source in scan_inputs([docs], resources.settings).sources:
        result = process_source(source, resources)
        batch.add(document_record(result), obligation_records(result))
    batch.write(tmp_path)

    scorer, gold = shared_dir / "tools" / "score.py", shared_dir / "corpus" / "gold"
    bars = [arg for metric, value in BARS[name].items() for arg in ("--min", f"{metric}={value}")]
    scored = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--output", str(tmp_path), *bars],
                            capture_output=True, text=True, timeout=300)
    report = scored.stdout + scored.stderr
    assert scored.returncode == 0, report

    schema_line = next(line for line in scored.stdout.splitlines() if line.startswith("schema:"))
    schema = json.loads(schema_line.removeprefix("schema:"))
    assert schema["documents"]["invalid"] == 0, report
    assert schema["obligations"]["invalid"] == 0, report
    assert schema["documents"]["records"] == len(batch.documents)
