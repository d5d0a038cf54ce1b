"""The library's entry points: a path or bytes in, the document record and its tasks out."""

from __future__ import annotations

import hashlib
import time
import traceback
from pathlib import Path

from pipeline.errors import DocumentError, EmptyDocumentError, LimitExceededError, SourceNotFoundError
from pipeline.extract import extract
from pipeline.inputs import Source
from pipeline.loaders import format_for, load_bytes
from pipeline.loaders.base import document_id, sha256_of
from pipeline.model import Document, ExtractionResult
from pipeline.resources import Resources, load_resources
from pipeline.segment import segment
from pipeline.settings import Settings
from pipeline.structure import analyse


def process_document(document: Document, resources: Resources) -> ExtractionResult:
    """Structure, segment and extract a loaded document."""
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    analyse(document, resources.cues)
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
    if len(document.text) > resources.settings.max_text_chars:
        raise LimitExceededError(source_file, f"the text has {len(document.text):,} characters",
                                 resources.settings.max_text_chars, "max_text_chars", document.id)
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
        if source.problem:
            raise DocumentError(source.source_file, source.problem)
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
    """The sha256 of a regular file, read in chunks (it may be far larger than any limit)."""
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None


def _read(path: Path, name: str, settings: Settings) -> bytes:
    if not path.exists():
        raise SourceNotFoundError(name, "no such file or folder")
    if not path.is_file():
        raise DocumentError(name, "not a regular file; not opened")
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise LimitExceededError(name, f"the file has {size:,} bytes", settings.max_file_bytes, "max_file_bytes")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(name, f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise EmptyDocumentError(name, "the file is empty", document_id(sha256_of(data)))
    return data
