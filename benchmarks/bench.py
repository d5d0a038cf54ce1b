"""Benchmark the policyflow library (no Prefect) over every file of a folder.

Measures, for the files that ``pipeline.collect_sources`` finds in FOLDER:

* resource loading (``pipeline.load_resources``), paid once per process;
* load (``loaders.load_bytes``: bytes to Document), structure+segment (``structure.analyse``
  and ``segment.segment``) and extract (``extract.extract``), with documents/s and characters/s
  of normalised text; file bytes are read beforehand, outside the timing;
* a "bare read" of the same files: read from disk and parsed to text, nothing more
  (decode for .txt/.md, selectolax ``LexborHTMLParser(...).text()`` for HTML, pdfplumber's
  ``page.extract_text()`` for PDF, python-docx paragraph and cell text for DOCX), and total/bare;
* pages per second for paged formats (PDF pages; DOCX pages as Word recorded them in
  docProps/app.xml), beside the bare read's pages per second;
* peak memory: tracemalloc peak of one extra, untimed run, and the process's ru_maxrss.

One document is run through first to warm up (regular-expression caches). Each
figure comes from the run (of --repeat) with the lowest total time. Files that fail to load
are counted and listed, and left out of the timed runs.

Run from the project root:  .venv/bin/python benchmarks/bench.py FOLDER [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import re
import resource
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pdfplumber
from selectolax.lexbor import LexborHTMLParser

from pipeline import Document, DocumentError, Resources, Settings, collect_sources, load_resources
from pipeline.extract import extract
from pipeline.loaders import format_for, load_bytes
from pipeline.segment import segment
from pipeline.structure import analyse

PHASES = ("load", "structure+segment", "extract")


def run_once(inputs: list[tuple[str, bytes]], resources: Resources) -> dict[str, float]:
    """Seconds spent in each phase over all ``inputs``, one document after the other."""
    spent = dict.fromkeys(PHASES, 0.0)
    for name, data in inputs:
        t0 = time.perf_counter()
        document = load_bytes(data, name, resources.settings)
        t1 = time.perf_counter()
        analyse(document, resources.cues)
        segment(document, resources)
        t2 = time.perf_counter()
        extract(document, resources)
        t3 = time.perf_counter()
        spent["load"] += t1 - t0
        spent["structure+segment"] += t2 - t1
        spent["extract"] += t3 - t2
    return spent


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB18030: the encodings the corpus uses, without the library's checks."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def bare_text(path: Path) -> str:
    """The file's text by the plainest call of the library its loader uses."""
    data = path.read_bytes()
    fmt = format_for(path.name)
    if fmt == "html":
        return LexborHTMLParser(decode(data)).text()
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    if fmt == "docx":
        word = docx.Document(io.BytesIO(data))
        cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in word.paragraphs] + cells)
    return decode(data)


def bare_read(paths: list[Path]) -> float:
    """Seconds to read ``paths`` from disk and turn each into text, nothing more."""
    t0 = time.perf_counter()
    for path in paths:
        bare_text(path)
    return time.perf_counter() - t0


def page_count(document: Document, data: bytes) -> int:
    """Pages of a paged document: PDF pages, or the count Word saved in a DOCX; 0 otherwise."""
    if document.format == "pdf":
        return max((b.page or 0 for b in document.blocks), default=0)
    if document.format == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                found = re.search(rb"<Pages>(\d+)</Pages>", package.read("docProps/app.xml"))
            return int(found.group(1)) if found else 0
        except (KeyError, zipfile.BadZipFile):
            return 0
    return 0


def max_rss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 2**20 if sys.platform == "darwin" else rss / 2**10  # bytes on macOS, KiB on Linux


def show(label: str, value: str, detail: str = "") -> None:
    print(f"{label:<28}{value:>14}  {detail}".rstrip())


def rates(seconds: float, docs: int, chars: int) -> str:
    if seconds <= 0:
        return ""
    return f"{docs / seconds:10.1f} docs/s {chars / seconds:14,.0f} chars/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs; the best is kept (default 3)")
    args = parser.parse_args(argv)
    if not args.folder.is_dir() or args.repeat < 1:
        parser.error("FOLDER must be a folder and --repeat at least 1")

    settings = Settings()
    t0 = time.perf_counter()
    resources = load_resources(settings)
    resource_seconds = time.perf_counter() - t0

    inputs: list[tuple[str, bytes]] = []
    paths: list[Path] = []
    documents: list[Document] = []
    failures: list[str] = []
    for source in collect_sources([args.folder], settings):
        try:
            data = source.path.read_bytes()
            documents.append(load_bytes(data, source.source_file, settings))
        except (OSError, DocumentError) as exc:  # a DocumentError's message names the file
            failures.append(str(exc) if isinstance(exc, DocumentError) else f"{source.source_file}: {exc}")
            continue
        inputs.append((source.source_file, data))
        paths.append(source.path)
    if not inputs:
        print(f"no document of {args.folder} could be loaded ({len(failures)} failed)", file=sys.stderr)
        return 1
    docs, chars, byte_count = len(inputs), sum(len(d.text) for d in documents), sum(len(b) for _, b in inputs)
    pages = sum(page_count(d, b) for d, (_, b) in zip(documents, inputs, strict=True))
    del documents

    t0 = time.perf_counter()
    run_once(inputs[:1], resources)  # warm-up: compiles the cue patterns on first use
    warmup_seconds = time.perf_counter() - t0

    runs = [run_once(inputs, resources) for _ in range(args.repeat)]
    best = min(runs, key=lambda spent: sum(spent.values()))
    total = sum(best.values())
    bare = min(bare_read(paths) for _ in range(args.repeat))

    tracemalloc.start()
    run_once(inputs, resources)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    show("folder", str(args.folder), f"best of {args.repeat} runs")
    show("documents", f"{docs:,}", f"({len(failures)} failed to load)" if failures else "")
    for failure in failures:
        print(f"  failed: {failure}")
    show("normalised text", f"{chars:,}", "characters")
    show("input", f"{byte_count:,}", "bytes")
    show("load_resources", f"{resource_seconds:.3f} s", "once per process")
    show("warm-up (1 document)", f"{warmup_seconds:.3f} s", "first use of the cue patterns")
    for phase in PHASES:
        show(phase, f"{best[phase]:.4f} s", rates(best[phase], docs, chars))
    show("total", f"{total:.4f} s", rates(total, docs, chars))
    show("bare read", f"{bare:.4f} s", rates(bare, docs, chars))
    show("total / bare", f"{total / bare:.1f} x" if bare > 0 else "n/a")
    if pages:
        show("pages", f"{pages:,}", f"{pages / total:,.1f} pages/s; bare read {pages / bare:,.1f} pages/s")
    show("tracemalloc peak", f"{peak / 2**20:.1f} MiB", "one untimed run")
    show("ru_maxrss", f"{max_rss_mib():.1f} MiB", "whole process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
