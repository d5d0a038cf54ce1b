"""Records: `ExtractionResult`s as the JSON lines of ``schema/`` (documents and obligations)."""

from __future__ import annotations

from typing import Any

from pipeline.identity import record_id, task_keys
from pipeline.loaders.base import sha256_of
from pipeline.model import (
    HEADER_FIELDS,
    Deadline,
    Department,
    ExtractionResult,
    MetadataConflict,
    Obligation,
    TaskRecord,
)

SCHEMA_VERSION = "1"


def document_record(result: ExtractionResult) -> dict[str, Any]:
    """The ``documents.jsonl`` line of one result, ok or not."""
    doc = result.document
    header = doc.header if doc else None
    sha = doc.sha256 if doc else result.sha256
    return {
        "schema_version": SCHEMA_VERSION,
        "document_id": doc.id if doc else (sha[:16] if sha else _missing_id(result.source_file)),
        "source_file": result.source_file,
        "sha256": sha or "0" * 64,
        "format": doc.format if doc else result.format,
        "status": result.status,
        "doc_number": header.doc_number if header else None,
        "title": header.title if header else None,
        "issuer": list(header.issuer) if header else [],
        "date": header.date if header else None,
        "addressees": list(header.addressees) if header else [],
        "task_count": sum(1 for t in result.tasks if t.assignment is not None),
        "record_count": len(result.tasks),
        "parts": [{"index": p.index, "title": p.title} for p in doc.parts] if doc else [],
        "warnings": list(doc.warnings) if doc else [],
        "error": result.error,
        # where each header field came from, and the values that lost to another source
        "metadata_sources": {f: header.source_of(f) if header else "none" for f in HEADER_FIELDS},
        "metadata_conflicts": [_conflict(c) for c in header.conflicts] if header else [],
    }


def _conflict(c: MetadataConflict) -> dict[str, Any]:
    return {"field": c.field, "value": c.value, "source": c.source, "kept": c.kept, "kept_source": c.kept_source}


def _missing_id(source_file: str) -> str:
    return "missing-" + sha256_of(source_file.encode("utf-8"))[:16]


def _department(d: Department) -> dict[str, Any]:
    record: dict[str, Any] = {"name": d.name, "surface": d.surface, "known": d.known}
    if d.current_name:
        record["current_name"] = d.current_name
    return record


def _deadline(d: Deadline) -> dict[str, Any]:
    return {"text": d.text, "kind": d.kind, "date": d.date, "rrule": d.rrule}


def _obligation(o: Obligation) -> dict[str, Any]:
    return {"text": o.text, "modality": o.modality, "actors": o.actors, "action": o.action,
            "deadline": _deadline(o.deadline) if o.deadline else None,
            "span": {"start": o.start, "end": o.end}}


def obligation_record(task: TaskRecord, source_file: str, record_id: str) -> dict[str, Any]:
    """The ``obligations.jsonl`` line of one task, under the id `pipeline.identity` gives it."""
    a = task.assignment
    return {
        "schema_version": SCHEMA_VERSION,
        "record_id": record_id,
        "document_id": task.document_id,
        "source_file": source_file,
        "section_path": task.section_path,
        "title": task.title,
        "text": task.text,
        "assignment_text": a.text if a else None,
        "lead_department": _department(a.lead) if a and a.lead else None,
        "co_departments": [_department(d) for d in a.co] if a else [],
        "open_ended": a.open_ended if a else False,
        "assignment_unread": list(a.unread) if a else [],
        "obligations": [_obligation(o) for o in task.obligations],
        "deadlines": [_deadline(d) for d in task.deadlines],
        "due": _deadline(task.due) if task.due else None,
        "references": task.references,
        "span": {"start": task.start, "end": task.end, "page": task.page},
        "confidence": round(task.confidence, 2),
        "part": task.part,
    }


def obligation_records(result: ExtractionResult, document_key: str | None = None,
                       keys: list[str] | None = None) -> list[dict[str, Any]]:
    """The lines of a result's tasks. Record ids join the document key (its lineage in a
    store; the document id without one) and each task's key (`pipeline.identity.task_keys`,
    unless a store matched them to the previous version's)."""
    if not result.tasks:
        return []
    document_key = document_key or result.tasks[0].document_id
    keys = keys if keys is not None else task_keys(result.tasks)
    return [obligation_record(t, result.source_file, record_id(document_key, k))
            for t, k in zip(result.tasks, keys, strict=True)]
