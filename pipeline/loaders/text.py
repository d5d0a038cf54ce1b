"""Plain text circulars: one paragraph per line.

A page saved by a crawler opens with the crawler's own header (``标题: …``, ``发布时间: …``,
``文号: …`` lines, then a separator line): it is read into ``source_metadata`` with the labels
every loader shares (`pipeline.loaders.metadata`) and kept as furniture, not as the document's
first lines.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pipeline.grammar import FIELD_LABEL
from pipeline.loaders.base import Paragraph, build_document, decode_text
from pipeline.loaders.metadata import crawler_header
from pipeline.model import Document
from pipeline.resources import bundled_cues
from pipeline.settings import Settings
from pipeline.structure import DATE_LINE, DOC_NUMBER, outline_marker

#: marks that close a line of its own; a long line that ends otherwise in a hard-wrapped text goes on
_CLOSING_MARKS = "。；！？：:;!?）)】」』”》…—"
_LONG_LINE = 15  # characters of a line that could have been wrapped at a fixed width
_SHORT_LINE = 8  # a shorter line (a signature, a date) stands on its own
_WRAPPED_LINES = 4
_WRAPPED_SHARE = 0.3
_NARROWEST_WRAP = 20  # characters: a text wrapped narrower is no text wrapped at a width
_AT_WIDTH_SHARE = 0.35
#: columns of a table typed with spaces are set apart by at least two
_COLUMN_GAP = re.compile(r"[ \u3000\t]{2,}|\t")
#: a cell starts within this many display columns of its header's start
_ALIGN_TOLERANCE = 3
#: some cell of a table's rows is running text at least this long
_TEXT_CELL = 14


def load_text(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    lines = decode_text(data, source_file).splitlines()
    metadata, header_lines = crawler_header(lines)
    paragraphs = [Paragraph(line, role="furniture") for line in lines[:header_lines]]
    paragraphs += aligned_tables(unwrap(lines[header_lines:]))
    return build_document(source_file, data, "txt", paragraphs, metadata)


def unwrap(lines: list[str]) -> list[str]:
    """The lines of a text hard-wrapped at a fixed width (copied from a PDF or a mail: lines
    broken mid-sentence, mid-name, inside a bracket) joined into their paragraphs. Only a text
    whose long lines often end without a closing mark is read so; there a line goes on with the
    next unless that one opens a paragraph (an indent, an outline marker, a label, a date)."""
    long = [line.strip(" \u3000") for line in lines if len(line.strip(" \u3000")) >= _LONG_LINE]
    open_ended = [len(line) for line in long if line[-1] not in _CLOSING_MARKS]
    if len(open_ended) < _WRAPPED_LINES or len(open_ended) < _WRAPPED_SHARE * len(long):
        return lines  # most texts: one paragraph per line
    # a wrap width: many of the lines that break off end at one length (a page's menu, a list
    # of names, lines of their own, end wherever their words end)
    width = max(set(open_ended), key=open_ended.count)
    at_width = sum(abs(n - width) <= 1 for n in open_ended)
    if width < _NARROWEST_WRAP or at_width < _WRAPPED_LINES or at_width < _AT_WIDTH_SHARE * len(open_ended):
        return lines
    joined: list[str] = []
    for line in lines:
        previous = joined[-1].rstrip(" \u3000") if joined else ""
        if len(previous.strip(" \u3000")) >= _SHORT_LINE and previous[-1] not in _CLOSING_MARKS \
                and not _is_title(previous) and line.strip() and not _opens_a_paragraph(line):
            joined[-1] = previous + line.strip(" \u3000")
            continue
        joined.append(line)
    return joined


def _opens_a_paragraph(line: str) -> bool:
    if line[:1] in " \u3000\t" or _COLUMN_GAP.search(line.strip()):
        return True  # an indented first line, or a row of a table typed with spaces
    text = line.strip()
    # an outline marker, a label, a date line, a document number, an addressee line (各乡镇人民政府：)
    return bool(outline_marker(text) or FIELD_LABEL.match(text) or DATE_LINE.match(text)
                or DOC_NUMBER.match(text)) or text[-1] in "：:"


def _is_title(line: str) -> bool:
    """关于印发…的通知, …工作方案: a line without a clause mark that ends in a genre word is a
    title, no wrapped line; a masthead (…文件) stands alone too."""
    return line.endswith(_title_ends()) and not any(m in line for m in "，。；")


@functools.lru_cache(maxsize=1)
def _title_ends() -> tuple[str, ...]:
    return (*bundled_cues().raw["genres"]["words"], "文件")


def aligned_tables(lines: list[str]) -> list[Paragraph]:
    """Paragraphs of plain text, where a table typed with spaces (a header of three or more
    columns, then rows whose cells start under the header's columns) becomes table rows."""
    paragraphs: list[Paragraph] = []
    tables = 0
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        rows: list[list[str]] = []
        fields = _tab_fields(lines[i])
        if fields is not None:
            # a table typed with tabs: a row is a line with as many tab-separated fields
            header = [(n, text) for n, text in enumerate(fields)]
            j = i + 1
            while j < len(lines) and (row := _tab_fields(lines[j])) is not None and len(row) == len(fields):
                rows.append(row)
                j += 1
        elif len(header) >= 3:
            starts = [start for start, _ in header]
            j = i + 1
            while j < len(lines) and (row := _aligned(_cells(lines[j]), starts)) is not None:
                rows.append(row)
                j += 1
        # rows of names side by side (a joint signature) are no table: a table holds text
        if len(rows) >= 2 and max(len(cell) for row in rows for cell in row) >= _TEXT_CELL:
            paragraphs.append(Paragraph(cells=[text for _, text in header], table=tables))
            paragraphs += [Paragraph(cells=row, table=tables) for row in rows]
            tables += 1
            i += len(rows) + 1
            continue
        paragraphs.append(Paragraph(lines[i]))
        i += 1
    return paragraphs


def _tab_fields(line: str) -> list[str] | None:
    """The fields of a line typed with tabs between them (three or more), or None."""
    if "\t" not in line:
        return None
    fields = [f.strip(" \u3000") for f in line.strip(" \u3000\r").split("\t")]
    return fields if len(fields) >= 3 and sum(bool(f) for f in fields) >= 3 else None


def _cells(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each stretch of ``line`` between gaps of two spaces or more."""
    cells: list[tuple[int, str]] = []
    if not _COLUMN_GAP.search(line.strip()):
        return cells
    position, column = 0, 0
    for match in _COLUMN_GAP.finditer(line + "  "):
        text = line[position:match.start()]
        if text.strip():
            cells.append((column + _width(text) - _width(text.lstrip()), text.strip()))
        column += _width(line[position:match.end()])
        position = match.end()
    return cells


def _aligned(cells: list[tuple[int, str]], starts: list[int]) -> list[str] | None:
    """The row's text by header column, or None when it is no row of this table."""
    if len(cells) < 2:
        return None
    row = [""] * len(starts)
    for start, text in cells:
        column = min(range(len(starts)), key=lambda k: abs(starts[k] - start))
        if abs(starts[column] - start) > _ALIGN_TOLERANCE and start < starts[column]:
            return None
        row[column] = f"{row[column]} {text}".strip()
    return row


def _width(text: str) -> int:
    """Display width: wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
