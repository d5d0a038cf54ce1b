"""The library's entry points: a path or bytes in, the document record and its tasks out."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DocumentError, EmptyDocumentError, SourceNotFoundError
from pipeline.extract import extract
from pipeline.loaders import format_for, load_bytes
from pipeline.loaders.base import document_id, sha256_of
from pipeline.model import Document, ExtractionResult
from pipeline.resources import Resources, load_resources
from pipeline.segment import segment
from pipeline.settings import Settings
from pipeline.structure import analyse


@dataclass(frozen=True)
class Source:
    """One input of a batch: a file found on disk, or a path that does not exist."""

    path: Path
    source_file: str


def process_document(document: Document, resources: Resources) -> ExtractionResult:
    """Structure, segment and extract a loaded document."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    analyse(document)
    segment(document, resources)
    t1 = time.perf_counter()
    tasks = extract(document, resources)
    t2 = time.perf_counter()
    seconds.update(segment=t1 - t0, extract=t2 - t1)
    return ExtractionResult(source_file=document.source_file, document=document, tasks=tasks,
                            format=document.format, sha256=document.sha256, seconds=seconds)


def extract_bytes(data: bytes, source_file: str, resources: Resources | None = None) -> ExtractionResult:
    """Read one document from its bytes; raises a `DocumentError` if it cannot be read.

    ``source_file`` names the document and its suffix picks the loader (``.txt``, ``.html``, ``.md``).
    """
    resources = resources or load_resources()
    t0 = time.perf_counter()
    document = load_bytes(data, source_file, resources.settings)
    load_seconds = time.perf_counter() - t0
    result = process_document(document, resources)
    result.seconds["load"] = load_seconds
    return result


def extract_file(path: str | Path, resources: Resources | None = None, source_file: str | None = None) -> ExtractionResult:
    """Read one file; raises a `DocumentError` (naming the file) if it cannot be read."""
    path = Path(path)
    name = source_file or str(path)
    resources = resources or load_resources()
    data = _read(path, name, resources.settings)
    return extract_bytes(data, name, resources)


def process_source(source: Source, resources: Resources) -> ExtractionResult:
    """Like `extract_file`, but never raises: a failure becomes a result with a non-ok status."""
    try:
        return extract_file(source.path, resources, source.source_file)
    except DocumentError as exc:
        return ExtractionResult(source_file=source.source_file, document=None, tasks=[], status=exc.status,  # type: ignore[arg-type]
                                error=str(exc), format=format_for(source.source_file), sha256=_sha_or_none(source.path))
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return ExtractionResult(source_file=source.source_file, document=None, tasks=[], status="failed",
                                error=f"{source.source_file}: internal error {type(exc).__name__}: {exc} "
                                      f"(at {Path(where.filename).name}:{where.lineno})",
                                format=format_for(source.source_file), sha256=_sha_or_none(source.path))


def _sha_or_none(path: Path) -> str | None:
    try:
        return sha256_of(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


def _read(path: Path, name: str, settings: Settings) -> bytes:
    if not path.exists():
        raise SourceNotFoundError(name, "no such file or folder")
    if not path.is_file():
        raise SourceNotFoundError(name, "not a regular file")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise DocumentError(name, f"file is {size} bytes, above the limit of {settings.max_file_bytes} "
                                  f"(setting max_file_bytes)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise EmptyDocumentError(name, "the file is empty", document_id(sha256_of(data)))
    return data


def collect_sources(paths: list[str | Path], settings: Settings) -> list[Source]:
    """Files named on the command line as given; folders scanned recursively for the
    suffixes in ``settings.scan_suffixes`` (hidden files skipped), sorted. A path that does
    not exist is kept, so that the batch reports it."""
    sources: list[Source] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and not any(part.startswith(".") for part in p.relative_to(path).parts)
                           and p.suffix.lower() in settings.scan_suffixes)
            for p in found:
                if p.resolve() not in seen:
                    seen.add(p.resolve())
                    sources.append(Source(p, str(p)))
        elif path.resolve() not in seen:
            seen.add(path.resolve())
            sources.append(Source(path, str(raw)))
    return sources
