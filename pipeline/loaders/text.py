"""Plain text circulars: one paragraph per line."""

from __future__ import annotations

from pipeline.loaders.base import Paragraph, build_document, decode_text
from pipeline.model import Document
from pipeline.settings import Settings


def load_text(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    text = decode_text(data, source_file)
    return build_document(source_file, data, "txt", [Paragraph(line) for line in text.splitlines()])
