"""One loader per input format, and one table from suffix or sniffed type to loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from pipeline.errors import UnsupportedFormatError
from pipeline.loaders.base import document_id, sha256_of
from pipeline.loaders.docx import load_docx, load_legacy_word
from pipeline.loaders.html import load_html
from pipeline.loaders.markdown import load_markdown
from pipeline.loaders.pdf import load_pdf
from pipeline.loaders.text import load_text
from pipeline.model import Document, Format
from pipeline.settings import Settings

#: A loader reads bytes named ``source_file`` into a `Document`; settings may change how
#: (OCR, size limits). It raises the typed errors of `pipeline.errors`.
Loader = Callable[[bytes, str, Settings | None], Document]

#: Suffix → (format, loader).
LOADERS: dict[str, tuple[Format, Loader]] = {
    ".txt": ("txt", load_text),
    ".text": ("txt", load_text),
    ".html": ("html", load_html),
    ".htm": ("html", load_html),
    ".xhtml": ("html", load_html),
    ".md": ("markdown", load_markdown),
    ".markdown": ("markdown", load_markdown),
    ".pdf": ("pdf", load_pdf),
    ".docx": ("docx", load_docx),
    ".doc": ("other", load_legacy_word),
    ".wps": ("other", load_legacy_word),
}



def format_for(source_file: str) -> Format:
    suffix = PurePath(source_file).suffix.lower()
    return LOADERS[suffix][0] if suffix in LOADERS else "other"


def sniff_loader(data: bytes) -> tuple[Format, Loader] | None:
    """Guess a loader from the first bytes when the suffix says nothing."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html", load_html
    if head.startswith(b"---"):
        return "markdown", load_markdown
    return None


def load_bytes(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    """Load a document from its bytes; ``source_file`` names it and its suffix picks the loader."""
    suffix = PurePath(source_file).suffix.lower()
    if suffix in LOADERS:
        return LOADERS[suffix][1](data, source_file, settings)
    sniffed = sniff_loader(data) if not suffix else None
    if sniffed is not None:
        return sniffed[1](data, source_file, settings)
    what = f"suffix {suffix!r}" if suffix else "a file without a suffix"
    raise UnsupportedFormatError(source_file, f"{what} is not a format policyflow reads "
                                 f"(txt, html, md, pdf, docx, doc, wps)", document_id(sha256_of(data)))
