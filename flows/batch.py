"""The scheduled batch: an inbox folder in, the store updated, the exports rewritten.

One run (`batch_flow`) scans the inbox (`pipeline.inbox`), extracts what the store has not
seen (one Prefect task per document, retried on transient database errors), stores each
document in one transaction (`pipeline.store`), rewrites ``documents.jsonl`` and
``obligations.jsonl`` from the whole store and publishes a markdown artifact of the run:
files seen, new, changed (with the diff), skipped, waiting, failed with their errors.

`policyflow batch` runs it once; `policyflow serve` serves it as a deployment on a schedule.
Heavy resources (the cue grammar, the registry, jieba) load once per process, also in a Dask
worker, and never travel with a task.
"""

from __future__ import annotations

import functools
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from flows.extract import resources_for
from pipeline import Settings, Source, check_outputs, process_source
from pipeline.identity import extractor_version
from pipeline.inbox import Planned, plan_inbox, scan_inbox
from pipeline.inputs import printable_name
from pipeline.output import DOCUMENTS, OBLIGATIONS
from pipeline.store import Store

DEFAULT_INBOX = "corpus/inbox"


@functools.lru_cache(maxsize=4)
def store_for(url: str | None, output: str) -> Store:
    """The store of ``url`` (or the default under ``output``), opened once per process."""
    return Store.open(url, Path(output))


def _transient(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry on a locked SQLite file or a lost connection, not on a bug."""
    try:
        state.result()
    except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.DisconnectionError):
        return True
    except Exception:
        return False
    return False


@task(name="extract-and-store", retries=3, retry_delay_seconds=1, retry_condition_fn=_transient)
def extract_and_store(files: list[dict[str, Any]], store_url: str | None, output: str,
                      settings: Settings) -> list[dict[str, Any]]:
    """Read a chunk of files and store each as a version (one transaction each); returns a
    line of the run summary per file. A retry skips what the failed attempt already stored."""
    resources = resources_for(settings)
    store = store_for(store_url, output)
    version = extractor_version(_user_files(settings))
    lines = []
    for file in files:
        stored = store.version(file["sha256"])
        if stored is not None and stored.extractor_version == version:
            continue  # stored by the attempt this retry repeats
        result = process_source(Source(Path(file["path"]), file["name"]), resources)
        saved = store.save(result, file["name"], file["sha256"], version, tuple(file["stat"]))
        lines.append({"file": file["name"], "kind": saved.kind, "status": result.status, "error": result.error,
                      "document_key": saved.document_key, "version": saved.seq,
                      "tasks": sum(1 for t in result.tasks if t.assignment is not None),
                      "diff": saved.diff.summary() if saved.diff is not None else None,
                      "changes": _changes(saved.diff) if saved.diff is not None else []})
    return lines


def _changes(diff: Any) -> list[str]:
    lines = [f"+ {title}" for _, title in diff.added] + [f"- {title}" for _, title in diff.removed]
    for change in diff.changed:
        fields = "; ".join(f"{f}: {before} → {after}" for f, (before, after) in change.fields.items())
        lines.append(f"~ {change.title}: {fields}")
    return lines


def _user_files(settings: Settings) -> tuple[Path, ...]:
    return settings.registry_files + settings.cue_files


@dataclass
class BatchReport:
    """What one run of the batch did, file by file."""

    inbox: str
    output: str
    lines: list[dict[str, Any]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def count(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for line in self.lines:
            counts[line["kind"]] += 1
            if line.get("status") not in (None, "ok"):
                counts["not ok"] += 1
        counts["waiting"] = len(self.waiting)
        return counts

    @property
    def failed(self) -> list[dict[str, Any]]:
        """Files read in this run that could not be read (an unsupported type is no failure)."""
        return [line for line in self.lines if line.get("status") not in (None, "ok", "unsupported")]

    @property
    def unsupported(self) -> list[str]:
        return [line["file"] for line in self.lines if line.get("status") == "unsupported"]

    def line(self) -> str:
        c = self.count()
        return (f"{len(self.lines)} files seen: {c['new']} new, {c['changed']} changed, "
                f"{c['re-extracted']} re-extracted, {c['seen'] + c['moved']} skipped (seen before), "
                f"{len(self.failed)} not ok, {len(self.unsupported)} of an unsupported type, "
                f"{c['waiting']} left for the next run")

    def markdown(self) -> str:
        out = [f"# policyflow batch over `{self.inbox}`", "", self.line(), ""]
        sections = [("New", "new"), ("Changed", "changed"), ("Re-extracted (new rules)", "re-extracted"),
                    ("Skipped (seen before)", "seen"), ("Seen under a new name", "moved")]
        for heading, kind in sections:
            rows = [line for line in self.lines if line["kind"] == kind]
            if not rows:
                continue
            out += [f"## {heading}", ""]
            for row in rows:
                detail = f" — {row['diff']}" if row.get("diff") else ""
                out.append(f"- `{row['file']}` ({row.get('status', 'ok')}){detail}")
                out += [f"  - {change}" for change in row.get("changes", [])]
            out.append("")
        if self.unsupported:
            out += ["## Of a type policyflow does not read", ""] + [f"- `{name}`" for name in self.unsupported] + [""]
        if self.failed:
            out += ["## Not ok", ""] + [f"- `{r['file']}`: {r['status']}: {r['error']}" for r in self.failed] + [""]
        if self.waiting:
            out += ["## Left for the next run", ""] + [f"- `{name}`" for name in self.waiting] + [""]
        return "\n".join(out)


@flow(name="policyflow-batch", log_prints=False, task_runner=cast(Any, ThreadPoolTaskRunner(max_workers=2)))
def batch_flow(inbox: str = DEFAULT_INBOX, output: str = "output", store: str | None = None,
               settle_seconds: float = 1.0, settings: Settings | None = None, progress: bool = False) -> BatchReport:
    """One run of the batch over ``inbox``; see the module's docstring."""
    settings = settings or Settings.from_env()
    opened = store_for(store, output)
    version = extractor_version(_user_files(settings))
    known = opened.path_states()
    scan = scan_inbox(Path(inbox), settle_seconds, known)
    plan = plan_inbox(scan, opened, version, known)
    report = BatchReport(inbox=inbox, output=output, waiting=scan.waiting)
    to_read = [{"path": str(p.file.path), "name": p.file.name, "sha256": p.file.sha256, "stat": list(p.file.stat)}
               for p in plan if p.action in ("extract", "re-extract")]
    # a task costs orchestration time, so each carries a chunk of documents
    chunks = [to_read[i:i + settings.chunk_size] for i in range(0, len(to_read), settings.chunk_size)]
    futures = [extract_and_store.submit(chunk, store, output, settings) for chunk in chunks]
    for future in futures:
        for line in future.result():
            report.lines.append(line)
            if progress:
                print(f"[{len(report.lines)}/{len(to_read)}] {printable_name(line['file'])}: {line['kind']}, "
                      f"{line['status']}" + (f" ({line['diff']})" if line.get("diff") else ""),
                      file=sys.stderr, flush=True)
    unchanged = {f.name for f in scan.unchanged}
    for p in plan:
        if p.action in ("seen", "moved"):
            if p.file.name not in unchanged:  # a new name, or the same bytes touched: remember its stat
                opened.note_path(p.file.name, p.file.sha256, p.file.stat)
            report.lines.append(_skipped(p))
    report.lines.sort(key=lambda line: line["file"])
    changed_store = any(line["kind"] not in ("seen",) for line in report.lines)
    exports = [Path(output) / name for name in (DOCUMENTS, OBLIGATIONS)]
    if changed_store or not all(p.exists() for p in exports) or check_outputs(Path(output)) is not None:
        opened.export(Path(output))  # else the exports already are the store's, byte for byte
    create_markdown_artifact(key="policyflow-batch", markdown=report.markdown(),
                             description=f"policyflow batch over {inbox}")
    return report


def _skipped(planned: Planned) -> dict[str, Any]:
    return {"file": planned.file.name, "kind": planned.action, "status": None, "error": None}
