"""What every loader shares: reading bytes, ids, and building the normalised `Document`."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.errors import DecodeError, EmptyDocumentError, LimitExceededError
from pipeline.layout import recover_lines
from pipeline.loaders.metadata import is_page_info_line
from pipeline.model import Block, BlockRole, Document, Format
from pipeline.settings import Settings

# zero-width characters, the BOM, carriage returns and control characters carry no text
_NO_TEXT = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE_CHARS = " \t\u00a0\u2002\u2003\u2009"
# a run of spaces with an ideographic one becomes one ideographic space; any other run of two
# or more, or a lone tab or odd space, one space (two passes without a Python callback)
_IDEOGRAPHIC_RUN = re.compile(f"[{_SPACE_CHARS}]*\u3000[{_SPACE_CHARS}\u3000]*")
_SPACE_RUN = re.compile(f"[{_SPACE_CHARS}]{{2,}}|[\t\u00a0\u2002\u2003\u2009]")
# what normalisation changes: a character that carries no text, an odd space, two spaces together
#: a half-width mark after a Chinese character (or its closing quote or bracket): a comma, a
#: semicolon, a colon, a question or exclamation mark; a full stop only where a sentence ends
#: (before a space, the end, or more Chinese), not inside 1.5 or www.example.cn
_HALF_WIDTH_MARK = re.compile(r"(?<=[\u4e00-\u9fff”’）》)\]])(?:[,;:?!]|\.(?=$|[\s\u4e00-\u9fff“‘（《]))[ \t]*")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
_NEEDS_NORMALISING = re.compile(f"{_NO_TEXT.pattern}|[\t\u00a0\u2002\u2003\u2009]|[ \u3000][ \u3000]")
# a line break inside a table cell is layout: joined without a space between Chinese text
_CELL_BREAK = re.compile(r"(?<=[\u4e00-\u9fff，。；、：“”（）])\s*\n\s*(?=[\u4e00-\u9fff，。；、：“”（）])")
#: where a cell's own paragraphs meet (DOCX paragraphs, HTML <br> or <p> in a cell): unlike a
#: line a PDF wraps, the writer broke the line, so short lines are the items of a list
CELL_LINE_BREAK = "\u2028"
#: where a PDF cell's line met the cell's edge and went on below: a long name wrapping, or a
#: name that filled the line and the next one (第一水厂 / 第二水厂 in a column four characters
#: wide). Not kept in the text; `Block.wraps` keeps its place for the grammar of names to decide.
CELL_WRAP = "\u2029"
_LIST_LINE = 25  # characters of a line that can be one item of a list (a name, a date)
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Paragraph:
    """A paragraph as a loader found it, before normalisation.

    A table row is a paragraph with ``cells`` (the text of each cell in column order, a
    merged cell repeated in every column it spans) and ``table`` (the index of its table in
    the document, so that rows of one table, even across pages, stay together).
    ``emphasis`` lists the pieces set in bold; `build_document` finds them in the normalised
    lines, so a loader need not track offsets through normalisation.
    """

    text: str = ""
    page: int | None = None
    role: BlockRole = "body"
    cells: list[str] | None = None
    table: int | None = None
    #: the pieces of its text set in bold, as the source prints them, in order
    emphasis: list[str] = field(default_factory=list)


def document_id(sha256: str) -> str:
    """The id of a document: the first 16 hex digits of the sha256 of its bytes."""
    return sha256[:16]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalise_line(text: str) -> str:
    """One paragraph on one line: indentation gone, runs of spaces one space, and the half-width
    punctuation of Chinese text typed on a Western keyboard (…组织实施., (A牵头,B配合)) in its
    full-width form, which every grammar of the stages reads.

    A run that holds an ideographic space stays one ideographic space: joint signatures
    (国务院办公厅　中央军委办公厅) are separated that way.
    """
    if _HALF_WIDTH_MARK.search(text):
        # the full-width mark holds its own space: the spaces typed after the half-width one go
        text = _HALF_WIDTH_MARK.sub(lambda m: _FULL_WIDTH[m.group()[0]], text)
    text = text.strip(" \u3000\n")
    if _NEEDS_NORMALISING.search(text) is None:
        return text  # most lines: nothing but the indentation to take away
    text = _NO_TEXT.sub("", text)
    if "\u3000" in text:
        text = _IDEOGRAPHIC_RUN.sub("\u3000", text)
    text = _SPACE_RUN.sub(" ", text)
    return text.strip(" \u3000\n")


def _cell_lines(cell: str) -> str:
    """A cell's own lines on one line: short lines of Chinese text (第一水厂 / 第二水厂) are the
    items of a list and are joined by 、, other Chinese lines run on, the rest get a space."""
    if CELL_LINE_BREAK not in cell:
        return cell
    lines = [line.strip(" \u3000") for line in cell.split(CELL_LINE_BREAK)]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    joined = lines[0]
    for before, line in itertools.pairwise(lines):
        chinese = bool(_HAN_CHAR.fullmatch(before[-1]) and _HAN_CHAR.fullmatch(line[0]))
        if chinese and len(before) <= _LIST_LINE and len(line) <= _LIST_LINE:
            joined += "、" + line
        else:
            joined += ("" if chinese or before[-1] in "，。；：、" else " ") + line
    return joined


def _wrap_offsets(cell: str, start: int) -> list[int]:
    """Where the `CELL_WRAP` marks of ``cell`` fall once they are taken out, from ``start``."""
    offsets = []
    for taken, at in enumerate(i for i, ch in enumerate(cell) if ch == CELL_WRAP):
        offsets.append(start + at - taken)
    return offsets


def build_document(source_file: str, data: bytes, fmt: Format, paragraphs: Iterable[Paragraph],
                   source_metadata: dict[str, str] | None = None,
                   warnings: list[str] | None = None) -> Document:
    """Join normalised paragraphs with newlines into one text and record each as a block."""
    sha = sha256_of(data)
    pieces: list[str] = []
    blocks: list[Block] = []
    emphasis: list[tuple[int, int]] = []
    offset = 0
    for paragraph in paragraphs:
        first_block = len(blocks)
        if paragraph.cells is not None:
            marked = [normalise_line(_cell_lines(_CELL_BREAK.sub("", c).replace("\n", " "))) for c in paragraph.cells]
            cells = [c.replace(CELL_WRAP, "") for c in marked]
            if not any(cells):
                continue
            if pieces:
                offset += 1
            spans, wraps, cursor = [], [], offset
            for cell, with_wraps in zip(cells, marked, strict=True):
                spans.append((cursor, cursor + len(cell)))
                wraps += _wrap_offsets(with_wraps, cursor)
                cursor += len(cell) + 1  # the tab between cells
            line = "\t".join(cells)
            blocks.append(Block(start=offset, end=offset + len(line), role="table_row", page=paragraph.page,
                                table=paragraph.table, cells=spans, wraps=wraps or None))
            pieces.append(line)
            offset += len(line)
            if paragraph.emphasis:
                emphasis += _locate(paragraph.emphasis, blocks[first_block:], pieces[first_block:])
            continue
        lines = (piece for raw in paragraph.text.split("\n") for piece in recover_lines(normalise_line(raw)))
        for line in lines:
            if not line:
                continue
            if pieces:
                offset += 1  # the newline before this paragraph
            # 来源：…　发布时间：…: the page's information line is furniture wherever it stands
            role = "furniture" if paragraph.role == "body" and is_page_info_line(line) else paragraph.role
            blocks.append(Block(start=offset, end=offset + len(line), role=role, page=paragraph.page))
            pieces.append(line)
            offset += len(line)
        if paragraph.emphasis:
            emphasis += _locate(paragraph.emphasis, blocks[first_block:], pieces[first_block:])
    text = "\n".join(pieces)
    doc = Document(id=document_id(sha), source_file=source_file, sha256=sha, format=fmt, text=text,
                   blocks=blocks, source_metadata=dict(source_metadata or {}), warnings=list(warnings or []),
                   emphasis=emphasis)
    if not any(b.role in ("body", "table_row") for b in blocks):
        raise EmptyDocumentError(source_file, "no text found", doc.id)
    return doc


_LINES_AHEAD = 8


def _locate(fragments: list[str], blocks: list[Block], lines: list[str]) -> list[tuple[int, int]]:
    """Where the bold ``fragments`` of one paragraph stand in the lines it became, in order
    (a fragment found nowhere, such as one the layout split, is left out)."""
    found: list[tuple[int, int]] = []
    line_at, cursor = 0, 0
    for fragment in fragments:
        words = normalise_line(_CELL_BREAK.sub("", fragment).replace("\n", " "))
        if not words:
            continue
        # a few lines ahead at most: the pieces come in order, and one that was never found
        # must not cost a scan of the rest of a long run-on paragraph
        for index in range(line_at, min(len(lines), line_at + _LINES_AHEAD)):
            at = lines[index].find(words, cursor if index == line_at else 0)
            if at >= 0:
                start = blocks[index].start + at
                if found and found[-1][1] == start:  # two bold runs side by side are one stretch
                    start = found.pop()[0]
                found.append((start, blocks[index].start + at + len(words)))
                line_at, cursor = index, at + len(words)
                break
    return found


def decode_text(data: bytes, source_file: str) -> str:
    """Bytes to str: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK).

    Raises DecodeError for binary data or bytes that are text in none of these encodings.
    """
    if not data.strip():
        raise EmptyDocumentError(source_file, "the file is empty", document_id(sha256_of(data)))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(source_file, f"bad UTF-16 text: {exc}", document_id(sha256_of(data))) from exc
    if b"\x00" in data[:8192]:
        raise DecodeError(source_file, "binary data, not text (NUL bytes)", document_id(sha256_of(data)))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise DecodeError(source_file, "not text in UTF-8, GBK or GB18030", document_id(sha256_of(data)))


#: control characters other than line and page breaks, private-use and special code points
_ODD_CHARACTER = re.compile("[\x00-\x08\x0b\x0e-\x1f\ue000-\uf8ff\ufff0-\uffff]")


def _looks_like_text(text: str) -> bool:
    """Guard against binary that happens to decode: control characters and unassigned or
    private-use code points are rare in real text."""
    if not text:
        return False
    odd = sum(1 for _ in _ODD_CHARACTER.finditer(text))
    return odd / len(text) < 0.01


class TextBudget:
    """The characters of text a loader has produced so far, checked against
    ``Settings.max_text_chars`` as it goes.

    A merged table cell is repeated in every cell it spans, so a small page can expand to far
    more text than it holds; counting while expanding refuses it before memory grows.
    """

    def __init__(self, settings: Settings, source_file: str, document_id: str | None = None) -> None:
        self.limit = settings.max_text_chars
        self.source_file = source_file
        self.document_id = document_id
        self.spent = -1  # a paragraph is counted with the newline before it; the first has none

    def spend(self, chars: int, why: str = "") -> None:
        """Count ``chars`` more characters; past the limit, raise `LimitExceededError`."""
        self.spent += chars
        if self.spent > self.limit:
            raise LimitExceededError(self.source_file, f"the text reaches {self.spent:,} characters before the "
                                     f"end of the document{why}", self.limit, "max_text_chars", self.document_id)
