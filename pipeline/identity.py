"""Identity that survives versions: document lineage, extractor version, task keys, diffs.

A circular is re-issued with a corrected sentence in its cover notice, or renamed, or moved to
another folder. Reviews are attached to tasks, so a task must keep its id when it did not
change:

* a **document key** names a lineage: the first version's document id. A file with bytes seen
  before belongs to that lineage wherever it lies; new bytes under a path seen before are a new
  version of the path's lineage (the store decides, `pipeline.store`);
* a **version id** is the sha256 of the bytes;
* the **extractor version** is the package version and a hash of the data files that shape
  extraction (bundled resources and the user's own cue and registry files), so a store knows
  which records came from older rules;
* a **task key** comes from the task's part, its section path without outline markers (a
  section renumbered by an insertion keeps its tasks' keys) and its normalised text; a task
  edited slightly in a new version takes the key of the previous version's task it matches
  by fuzzy comparison (`match_previous`); the record id is the document key and the task key.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from pipeline.model import Deadline, TaskRecord
from pipeline.structure import strip_marker

#: how alike two task texts must be (rapidfuzz ratio, 0–100) to count as one task edited
SAME_TASK_RATIO = 90.0
_IGNORED = re.compile(r"[\s\u3000]+")
_RESOURCES = Path(__file__).parent / "resources"


def normalised(text: str) -> str:
    """NFKC (full-width digits and letters as ASCII) without spaces: typesetting is no edit."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def task_key(task: TaskRecord) -> str:
    """The key of a task from what it is, not where it starts: part, section path without
    markers, normalised text."""
    path = "/".join(normalised(strip_marker(h)) for h in task.section_path)
    return hashlib.sha256(f"{task.part}|{path}|{normalised(task.text)}".encode()).hexdigest()[:16]


def task_keys(tasks: Iterable[TaskRecord]) -> list[str]:
    """The keys of a document's tasks in order; a task printed twice in one section gets ``-2``."""
    seen: dict[str, int] = {}
    keys = []
    for task in tasks:
        key = task_key(task)
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}-{seen[key]}")
    return keys


def record_id(document_key: str, key: str) -> str:
    return f"{document_key}-{key}"


@functools.lru_cache(maxsize=8)
def extractor_version(user_files: tuple[Path, ...] = ()) -> str:
    """``<package version>+<12 hex of the data files>``: changes when the rules change."""
    try:
        package = importlib.metadata.version("policyflow")
    except importlib.metadata.PackageNotFoundError:
        package = "0+unknown"
    digest = hashlib.sha256()
    for path in sorted(p for p in _RESOURCES.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for path in user_files:
        digest.update(str(path).encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
    return f"{package}+{digest.hexdigest()[:12]}"


def match_previous(previous: dict[str, str], current: dict[str, str]) -> dict[str, str]:
    """Current key → previous key for tasks whose key is new but whose text is the previous
    version's task edited slightly (``SAME_TASK_RATIO``); each previous task matches once.
    ``previous`` and ``current`` map keys to normalised texts."""
    free = {k: v for k, v in previous.items() if k not in current}
    matched: dict[str, str] = {}
    for key, text in current.items():
        if key in previous or not free:
            continue
        best = max(free, key=lambda k: fuzz.ratio(text, free[k]))
        if fuzz.ratio(text, free[best]) >= SAME_TASK_RATIO:
            matched[key] = best
            del free[best]
    return matched


@dataclass
class TaskChange:
    """One task whose lead, co-operating departments or 完成时限 changed between versions."""

    key: str
    title: str
    fields: dict[str, tuple[object, object]]  # field → (before, after)


@dataclass
class VersionDiff:
    """What changed from one version of a circular to the next, task by task."""

    added: list[tuple[str, str]] = field(default_factory=list)  # (key, title)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[TaskChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def _assigned(task: TaskRecord) -> dict[str, object]:
    a = task.assignment
    due: Deadline | None = task.due
    return {"lead": a.lead.surface if a and a.lead else None,
            "co": [d.surface for d in a.co] if a else [],
            "due": due.text if due else None}


def diff_versions(before: dict[str, TaskRecord], after: dict[str, TaskRecord]) -> VersionDiff:
    """Tasks added, removed, or whose lead, co-operating departments or 完成时限 changed;
    both sides keyed by task key (after `match_previous`)."""
    diff = VersionDiff()
    for key, task in after.items():
        if key not in before:
            diff.added.append((key, task.title))
            continue
        old, new = _assigned(before[key]), _assigned(task)
        changed = {f: (old[f], new[f]) for f in old if old[f] != new[f]}
        if changed:
            diff.changed.append(TaskChange(key, task.title, changed))
    diff.removed = [(key, task.title) for key, task in before.items() if key not in after]
    return diff
