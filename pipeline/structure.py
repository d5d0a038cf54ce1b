"""Structure: header fields, the outline, and the parts (cover notice, attachments).

Requires a loaded `Document`; sets ``doc.header``, ``doc.headings``, ``doc.parts`` and the
``role`` and ``part`` of every block. Header elements follow GB/T 9704-2012: 发文字号,
标题, 主送机关, 发文机关署名, 成文日期, found by their anchors wherever the header sits
(after a repost headline, a crawler's lines, navigation). A container's own metadata (an
HTML metadata table, YAML front matter, a crawler's header) fills the fields the document
does not print; where both state a field and disagree, the printed header wins and the
container's value is kept as a conflict. ``Header.sources`` says where each field came from.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.model import HEADER_FIELDS, Document, Header, Heading, MetadataConflict, MetadataSource, Part
from pipeline.numerals import CN_NUM, PRINTED_DATE, parse_date
from pipeline.resources import bundled_cues

if TYPE_CHECKING:
    from pipeline.resources import Cues

DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*[0-9０-９]+\s*号"
    r"|[\u4e00-\u9fff]{1,10}令\s*第\s*[0-9０-９]+\s*号"
    # the issue number of minutes and bulletins: 〔2025〕第14期
    r"|[\u4e00-\u9fff]{0,16}\s*[〔\[［【]\s*(?:19|20)\d{2}\s*[〕\]］】]\s*第\s*[0-9０-９]+\s*期")
DATE_LINE = re.compile(rf"^{PRINTED_DATE}$")
# Outline markers, from the outermost level to the innermost.
MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (10, re.compile(rf"^第[{CN_NUM}0-9]+[章编]")),
    (20, re.compile(rf"^第[{CN_NUM}0-9]+节")),
    (30, re.compile(rf"^第[{CN_NUM}0-9]+条")),
    (40, re.compile(rf"^[{CN_NUM}]+、")),
    (50, re.compile(rf"^[（(][{CN_NUM}]+[）)]")),
    # 2.1 / 4.2.3: decimal section numbers of plans and standards, one level per dot
    (63, re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}(?=[\s\u3000])")),
    (62, re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}(?=[\s\u3000])")),
    # 6．10月下旬…: a date may follow the point; 1.5倍 is a decimal, no marker
    (60, re.compile(r"^[0-9０-９]{1,2}(?:[.．、](?![0-9０-９]{1,3}(?![0-9０-９月日]))|[\s\u3000])")),
    (70, re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    (80, re.compile(r"^[①-⑳]")),
    # ——开展…活动。: a dash-led item of a list (not a rule of dashes, nor a dash alone)
    (90, re.compile(r"^(?:——|－－|――)(?=[\u4e00-\u9fff“])")),
]
_FURNITURE = re.compile(
    r"^(?:[—\-－]\s*[0-9０-９]+\s*[—\-－]|第\s*[0-9]+\s*页(?:\s*共\s*[0-9]+\s*页)?|（此件[^）]*）|\(此件[^)]*\)"
    r"|（本文有删减）|扫一扫.*|打印本页.*|关闭窗口.*|【?字体[：:].*|分享到.*|抄送[：:].*|抄报[：:].*|分送[：:].*|主题词[：:].*"
    r"|出席[：:].*|列席[：:].*|请假[：:].*|记录[：:].*"
    # a contact line closes a notice; it is no text of the item above it
    r"|联系人[：:].*|联\s*系\s*电\s*话[：:].*|联系方式[：:].*)$")
_IMPRINT = re.compile(rf"^\S.{{0,40}}\s*(?:[0-9]{{4}}|[{CN_NUM}]{{4}})年.{{1,6}}月.{{1,6}}日印发$")
_ATTACHMENT = re.compile(r"^附\s*件\s*[0-9０-９]*[：:]?$")
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[0-9０-９]*[：:]\s*\S")
_SENTENCE_END = re.compile(r"[。；！？：:]$")
_MASTHEAD = re.compile(r"^(?!.*关于)(.{2,30}?(?:委员会|政府|办公厅|办公室|党委|党组|部|委|局|署|厅|院|会|中心))\s*文件$")
_DECREE = re.compile(r"^(?:中华人民共和国)?(.{2,20}?)令(第[0-9０-９]+号)$")
_POSITION = re.compile(r"^(?:总理|副总理|部长|主任|局长|署长|行长|主席|省长|市长|县长|区长|书记|院长|会长|秘书长)$")
_SPLIT_BODIES = re.compile(r"[，、,；;]")


#: every marker starts with one of these: most lines are turned away by one set lookup
_MARKER_FIRST = frozenset(f"第（({CN_NUM}0123456789０１２３４５６７８９①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳—－―")


#: all markers in one pattern, tried in the order of ``MARKERS`` (the first that matches wins)
_ANY_MARKER = re.compile("|".join(f"(?P<level{level}>{pattern.pattern.removeprefix('^')})" for level, pattern in MARKERS))


def outline_marker(text: str) -> tuple[int, str] | None:
    """(level, marker) when ``text`` starts with an outline marker such as 一、 or （二）."""
    if not text or text[0] not in _MARKER_FIRST:
        return None
    match = _ANY_MARKER.match(text)
    if match is None or match.lastgroup is None:
        return None
    return int(match.lastgroup.removeprefix("level")), match.group().strip()


@functools.lru_cache(maxsize=8192)  # a clause is asked about by several readers in turn
def strip_marker(text: str) -> str:
    """``text`` without the outline marker it starts with (（三）加强… → 加强…)."""
    found = outline_marker(text)
    return text[len(found[1]):].lstrip(" \u3000.．、") if found else text


def heading_label(text: str, marker: str) -> str:
    """A heading's own words: the whole line when it is only a heading, else its title
    sentence when it has a short one (1.拓展两个市场。…), else the marker alone."""
    if len(text) <= 40 and "。" not in text[:-1]:
        # a heading-level assignment （A、B） is not part of the heading's words
        return re.sub(r"[（(][^（）()]*[）)]$", "", text.rstrip("。")) or text
    if len(text) <= 90 and "。" not in text[:-1] and re.search(r"[）)]$", text):
        return re.sub(r"[（(][^（）()]*[）)]$", "", text).rstrip("。")
    first = re.match(r"[^。；！？]*[。；！？]", text)
    if first and len(first.group()) <= 30 and len(first.group()) > len(marker) + 1:
        return first.group().rstrip("。；！？")
    return marker


def analyse(doc: Document, cues: Cues | None = None) -> Document:
    """Set header fields (each with its source), parts, block roles and the outline of ``doc``.

    ``cues`` are the cue words of `pipeline.resources` (organisation heads tell a line of
    issuers' names); the bundled ones when not given.
    """
    cues = cues or bundled_cues()
    lines = [doc.block_text(b) for b in doc.blocks]
    _mark_furniture(doc, lines)
    part_starts = _find_parts(doc, lines)
    header = Header()
    parts: list[Part] = []
    for n, (first, last) in enumerate(zip(part_starts, [*part_starts[1:], len(doc.blocks)], strict=False)):
        for block in doc.blocks[first:last]:
            block.part = n
        title = _part_header(doc, lines, first, last, header if n == 0 else None, cues)
        parts.append(Part(index=n, start=doc.blocks[first].start, end=doc.blocks[last - 1].end, title=title))
    doc.parts = parts
    if parts:
        _set(header, "title", parts[0].title, "printed_header")
    decree_number = _read_decree(header, parts)
    _merge_container(doc, header)
    if header.doc_number is None:
        _set(header, "doc_number", decree_number, "printed_header")
    if header.title is None:
        _set(header, "title", next((p.title for p in parts if p.title), None), "printed_header")
    for name in HEADER_FIELDS:
        header.sources.setdefault(name, "none")
    doc.header = header
    doc.headings = _outline(doc, lines, cues)
    return doc


def _mark_furniture(doc: Document, lines: list[str]) -> None:
    for block, line in zip(doc.blocks, lines, strict=False):
        if block.role == "body" and (_FURNITURE.match(line) or _IMPRINT.match(line)):
            block.role = "furniture"
        elif block.role == "body" and _ATTACHMENT_LIST.match(line) and len(line) <= 80:
            block.role = "header"  # 附件：1.…: the list of attachments, not a duty


def _find_parts(doc: Document, lines: list[str]) -> list[int]:
    """Block indexes where parts start: the cover at 0, then each attachment. An attachment
    starts at a 附件 line, or at a title block right after the cover's signature date."""
    starts = [0]
    seen_body = False
    for i, line in enumerate(lines):
        if doc.blocks[i].role == "furniture":
            continue
        if doc.blocks[i].role == "table_row":
            seen_body = True
            continue
        if _ATTACHMENT.match(line) and seen_body:
            starts.append(i)
            continue
        nxt = _next_content(doc, lines, i + 1)
        if _ATTACHMENT_LIST.match(line) and seen_body and nxt is not None and doc.blocks[nxt].role == "table_row":
            starts.append(i)  # 附件：重点任务分工表, then the table itself: the attachment starts here
            continue
        if DATE_LINE.match(line) and seen_body:
            nxt = _next_content(doc, lines, i + 1)
            if nxt is not None and _ATTACHMENT.match(lines[nxt]) is None and _is_title_line(lines[nxt]):
                starts.append(nxt)
        elif not _is_title_line(line):
            seen_body = True
    return sorted(set(starts))


def _next_content(doc: Document, lines: list[str], i: int) -> int | None:
    while i < len(lines):
        if doc.blocks[i].role != "furniture":
            return i
        i += 1
    return None


#: The verb that opens a title's subject (关于…, 印发…, 转发…): what stands above it in the title
#: can only be the issuing bodies' names.
_TITLE_VERB = re.compile(r"关于|印发|转发|批转")
#: A bracketed qualifier printed on its own line under a title: （试行）, （2025—2027年）.
_TITLE_SUFFIX = re.compile(r"^[（(][^（）()]{1,16}[）)]$")
# '澜江市人民政府办公室　　　2025年8月12日': issuer and date on one line (minutes, bulletins)
_ISSUER_DATE = re.compile(rf"^(.{{2,30}}?)[\u3000 ]+((?:[0-9０-９]{{4}}|[{CN_NUM}]{{4}})\s*年.{{1,6}}月.{{1,6}}日)$")
#: A date closing a run-on paragraph (…请认真组织实施 某某局2026年3月9日), or opening one glued to
#: what follows it (2026年3月9日某某工作要点 …), where a crawler lost the signature's line breaks.
_TRAILING_DATE = re.compile(rf"({PRINTED_DATE})$")
_LEADING_DATE = re.compile(rf"^({PRINTED_DATE})(?![，,、。；;：:])")
#: A closing formula ends the body; it is never a signer (特此通知, 此复).
_CLOSING = re.compile(r"^(?:特此|此复|此函|专此)")
#: The header is looked for within this many content lines of the top of the cover.
#: sentences (notes of a repost) the header search reads past
_NOTES_ABOVE = 2
_HEADER_WINDOW = 60
#: A title without its verb (关于/印发…) wraps over at most this many lines.
_TITLE_LINES = 4
#: Lines of other wording read as masthead above a 字号 (份号, 密级, 专题会议纪要).
_MASTHEAD_LINES = 4
#: The first signer lines above a date are read as before, whatever they say (总理　李克强);
#: further lines only when they name bodies (joint notices with five to ten issuers).
_LENIENT_SIGNERS = 3


_NOTE = re.compile(r"^(?:注|尾注)[0-9０-９]*[：:]")


def _is_title_line(line: str) -> bool:
    if _NOTE.match(line):
        return False  # a footnote (注1：…) is never a title
    long_title = len(line) <= 120 and bool(bundled_cues().title_genre.search(line))
    return ((len(line) <= 40 or long_title) and not _SENTENCE_END.search(line) and "。" not in line
            and outline_marker(line) is None and not DATE_LINE.match(line) and not DOC_NUMBER.fullmatch(line))


def _is_title_text(line: str) -> bool:
    """A line that can be part of a printed title: a title line without the marks a title never
    holds (a colon of a label, the bar of a repost headline, a comma of a sentence)."""
    return _is_title_line(line) and not re.search(r"[：:|｜，]", line) and not _MASTHEAD.match(line)


def _is_doc_number_line(line: str) -> bool:
    return bool(DOC_NUMBER.fullmatch(line) or (DOC_NUMBER.match(line) and len(line) < 40))


def _is_addressee_line(line: str) -> bool:
    """主送: bodies separated by 、，, closed by a colon (各区县人民政府，市政府各部门：)."""
    return (line.endswith(("：", ":")) and len(line) < 400 and "。" not in line and outline_marker(line) is None
            and not re.search(r"[《》“”]", line))


def _body_names(line: str) -> list[str]:
    """The bodies a signer or masthead line names: split at spaces and 、; a letter-spaced
    name (国 家 粮 食 局) is one name; pieces without a Han character (markup debris) are dropped."""
    pieces = [p for p in re.split(r"[\s\u3000、]+", line) if p]
    if len(pieces) > 1 and all(len(p) <= 2 for p in pieces):
        pieces = ["".join(pieces)]
    return [p for p in pieces if re.search(r"[\u4e00-\u9fff]", p)]


def _is_body_name_line(line: str, cues: Cues) -> bool:
    """A line that only names bodies (中共澄阳市委 澄阳市人民政府, 市财政局、市税务局): every
    name ends in an organisation head."""
    names = _body_names(line)
    return bool(names) and len(line) <= 60 and not re.search(r"[，,。；;：:《》]", line) and all(
        2 < len(n) <= 30 and cues.org_suffix.search(n) for n in names)


@dataclass
class _HeaderPlan:
    """Where the printed header of the cover sits: it starts at ``start`` (what precedes it is
    furniture), and its title, when it has one, spans the content blocks ``title``."""

    start: int
    title: list[int] = field(default_factory=list)


def _locate_header(doc: Document, lines: list[str], first: int, last: int, cues: Cues) -> _HeaderPlan | None:
    """Find the cover's printed header by its anchors, wherever it sits in the first lines.

    The anchors are a title that ends in a genre word (…的通知, …工作要点), a 发文字号 line and
    an addressee line (…：). Repost headlines, outlet lines, breadcrumbs, navigation and download
    links may come first; so the header is the group of anchors that hold together best (title,
    字号 and 主送 next to each other), the later one on a tie. The search stops at the first
    sentence, outline marker or table: the body has begun. None when no anchor is found.
    """
    window: list[int] = []
    # a repost's note (转载说明：本文转自…。) may stand above the header: past up to
    # _NOTES_ABOVE sentences the search goes on, for a header whose anchors hold together
    after_prose: list[bool] = []
    sentences = 0
    for i in range(first, last):
        role, line = doc.blocks[i].role, lines[i]
        if role == "furniture":
            continue
        if role == "table_row" or outline_marker(line) or len(window) >= _HEADER_WINDOW:
            break
        if "。" in line or re.search(r"[；！？]$", line):
            sentences += 1
            if sentences > _NOTES_ABOVE:
                break
            continue
        window.append(i)
        after_prose.append(sentences > 0)
    best: tuple[int, int] | None = None  # (score, position in window)
    plans: dict[int, _HeaderPlan] = {}
    kinds = [_anchor_kind(lines[i], cues) for i in window]
    for k, kind in enumerate(kinds):
        score = 0
        if kind == "title" and (span := _title_span(lines, window, k, cues)):
            top = k - len(span) + 1
            score = 1 + ("number" in kinds[k + 1:k + 3] or _number_above(kinds, top)) \
                + ("addressee" in kinds[k + 1:k + 4])
            plans[k] = _HeaderPlan(start=window[_masthead_top(lines, window, kinds, top, cues)], title=span)
        elif kind == "number":
            score = 1 + ("addressee" in kinds[k + 1:k + 3])
            plans[k] = _HeaderPlan(start=window[_masthead_top(lines, window, kinds, k, cues)])
        elif kind == "addressee":
            score = 1
            plans[k] = _HeaderPlan(start=window[k])
        # a lone anchor does not turn prose above it into furniture (…，请认真组织实施 / 某某方案)
        lone_after_prose = score == 1 and any(_is_prose(lines[i]) for i in window[:k])
        # past a sentence only a full header counts (title with 字号 or 主送), and only when
        # none stood before it: a forwarded notice quotes its own header further down
        if after_prose[k] and (score < 2 or (best is not None and not after_prose[best[1]])):
            continue
        if score and not lone_after_prose and (best is None or score >= best[0]):
            best = (score, k)
    return plans[best[1]] if best else None


def _number_above(kinds: list[str | None], k: int) -> bool:
    """Is there a 字号 right above position ``k`` (a bulletin's date line between them)?"""
    while k > 0 and kinds[k - 1] == "dated":
        k -= 1
    return k > 0 and kinds[k - 1] == "number"


def _issuer_date(line: str) -> tuple[str, str] | None:
    """(issuer, ISO date) of a line that prints both (澜江市人民政府办公室　　　2025年8月12日)."""
    m = _ISSUER_DATE.match(line)
    date = parse_date(m.group(2)) if m else None
    return (m.group(1).strip(), date) if m and date and not _SENTENCE_END.search(m.group(1)) else None


def _is_prose(line: str) -> bool:
    """A line that reads as a clause of text rather than a headline or a link: a comma in a
    line longer than a headline."""
    return "，" in line and len(line) > 40


def _anchor_kind(line: str, cues: Cues) -> str | None:
    if _is_doc_number_line(line):
        return "number"
    if _issuer_date(line):
        return "dated"  # a bulletin's issuer and date under its issue number: header, not an anchor
    if _is_addressee_line(line):
        return "addressee"
    if _is_title_text(line) and cues.genre_end.search(line):
        return "title"
    return None


def _title_span(lines: list[str], window: list[int], k: int, cues: Cues) -> list[int]:
    """The blocks of the title that ends at ``window[k]``, from its first line; [] when it is too
    short to be a title. Above the line with the title's verb (关于/印发…) only lines naming the
    issuing bodies belong to it; without a verb, a wrapped title has a few lines of some length,
    and a line ending in a genre word above a title that stands by itself is another title (a
    repost headline), above a piece that does not (…工作方案 / 的通知) the title's start."""
    span = [window[k]]
    text = lines[window[k]]
    has_verb = bool(_TITLE_VERB.search(text))
    j = k - 1
    while j >= 0:
        line = lines[window[j]]
        if not _is_title_text(line):
            break
        if has_verb:
            if not _is_body_name_line(line, cues):
                break
        elif len(span) >= _TITLE_LINES or len(line) < 6 or (
                cues.genre_end.search(line) and len(text) >= 8 and not text.startswith("的")):
            break
        span.insert(0, window[j])
        text = line + text
        has_verb = has_verb or bool(_TITLE_VERB.search(line))
        j -= 1
    return span if len(re.sub(r"\s", "", text)) >= 8 else []


def _masthead_top(lines: list[str], window: list[int], kinds: list[str | None], k: int, cues: Cues) -> int:
    """The position where the header that starts at ``window[k]`` really starts: above a title or
    a 字号 stand the 字号 (or a bulletin's issue number and its date line) and the masthead
    (澄阳市人民政府文件, the issuers' names). Above a 字号 a few short lines of other wording
    are masthead too (版头: 份号, 密级, 紧急程度, a body's name over 专题会议纪要), not a
    label line (转发：某某发布)."""
    below_number = kinds[k] in ("number", "dated")
    extra = 0
    while k > 0:
        kind, line = kinds[k - 1], lines[window[k - 1]]
        if kind in ("number", "dated"):
            below_number = True
        elif _MASTHEAD.match(line) or _is_body_name_line(line, cues) or (re.search(r"文件$", line) and len(line) <= 40):
            pass
        elif below_number and extra < _MASTHEAD_LINES and _is_title_text(line) and len(line) <= 20:
            extra += 1
        else:
            break
        k -= 1
    return k


def _part_header(doc: Document, lines: list[str], first: int, last: int, header: Header | None,
                 cues: Cues) -> str | None:
    """Mark the header blocks of one part and return its title; fill ``header`` for the cover.

    For the cover the header is first located by its anchors (`_locate_header`): what precedes
    it is furniture (a repost headline, a crawler's lines, navigation)."""
    title_lines: list[str] = []
    plan = _locate_header(doc, lines, first, last, cues) if header is not None else None
    i = first
    if plan is not None:
        for block in doc.blocks[first:plan.start]:
            if block.role in ("body", "title", "header"):
                block.role = "furniture"
        i = plan.start
    origin = i  # where the header starts
    masthead: list[str] = []
    title_closed = False
    while i < last:
        block, line = doc.blocks[i], lines[i]
        if block.role == "furniture":
            i += 1
            continue
        if block.role == "table_row":
            break
        if plan is not None and plan.title and i < plan.title[0]:
            block.role = "header"  # the masthead and 字号 above the title
            if header is not None and _is_doc_number_line(line):
                _fill(header, "doc_number", _doc_number(line), "printed_header")
            elif header is not None and (dated := _issuer_date(line)):
                _fill(header, "issuer", [dated[0]], "printed_header")
                _fill(header, "date", dated[1], "printed_header")
            elif m := _MASTHEAD.match(line):
                masthead = masthead or [m.group(1)]
            elif _is_body_name_line(line, cues):
                masthead = masthead or _body_names(line)  # a masthead that is the bodies' names alone
        elif plan is not None and i in plan.title:
            block.role = "title"
            title_lines.append(line)
            title_closed = i == plan.title[-1]
        elif _ATTACHMENT.match(line):
            block.role = "header"
        elif _ATTACHMENT_LIST.match(line) and i == first and header is None:
            block.role = "header"  # '附件：重点任务分工表' opening an attachment names it
            title_lines.append(re.sub(r"^附\s*件\s*[0-9０-９]*[：:]\s*", "", line))
        elif DOC_NUMBER.fullmatch(line) or (DOC_NUMBER.match(line) and len(line) < 40 and not title_lines):
            block.role = "header"
            if header is not None and header.doc_number is None:
                _set(header, "doc_number", _doc_number(line), "printed_header")
        elif dated := _issuer_date(line):
            block.role = "header"
            if header is not None:
                _fill(header, "issuer", [dated[0]], "printed_header")
                _fill(header, "date", dated[1], "printed_header")
        elif header is not None and (m := _MASTHEAD.match(line)) and not title_lines and i - origin < 3:
            block.role = "header"
            masthead = masthead or [m.group(1)]
        elif title_closed and _TITLE_SUFFIX.match(line):
            block.role = "title"  # （试行）, （2025—2027年）
            title_lines.append(line)
        elif title_closed and re.fullmatch(r"[（(].*[）)]", line):
            block.role = "header"  # （2027年3月1日澄阳市人民政府第5次常务会议通过）
        elif title_closed and _is_title_line(line):
            break  # the title ended with its genre word: a further short line is not the header's
        elif _is_title_line(line) and (i + 1 < last) and not _looks_like_signature(doc, lines, i, last):
            if title_lines and doc.blocks[i - 1].role == "header":
                # title lines, a header line, then title lines again: the first were a masthead
                for j in range(first, i):
                    if doc.blocks[j].role == "title":
                        doc.blocks[j].role = "header"
                title_lines = []
            block.role = "title"
            title_lines.append(line)
        elif line.endswith(("：", ":")) and len(line) < 400 and "。" not in line and outline_marker(line) is None \
                and i - origin < 8:
            block.role = "header"
            if header is not None and not header.addressees:
                addressees = [s.strip() for s in _SPLIT_BODIES.split(line.rstrip("：:")) if s.strip()]
                _set(header, "addressees", addressees, "printed_header")
            i += 1
            break
        else:
            break
        i += 1
    _mark_signatures(doc, lines, i, last, header, cues)
    if header is not None and not header.issuer and masthead:
        _set(header, "issuer", masthead, "printed_header")  # the signature names every issuer; the masthead may not
    # letter-spaced titles (国 家 粮 食) lose their spaces
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", "".join(title_lines)) or None


def _doc_number(line: str) -> str | None:
    match = DOC_NUMBER.search(line)
    return match.group() if match else None


def _set(header: Header, name: str, value: object, source: MetadataSource) -> None:
    """Set a header field and where it came from (nothing when ``value`` is empty)."""
    if value:
        setattr(header, name, value)
        header.sources[name] = source


def _fill(header: Header, name: str, value: object, source: MetadataSource) -> None:
    """`_set` a header field that is still empty: the first source to state it keeps it."""
    if not getattr(header, name):
        _set(header, name, value, source)


def _looks_like_signature(doc: Document, lines: list[str], i: int, last: int) -> bool:
    nxt = _next_content(doc, lines, i + 1)
    return nxt is not None and nxt < last and bool(DATE_LINE.match(lines[nxt]))


def previous_content(doc: Document, index: int, stop: int = 0) -> int | None:
    """The nearest block before ``index`` (and not before ``stop``) that is not page
    furniture, or None: furniture between two blocks that belong together is transparent."""
    j = index - 1
    while j >= stop and doc.blocks[j].role == "furniture":
        j -= 1
    return j if j >= stop else None


def _mark_signatures(doc: Document, lines: list[str], first: int, last: int, header: Header | None,
                     cues: Cues) -> None:
    """A date line alone, and the short line(s) above it, close a notice: 署名 and 成文日期.

    Every consecutive signer line above the date counts (a joint notice of five to ten bodies,
    one or two to a line): the first few whatever they say, further ones while they name bodies.
    When the cover has no such date line, a signature that a crawler ran into a paragraph is read.
    """
    for i in range(first, last):
        if doc.blocks[i].role != "body" or not DATE_LINE.match(lines[i]):
            continue
        doc.blocks[i].role = "signature"
        signers: list[str] = []
        # a page number or running head between the signer (foot of a page) and the date
        # (top of the next) is transparent
        j = previous_content(doc, i, first)
        while j is not None and doc.blocks[j].role == "body" and _is_signer_line(lines[j], len(signers), cues):
            doc.blocks[j].role = "signature"
            signers.insert(0, lines[j])
            j = previous_content(doc, j, first)
        if header is not None and header.date is None:
            _set(header, "date", parse_date(lines[i]), "signature")
            names = [n for s in signers for n in _body_names(s)]
            if not header.issuer:
                _set(header, "issuer", names, "signature")
    if header is not None and header.date is None:
        _run_on_signature(doc, lines, first, last, header, cues)


def _is_signer_line(line: str, signers: int, cues: Cues) -> bool:
    if len(line) > 40 or _ATTACHMENT_LIST.match(line) or _SENTENCE_END.search(line) or outline_marker(line) \
            or re.search(r"[：:]", line) or _CLOSING.match(line):
        return False
    return signers < _LENIENT_SIGNERS or _is_body_name_line(line, cues)


def _run_on_signature(doc: Document, lines: list[str], first: int, last: int, header: Header,
                      cues: Cues) -> None:
    """The signature of a page saved as run-on text: names and date closing a paragraph
    (…请认真组织实施 某某局 2026年3月9日), or a line of names followed by a paragraph that
    opens with the date (某某局 / 2026年3月9日某某工作要点 …). The names must be bodies' names."""
    for i in range(first, last):
        if doc.blocks[i].role != "body":
            continue
        line = lines[i]
        if (m := _TRAILING_DATE.search(line)) and m.start() and (date := parse_date(m.group(1))):
            names = _trailing_names(line[:m.start()], cues)
            if names:
                _set(header, "date", date, "signature")
                _fill(header, "issuer", names, "signature")
                return
        if (m := _LEADING_DATE.match(line)) and m.end() < len(line) and (date := parse_date(m.group(1))):
            j = previous_content(doc, i, first)
            if j is not None and doc.blocks[j].role == "body" and _is_body_name_line(lines[j], cues):
                doc.blocks[j].role = "signature"
                _set(header, "date", date, "signature")
                _fill(header, "issuer", _body_names(lines[j]), "signature")
                return


def _trailing_names(text: str, cues: Cues) -> list[str]:
    """The bodies' names that end ``text``, each set apart by a space or a clause's end."""
    clause = re.split(r"[。；！？，,;!?]", text)[-1]
    names: list[str] = []
    for token in reversed(clause.split()):
        if not _is_body_name_line(token, cues):
            break
        names.insert(0, token)
    return names


def _read_decree(header: Header, parts: list[Part]) -> str | None:
    """A decree (中华人民共和国国务院令 第707号) promulgates the regulation that follows it:
    the regulation's title is the document's, the body named in the decree its issuer (the
    signature names a person: 总理 李克强). Returns the decree's number, the document's 字号
    where the container states none."""
    cover = parts[0].title if parts else None
    match = _DECREE.match(cover or "")
    if not match:
        return None
    _set(header, "title", next((p.title for p in parts[1:] if p.title), None), "printed_header")
    if not header.issuer or _POSITION.match(header.issuer[0]):
        _set(header, "issuer", [match.group(1)], "printed_header")
    return cover


def _merge_container(doc: Document, header: Header) -> None:
    """Container metadata fills the fields the document does not print; where both state a
    field and disagree, the printed header wins (a repost's headline and date, a portal's wrong
    成文日期) and the container's value is kept as a conflict and a warning. A printed title
    wins only when it was read whole (`_is_clean_title`): a partly read one yields to the
    container's, and is the value kept as the conflict."""
    meta = doc.source_metadata
    stated: dict[str, object] = {}
    if meta.get("doc_number"):
        stated["doc_number"] = meta["doc_number"].strip()
    if meta.get("title"):
        stated["title"] = re.sub(r"\s+", "", meta["title"]) if doc.format != "markdown" else meta["title"].strip()
    if meta.get("issuer"):
        stated["issuer"] = [s.strip() for s in re.split(r"[、，,；;\s\u3000]+", meta["issuer"]) if s.strip()]
    if meta.get("date"):
        iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"])
        stated["date"] = parse_date(meta["date"]) or (meta["date"] if iso else None)
    if meta.get("addressees"):
        stated["addressees"] = [s.strip() for s in _SPLIT_BODIES.split(meta["addressees"]) if s.strip()]
    for name, value in stated.items():
        printed = getattr(header, name)
        if not value:
            continue
        if not printed:
            _set(header, name, value, "container")
        elif _same(printed, value):
            continue
        elif name == "title" and not _is_clean_title(printed):
            _note_conflict(doc, header, name, printed, header.source_of(name), value, "container")
            _set(header, name, value, "container")
        else:
            _note_conflict(doc, header, name, value, "container", printed, header.source_of(name))


def _is_clean_title(title: str) -> bool:
    """A title read whole: it ends in its genre word and holds no mark of a label, a repost
    headline or a sentence (a breadcrumb glued before it: 当前位置：首页 … 关于…的通知)."""
    return bool(bundled_cues().genre_end.search(title)) and not re.search(r"[：:|｜，]", title)


def _same(a: object, b: object) -> bool:
    def norm(v: object) -> object:
        if isinstance(v, list):
            return sorted(_normal_text(str(x)) for x in v)
        return _normal_text(str(v))
    return norm(a) == norm(b)


_BRACKETS = str.maketrans("〔［【〕］】", "[[[]]]")


def _normal_text(text: str) -> str:
    """Text as two sources are compared: width, spaces and the shape of 字号 brackets do not count."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_BRACKETS).split())


def _note_conflict(doc: Document, header: Header, name: str, value: object, source: MetadataSource,
                   kept: object, kept_source: MetadataSource) -> None:
    shown, kept_shown = (("、".join(v) if isinstance(v, list) else str(v)) for v in (value, kept))
    header.conflicts.append(MetadataConflict(field=name, value=shown, source=source, kept=kept_shown,
                                             kept_source=kept_source))
    doc.warnings.append(f"metadata: {name} {shown!r} ({source}) disagrees with {kept_shown!r} "
                        f"({kept_source}); {kept_shown!r} is kept")


#: '…造成严重后果的，依法追究…': a condition, then what follows from it: a provision, not a title
_CONDITION_THEN = re.compile(r"的[，,][^，,。；;]{2,}")


def states_a_duty(line: str, cues: Cues) -> bool:
    """Does a short numbered line state a duty (a modal word, a deadline, a sentence cut at a
    comma or semicolon, or a condition and what follows from it) rather than name a section?
    (1.每季度末组织一次对接活动。 / 2.严禁摊派费用； / （四）…造成严重后果的，依法追究责任。)
    Such a line is text, not a heading."""
    from pipeline.deadlines import DeadlineFinder, may_hold_a_deadline  # deadlines imports this module

    body = strip_marker(line)
    return bool(cues.modality("any_marker").search(body) or cues.modality("encouraged_head").match(body)) \
        or line.rstrip().endswith(("；", ";", "，", ",", "、")) \
        or _CONDITION_THEN.search(body) is not None \
        or (may_hold_a_deadline(body, cues) and bool(DeadlineFinder(cues).find(line)))


def _outline(doc: Document, lines: list[str], cues: Cues) -> list[Heading]:
    headings: list[Heading] = []
    stack: list[Heading] = []
    current_part = -1
    for block, line in zip(doc.blocks, lines, strict=False):
        if block.role not in ("body", "heading"):
            continue
        if block.part != current_part:
            stack, current_part = [], block.part
        found = outline_marker(line)
        if found is None:
            if block.role == "heading" and states_a_duty(line, cues):
                block.role = "body"  # a loader's heading that states a duty is text
            continue
        level, marker = found
        label = heading_label(line, marker)
        # an article (第X条) or a numbered duty is text, whatever its length
        if label == line.rstrip("。") and len(line) <= 40 and level != 30 and not states_a_duty(line, cues):
            block.role = "heading"
        elif block.role == "heading" and (level == 30 or states_a_duty(line, cues)):
            block.role = "body"
        while stack and stack[-1].level >= level:
            stack.pop()
        heading = Heading(marker=marker, level=level, label=label, start=block.start, end=block.end,
                          path=(*(h.label for h in stack), label), part=block.part)
        stack.append(heading)
        headings.append(heading)
    _sentences_with_nothing_below(doc, lines)
    return headings


def _sentences_with_nothing_below(doc: Document, lines: list[str]) -> None:
    """'（一）年报经审核通过后，由我局在网上公示。' followed at once by （二）: a numbered
    sentence with no text of its own below is an item, not the title of a section."""
    following: tuple[int, str] | None = None  # the marker of the next block that is not furniture
    has_next = False
    for block, line in reversed(list(zip(doc.blocks, lines, strict=False))):
        if block.role == "furniture":
            continue
        found = outline_marker(line) if block.role in ("body", "heading") else None
        if block.role == "heading" and found is not None and _is_a_sentence(line) \
                and (not has_next or (following is not None and following[0] <= found[0])):
            block.role = "body"
        has_next = block.role in ("body", "heading", "table_row")
        following = found if has_next else None


def _is_a_sentence(line: str) -> bool:
    """Words closed by a full stop or a semicolon (…后，由我局公示。, …依法依规追究责任。), not a
    title's words (一、总体要求)."""
    return line.rstrip().endswith(("。", "；", ";"))


def section_path(doc: Document, offset: int, part: int) -> list[str]:
    """The outline headings above ``offset``, from the top down."""
    index = bisect.bisect_right(doc.headings, offset, key=lambda h: h.start) - 1
    while index >= 0 and doc.headings[index].part != part:
        if doc.headings[index].part < part:
            return []
        index -= 1
    return list(doc.headings[index].path) if index >= 0 else []


def block_index_at(doc: Document, offset: int) -> int:
    lo, hi = 0, len(doc.blocks) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if doc.blocks[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo
