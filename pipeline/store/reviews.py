"""Reviews: staff accept, correct or reject each task, and add the tasks the extractor missed.

A review belongs to a task of a lineage (document key and task key), so it carries over to a
new version of the circular whenever the task's key did not change; when a new version changes
or removes a reviewed task, the review is flagged (``needs_recheck`` holds the diff) instead of
being dropped. Reviewed values (title, lead, co-operating departments, 完成时限) are kept beside
the extracted ones, never over them, and every change goes into the audit log: reviewer, time,
field, old → new.

Two reviewers editing one task: each save names the revision it started from; a save from an
older revision is refused with `ReviewConflict` (and changes nothing), never silently applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pipeline.model import TaskRecord
from pipeline.serial import from_data
from pipeline.store import Store
from pipeline.store.schema import audit, documents, reviews, tasks

ReviewStatus = Literal["pending", "accepted", "corrected", "rejected"]
#: the fields a reviewer may correct
REVIEW_FIELDS = ("title", "lead", "co", "due")
STATUSES: tuple[ReviewStatus, ...] = ("pending", "accepted", "corrected", "rejected")


class ReviewError(ValueError):
    """A review that cannot be saved as asked (an unknown field or status, no reviewer)."""


class ReviewConflict(Exception):
    """Another reviewer saved the task since this one loaded it."""

    def __init__(self, current: Review) -> None:
        super().__init__(f"{current.reviewer} saved this task at {current.reviewed_at} (revision {current.revision}); "
                         f"reload it to see their changes")
        self.current = current


@dataclass
class Review:
    document_key: str
    task_key: str
    status: ReviewStatus
    fields: dict[str, Any] = field(default_factory=dict)
    reviewer: str = ""
    reviewed_at: str = ""
    revision: int = 0
    needs_recheck: dict[str, Any] | None = None
    added: dict[str, Any] | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _review(row: Any) -> Review:
    return Review(row.document_key, row.task_key, row.status, dict(row.fields or {}), row.reviewer, row.reviewed_at,
                  row.revision, row.needs_recheck, row.added)


class Reviews:
    """The reviews of one store."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def get(self, document_key: str, task_key: str) -> Review | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(reviews).where(reviews.c.document_key == document_key,
                                                     reviews.c.task_key == task_key)).first()
        return _review(row) if row else None

    def of_document(self, document_key: str) -> dict[str, Review]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(reviews).where(reviews.c.document_key == document_key)).all()
        return {row.task_key: _review(row) for row in rows}

    def all(self) -> dict[tuple[str, str], Review]:
        with self.engine.connect() as c:
            return {(r.document_key, r.task_key): _review(r) for r in c.execute(sa.select(reviews))}

    def history(self, document_key: str, task_key: str) -> list[dict[str, Any]]:
        """The audit log of one task, oldest first."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(audit.c.reviewer, audit.c.at, audit.c.field, audit.c.old, audit.c.new)
                             .where(audit.c.document_key == document_key, audit.c.task_key == task_key)
                             .order_by(audit.c.id)).all()
        return [dict(r._mapping) for r in rows]

    def decide(self, document_key: str, task_key: str, reviewer: str, status: ReviewStatus,
               corrections: dict[str, Any] | None = None, revision: int = 0) -> Review:
        """Save a decision on one task: ``status`` and, for a correction, the corrected fields.
        ``revision`` is the revision the reviewer loaded (0 for a task never reviewed)."""
        corrections = dict(corrections or {})
        _check(reviewer, status, corrections)
        with self.engine.begin() as c:
            row = c.execute(sa.select(reviews).where(reviews.c.document_key == document_key,
                                                     reviews.c.task_key == task_key).with_for_update()).first()
            current = _review(row) if row else Review(document_key, task_key, "pending")
            if current.revision != revision:
                raise ReviewConflict(current)
            fields = {**current.fields, **corrections}
            now = _now()
            # old values: what the reviewer saw, the reviewed value or else the extracted one
            shown = {**extracted_values(c, document_key, task_key), **current.fields}
            changes: list[tuple[str, Any, Any]] = [("status", current.status, status)] if status != current.status else []
            changes += [(f, shown.get(f), v) for f, v in corrections.items() if shown.get(f) != v]
            values = {"status": status, "fields": fields, "reviewer": reviewer, "reviewed_at": now,
                      "revision": current.revision + 1, "needs_recheck": None}
            if row is None:
                c.execute(reviews.insert().values(document_key=document_key, task_key=task_key, added=None, **values))
            else:
                updated = c.execute(reviews.update().where(reviews.c.document_key == document_key,
                                                           reviews.c.task_key == task_key,
                                                           reviews.c.revision == revision).values(**values))
                if updated.rowcount != 1:  # saved by someone else between the read and the write
                    raise ReviewConflict(current)
            if changes:
                c.execute(audit.insert(), [{"document_key": document_key, "task_key": task_key, "reviewer": reviewer,
                                            "at": now, "field": f, "old": old, "new": new} for f, old, new in changes])
        review = self.get(document_key, task_key)
        assert review is not None
        return review

    def add_task(self, document_key: str, sha256: str, start: int, end: int, text: str, reviewer: str,
                 fields: dict[str, Any]) -> Review:
        """A task the extractor missed, added by selecting its text in version ``sha256``."""
        _check(reviewer, "corrected", fields)
        key = "added-" + hashlib.sha256(f"{sha256}:{start}:{end}".encode()).hexdigest()[:12]
        now = _now()
        with self.engine.begin() as c:
            if c.execute(sa.select(documents.c.key).where(documents.c.key == document_key)).first() is None:
                raise ReviewError(f"no document {document_key} in the store")
            c.execute(reviews.insert().values(
                document_key=document_key, task_key=key, status="corrected", fields=fields, reviewer=reviewer,
                reviewed_at=now, revision=1, needs_recheck=None,
                added={"sha256": sha256, "start": start, "end": end, "text": text}))
            c.execute(audit.insert().values(document_key=document_key, task_key=key, reviewer=reviewer, at=now,
                                            field="added", old=None, new={"text": text, **fields}))
        review = self.get(document_key, key)
        assert review is not None
        return review


def reviewable_values(task: TaskRecord) -> dict[str, Any]:
    """A task's fields a reviewer may correct, as extracted: title, lead and co-operating
    departments as printed, 完成时限 as its printed text."""
    a = task.assignment
    return {"title": task.title or task.text, "lead": a.lead.surface if a and a.lead else None,
            "co": [d.surface for d in a.co] if a else [], "due": task.due.text if task.due else None}


def extracted_values(c: Connection, document_key: str, task_key: str) -> dict[str, Any]:
    """The reviewable fields of a task as its lineage's latest version extracted them."""
    data = c.execute(sa.select(tasks.c.data).join(documents, documents.c.latest_sha256 == tasks.c.sha256)
                     .where(documents.c.key == document_key, tasks.c.task_key == task_key)).scalar_one_or_none()
    return reviewable_values(from_data(TaskRecord, data)) if data is not None else {}


def _check(reviewer: str, status: str, fields: dict[str, Any]) -> None:
    if not reviewer.strip():
        raise ReviewError("a review names its reviewer")
    if status not in STATUSES:
        raise ReviewError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise ReviewError(f"unknown field(s) {', '.join(sorted(unknown))}; one of {', '.join(REVIEW_FIELDS)}")
    if "co" in fields and not (isinstance(fields["co"], list) and all(isinstance(x, str) for x in fields["co"])):
        raise ReviewError("co is a list of department names")
