"""Layout recovery: paragraphs as the author wrote them, whatever the container did to them.

A crawled page saved as text often holds the whole article on one physical line, paragraphs
joined by a space or by nothing: ``…如下。 一、任务分工 1.在…完成…。 责任单位：市水务局 2.推行…``.
Every later stage reads a paragraph at a time (an outline marker only opens a paragraph, a
label line is its own paragraph), so such a line is split back into paragraphs first.

A line is taken as run-on only when it is long (`RUN_ON_CHARS`) and at least `RUN_ON_MARKERS`
outline markers inside it continue a numbering sequence; other lines are left alone. Inside
a run-on line it breaks:

- before an outline marker (the grammar of `structure.MARKERS`) that starts or continues its
  sequence (1 after nothing, 3 after 2) and follows a space or a sentence end; glued to the
  previous word (``…大队二、强化``) only when it continues its sequence, and for Arabic
  numbers only after a label line (``责任单位：某局2.加强``), where a decimal cannot be;
- at a space after a sentence end (。！？；) — Chinese sets no space there, so the space is a
  lost paragraph break;
- at a space after a long label that ends in a colon (an addressee line ``各区人民政府：``),
  not after a short field label (``发文机关： 某局`` keeps label and value together);
- before an assignment label (``责任单位：``, ``牵头部门：`` — a short noun phrase ending in
  单位/部门/处室/科室/机构 and a colon) after a space or a sentence end, and at the spaces
  around a date line (a signature's date).
"""

from __future__ import annotations

import bisect
import re

from pipeline.grammar import SENTENCE_ENDS
from pipeline.numerals import CN_NUM, PRINTED_DATE, to_int
from pipeline.resources import bundled_cues
from pipeline.structure import outline_marker

#: A line at least this long may be a run-on page.
RUN_ON_CHARS = 300
#: ... and is one when at least this many sequence-continuing markers are inside it.
RUN_ON_MARKERS = 3

_MARKER_START = re.compile(rf"[第（(0-9０-９{CN_NUM}①-⑳]")
_DATE = re.compile(PRINTED_DATE)
_SENTENCE_END = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")
#: A heading line is short: a first item glued within this many characters of it opens its own line.
_HEADING_CHARS = 40
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def recover_lines(line: str) -> list[str]:
    """``line`` split into the paragraphs it ran together, or ``[line]`` when it is not run-on."""
    if len(line) < RUN_ON_CHARS:
        return [line]
    cuts = _marker_cuts(line)
    if len(cuts) < RUN_ON_MARKERS:
        return [line]
    cuts |= _space_cuts(line)
    pieces, last = [], 0
    for cut in sorted(cuts):
        if cut > last:
            pieces.append(line[last:cut].strip())
            last = cut
    pieces.append(line[last:].strip())
    return [p for p in pieces if p]


def _marker_cuts(line: str) -> set[int]:
    """Positions where an outline marker opens a paragraph, checked against its sequence."""
    cuts: set[int] = set()
    last: dict[int, int] = {}
    labels: list[int] | None = None  # label starts, found on first need, looked up by bisection
    segment_start, segment_level = 0, None  # where the current paragraph starts, its marker's level
    for match in _MARKER_START.finditer(line):
        i = match.start()
        found = outline_marker(line[i:i + 12])
        if found is None:
            continue
        level, marker = found
        value = _value(marker)
        if value is None:
            continue
        before = line[i - 1] if i else " "
        if (before.isascii() and before.isalnum()) or before in ".．":
            continue  # inside a number or a word: 11. is not 1.
        bounded = before.isspace() or before in SENTENCE_ENDS or i == 0
        continues = last.get(level) is not None and value == last[level] + 1
        # right after a short heading of a shallower level: 一、加强组织领导（一）健全…
        after_heading = (segment_level is not None and level > segment_level
                         and i - segment_start <= _HEADING_CHARS
                         and not any(ch in SENTENCE_ENDS for ch in line[segment_start:i]))
        if bounded:
            accept = value == 1 or continues
        elif level in (40, 50):  # 一、 （一）: a Chinese numeral glued to the word before it
            accept = continues or (value == 1 and after_heading)
        else:  # Arabic glued: after a label line or a heading, where a decimal number cannot be
            if continues and labels is None:
                labels = [m.start() for m in bundled_cues().assignment_label.finditer(line)]
            label = continues and labels is not None \
                and bisect.bisect_left(labels, segment_start) < bisect.bisect_left(labels, i)
            accept = (continues and (label or after_heading)) or (value == 1 and after_heading)
        if accept:
            last[level] = value  # numbering below may restart at 1 or run on across sections
            if i:
                cuts.add(i)
            segment_start, segment_level = i, level
    return cuts


def _space_cuts(line: str) -> set[int]:
    """Positions after a run of spaces that stands for a lost paragraph break, and before a
    label glued to the sentence it closes (…见效。责任单位：…)."""
    label = bundled_cues().assignment_label  # read on first use, not when the library is imported
    # a label is looked for only after a sentence end (a scan of the line for labels tries
    # the label grammar at every character)
    cuts = {end.end() for end in _SENTENCE_END.finditer(line) if label.match(line, end.end())}
    for match in re.finditer(r"\s+", line):
        start, end = match.span()
        if start == 0 or end == len(line):
            continue
        before, after = line[:start], line[end:end + 12]
        if before[-1] in SENTENCE_ENDS or label.match(after) or _DATE.match(after) or _ends_with_date(before):
            cuts.add(end)
        elif before[-1] in "：:" and len(re.split(r"\s", before)[-1]) > 8:
            cuts.add(end)  # an addressee line, not a short field label
    return cuts


def _ends_with_date(text: str) -> bool:
    tail = text[-16:]
    return any(m.end() == len(tail) for m in _DATE.finditer(tail))


def _value(marker: str) -> int | None:
    if marker and marker[0] in _CIRCLED:
        return _CIRCLED.index(marker[0]) + 1
    digits = re.sub(r"[第章编节条、（）().．\s]", "", marker)
    return to_int(digits)
