"""Finding the inputs of a batch: every file a user named or left in a folder gets a `Source`,
and every file that cannot be read says why, so that nothing is lost without a line.

A folder is walked without recursion in Python (an explicit stack), following symbolic links
to folders once (a link loop is seen and reported, not followed forever). What the walk meets:

- a file with a suffix of ``Settings.scan_suffixes``: a `Source`;
- a dangling link, a FIFO, a socket or a device with such a suffix, a folder that cannot be
  listed: a `Source` with ``problem`` set, which the batch reports as ``failed`` without
  opening it (opening a FIFO would block);
- a file of another kind: counted in `InputScan.skipped`, so the run can say so;
- hidden files and folders (a name starting with ``.``, editor locks ``~$x.docx``): left alone.
"""

from __future__ import annotations

import base64
import errno
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.settings import Settings


@dataclass(frozen=True)
class Source:
    """One input of a batch.

    ``path`` is where the bytes are; ``source_file`` is the name records carry (always valid
    Unicode, see `display_name`); ``problem`` says why the path cannot be read, if known
    before reading it."""

    path: Path
    source_file: str
    problem: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """A JSON-safe form (an orchestrator sends it between processes): a path that is not
        valid Unicode travels as the base64 of its bytes."""
        text = str(self.path)
        try:
            text.encode("utf-8")
            path, raw = text, None
        except UnicodeEncodeError:
            path, raw = None, base64.b64encode(os.fsencode(text)).decode("ascii")
        return {"path": path, "path_bytes": raw, "source_file": self.source_file, "problem": self.problem}

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> Source:
        raw = data.get("path_bytes")
        path = Path(os.fsdecode(base64.b64decode(raw))) if raw else Path(data["path"] or "")
        return cls(path, data["source_file"] or str(path), data.get("problem"))


@dataclass
class InputScan:
    """What a scan of the paths found: the sources in order, and the files left out."""

    sources: list[Source] = field(default_factory=list)
    #: Files whose suffix is not a format policyflow reads (by name, for the run's summary).
    skipped: list[str] = field(default_factory=list)


def display_name(path: str | Path) -> str:
    """The name of ``path`` as valid Unicode text.

    A file name that is not UTF-8 (a GBK name, as ``unzip`` leaves from an archive made on
    Chinese Windows) reaches Python with lone surrogates, which cannot be written to a UTF-8
    file. It is decoded as GB18030 when that reads, else its odd bytes are shown as ``\\xNN``.
    """
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


def printable_name(name: str) -> str:
    """``name`` safe to print on a terminal: control and bidi-override characters escaped."""
    return "".join(_escaped(ch) if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in name)


def _escaped(ch: str) -> str:
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def scan_inputs(paths: list[str | Path], settings: Settings) -> InputScan:
    """Files named as given (whatever their suffix), folders walked; sorted within a folder,
    each file once even when reached twice."""
    scan = InputScan()
    seen: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(raw)
        try:
            st = path.stat()
        except FileNotFoundError:
            problem = "dangling symbolic link" if path.is_symlink() else None
            scan.sources.append(Source(path, display_name(raw), problem))
            continue
        except OSError as exc:
            scan.sources.append(Source(path, display_name(raw), _os_problem(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(path, settings, scan, seen)
        elif (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            scan.sources.append(Source(path, display_name(raw), _kind_problem(st.st_mode)))
    return scan


def collect_sources(paths: list[str | Path], settings: Settings) -> list[Source]:
    """The sources of `scan_inputs`, without the list of skipped files."""
    return scan_inputs(paths, settings).sources


def _walk(root: Path, settings: Settings, scan: InputScan, seen: set[tuple[int, int]]) -> None:
    folders: list[Path] = [root]
    visited: set[tuple[int, int]] = set()
    while folders:
        folder = folders.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:
                continue  # a link back to a folder already walked
            visited.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            scan.sources.append(Source(folder, display_name(folder), f"cannot list the folder: {_os_problem(exc)}"))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(path)
                continue
            if path.suffix.lower() not in settings.scan_suffixes:
                scan.skipped.append(display_name(path))
                continue
            try:
                st = entry.stat()
            except FileNotFoundError:
                scan.sources.append(Source(path, display_name(path), "dangling symbolic link"))
                continue
            except OSError as exc:
                scan.sources.append(Source(path, display_name(path), _os_problem(exc)))
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            scan.sources.append(Source(path, display_name(path), _kind_problem(st.st_mode)))
        # depth first, in name order: the stack pops the first subfolder next
        folders.extend(reversed(subfolders))


def _kind_problem(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
    return f"not a regular file ({kind}); not opened"


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return exc.strerror or str(exc)
