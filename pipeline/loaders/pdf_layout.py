"""A PDF page's content in reading order, and the pages' lines joined into paragraphs.

GB/T 9704 sets a circular on A4 in one column: body lines justified between fixed margins,
the first line of each paragraph indented by two characters, headings with outline markers,
title, 发文字号, signature and date centred or right-aligned, a page number (— 3 —) below the
text block, and the 版记 (抄送, 印发 lines between horizontal rules) at the foot of the last
page. From the lines and ruled tables of each page (whichever library read them) this module

* puts tables and the lines outside them in reading order (`page_content`);
* keeps page numbers, running headers and footers and the 版记 as furniture (`mark_furniture`);
* gives each table a document-wide index; a table that goes on over a page break keeps its
  index and loses a repeated header row (`number_tables`);
* joins lines into paragraphs, across pages too (`paragraphs`; `_starts_paragraph` lists the rules).
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.grammar import CLOSING_BRACKETS, OPENING_BRACKETS
from pipeline.loaders.base import CELL_LINE_BREAK, CELL_WRAP, Paragraph
from pipeline.loaders.pdf_lines import Char, Line, group_lines, join_lines
from pipeline.numerals import CN_NUM
from pipeline.structure import outline_marker

_MM = 72 / 25.4
_PAGE_NUMBER = re.compile(r"[-—–－―~～]*[0-9０-９]{1,4}[-—–－―~～]*|第[0-9０-９]{1,4}页(?:[，,/]?共[0-9０-９]{1,4}页)?"
                          r"|[0-9]{1,4}/[0-9]{1,4}")
_IMPRINT_START = re.compile(r"^(?:抄送|抄报|分送|主题词)[：:]")
_IMPRINT_LINE = re.compile(rf"(?:[0-9０-９]{{4}}|[{CN_NUM}]{{4}})年.{{1,6}}月.{{1,6}}日印发$")
_ATTACHMENT = re.compile(r"^附\s*件")
_CLAUSE_END = ("。", "；", "：", "！", "？", "）", ")", "”")
#: a line that stops at one of these has not ended its sentence
_LIST_GOES_ON = ("、", "，", ",")
#: A box (x0, top, x1, bottom) in points, top-down.
Box = tuple[float, float, float, float]


@dataclass
class Table:
    """A ruled table found on one page: its rows of cell texts and where it starts."""

    rows: list[list[str]]
    top: float
    page: int
    index: int = -1
    #: the runs each row sets in bold, row by row
    emphasis: list[list[str]] = field(default_factory=list)


@dataclass
class Page:
    """What one page holds, in reading order, and its full-width horizontal rules."""

    number: int
    width: float
    height: float
    items: list[Line | Table] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)

    def lines(self) -> list[Line]:
        """The text lines of the page, without its tables."""
        return [item for item in self.items if isinstance(item, Line)]


@dataclass(frozen=True)
class _Geometry:
    """The text block of the document: left and right margins, and the usual gap between lines."""

    left: float
    right: float
    gap: float

    def centred(self, line: Line) -> bool:
        """Is the line centred in the text block (not flush with the left margin)?"""
        lead, trail = line.x0 - self.left, self.right - line.x1
        return lead > 0.5 * line.size and abs(lead - trail) <= max(line.size, 0.1 * (lead + trail))


# ---- one page -------------------------------------------------------------------------------

def page_content(number: int, width: float, height: float, chars: list[Char], tables: Sequence[Any],
                 rules: list[tuple[float, float, float]]) -> Page:
    """Tables (pdfplumber's, found on the page's ruling lines) and the lines outside them,
    sorted top to bottom (one column)."""
    content = Page(number=number, width=width, height=height, rules=rules)
    boxes: list[Box] = []
    for table in tables:
        read = _table_rows(table, chars)
        if read is None:
            continue
        bbox = table.bbox
        boxes.append(bbox)
        content.items.append(Table(rows=read[0], top=float(bbox[1]), page=number, emphasis=read[1]))
    outside = [ch for ch in chars if not any(_inside(ch, box) for box in boxes)] if boxes else chars
    content.items.extend(group_lines(outside, number))
    content.items.sort(key=lambda item: item.top)
    return content


def _middle(ch: Char) -> float:
    return (ch.top + ch.bottom) / 2


def _inside(ch: Char, box: Box) -> bool:
    """Is the middle of the character inside the box (x0, top, x1, bottom)?"""
    x, y = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _table_rows(table: Any, chars: list[Char]) -> tuple[list[list[str]], list[list[str]]] | None:
    """Cell texts of each row, and the runs each row sets in bold; a cell merged across
    columns or down across rows is repeated in each it covers, as the Word and HTML loaders
    repeat theirs. None for a ruled box that is no table (one cell, or no text)."""
    rows = table.rows
    width = max((len(row.cells) for row in rows), default=0)
    if width == 0 or (len(rows) < 2 and width < 2):
        return None
    starts = _column_starts(rows, width)
    bbox = table.bbox  # computed from the cells at each access
    inner = sorted((ch for ch in chars if _inside(ch, bbox)), key=_middle)
    middles = [_middle(ch) for ch in inner]
    result: list[list[str]] = []
    emphasis: list[list[str]] = []
    above: dict[int, tuple[float, str]] = {}  # column → (bottom, text) of the last cell read there
    for row in rows:
        cells: list[str] = []
        bold: list[str] = []
        top, bottom = float(row.bbox[1]), float(row.bbox[3])
        band = inner[bisect.bisect_left(middles, top):bisect.bisect_right(middles, bottom)]
        for j, box in enumerate(row.cells):
            if box is not None:
                lines = group_lines([c for c in band if _inside(c, box)], 0)
                cells.append(_cell_text(lines, box) if lines else "")
                bold += [run for line in lines for run in line.emphasis]
                above[j] = (float(box[3]), cells[-1])
                continue
            left = next((row.cells[k] for k in range(j - 1, -1, -1) if row.cells[k] is not None), None)
            spans = left is not None and left[2] > starts[j] + 1
            if spans and cells:
                cells.append(cells[-1])
            elif j in above and above[j][0] > top + 1:
                cells.append(above[j][1])  # a cell merged down from a row above reaches into this one
            else:
                cells.append("")
        result.append(cells)
        emphasis.append(bold)
    return (result, emphasis) if any(any(cells) for cells in result) else None


def _cell_text(lines: list[Line], box: Any) -> str:
    """A cell's lines: a line that ends short of the cell's right edge, where the next line's
    first word would still have fitted, was broken by the writer (第一水厂 / 第二水厂: the items
    of a list, see `CELL_LINE_BREAK`); the others wrap and run on."""
    left, right = float(box[0]), float(box[2])
    padding = min(min(max(line.x0 - left, 0.0) for line in lines), lines[0].size)
    room = right - padding
    runs: list[list[Line]] = [[lines[0]]]
    for above, line in itertools.pairwise(lines):
        # a mark that may not open a line travels with the word before it (检 / 查，)
        marks = len(line.text) - 1 - len(line.text[1:].lstrip(_NO_LINE_START))
        first = line.first_word + marks * line.size
        if above.x1 + first < room - _WRAP_TOLERANCE * line.size:
            runs.append([line])
        else:
            runs[-1].append(line)
    return CELL_LINE_BREAK.join(join_lines(run, CELL_WRAP) for run in runs)


#: the part of a character's width a line may fall short of the cell's edge and still be full
_WRAP_TOLERANCE = 0.3
#: marks a line may not start with (Chinese typesetting carries the character before them over)
_NO_LINE_START = "，。、；：？！）》」』”’〕】"


def _column_starts(rows: Sequence[Any], width: int) -> list[float]:
    """The left edge of each column, from the rows where that column has its own cell."""
    starts = [float("inf")] * width
    for row in rows:
        for j, box in enumerate(row.cells):
            if box is not None:
                starts[j] = min(starts[j], float(box[0]))
    return starts


# ---- furniture and tables -------------------------------------------------------------------

def mark_furniture(pages: list[Page]) -> None:
    """Page numbers, running headers and footers, and the 版记 become furniture."""
    for page in pages:
        lines = page.lines()
        for line in lines[:1] + lines[1:][-1:]:
            in_margin = line.top > 0.8 * page.height or line.bottom < 0.2 * page.height
            if in_margin and _PAGE_NUMBER.fullmatch(line.text.replace(" ", "").replace("\u3000", "")):
                line.role, line.detached = "furniture", True
    _mark_running_heads(pages)
    _mark_imprint(pages)


def _mark_running_heads(pages: list[Page]) -> None:
    """The first or last line of a page whose text (digits aside) is the same on at least three
    pages (two in a document of two or three pages) is a running header or footer."""
    seen: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for page in pages:
        lines = [line for line in page.lines() if line.role == "body"]
        for where, ends in (("top", lines[:1]), ("bottom", lines[-1:])):
            for candidate in ends:
                text = candidate.text
                if len(text) <= 40 and not _ATTACHMENT.match(text) and outline_marker(text) is None:
                    seen[(where, re.sub(r"[0-9０-９]+", "#", text))].append(candidate)
    need = 2 if len(pages) <= 3 else 3
    for found in seen.values():
        if len({line.page for line in found}) >= need:
            for line in found:
                line.role, line.detached = "furniture", True


def _mark_imprint(pages: list[Page]) -> None:
    """The 版记: on the last page, from the first 抄送/抄报/分送/主题词 line or …印发 imprint line
    (or from the full-width rule just above it) to the end of the page."""
    if not pages:
        return
    last = pages[-1]
    lines = last.lines()
    start = next((i for i, line in enumerate(lines) if line.role == "body"
                  and (_IMPRINT_START.match(line.text) or _IMPRINT_LINE.search(line.text.replace(" ", "")))), None)
    if start is None:
        return
    above = [rule[2] for rule in last.rules if rule[2] < lines[start].top]
    if above:
        between = [i for i in range(start) if lines[i].top > max(above)]
        if len(between) <= 2:
            start = min([start, *between])
    for line in lines[start:]:
        if line.role == "body":
            line.role = "furniture"


def number_tables(pages: list[Page]) -> None:
    """Give each table a document-wide index. A table that is the first content of its page,
    right after a table that closed the previous page, with as many columns, continues that
    table; a repeat of its header row is dropped."""
    index = -1
    previous: Table | None = None
    header: list[str] = []
    for page in pages:
        first_on_page = True
        for item in page.items:
            if isinstance(item, Line):
                if item.role != "furniture" or not item.detached:
                    previous, first_on_page = None, False
                continue
            continues = (first_on_page and previous is not None and previous.page == item.page - 1
                         and len(previous.rows[0]) == len(item.rows[0]))
            if continues:
                item.index = index
                if item.rows and _same_row(item.rows[0], header) and len(item.rows) > 1:
                    item.rows, item.emphasis = item.rows[1:], item.emphasis[1:]
            else:
                index += 1
                item.index = index
                header = item.rows[0]
            previous, first_on_page = item, False


def _same_row(a: list[str], b: list[str]) -> bool:
    """Do two table rows hold the same texts, spaces aside (a header row repeated)?"""
    return [re.sub(r"\s", "", c) for c in a] == [re.sub(r"\s", "", c) for c in b]



# ---- paragraphs -----------------------------------------------------------------------------

def _geometry(pages: list[Page]) -> _Geometry:
    """Margins of the text block (the outermost edge that a tenth of the body lines share, else
    the GB/T 9704 margins: 28 mm left, 26 mm right) and the median gap between lines of a page."""
    body = [line for page in pages for line in page.lines() if line.role == "body"]
    width = statistics.median(page.width for page in pages) if pages else 595.3
    gaps = [b.top - a.bottom for page in pages for a, b in itertools.pairwise(page.lines())
            if a.role == b.role == "body" and b.top >= a.bottom - 1]
    return _Geometry(left=_margin([line.x0 for line in body], lowest=True, default=28 * _MM),
                     right=_margin([line.x1 for line in body], lowest=False, default=width - 26 * _MM),
                     gap=statistics.median(gaps) if gaps else 0.0)


def _margin(values: list[float], lowest: bool, default: float) -> float:
    """The outermost value that at least a tenth of the values, and two, lie within 2 pt of."""
    ordered = sorted(values)
    need = max(2, len(values) // 10)
    for value in (ordered if lowest else reversed(ordered)):
        if bisect.bisect_right(ordered, value + 2) - bisect.bisect_left(ordered, value - 2) >= need:
            return value
    return default


def _left_open(text: str, depth: int = 0) -> int:
    """How many brackets (（【〔…) are open after ``text``, with ``depth`` open before it."""
    for ch in text:
        if ch in OPENING_BRACKETS:
            depth += 1
        elif ch in CLOSING_BRACKETS and depth:
            depth -= 1
    return depth


def _starts_paragraph(prev: Line, line: Line, geo: _Geometry, left_open: int = 0) -> bool:
    """Does ``line`` start a new paragraph after ``prev``? Yes when

    * the font size changes (title → body),
    * on the same page, the gap above it is clearly wider than the usual gap between lines,
    * ``prev`` ends well short of the right margin, with room for the first word of ``line``
      (the last line of a paragraph, a title; not a line that a long Latin word left short),
    * ``prev`` is centred or right-aligned and ``line`` is not its continuation,
    * it is centred — unless ``prev`` is a centred line filling the block (a wrapped title),
    * it is indented from the left margin (the two-character first-line indent),
    * it opens with an outline marker (一、 （一） 1. 第X条) after a clause end;

    never while it closes a bracket that the paragraph so far left open (``left_open``).
    """
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > 0.12 * size and not (prev.ocr or line.ocr):
        return True
    if line.page == prev.page and line.top - prev.bottom > geo.gap + 0.4 * size:
        return True
    if left_open and _left_open(line.text, left_open) < left_open:
        return False  # （由A会同B负 / 责）: the bracket the paragraph left open closes here
    room = geo.right - prev.x1
    if room > 1.5 * prev.size and room > line.first_word + 0.25 * line.size:
        return True
    if geo.centred(line):
        return not geo.centred(prev)
    if prev.x0 - geo.left > 3.5 * prev.size and not geo.centred(prev) and not prev.text.endswith(_LIST_GOES_ON):
        return True  # a right-aligned line (signature, date) is never continued; a deeply
        # indented line that stops at 、 or ， (a label line of bodies) goes on below
    if line.x0 - geo.left > 1.2 * line.size:
        return True
    return outline_marker(line.text) is not None and prev.text.endswith(_CLAUSE_END)


def paragraphs(pages: list[Page]) -> list[Paragraph]:
    """Lines joined into paragraphs, table rows as cells, furniture in between; a page number
    or running head met inside a paragraph follows that paragraph."""
    geo = _geometry(pages)
    out: list[Paragraph] = []
    current: list[Line] = []
    deferred: list[Paragraph] = []

    left_open = 0  # round brackets the current paragraph leaves open

    def close() -> None:
        nonlocal left_open
        if current:
            out.append(Paragraph(text=join_lines(current), page=current[0].page, role=current[0].role,
                                 emphasis=[run for line in current for run in line.emphasis]))
            current.clear()
        out.extend(deferred)
        deferred.clear()
        left_open = 0

    for page in pages:
        for item in page.items:
            if isinstance(item, Table):
                close()
                out.extend(Paragraph(cells=row, table=item.index, page=item.page, emphasis=bold)
                           for row, bold in zip(item.rows, item.emphasis or [[]] * len(item.rows), strict=True))
            elif item.detached:
                (deferred if current else out).append(Paragraph(text=item.text, page=item.page, role=item.role))
            else:
                if current and (current[-1].role != item.role or _starts_paragraph(current[-1], item, geo, left_open)):
                    close()
                current.append(item)
                left_open = _left_open(item.text, left_open)
    close()
    return out
