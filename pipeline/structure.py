"""Structure: header fields, the outline, and the parts (cover notice, attachments).

Requires a loaded `Document`; sets ``doc.header``, ``doc.headings``, ``doc.parts`` and the
``role`` and ``part`` of every block. Header elements follow GB/T 9704-2012: 发文字号,
标题, 主送机关, 发文机关署名, 成文日期; a container's own metadata (an HTML metadata
table, YAML front matter) is preferred where it states a field.
"""

from __future__ import annotations

import bisect
import re

from pipeline.model import Document, Header, Heading, Part
from pipeline.numerals import CN_NUM, PRINTED_DATE, parse_date

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
    (60, re.compile(r"^[0-9０-９]{1,2}(?:[.．、](?![0-9０-９]{1,3}(?![0-9０-９]))|[\s\u3000])")),
    (70, re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    (80, re.compile(r"^[①-⑳]")),
]
_FURNITURE = re.compile(
    r"^(?:[—\-－]\s*[0-9０-９]+\s*[—\-－]|第\s*[0-9]+\s*页(?:\s*共\s*[0-9]+\s*页)?|（此件[^）]*）|\(此件[^)]*\)"
    r"|（本文有删减）|扫一扫.*|打印本页.*|关闭窗口.*|【?字体[：:].*|分享到.*|抄送[：:].*|抄报[：:].*|分送[：:].*|主题词[：:].*"
    r"|出席[：:].*|列席[：:].*|请假[：:].*|记录[：:].*)$")
_IMPRINT = re.compile(rf"^\S.{{0,40}}\s*(?:[0-9]{{4}}|[{CN_NUM}]{{4}})年.{{1,6}}月.{{1,6}}日印发$")
_ATTACHMENT = re.compile(r"^附\s*件\s*[0-9０-９]*[：:]?$")
_ATTACHMENT_LIST = re.compile(r"^附\s*件\s*[0-9０-９]*[：:]\s*\S")
_SENTENCE_END = re.compile(r"[。；！？：:]$")
_MASTHEAD = re.compile(r"^(?!.*关于)(.{2,30}?(?:委员会|政府|办公厅|办公室|党委|党组|部|委|局|署|厅|院|会|中心))\s*文件$")
_DECREE = re.compile(r"^(?:中华人民共和国)?(.{2,20}?)令(第[0-9０-９]+号)$")
_POSITION = re.compile(r"^(?:总理|副总理|部长|主任|局长|署长|行长|主席|省长|市长|县长|区长|书记|院长|会长|秘书长)$")
_SPLIT_BODIES = re.compile(r"[，、,；;]")


def outline_marker(text: str) -> tuple[int, str] | None:
    """(level, marker) when ``text`` starts with an outline marker such as 一、 or （二）."""
    for level, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            return level, match.group().strip()
    return None


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


def analyse(doc: Document) -> Document:
    """Set header fields, parts, block roles and the outline of ``doc``."""
    lines = [doc.block_text(b) for b in doc.blocks]
    _mark_furniture(doc, lines)
    part_starts = _find_parts(doc, lines)
    header = Header()
    parts: list[Part] = []
    for n, (first, last) in enumerate(zip(part_starts, [*part_starts[1:], len(doc.blocks)], strict=False)):
        for block in doc.blocks[first:last]:
            block.part = n
        title = _part_header(doc, lines, first, last, header if n == 0 else None)
        parts.append(Part(index=n, start=doc.blocks[first].start, end=doc.blocks[last - 1].end, title=title))
    doc.parts = parts
    _read_decree(header, parts)
    _apply_source_metadata(doc, header)
    if header.title is None:
        header.title = next((p.title for p in parts if p.title), None)
    doc.header = header
    doc.headings = _outline(doc, lines)
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


_TITLE_GENRE = re.compile(r"关于.{2,}(?:通知|意见|办法|方案|决定|规定|批复|复函|函|报告|通报|纪要|细则|规则|条例|计划|要点|公告|通告|答复)$")
# '澜江市人民政府办公室　　　2025年8月12日': issuer and date on one line (minutes, bulletins)
_ISSUER_DATE = re.compile(rf"^(.{{2,30}}?)[\u3000 ]+((?:[0-9０-９]{{4}}|[{CN_NUM}]{{4}})\s*年.{{1,6}}月.{{1,6}}日)$")


_NOTE = re.compile(r"^(?:注|尾注)[0-9０-９]*[：:]")


def _is_title_line(line: str) -> bool:
    if _NOTE.match(line):
        return False  # a footnote (注1：…) is never a title
    long_title = len(line) <= 120 and bool(_TITLE_GENRE.search(line))
    return ((len(line) <= 40 or long_title) and not _SENTENCE_END.search(line) and "。" not in line
            and outline_marker(line) is None and not DATE_LINE.match(line) and not DOC_NUMBER.fullmatch(line))


def _part_header(doc: Document, lines: list[str], first: int, last: int, header: Header | None) -> str | None:
    """Mark the header blocks of one part and return its title; fill ``header`` for the cover."""
    title_lines: list[str] = []
    i = first
    while i < last:
        block, line = doc.blocks[i], lines[i]
        if block.role == "furniture":
            i += 1
            continue
        if block.role == "table_row":
            break
        if _ATTACHMENT.match(line):
            block.role = "header"
        elif _ATTACHMENT_LIST.match(line) and i == first and header is None:
            block.role = "header"  # '附件：重点任务分工表' opening an attachment names it
            title_lines.append(re.sub(r"^附\s*件\s*[0-9０-９]*[：:]\s*", "", line))
        elif DOC_NUMBER.fullmatch(line) or (DOC_NUMBER.match(line) and len(line) < 40 and not title_lines):
            block.role = "header"
            if header is not None and header.doc_number is None:
                match = DOC_NUMBER.search(line)
                header.doc_number = match.group() if match else None
        elif (m := _ISSUER_DATE.match(line)) and parse_date(m.group(2)) and not _SENTENCE_END.search(m.group(1)):
            block.role = "header"
            if header is not None:
                header.issuer = header.issuer or [m.group(1).strip()]
                header.date = header.date or parse_date(m.group(2))
        elif header is not None and (m := _MASTHEAD.match(line)) and not title_lines and i - first < 3:
            block.role = "header"
            header.issuer = header.issuer or [m.group(1)]
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
                and i - first < 8:
            block.role = "header"
            if header is not None and not header.addressees:
                header.addressees = [s.strip() for s in _SPLIT_BODIES.split(line.rstrip("：:")) if s.strip()]
            i += 1
            break
        else:
            break
        i += 1
    _mark_signatures(doc, lines, i, last, header)
    if header is not None and doc.source_metadata.get("title") is None and not title_lines:
        return None
    # letter-spaced titles (国 家 粮 食) lose their spaces
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", "".join(title_lines)) or None


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


def _mark_signatures(doc: Document, lines: list[str], first: int, last: int, header: Header | None) -> None:
    """A date line alone, and the short line(s) above it, close a notice: 署名 and 成文日期."""
    for i in range(first, last):
        if doc.blocks[i].role != "body" or not DATE_LINE.match(lines[i]):
            continue
        doc.blocks[i].role = "signature"
        signers: list[str] = []
        # a page number or running head between the signer (foot of a page) and the date
        # (top of the next) is transparent
        j = previous_content(doc, i, first)
        while j is not None and doc.blocks[j].role == "body" and len(lines[j]) <= 40 \
                and not _ATTACHMENT_LIST.match(lines[j]) and not _SENTENCE_END.search(lines[j]) \
                and outline_marker(lines[j]) is None and len(signers) < 3:
            doc.blocks[j].role = "signature"
            signers.insert(0, lines[j])
            j = previous_content(doc, j, first)
        if header is not None and header.date is None:
            header.date = parse_date(lines[i])
            names = [n for s in signers for n in re.split(r"[\u3000 ]+", s) if n]
            if names and not header.issuer:
                header.issuer = names


def _read_decree(header: Header, parts: list[Part]) -> None:
    """A decree (中华人民共和国国务院令 第707号) promulgates the regulation that follows it:
    the regulation's title is the document's, the decree's number its 字号, the body named
    in the decree its issuer (the signature names a person: 总理 李克强)."""
    cover = parts[0].title if parts else None
    match = _DECREE.match(cover or "")
    if not match:
        return
    header.doc_number = header.doc_number or cover
    header.title = next((p.title for p in parts[1:] if p.title), None)
    if not header.issuer or _POSITION.match(header.issuer[0]):
        header.issuer = [match.group(1)]


def _apply_source_metadata(doc: Document, header: Header) -> None:
    meta = doc.source_metadata
    if meta.get("doc_number"):
        header.doc_number = meta["doc_number"].strip()
    if meta.get("title"):
        header.title = re.sub(r"\s+", "", meta["title"]) if doc.format != "markdown" else meta["title"].strip()
    if meta.get("issuer"):
        header.issuer = [s.strip() for s in re.split(r"[、，,；;\s\u3000]+", meta["issuer"]) if s.strip()]
    if meta.get("date"):
        header.date = parse_date(meta["date"]) or (meta["date"] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]) else header.date)
    if meta.get("addressees") and not header.addressees:
        header.addressees = [s.strip() for s in _SPLIT_BODIES.split(meta["addressees"]) if s.strip()]


def _outline(doc: Document, lines: list[str]) -> list[Heading]:
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
            continue
        level, marker = found
        label = heading_label(line, marker)
        if label == line.rstrip("。") and len(line) <= 40:
            block.role = "heading"
        while stack and stack[-1].level >= level:
            stack.pop()
        heading = Heading(marker=marker, level=level, label=label, start=block.start, end=block.end,
                          path=(*(h.label for h in stack), label), part=block.part)
        stack.append(heading)
        headings.append(heading)
    return headings


def section_path(doc: Document, offset: int, part: int) -> list[str]:
    """The outline headings above ``offset``, from the top down."""
    index = bisect.bisect_right([h.start for h in doc.headings], offset) - 1 if doc.headings else -1
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
