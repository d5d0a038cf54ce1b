"""The batch extraction flow: sources in, documents.jsonl and obligations.jsonl out.

Each Prefect task extracts a chunk of documents (a task costs orchestration time, so one
task per document would dominate small files). Resources load once per process and are
shared by the worker threads. A run that is interrupted writes nothing: the previous output
stays as it was.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline import (
    BatchOutput,
    Resources,
    Settings,
    Source,
    document_record,
    load_resources,
    obligation_records,
    process_source,
)
from pipeline.inputs import printable_name

#: Set when the user interrupts the run: workers stop before their next document.
CANCELLED = threading.Event()


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
                f"{self.records} records → {printable_name(str(self.output))}")


@functools.lru_cache(maxsize=4)
def resources_for(settings: Settings) -> Resources:
    """The resources of ``settings``, loaded once per process."""
    return load_resources(settings)


ProgressFn = Callable[[int, int, dict[str, Any]], None]


def _stderr_progress(done: int, total: int, doc: dict[str, Any]) -> None:
    status = doc["status"] if doc["status"] != "ok" else f"ok, {doc['task_count']} tasks"
    print(f"[{done}/{total}] {printable_name(doc['source_file'])}: {status}", file=sys.stderr, flush=True)


@task(name="extract-chunk", retries=0)
def extract_chunk(sources: list[dict[str, str | None]], settings: Settings) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Extract a chunk of documents; every source gives exactly one document record."""
    resources = resources_for(settings)
    out = []
    for source in sources:
        if CANCELLED.is_set():
            break  # the flow is being interrupted and will write nothing
        result = process_source(Source.from_json(source), resources)
        out.append((document_record(result), obligation_records(result)))
    return out


@flow(name="policyflow-extract", log_prints=False, task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=2)))
def extract_flow(sources: list[dict[str, str | None]], output: str, settings: Settings | None = None,
                 progress: bool = True) -> BatchSummary:
    """Extract every source (in the form of `Source.to_json`) and write the output pair into
    ``output``.

    The number of worker threads is the flow's task runner; `run_batch` sets it from
    ``settings.workers``."""
    settings = settings or Settings.from_env()
    size = settings.chunk_size
    chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
    batch = BatchOutput()
    futures = [extract_chunk.submit(chunk, settings) for chunk in chunks]
    for future in futures:
        for doc, recs in future.result():
            doc = batch.add(doc, recs)
            if progress:
                _stderr_progress(len(batch.documents), len(sources), doc)
    out = Path(output)
    batch.write(out)
    documents = batch.documents
    return BatchSummary(documents=len(documents), ok=len(documents) - batch.failed, failed=batch.failed,
                        tasks=sum(d["task_count"] for d in documents if "duplicate_of" not in d),
                        records=len(batch.obligations), output=out)


def run_batch(sources: list[Source], output: str, settings: Settings, progress: bool = True) -> BatchSummary:
    """Run `extract_flow` with ``settings.workers`` threads."""
    configured = extract_flow.with_options(task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=settings.workers)))
    return configured([s.to_json() for s in sources], output, settings, progress)
