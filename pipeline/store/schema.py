"""The store's tables (SQLAlchemy Core). Changes go through an Alembic migration in
``migrations/versions``; `pipeline.store.Store` upgrades a database on first use.

* ``documents``: one row per lineage (a circular across its versions);
* ``versions``: one row per distinct bytes (sha256) with its status, error, extractor version,
  its document line, a snapshot of the `Document` and the diff against the version before;
* ``tasks``: the typed `TaskRecord`s of a version under their task keys;
* ``paths``: where each lineage was last seen, and with which bytes.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("first_seen", sa.String(32), nullable=False),
    sa.Column("latest_sha256", sa.String(64), nullable=False),
    sa.Column("latest_path", sa.Text, nullable=False),
)

versions = sa.Table(
    "versions", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), nullable=False, index=True),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("source_file", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.Text),
    sa.Column("extractor_version", sa.String(64), nullable=False),
    sa.Column("extracted_at", sa.String(32), nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.Column("snapshot", sa.JSON),
    sa.Column("diff", sa.JSON),
)

tasks = sa.Table(
    "tasks", metadata,
    sa.Column("sha256", sa.String(64), sa.ForeignKey("versions.sha256"), primary_key=True),
    sa.Column("task_key", sa.String(40), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    # its obligations.jsonl line as saved (the export patches only its source_file)
    sa.Column("record", sa.JSON),
)

paths = sa.Table(
    "paths", metadata,
    sa.Column("path", sa.Text, primary_key=True),
    sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), nullable=False, index=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    # the file's size and modification time when it was last read: unchanged, it is not hashed again
    sa.Column("size", sa.BigInteger),
    sa.Column("mtime_ns", sa.BigInteger),
)

#: a reviewer's decision on one task of a lineage (kept across versions by the task key):
#: ``fields`` holds the reviewed values (title, lead, co, due) beside, never over, the extracted
#: ones; ``revision`` counts saves, so a stale save is refused; ``needs_recheck`` holds the diff
#: of a new version that changed the task after it was reviewed; ``added`` is a task a reviewer
#: added by selecting its text (sha256, start, end, text).
reviews = sa.Table(
    "reviews", metadata,
    sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), primary_key=True),
    sa.Column("task_key", sa.String(40), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("reviewed_at", sa.String(32), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("needs_recheck", sa.JSON),
    sa.Column("added", sa.JSON),
)

#: every change a reviewer made: who, when, which field, old → new
audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_key", sa.String(64), nullable=False),
    sa.Column("task_key", sa.String(40), nullable=False),
    sa.Column("reviewer", sa.Text, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("field", sa.String(32), nullable=False),
    sa.Column("old", sa.JSON),
    sa.Column("new", sa.JSON),
    sa.Index("ix_audit_task", "document_key", "task_key"),
)
