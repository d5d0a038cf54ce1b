"""The store: every version of every circular, with its records, in SQLite or PostgreSQL.

SQLite under the output folder is the default (``<output>/policyflow.db``; WAL, so readers
never block the one writer); PostgreSQL when a URL is given (``postgresql+psycopg://…``, also
read from ``POLICYFLOW_STORE``). The same code serves both. Alembic migrations run on first use.

Each document is saved in one transaction: its lineage resolved, its task keys matched to the
previous version's, its diff computed, its version and tasks written. A batch killed at any
point therefore leaves whole documents or none, and the next batch goes on from there.

The exports (``documents.jsonl``, ``obligations.jsonl``) are written from the store: one line
per lineage (its latest version), records in document order, so two runs over the same inbox
give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from pipeline.identity import (
    VersionDiff,
    diff_versions,
    match_previous,
    normalised,
    record_id,
    task_keys,
)
from pipeline.model import Document, ExtractionResult, TaskRecord
from pipeline.output import BatchOutput
from pipeline.records import document_record, obligation_record
from pipeline.serial import from_data, to_data
from pipeline.store.schema import documents, paths, tasks, versions
from pipeline.store.schema import reviews as review_table  # `reviews` here names the submodule

#: the file name of the default SQLite store inside the output folder
DEFAULT_FILE = "policyflow.db"
_MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened or used (a bad URL, an unreachable server)."""


def store_url(url: str | None, output: Path) -> str:
    """The store's SQLAlchemy URL: the one given, else ``POLICYFLOW_STORE``, else SQLite in
    ``output``. ``postgres://`` and ``postgresql://`` mean psycopg 3."""
    url = url or os.environ.get("POLICYFLOW_STORE") or f"sqlite:///{(output / DEFAULT_FILE).resolve()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class StoredVersion:
    """What the store knows of some bytes, enough to decide whether to extract them again."""

    sha256: str
    document_key: str
    seq: int
    status: str
    extractor_version: str


@dataclass(frozen=True)
class PathState:
    """What the store knows of a path: the bytes last read there, their size and time then,
    and the extractor version of their records."""

    sha256: str
    size: int | None
    mtime_ns: int | None
    extractor_version: str


@dataclass
class Saved:
    """What saving one result did: its lineage and version, whether it is new or a new version
    of a circular seen before, and the diff against that version."""

    document_key: str
    seq: int
    kind: str  # "new", "changed" (a new version of a lineage) or "re-extracted" (new rules)
    diff: VersionDiff | None


class Store:
    """One database of circulars; open with `Store.open`, close with `close` (or ``with``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None, output: Path = Path("output")) -> Store:
        """Open (and create or upgrade) the store at ``url`` (see `store_url`)."""
        resolved = store_url(url, output)
        if resolved.startswith("sqlite:///"):
            Path(resolved.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            engine = sa.create_engine(resolved, future=True)
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use the store URL {resolved!r}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
            sa.event.listen(engine, "begin", _sqlite_begin)
        store = cls(engine)
        try:
            store.migrate()
        except sa.exc.OperationalError as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store {engine.url.render_as_string(hide_password=True)}: "
                             f"{exc.orig}") from exc
        return store

    def migrate(self) -> None:
        """Run the Alembic migrations up to the newest (a no-op when the store is current)."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    # --- what is known ------------------------------------------------------------------------
    def version(self, sha256: str) -> StoredVersion | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(versions.c.sha256, versions.c.document_key, versions.c.seq, versions.c.status,
                                      versions.c.extractor_version).where(versions.c.sha256 == sha256)).first()
        return StoredVersion(*row) if row else None

    def path_states(self) -> dict[str, PathState]:
        """Every path the store has read: its bytes, their size and time then, and the
        extractor version of their records (one query, however large the inbox)."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(paths.c.path, paths.c.sha256, paths.c.size, paths.c.mtime_ns,
                                       versions.c.extractor_version)
                             .join(versions, versions.c.sha256 == paths.c.sha256)).all()
        return {p: PathState(sha, size, mtime, version) for p, sha, size, mtime, version in rows}

    def has_path(self, path: str, sha256: str) -> bool:
        """Were the bytes ``sha256`` last seen at ``path``?"""
        with self.engine.connect() as c:
            return c.execute(sa.select(paths.c.sha256).where(paths.c.path == path)).scalar_one_or_none() == sha256

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, versions, tasks, paths."""
        with self.engine.connect() as c:
            return {t.name: c.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (documents, versions, tasks, paths)}

    def tasks_of(self, sha256: str) -> dict[str, TaskRecord]:
        """The typed tasks of one version, by task key, in document order."""
        with self.engine.connect() as c:
            return _tasks(c, sha256)

    def snapshot(self, sha256: str) -> Document | None:
        """The `Document` of one version as it was read (text, blocks, outline, pages)."""
        with self.engine.connect() as c:
            data = c.execute(sa.select(versions.c.snapshot).where(versions.c.sha256 == sha256)).scalar_one_or_none()
        return from_data(Document, data) if data else None

    def history(self, document_key: str) -> list[dict[str, Any]]:
        """Every version of one lineage, oldest first: sha256, seq, source file, status, diff."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(versions.c.sha256, versions.c.seq, versions.c.source_file, versions.c.status,
                                       versions.c.diff).where(versions.c.document_key == document_key)
                             .order_by(versions.c.seq)).all()
        return [dict(r._mapping) for r in rows]

    def latest(self) -> list[dict[str, Any]]:
        """Every lineage with its latest version: key, sha256, path, version, document line."""
        with self.engine.connect() as c:
            rows = c.execute(sa.select(documents.c.key, documents.c.latest_sha256, documents.c.latest_path,
                                       versions.c.seq, versions.c.record)
                             .join(versions, versions.c.sha256 == documents.c.latest_sha256)
                             .order_by(documents.c.latest_path)).all()
        return [{"key": k, "sha256": sha, "path": p, "version": seq, "record": record}
                for k, sha, p, seq, record in rows]

    # --- writing ------------------------------------------------------------------------------
    def note_path(self, path: str, sha256: str, stat: tuple[int, int] | None = None) -> None:
        """The bytes ``sha256`` (stored already) now also lie at ``path``: a copy, a rename or
        a move of the same circular. ``stat`` is the file's (size, mtime_ns)."""
        with self._transaction() as c:
            key = c.execute(sa.select(versions.c.document_key).where(versions.c.sha256 == sha256)).scalar_one()
            _upsert_path(c, path, key, sha256, stat)
            c.execute(documents.update().where(documents.c.key == key).values(latest_path=path))

    def save(self, result: ExtractionResult, path: str, sha256: str, extractor_version: str,
             stat: tuple[int, int] | None = None) -> Saved:
        """Store one result as a version, all in one transaction, and return what it was.
        ``stat`` is the file's (size, mtime_ns) when it was read."""
        with self._transaction() as c:
            known = c.execute(sa.select(versions.c.document_key, versions.c.seq)
                              .where(versions.c.sha256 == sha256)).first()
            if known is not None:  # the same bytes read again by other rules
                key, seq, kind = known.document_key, known.seq, "re-extracted"
                c.execute(tasks.delete().where(tasks.c.sha256 == sha256))
                c.execute(versions.delete().where(versions.c.sha256 == sha256))
                before_sha = c.execute(sa.select(versions.c.sha256).where(
                    versions.c.document_key == key, versions.c.seq == seq - 1)).scalar_one_or_none()
            else:
                lineage = c.execute(sa.select(paths.c.document_key).where(paths.c.path == path)).scalar_one_or_none()
                if lineage is None:
                    key, seq, kind, before_sha = sha256[:16], 1, "new", None
                    c.execute(documents.insert().values(key=key, first_seen=_now(), latest_sha256=sha256,
                                                        latest_path=path))
                else:
                    key, kind = lineage, "changed"
                    last = c.execute(sa.select(versions.c.sha256, versions.c.seq)
                                     .where(versions.c.document_key == key)
                                     .order_by(versions.c.seq.desc())).first()
                    seq, before_sha = (last.seq + 1, last.sha256) if last else (1, None)
            keys = task_keys(result.tasks)
            diff = None
            if before_sha is not None:
                before = _tasks(c, before_sha)
                current = dict(zip(keys, result.tasks, strict=True))
                renamed = match_previous({k: normalised(t.text) for k, t in before.items()},
                                         {k: normalised(t.text) for k, t in current.items()})
                keys = [renamed.get(k, k) for k in keys]
                diff = diff_versions(before, dict(zip(keys, result.tasks, strict=True)))
                _flag_reviews(c, key, seq, diff)
            record = document_record(result)
            record.update(document_key=key, version=seq, extractor_version=extractor_version,
                          changes=to_data(diff) if diff is not None else None)
            document = result.document
            snapshot = None
            if document is not None:
                spans, document.spans = document.spans, None
                snapshot = to_data(document)
                document.spans = spans
            c.execute(versions.insert().values(
                sha256=sha256, document_key=key, seq=seq, source_file=path, status=result.status, error=result.error,
                extractor_version=extractor_version, extracted_at=_now(), record=record, snapshot=snapshot,
                diff=to_data(diff) if diff is not None else None))
            if result.tasks:
                c.execute(tasks.insert(), [{"sha256": sha256, "task_key": k, "position": i, "data": to_data(t),
                                            "record": obligation_record(t, path, record_id(key, k))}
                                           for i, (k, t) in enumerate(zip(keys, result.tasks, strict=True))])
            latest = c.execute(sa.select(sa.func.max(versions.c.seq)).where(versions.c.document_key == key)).scalar_one()
            if seq == latest:
                c.execute(documents.update().where(documents.c.key == key).values(latest_sha256=sha256,
                                                                                   latest_path=path))
            _upsert_path(c, path, key, sha256, stat)
        return Saved(key, seq, kind, diff)

    # --- exports ------------------------------------------------------------------------------
    def export(self, folder: Path) -> dict[str, Any]:
        """Write ``documents.jsonl`` and ``obligations.jsonl`` of the whole store into
        ``folder`` (atomically, with the manifest of `BatchOutput`): each lineage's latest
        version, ordered by its latest path."""
        batch = BatchOutput()
        with self.engine.connect() as c:
            rows = c.execute(sa.select(documents.c.key, documents.c.latest_sha256, documents.c.latest_path)
                             .order_by(documents.c.latest_path, documents.c.key)).all()
            all_paths: dict[str, list[str]] = {}
            for p, k in c.execute(sa.select(paths.c.path, paths.c.document_key).order_by(paths.c.path)):
                all_paths.setdefault(k, []).append(p)
            records = dict(c.execute(sa.select(versions.c.sha256, versions.c.record)
                                     .join(documents, documents.c.latest_sha256 == versions.c.sha256)).all())
            lines: dict[str, list[dict[str, Any]]] = {}
            for sha, task_key, data, saved in c.execute(
                    sa.select(tasks.c.sha256, tasks.c.task_key, tasks.c.data, tasks.c.record)
                    .join(documents, documents.c.latest_sha256 == tasks.c.sha256).order_by(tasks.c.position)):
                lines.setdefault(sha, []).append(saved if saved is not None else {"_task": (task_key, data)})
            for key, sha, latest_path in rows:
                line = {**records[sha], "source_file": latest_path, "source_files": all_paths.get(key, [latest_path])}
                batch.documents.append(line)
                for saved in lines.get(sha, []):
                    if "_task" in saved:  # saved before records were kept (migration 0004)
                        task_key, data = saved["_task"]
                        saved = obligation_record(from_data(TaskRecord, data), latest_path, record_id(key, task_key))
                    batch.obligations.append(saved if saved["source_file"] == latest_path
                                             else {**saved, "source_file": latest_path})
        return batch.write(folder)


def _flag_reviews(c: Connection, document_key: str, seq: int, diff: VersionDiff) -> None:
    """Reviews carry over by task key; those of tasks this version changed or removed are
    flagged with what changed, for the reviewer to check again."""
    notes: dict[str, dict[str, Any]] = {change.key: {"version": seq, "changed": to_data(change.fields)}
                                        for change in diff.changed}
    notes.update({key: {"version": seq, "removed": True} for key, _ in diff.removed})
    for task_key, note in notes.items():
        c.execute(review_table.update().where(review_table.c.document_key == document_key,
                                              review_table.c.task_key == task_key,
                                              review_table.c.status != "pending").values(needs_recheck=note))


def _tasks(c: Connection, sha256: str) -> dict[str, TaskRecord]:
    rows = c.execute(sa.select(tasks.c.task_key, tasks.c.data).where(tasks.c.sha256 == sha256)
                     .order_by(tasks.c.position)).all()
    return {key: from_data(TaskRecord, data) for key, data in rows}


def _upsert_path(c: Connection, path: str, key: str, sha256: str, stat: tuple[int, int] | None) -> None:
    size, mtime_ns = stat if stat else (None, None)
    values = {"document_key": key, "sha256": sha256, "size": size, "mtime_ns": mtime_ns}
    updated = c.execute(paths.update().where(paths.c.path == path).values(**values))
    if updated.rowcount == 0:
        c.execute(paths.insert().values(path=path, **values))


def _sqlite_begin(connection: Connection) -> None:
    """Take the write lock when a transaction starts: a transaction that reads and then
    writes would otherwise fail at once with 'database is locked' when another connection
    wrote in between (SQLite cannot wait for that upgrade), where now it waits its turn."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never block the writer), a wait instead of 'database is locked'; the
    driver's own transaction handling is off, so that `_sqlite_begin` opens every one."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
