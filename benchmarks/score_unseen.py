"""Score the library over a folder of synthetic circulars (tests/unseen, tests/heldout).

usage: .venv/bin/python benchmarks/score_unseen.py [OUTROOT] [--root DIR] [--set docs|docx|pdf ...] [--detail]

Runs the library over ROOT/docs, ROOT/docx and ROOT/pdf (or the sets named with --set; ROOT is
tests/unseen unless --root names another folder of the same layout, e.g. tests/heldout), writes each
run with pipeline.BatchOutput into OUTROOT/<set> (a fresh temporary folder when OUTROOT is not given)
and scores it with the shared scorer against ROOT/gold. Prints one summary line per set; with
--detail also every per-document miss.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = REPO / "tests" / "unseen"
SETS = ("docs", "docx", "pdf")


def shared_scorer() -> Path:
    """The shared scorer: ../shared beside the repository (a fresh clone), else the workspace copy."""
    beside = REPO.parent / "shared" / "tools" / "score.py"
    return beside if beside.is_file() else Path("/work/shared/tools/score.py")


SCORER = shared_scorer()

sys.path.insert(0, str(REPO))
from pipeline import BatchOutput, document_record, load_resources, obligation_records, process_source, scan_inputs  # noqa: E402


def fixture_root(root: Path) -> Path:
    """--root as given when absolute; a relative one is read from the repository, else from the cwd."""
    if root.is_absolute():
        return root
    return (REPO / root) if (REPO / root).is_dir() else root.resolve()


def run_set(folder: Path, out: Path, resources) -> None:
    """Extract every file of one set folder and write documents.jsonl / obligations.jsonl into out."""
    batch = BatchOutput()
    for source in scan_inputs([folder], resources.settings).sources:
        result = process_source(source, resources)
        batch.add(document_record(result), obligation_records(result))
    batch.write(out)


def score(gold: Path, out: Path, detail: bool) -> tuple[str, list[str]]:
    """The scorer's summary line for one run and, when asked, its per-document misses."""
    cmd = [sys.executable, str(SCORER), "--gold", str(gold), "--output", str(out)]
    text = subprocess.run(cmd, capture_output=True, text=True).stdout
    summary = ([line for line in text.strip().splitlines() if "recall=" in line] or ["(no summary)"])[-1]
    misses: list[str] = []
    if detail:
        raw = subprocess.run([*cmd, "--json"], capture_output=True, text=True).stdout
        data = json.JSONDecoder().raw_decode(raw)[0]
        for doc, problems in data.get("per_doc", {}).items():
            misses += [f"{doc} {p[:220]}" for p in problems]
        schema = data.get("schema", {})
        misses += [f"schema {k}: {v}" for k, v in schema.items()
                   if isinstance(v, dict) and v.get("invalid")]
    return summary, misses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outroot", nargs="?", type=Path, help="folder for the runs (default: a temporary folder)")
    ap.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                    help="folder with docs/, docx/, pdf/ and gold/ (default: tests/unseen; relative to the repository)")
    ap.add_argument("--set", action="append", choices=SETS, dest="sets", help="score only this set (repeatable)")
    ap.add_argument("--detail", action="store_true", help="print every per-document miss")
    args = ap.parse_args()
    fixtures = fixture_root(args.root)
    outroot = args.outroot or Path(tempfile.mkdtemp(prefix=f"score-{fixtures.name}-"))
    resources = load_resources()
    for name in args.sets or SETS:
        if not (fixtures / name).is_dir():
            continue  # a fixture folder may lack a rendition set
        out = outroot / name
        run_set(fixtures / name, out, resources)
        summary, misses = score(fixtures / "gold", out, args.detail)
        print(f"{fixtures.name}/{name} | {summary}", flush=True)
        for miss in misses:
            print("   ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
