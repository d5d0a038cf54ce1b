"""PDF pages per second: the two bare text reads, the PDF loader, and the library end to end.

Measures, in one run over the PDFs of the given folders (default: the shared corpus's
``pdf`` and ``wide/pdf``, beside the project), pages per second of

* ``pdfplumber``: pdfplumber's bare ``page.extract_text()`` of every page;
* ``pypdfium2``: pypdfium2's bare ``PdfTextPage.get_text_range()`` of every page;
* ``loader``: ``pipeline.loaders.pdf.load_pdf`` (bytes to `Document`: characters, lines,
  tables, furniture, paragraphs, repairs, and pdfminer's check of every page);
* ``end to end``: ``pipeline.extract_bytes`` (load, structure, segment, extract).

File bytes are read beforehand, outside the timing; one document goes through the library
first (its resources and caches are built on first use). Each measurement runs ``--repeat``
times, the four taking turns so that a busy machine slows all of them alike; min, median
and max over the runs of wall-clock pages/s are printed side by side, with the median of
pages per second of the process's CPU time (on a shared machine, the wall clock also counts
the time other processes held the cores), and the end-to-end median against the bar of
100 pages/s (issue 8).

Run from the project root:  .venv/bin/python benchmarks/pdf_speed.py [FOLDER ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium

from pipeline import load_resources
from pipeline.api import extract_bytes
from pipeline.loaders.pdf import load_pdf

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = (ROOT.parent / "shared" / "corpus" / "pdf", ROOT.parent / "shared" / "corpus" / "wide" / "pdf")
#: The end-to-end bar of issue 8, in pages per second.
BAR = 100.0

Inputs = list[tuple[str, bytes]]


def plumber_bare(inputs: Inputs) -> None:
    for _name, data in inputs:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()


def pdfium_bare(inputs: Inputs) -> None:
    for _name, data in inputs:
        pdf = pdfium.PdfDocument(data)
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
        finally:
            pdf.close()


def loader_only(inputs: Inputs) -> None:
    for name, data in inputs:
        load_pdf(data, name)


def page_count(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def seconds(run: Callable[[Inputs], None], inputs: Inputs) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run."""
    t0, c0 = time.perf_counter(), time.process_time()
    run(inputs)
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}")
    paths = sorted(p for folder in args.folders for p in folder.iterdir() if p.suffix.lower() == ".pdf")
    if not paths:
        print("no PDF in the given folders", file=sys.stderr)
        return 1
    inputs = [(p.name, p.read_bytes()) for p in paths]
    pages = sum(page_count(data) for _name, data in inputs)

    resources = load_resources()

    def end_to_end(batch: Inputs) -> None:
        for name, data in batch:
            extract_bytes(data, name, resources)

    end_to_end(inputs[:1])  # warm-up: builds the spaCy pipeline, fills jieba's caches
    runs: dict[str, Callable[[Inputs], None]] = {
        "pdfplumber extract_text()": plumber_bare,
        "pypdfium2 get_text_range()": pdfium_bare,
        "loader (load_pdf)": loader_only,
        "end to end (extract_bytes)": end_to_end,
    }
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    for _ in range(args.repeat):
        for label, run in runs.items():
            times[label].append(seconds(run, inputs))

    print(f"{len(inputs)} PDFs, {pages} pages, from {', '.join(str(f) for f in args.folders)}; {args.repeat} runs each")
    print(f"{'pages/s':28}{'min':>10}{'median':>10}{'max':>10}{'cpu':>10}")
    for label, spent in times.items():
        rates = sorted(pages / wall for wall, _cpu in spent)
        cpu = statistics.median(pages / max(cpu, 1e-9) for _wall, cpu in spent)
        print(f"{label:28}{rates[0]:10.1f}{statistics.median(rates):10.1f}{rates[-1]:10.1f}{cpu:10.1f}")
    median = statistics.median(pages / wall for wall, _cpu in times["end to end (extract_bytes)"])
    verdict = "meets" if median >= BAR else "below"
    print(f"end to end: {median:.1f} pages/s (median), {verdict} the bar of {BAR:.0f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
