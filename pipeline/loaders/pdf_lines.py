"""Characters of a PDF page grouped into lines, and the text of a line.

A line is the characters that share a baseline (within 0.2 em), read left to right. Two
rows of characters whose baselines are closer than any two lines can be set (0.9 em) and
whose characters interleave without overlapping are one line too: digits set in another
font, whose boxes sit lower or whose baseline is shifted, fall into the gaps the line left
for them (F13: ``澄政办发〔　〕　号`` over ``2027　12`` is ``澄政办发〔2027〕12号``).
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from pipeline.model import BlockRole

#: Characters whose baselines differ by at most this share of the larger size share a line
#: (a raised or lowered character, further off, joins it as an interleaved row).
_SAME_BASELINE = 0.2
#: Rows whose baselines differ by less than this share of an em cannot be two lines of text:
#: they are one line when their characters interleave without overlapping.
_ONE_LINE = 0.9
#: Two characters overlap when they share more than this share of the narrower one's width.
_OVERLAP = 0.25

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BASELINE_ORDER = attrgetter("base", "x0")
_LEFT_ORDER = attrgetter("x0")
_RIGHT, _TOP, _BOTTOM = attrgetter("x1"), attrgetter("top"), attrgetter("bottom")


@dataclass(slots=True)
class Char:
    """One character on a page, in points, top-down (as pdfplumber gives boxes): its box from
    the font's ascent to its descent, its baseline (``base``) and its font size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    base: float
    #: set in a bold font (`pdf_chars`)
    bold: bool = False


@dataclass
class Line:
    """One line of text on a page, with its box in points (top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    role: BlockRole = "body"
    #: Page numbers and running heads: emitted after the paragraph they interrupt.
    detached: bool = False
    #: Read by OCR: the size is a glyph height, too rough to compare between lines.
    ocr: bool = False
    #: Width of the first word (a run of narrow characters, else one character): had
    #: it fitted at the end of the line above, it would have been set there.
    first_word: float = 0.0
    #: the runs of the line set in bold, as text
    emphasis: list[str] = field(default_factory=list)


@dataclass
class _Row:
    """Characters on one baseline; ``host`` holds the characters whose box is the line's."""

    chars: list[Char]
    base: float
    size: float
    host: list[Char]


def group_lines(chars: Iterable[Char], page: int) -> list[Line]:
    """Characters grouped into lines (by baseline, then interleaved rows joined), each line
    read left to right, the lines top to bottom."""
    rows: list[_Row] = []
    row: _Row | None = None
    for ch in sorted(chars, key=_BASELINE_ORDER):
        if row is not None and ch.base - row.base <= _SAME_BASELINE * (ch.size if ch.size > row.size else row.size):
            row.chars.append(ch)
        else:
            row = _Row(chars=[ch], base=ch.base, size=ch.size, host=[])
            rows.append(row)
    for row in rows:
        row.size = row.size if len(row.chars) == 1 else statistics.median([c.size for c in row.chars])
        row.host = row.chars
    lines = [_line(row, page) for row in _join_interleaved(rows)]
    lines.sort(key=lambda line: line.top)
    return lines


def _join_interleaved(rows: list[_Row]) -> list[_Row]:
    """Rows closer than a line can be set whose characters fall into each other's gaps, as
    one; the closest pair first, so that a row between two lines (文件 beside a masthead of
    two stacked names) joins the line it is nearer."""
    rows = list(rows)
    while True:
        best: tuple[float, int] | None = None
        for i, (a, b) in enumerate(itertools.pairwise(rows)):
            apart = b.base - a.base
            if (apart < _ONE_LINE * max(a.size, b.size) and (best is None or apart < best[0])
                    and _interleave(a.chars, b.chars)):
                best = (apart, i)
        if best is None:
            return rows
        a, b = rows[best[1]], rows[best[1] + 1]
        host = _host(a, b)
        rows[best[1]:best[1] + 2] = [_Row(chars=a.chars + b.chars, base=host.base, size=host.size, host=host.host)]


def _host(a: _Row, b: _Row) -> _Row:
    """Of two rows joined, the one that gives the line its box: the one with wide (Chinese)
    characters, rather than a row of digits set apart; else the longer."""
    wide_a = any(not narrow(c.text[0]) for c in a.chars)
    wide_b = any(not narrow(c.text[0]) for c in b.chars)
    if wide_a != wide_b:
        return a if wide_a else b
    return a if len(a.chars) >= len(b.chars) else b


def _interleave(a: list[Char], b: list[Char]) -> bool:
    """Does no character of ``b`` overlap a character of ``a`` (left to right sweep)?"""
    left = sorted(a, key=lambda c: c.x0)
    right = sorted(b, key=lambda c: c.x0)
    i = 0
    for ch in right:
        while i < len(left) and left[i].x1 <= ch.x0:
            i += 1
        j = i
        while j < len(left) and left[j].x0 < ch.x1:
            shared = min(ch.x1, left[j].x1) - max(ch.x0, left[j].x0)
            if shared > _OVERLAP * max(0.1, min(ch.x1 - ch.x0, left[j].x1 - left[j].x0)):
                return False
            j += 1
    return True


def _line(row: _Row, page: int) -> Line:
    chars = sorted(row.chars, key=_LEFT_ORDER)
    return Line(text=join_chars(chars), x0=chars[0].x0, x1=max(map(_RIGHT, chars)),
                top=min(map(_TOP, row.host)), bottom=max(map(_BOTTOM, row.host)),
                size=row.size, page=page, first_word=first_word(chars), emphasis=bold_runs(chars))


def bold_runs(chars: list[Char]) -> list[str]:
    """The text of each run of bold characters among ``chars`` (in reading order)."""
    runs: list[str] = []
    for bold, run in itertools.groupby(chars, key=lambda c: c.bold):
        if bold:
            runs.append(join_chars(list(run)))
    return runs



def first_word(chars: list[Char]) -> float:
    """Width of the line's first word: narrow characters set close together (a number, a
    Latin word, a web address), else one character."""
    end = 0
    while (end + 1 < len(chars) and narrow(chars[end].text[-1]) and narrow(chars[end + 1].text[0])
           and chars[end + 1].x0 - chars[end].x1 < 0.15 * chars[end].size):
        end += 1
    return chars[end].x1 - chars[0].x0


def join_chars(chars: list[Char]) -> str:
    """The text of one line: Chinese without spaces, a space between Latin or digit words, an
    ideographic space for a gap of a character or more (joint signatures, 印发 lines) unless
    every gap is that wide (a letter-spaced title such as 国 务 院 文 件)."""
    if len(chars) == 1:
        return chars[0].text
    spaced = len(chars) >= 3 and all(b.x0 - a.x1 >= 0.9 * (a.size if a.size > b.size else b.size)
                                     for a, b in itertools.pairwise(chars))
    out = [chars[0].text]
    for prev, ch in itertools.pairwise(chars):
        gap, size = ch.x0 - prev.x1, (prev.size if prev.size > ch.size else ch.size)
        if gap > 0.15 * size:
            words = narrow(prev.text[-1]) and narrow(ch.text[0])
            if gap >= 0.9 * size and not spaced:
                out.append(" " if words else "\u3000")
            elif words:
                out.append(" ")
        out.append(ch.text)
    return "".join(out)


def join_lines(lines: list[Line], wrap: str = "") -> str:
    """Lines of one paragraph as one text: a space only where a Latin word wraps, ``wrap``
    where Chinese text does (a table cell marks it, see `CELL_WRAP`)."""
    text = lines[0].text
    for line in lines[1:]:
        if text and line.text and narrow(text[-1]) and narrow(line.text[0]) and text[-1].isalnum():
            text += " "
        elif text and line.text:
            text += wrap
        text += line.text
    return text


def narrow(ch: str) -> bool:
    """A Latin letter, digit or ASCII sign: words of these are separated by spaces."""
    width = unicodedata.east_asian_width(ch)
    return width in ("Na", "H", "N") or (width == "A" and ch.isalnum() and not HAN.match(ch))
