"""The output folder of a run: ``documents.jsonl`` and ``obligations.jsonl`` written as a pair.

Each file is written to a temporary file beside it and renamed into place, so a reader never
sees half a file. Two renames cannot be one atomic step, so ``manifest.json`` is written last
and names the sha256 and line count of both files: a reader (and the next run) can tell that
the pair belongs together, and a run killed between the renames is detected instead of
passing an old ``documents.jsonl`` off with a new ``obligations.jsonl``.

Files are created with the permissions the user's umask gives (``tempfile`` alone would make
them 0600), and temporary files left by a killed run are removed by the next one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError

DOCUMENTS = "documents.jsonl"
OBLIGATIONS = "obligations.jsonl"
MANIFEST = "manifest.json"
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]+\.tmp$")


def check_output_folder(folder: Path) -> None:
    """Create ``folder`` if needed and prove it is writable, before any work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".policyflow-probe.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {folder}: {exc.strerror or exc}") from exc


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files of runs that are no longer alive; returns what was removed."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        match = _TEMPORARY.match(path.name)
        if match and not _alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def write_jsonl_atomic(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write JSON lines to a temporary file beside ``path``, then rename it over ``path``:
    a crash leaves the old file or the new one, never half of one. Returns the line count."""
    written = _write_temporary(path, rows)
    os.replace(written.temporary, path)
    return written.lines


@dataclass
class _Written:
    temporary: Path
    sha256: str
    lines: int


def _write_temporary(path: Path, rows: Iterable[dict[str, Any]]) -> _Written:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    digest = hashlib.sha256()
    lines = 0
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(fd, "wb") as fh:
            for row in rows:
                line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
                digest.update(line)
                fh.write(line)
                lines += 1
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return _Written(tmp, digest.hexdigest(), lines)


@dataclass
class BatchOutput:
    """The lines of a batch, gathered in input order, then written as one pair.

    The same bytes under two names (a circular saved twice) are one document: the second
    name gets its document line, marked ``duplicate_of`` the first, and no records of its
    own, so that no ``record_id`` appears twice.
    """

    documents: list[dict[str, Any]] = field(default_factory=list)
    obligations: list[dict[str, Any]] = field(default_factory=list)
    _first_name: dict[str, str] = field(default_factory=dict)

    def add(self, document: dict[str, Any], obligations: list[dict[str, Any]]) -> dict[str, Any]:
        """Add one document's lines; returns its document line as it will be written."""
        if document["status"] == "ok":
            first = self._first_name.setdefault(document["document_id"], document["source_file"])
            if first != document["source_file"]:
                document = {**document, "record_count": 0, "duplicate_of": first,
                            "warnings": [*document["warnings"],
                                         f"the same bytes as {first}; its records are listed once, under that file"]}
                obligations = []
        self.documents.append(document)
        self.obligations.extend(obligations)
        return document

    @property
    def failed(self) -> int:
        return sum(1 for d in self.documents if d["status"] != "ok")

    def write(self, folder: Path) -> dict[str, Any]:
        """Write both files and then the manifest; returns the manifest."""
        remove_stale_temporaries(folder)
        parts = {OBLIGATIONS: _write_temporary(folder / OBLIGATIONS, self.obligations)}
        try:
            parts[DOCUMENTS] = _write_temporary(folder / DOCUMENTS, self.documents)
        except BaseException:
            parts[OBLIGATIONS].temporary.unlink(missing_ok=True)
            raise
        for name, written in parts.items():
            os.replace(written.temporary, folder / name)
        manifest = {"written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "files": {name: {"sha256": w.sha256, "lines": w.lines} for name, w in parts.items()}}
        manifest_path = folder / MANIFEST
        written = _write_temporary(manifest_path, [manifest])
        os.replace(written.temporary, manifest_path)
        return manifest


def check_outputs(folder: Path) -> str | None:
    """None when the output pair in ``folder`` matches its manifest (or there is no manifest:
    no output yet, or one written before manifests existed); otherwise what is wrong, in words."""
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        return None
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"{manifest_path} cannot be read: {exc}"
    for name in (DOCUMENTS, OBLIGATIONS):
        try:
            with (folder / name).open("rb") as fh:
                actual = hashlib.file_digest(fh, "sha256").hexdigest()
        except OSError as exc:
            return f"{folder / name} cannot be read: {exc.strerror or exc}"
        if actual != files.get(name, {}).get("sha256"):
            return f"{folder / name} is not the file {MANIFEST} names (a run was stopped while writing?)"
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
