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
)

paths = sa.Table(
    "paths", metadata,
    sa.Column("path", sa.Text, primary_key=True),
    sa.Column("document_key", sa.String(64), sa.ForeignKey("documents.key"), nullable=False, index=True),
    sa.Column("sha256", sa.String(64), nullable=False),
)
