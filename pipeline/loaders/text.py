"""Plain text circulars: one paragraph per line.

A page saved by a crawler opens with the crawler's own header (``标题: …``, ``发布时间: …``,
``文号: …`` lines, then a separator line): it is read into ``source_metadata`` with the labels
every loader shares (`pipeline.loaders.metadata`) and kept as furniture, not as the document's
first lines.
"""

from __future__ import annotations

from pipeline.loaders.base import Paragraph, build_document, decode_text
from pipeline.loaders.metadata import crawler_header
from pipeline.model import Document
from pipeline.settings import Settings


def load_text(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    lines = decode_text(data, source_file).splitlines()
    metadata, header_lines = crawler_header(lines)
    paragraphs = [Paragraph(line, role="furniture" if n < header_lines else "body") for n, line in enumerate(lines)]
    return build_document(source_file, data, "txt", paragraphs, metadata)
