"""The batch extraction flow: files and folders in, documents.jsonl and obligations.jsonl out.

Each Prefect task extracts a chunk of documents (a task costs about a second of
orchestration, so one task per document would dominate small files). Resources load once
per process and are shared by the worker threads.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline import (
    Resources,
    Settings,
    Source,
    collect_sources,
    document_record,
    load_resources,
    obligation_records,
    process_source,
    write_jsonl_atomic,
)


@dataclass
class BatchSummary:
    documents: int
    ok: int
    failed: int
    tasks: int
    records: int
    output: Path

    def line(self) -> str:
        return (f"{self.documents} documents ({self.ok} ok, {self.failed} not ok), {self.tasks} assigned tasks, "
                f"{self.records} records → {self.output}")


@functools.lru_cache(maxsize=4)
def _resources(settings: Settings) -> Resources:
    return load_resources(settings)


ProgressFn = Callable[[int, int, dict[str, Any]], None]


def _stderr_progress(done: int, total: int, doc: dict[str, Any]) -> None:
    status = doc["status"] if doc["status"] != "ok" else f"ok, {doc['task_count']} tasks"
    print(f"[{done}/{total}] {doc['source_file']}: {status}", file=sys.stderr, flush=True)


@task(name="extract-chunk", retries=0)
def extract_chunk(sources: list[Source], settings: Settings) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Extract a chunk of documents; every source gives exactly one document record."""
    resources = _resources(settings)
    out = []
    for source in sources:
        result = process_source(source, resources)
        out.append((document_record(result), obligation_records(result)))
    return out


@flow(name="policyflow-extract", log_prints=False, task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=2)))
def extract_flow(paths: list[str], output: str, settings: Settings | None = None,
                 progress: bool = True) -> BatchSummary:
    """Extract every document under ``paths`` and write the JSONL files into ``output``.

    The number of worker threads is the flow's task runner; `run_batch` sets it from
    ``settings.workers``."""
    settings = settings or Settings.from_env()
    sources = collect_sources(list(paths), settings)
    size = settings.chunk_size
    chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
    documents: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    done = 0
    futures = [extract_chunk.submit(chunk, settings) for chunk in chunks]
    for future in futures:
        for doc, recs in future.result():
            documents.append(doc)
            records += recs
            done += 1
            if progress:
                _stderr_progress(done, len(sources), doc)
    out = Path(output)
    write_jsonl_atomic(out / "obligations.jsonl", records)
    write_jsonl_atomic(out / "documents.jsonl", documents)
    ok = sum(1 for d in documents if d["status"] == "ok")
    return BatchSummary(documents=len(documents), ok=ok, failed=len(documents) - ok,
                        tasks=sum(d["task_count"] for d in documents), records=len(records), output=out)


def run_batch(paths: list[str], output: str, settings: Settings, progress: bool = True) -> BatchSummary:
    """Run `extract_flow` with ``settings.workers`` threads."""
    configured = extract_flow.with_options(task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=settings.workers)))
    return configured(paths, output, settings, progress)
