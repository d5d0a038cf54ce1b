"""Benchmark the policyflow library (no Prefect) over every file of a folder.

Measures, for the files that ``pipeline.collect_sources`` finds in FOLDER:

* resource loading (``pipeline.load_resources``), paid once per process;
* load (``loaders.load_bytes``: bytes to Document), structure+segment (``structure.analyse``
  and ``segment.segment``) and extract (``extract.extract``), with documents/s and characters/s
  of normalised text; file bytes are read beforehand, outside the timing;
* a "bare read" of the same files: read from disk and parsed to text, nothing more
  (decode for .txt/.md, selectolax ``LexborHTMLParser(...).text()`` for HTML), and total/bare;
* peak memory: tracemalloc peak of one extra, untimed run, and the process's ru_maxrss.

One document is run through first to warm up (spaCy pipeline build, jieba caches). Each
figure comes from the run (of --repeat) with the lowest total time. Files that fail to load
are counted and listed, and left out of the timed runs.

Run from the project root:  .venv/bin/python benchmarks/bench.py FOLDER [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

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
        document = load_bytes(data, name)
        t1 = time.perf_counter()
        analyse(document)
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


def bare_read(paths: list[Path]) -> float:
    """Seconds to read ``paths`` from disk and turn each into text, nothing more."""
    t0 = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        _ = LexborHTMLParser(decode(data)).text() if format_for(path.name) == "html" else decode(data)
    return time.perf_counter() - t0


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
            documents.append(load_bytes(data, source.source_file))
        except (OSError, DocumentError) as exc:  # a DocumentError's message names the file
            failures.append(str(exc) if isinstance(exc, DocumentError) else f"{source.source_file}: {exc}")
            continue
        inputs.append((source.source_file, data))
        paths.append(source.path)
    if not inputs:
        print(f"no document of {args.folder} could be loaded ({len(failures)} failed)", file=sys.stderr)
        return 1
    docs, chars, byte_count = len(inputs), sum(len(d.text) for d in documents), sum(len(b) for _, b in inputs)
    del documents

    t0 = time.perf_counter()
    run_once(inputs[:1], resources)  # warm-up: builds the spaCy pipeline, fills jieba's caches
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
    show("warm-up (1 document)", f"{warmup_seconds:.3f} s", "first use of the spaCy pipeline")
    for phase in PHASES:
        show(phase, f"{best[phase]:.4f} s", rates(best[phase], docs, chars))
    show("total", f"{total:.4f} s", rates(total, docs, chars))
    show("bare read", f"{bare:.4f} s", rates(bare, docs, chars))
    show("total / bare", f"{total / bare:.1f} x" if bare > 0 else "n/a")
    show("tracemalloc peak", f"{peak / 2**20:.1f} MiB", "one untimed run")
    show("ru_maxrss", f"{max_rss_mib():.1f} MiB", "whole process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
