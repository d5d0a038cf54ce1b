"""The shared gold corpus, read through the library (no Prefect) and scored by its scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import BatchOutput, document_record, obligation_records, process_source, scan_inputs

#: Bars per set: what the product must keep, so that no format or family regresses silently.
#: ``docs``, ``pdf`` and ``docx`` stay perfect; the ``wide`` sets and the project's own
#: circulars of other families (``tests/unseen``, ``tests/heldout``) hold the bars of issues 8
#: and 9, a little under what they score.
_PERFECT = dict.fromkeys(("recall", "lead_accuracy", "co_f1", "precision", "metadata_accuracy", "deadline_recall",
                          "deadline_accuracy", "modality_recall", "modality_accuracy"), 1.0)
_WIDE = {"recall": 0.97, "lead_accuracy": 0.97, "co_f1": 0.95, "precision": 0.98, "metadata_accuracy": 0.97,
         "deadline_recall": 0.93, "deadline_accuracy": 0.90, "modality_recall": 0.95, "modality_accuracy": 0.92}
_WIDE_TYPESET = {**_WIDE, "metadata_accuracy": 0.95}
BARS = {
    "docs": _PERFECT,
    "pdf": _PERFECT,
    "docx": _PERFECT,
    "wide/docs": _WIDE,
    "wide/pdf": _WIDE_TYPESET,
    "wide/docx": _WIDE_TYPESET,
}
#: The project's own fixtures: (folder under tests/, set) → bars. Deadline and modality bars
#: sit lower on ``heldout``, whose farming, school and flood calendars are still being learnt.
_OWN = {"recall": 0.97, "lead_accuracy": 0.95, "co_f1": 0.95, "precision": 0.98, "metadata_accuracy": 0.95,
        "deadline_recall": 0.85, "deadline_accuracy": 0.80, "modality_recall": 0.90, "modality_accuracy": 0.85}
#: the blind sets are here once their misses were read as forms: they must not slip back
OWN_BARS = {(root, name): _OWN if root != "heldout" else {**_OWN, "deadline_recall": 0.80, "deadline_accuracy": 0.75}
            for root in ("unseen", "heldout", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8",
                         "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20", "blind21", "blind22", "blind23", "blind24", "blind26", "blind27", "blind28", "blind29", "blind30", "blind31", "blind32", "blind33", "blind35")
            for name in ("docs", "docx", "pdf")}
TESTS = Path(__file__).resolve().parent


def _score(sources: Path, gold: Path, bars: dict[str, float], resources, shared_dir: Path, out: Path) -> None:
    batch = BatchOutput()
    for source in scan_inputs([sources], resources.settings).sources:
        result = process_source(source, resources)
        batch.add(document_record(result), obligation_records(result))
    batch.write(out)
    scorer = shared_dir / "tools" / "score.py"
    args = [arg for metric, value in bars.items() for arg in ("--min", f"{metric}={value}")]
    scored = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--output", str(out), *args],
                            capture_output=True, text=True, timeout=300)
    report = scored.stdout + scored.stderr
    assert scored.returncode == 0, report
    schema_line = next(line for line in scored.stdout.splitlines() if line.startswith("schema:"))
    schema = json.loads(schema_line.removeprefix("schema:"))
    assert schema["documents"]["invalid"] == 0, report
    assert schema["obligations"]["invalid"] == 0, report
    assert schema["documents"]["records"] == len(batch.documents)


@pytest.mark.corpus
@pytest.mark.parametrize("name", list(BARS))
def test_shared_corpus_scores_above_the_bars(name, resources, shared_dir, tmp_path):
    docs = shared_dir / "corpus" / name
    if not docs.is_dir():
        pytest.skip(f"no shared corpus at {docs}")
    _score(docs, shared_dir / "corpus" / "gold", BARS[name], resources, shared_dir, tmp_path)


@pytest.mark.corpus
@pytest.mark.parametrize("root, name", list(OWN_BARS))
def test_own_circulars_of_other_families_score_above_the_bars(root, name, resources, shared_dir, tmp_path):
    if not (shared_dir / "tools" / "score.py").is_file():
        pytest.skip(f"no shared scorer in {shared_dir}")
    folder, gold = TESTS / root / name, TESTS / root / "gold"
    bars = OWN_BARS[(root, name)]
    if not any((gold / "modality" / f"{p.stem}.json").is_file() for p in folder.iterdir()):
        bars = {k: v for k, v in bars.items() if not k.startswith("modality")}  # no clause labelled here
    _score(folder, gold, bars, resources, shared_dir, tmp_path)
