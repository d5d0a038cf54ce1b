"""What orchestration costs: the batch flow beside the library, measured in one run (issue 10).

Over an inbox of at least 200 distinct circulars (the shared corpus's ``docs`` and
``wide/docs`` text renditions, each also in variants whose bytes differ by a trailing line):

* library only: `process_source` over every file, one thread;
* library and store: the same, each result saved to a fresh SQLite store (no Prefect);
* the batch flow with the embedded default (threads, ``--workers`` of them) against a local
  Prefect API, and on a Dask ``LocalCluster`` of one and of two worker processes;
* Prefect's fixed cost, split: starting the local API, and a flow run over an empty inbox;
  its per-document cost: (batch − fixed run − library and store at the same parallelism) / N;
* a re-scan of an unchanged inbox of 1,000 files (size and time first, hashing only what
  changed), and the whole batch run over it.

Every figure is printed beside its anchor. Run from the project root:
    .venv/bin/python benchmarks/batch_speed.py [--copies 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from pipeline import Settings, Source, load_resources, process_source  # noqa: E402
from pipeline.identity import extractor_version  # noqa: E402
from pipeline.inbox import plan_inbox, scan_inbox  # noqa: E402
from pipeline.store import Store  # noqa: E402

SHARED = (REPO.parent / "shared") if (REPO.parent / "shared").is_dir() else Path("/work/shared")


def make_inbox(folder: Path, copies: int) -> list[Path]:
    """The shared text renditions, ``copies`` times, each copy's bytes made distinct."""
    folder.mkdir(parents=True)
    sources = [p for d in ("docs", "wide/docs") for p in sorted((SHARED / "corpus" / d).iterdir()) if p.is_file()]
    made = []
    for n in range(copies):
        for path in sources:
            target = folder / f"{n}-{path.name}"
            data = path.read_bytes()
            target.write_bytes(data if n == 0 else data + (f"\n<!-- {n} -->\n" if path.suffix in (".html", ".htm")
                                                           else f"\n\n（{n}）\n").encode("utf-8"))
            made.append(target)
    return made


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def line(name: str, seconds: float, note: str = "") -> None:
    print(f"{name:46} {seconds:8.2f} s  {note}")


def library_and_store(files: list[Path], store_dir: Path | None) -> None:
    resources = load_resources()
    store = Store.open(f"sqlite:///{store_dir / 'store.db'}") if store_dir else None
    version = extractor_version()
    import hashlib

    for path in files:
        result = process_source(Source(path, path.name), resources)
        if store is not None:
            store.save(result, path.name, hashlib.sha256(path.read_bytes()).hexdigest(), version,
                       (path.stat().st_size, path.stat().st_mtime_ns))
    if store is not None:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="policyflow-batch-speed-"))
    try:
        inbox = work / "inbox"
        files = make_inbox(inbox, args.copies)
        n = len(files)
        print(f"inbox: {n} distinct circulars ({sum(f.stat().st_size for f in files):,} bytes)")
        library_and_store(files[:5], None)  # warm-up: resources, cue patterns
        lib = timed(lambda: library_and_store(files, None))
        line("library only (1 thread)", lib, f"{lib / n * 1000:.1f} ms per document")
        (work / "s1").mkdir()
        libstore = timed(lambda: library_and_store(files, work / "s1"))
        line("library and store (1 thread, SQLite)", libstore, f"{libstore / n * 1000:.1f} ms per document")

        from flows.batch import batch_flow, store_for
        from flows.server import prefect_api

        started = time.perf_counter()
        with prefect_api():
            api_start = time.perf_counter() - started
            line("fixed: start the local Prefect API", api_start)
            (work / "empty").mkdir()
            empty = timed(lambda: batch_flow(str(work / "empty"), str(work / "o0"), None, 0))
            line("fixed: a flow run over an empty inbox", empty)
            settings = Settings(workers=1)
            from prefect.task_runners import ThreadPoolTaskRunner

            one = batch_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))  # type: ignore[arg-type]
            t1 = timed(lambda: one(str(inbox), str(work / "o1"), None, 0, settings))
            per_doc = (t1 - empty - libstore) / n
            line("batch, embedded default, 1 thread", t1,
                 f"per-document orchestration {per_doc * 1000:.2f} ms = {per_doc / (libstore / n) * 100:.1f} % "
                 f"of library and store per document (anchor ≤ 10 %)")
            with Store.open(None, work / "o1") as store:
                export = timed(lambda: store.export(work / "o1"))
            line("  of which: the exports rewritten from the store", export, f"{export / n * 1000:.2f} ms per document")
            threads = batch_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=args.workers))  # type: ignore[arg-type]
            tn = timed(lambda: threads(str(inbox), str(work / "o2"), None, 0, Settings(workers=args.workers)))
            line(f"batch, embedded default, {args.workers} threads", tn, f"{n / tn:.1f} documents/s")
            for workers in (1, 2):
                from prefect_dask.task_runners import DaskTaskRunner

                runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                                        "processes": True, "dashboard_address": None})
                dask_flow = batch_flow.with_options(task_runner=runner)  # type: ignore[arg-type]
                store_for.cache_clear()
                td = timed(lambda f=dask_flow, w=workers: f(str(inbox), str(work / f"od{w}"), None, 0, Settings()))
                line(f"batch on Dask, {workers} worker process{'es' if workers > 1 else ''}", td,
                     f"{n / td:.1f} documents/s (cluster start included)")

            # an unchanged inbox of 1,000 files: size and time first, hashing only what changed
            big = work / "inbox1000"
            big.mkdir()
            sample = (REPO / "corpus" / "sample-notice.txt").read_text(encoding="utf-8")
            for i in range(1000):
                (big / f"n{i:04d}.txt").write_text(sample.replace("2025", str(2025 + i % 5)) + f"\n（{i}）\n",
                                                  encoding="utf-8")
            store_for.cache_clear()
            first = timed(lambda: batch_flow(str(big), str(work / "o1000"), None, 0))
            line("batch over 1,000 new files (first run)", first)
            with Store.open(None, work / "o1000") as store:
                def rescan() -> None:
                    known = store.path_states()
                    plan = plan_inbox(scan_inbox(big, 1.0, known), store, extractor_version(), known)
                    assert all(p.action == "seen" for p in plan) and len(plan) == 1000
                scan = timed(rescan)
            line("re-scan of the unchanged 1,000-file inbox", scan, "(anchor < 2 s; no file hashed, no settle wait)")
            again = timed(lambda: batch_flow(str(big), str(work / "o1000"), None, 1.0))
            line("batch run over it again (nothing new: exports kept)", again)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
