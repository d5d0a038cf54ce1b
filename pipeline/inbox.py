"""An inbox folder as a batch sees it: the files ready to read, and those left for the next tick.

Staff and mail gateways drop circulars into a folder while a schedule reads it. A file is
ready when it is a regular file that is not hidden (``.x``), not an editor's or a download's
temporary file (``~$x.docx``, ``.~lock.x#``, ``x.part``, ``x.crdownload``, ``x~``), and whose size and
modification time stay the same over two looks ``settle_seconds`` apart (a copy in progress
grows between them). Everything else is left alone: the next tick looks again.

What a ready file is — new bytes, a new version of a circular seen at that path, bytes seen
before under another name, bytes whose records came from older rules — is decided with the
store (`plan_inbox`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.inputs import display_name
from pipeline.store import PathState, Store

#: names of files that are being written or belong to an editor, never circulars
_TEMPORARY = re.compile(r"^(?:~\$|\.~lock\.|~).*|.*(?:\.part|\.crdownload|\.tmp|\.swp|~|#)$", re.IGNORECASE)

Action = Literal["extract", "re-extract", "seen", "moved"]


@dataclass(frozen=True)
class InboxFile:
    """A file ready to read: where it is, the name records carry, its size and modification
    time, and its bytes' sha256."""

    path: Path
    name: str
    size: int
    mtime_ns: int = 0
    sha256: str = ""

    @property
    def stat(self) -> tuple[int, int]:
        return self.size, self.mtime_ns


@dataclass
class InboxScan:
    ready: list[InboxFile] = field(default_factory=list)
    #: names left for the next tick: still being written, or unreadable
    waiting: list[str] = field(default_factory=list)
    #: files whose size and time are those the store read last: neither hashed nor read again
    unchanged: list[InboxFile] = field(default_factory=list)


@dataclass(frozen=True)
class Planned:
    """What a batch does with one ready file."""

    file: InboxFile
    action: Action


def is_temporary(name: str) -> bool:
    return bool(_TEMPORARY.match(name))


def _look(inbox: Path) -> dict[Path, tuple[int, int]]:
    """Regular, visible, non-temporary files under ``inbox`` → (size, mtime_ns)."""
    found: dict[Path, tuple[int, int]] = {}
    for folder, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or is_temporary(name):
                continue
            path = Path(folder) / name
            try:
                st = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found[path] = (st.st_size, st.st_mtime_ns)
    return found


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def scan_inbox(inbox: Path, settle_seconds: float = 1.0, known: Mapping[str, PathState] | None = None) -> InboxScan:
    """The files of ``inbox``, sorted by name: those the store read last with the same size and
    time (``known``) are unchanged and not hashed; the others are looked at again after
    ``settle_seconds`` (a copy in progress grows between the looks) and hashed when stable."""
    known = known or {}
    first = _look(inbox)
    scan = InboxScan()
    candidates: dict[Path, tuple[str, tuple[int, int]]] = {}
    for path, look in sorted(first.items()):
        name = display_name(path.relative_to(inbox))
        state = known.get(name)
        if state is not None and (state.size, state.mtime_ns) == look:
            scan.unchanged.append(InboxFile(path, name, look[0], look[1], state.sha256))
        else:
            candidates[path] = (name, look)
    if settle_seconds > 0 and candidates:
        time.sleep(settle_seconds)
    for path, (name, look) in candidates.items():
        if _stat(path) != look:
            scan.waiting.append(name)  # its size or time changed: still being written
            continue
        try:
            scan.ready.append(InboxFile(path, name, look[0], look[1], _sha256(path)))
        except OSError:
            scan.waiting.append(name)
    return scan


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def plan_inbox(scan: InboxScan, store: Store, extractor_version: str,
               known: Mapping[str, PathState] | None = None) -> list[Planned]:
    """For each file: extract it (bytes never stored), extract it again (its records came from
    other rules), note it under its new name (bytes stored under another name), or skip it
    (an unchanged file whose records come from these rules)."""
    known = known or {}
    planned: list[Planned] = []
    extracting: set[str] = set()
    for file in scan.unchanged:
        if known[file.name].extractor_version == extractor_version:
            planned.append(Planned(file, "seen"))
        else:  # its records came from other rules (the same bytes twice: read once)
            planned.append(Planned(file, "moved" if file.sha256 in extracting else "re-extract"))
            extracting.add(file.sha256)
    for file in scan.ready:
        stored = store.version(file.sha256)
        if file.sha256 in extracting:
            action: Action = "moved"  # the same bytes twice in the inbox: read once, named twice
        elif stored is None:
            action = "extract"
        elif stored.extractor_version != extractor_version:
            action = "re-extract"
        else:
            action = "seen" if store.has_path(file.name, file.sha256) else "moved"
        if action in ("extract", "re-extract"):
            extracting.add(file.sha256)
        planned.append(Planned(file, action))
    # files named after their bytes are read first, so that a second name finds them stored
    planned.sort(key=lambda p: p.action == "moved")
    return planned
