"""Container metadata: the labels pages and crawlers give a document's fields, one map for every loader.

A container states fields outside the text it carries: a government page's metadata table
(发文字号：｜澄政办发〔2027〕4号), a crawler's header block (``标题: …`` lines, then a
separator), YAML front matter. Every loader reads those labels through `field_for_label`, so
one label means one field everywhere.

发布机构 and 发布时间/发布日期 name who put the page online and when: the publisher and the
publication time, never the 发文机关 and 成文日期, which the document prints in its signature.
A page table's own 发文机关 and 成文日期 rows are kept as what they are, container values
(``structure`` prefers the printed header when both exist).
"""

from __future__ import annotations

import re

#: Labels, with spaces and colons removed, to the `Document.source_metadata` key they fill.
METADATA_LABELS: dict[str, str] = {
    "发文字号": "doc_number", "文号": "doc_number",
    "标题": "title", "名称": "title",
    "发文机关": "issuer", "发文单位": "issuer",
    "成文日期": "date", "发文日期": "date",
    "主送机关": "addressees",
    "发布机构": "publisher",
    "发布日期": "published", "发布时间": "published",
    "栏目": "column", "原文链接": "url",
}

#: A crawler's header line: a short label, a colon, and a value that may be empty (``文号: ``).
_LABEL_LINE = re.compile(r"^\s*([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z \u3000]{0,9})\s*[:：]\s*(.*?)\s*$")
#: The line a crawler draws between its header and the page: a run of = - _ * ~ # with at most a
#: short word inside (==== 正文 ====).
_SEPARATOR = re.compile(r"^\s*([=\-_*~#])\1{2,}\s*(?:[\u4e00-\u9fffA-Za-z ]{0,10}\s*[=\-_*~#]{3,})?\s*$")
#: A crawler header is read only within the first lines of a file.
_HEADER_LINES = 20
#: ... and only when at least this many of its lines carry a known label.
_KNOWN_LABELS = 2


#: Labels of a page's own information line (来源：…　发布时间：…　浏览次数：…), beside the
#: publication fields of `METADATA_LABELS`.
PAGE_INFO_LABELS = frozenset({"来源", "信息来源", "文章来源", "作者", "编辑", "责任编辑", "浏览次数", "点击次数",
                              "阅读次数", "访问次数", "点击数", "浏览量"})
_INFO_PAIR = re.compile(r"([\u4e00-\u9fff]{2,6})[:：]\s*[^\s\u3000]*")


def is_page_info_line(line: str) -> bool:
    """来源：市政协提案委员会　发布时间：2030-04-01: two or more label–value pairs of the page that
    carries the document, wherever the page sets them (above the title or below it)."""
    if "：" not in line and ":" not in line:
        return False
    pairs = list(_INFO_PAIR.finditer(line))
    if len(pairs) < 2 or len("".join(m.group() for m in pairs)) < 0.6 * len(line.replace("\u3000", "").replace(" ", "")):
        return False
    labels = [m.group(1) for m in pairs]
    return any(label in PAGE_INFO_LABELS or METADATA_LABELS.get(label) in ("publisher", "published")
               for label in labels)


def field_for_label(label: str) -> str | None:
    """The metadata field a label names (发 文 字 号： → doc_number), or None."""
    return METADATA_LABELS.get(re.sub(r"[\s\u3000:：]", "", label))


def crawler_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The metadata of a crawler's header block at the top of ``lines`` and how many lines it takes.

    The block is a run of ``label: value`` lines, either closed by a separator line (other
    lines the crawler wrote may stand before it: a note on where its files are) or, without a
    separator, ended by the first line that is not ``label: value``. It counts only when at
    least two of its labels are known (`METADATA_LABELS`); otherwise ``({}, 0)``. Empty values
    (``文号:`` with nothing after it) fill nothing.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    head = lines[start:start + _HEADER_LINES]
    separator = next((n for n, line in enumerate(head) if _SEPARATOR.match(line)), None)
    if separator is not None:
        block = head[:separator]
        end = start + separator + 1
    else:
        run = 0
        while run < len(head) and _LABEL_LINE.match(head[run]):
            run += 1
        block = head[:run]
        end = start + run
    metadata: dict[str, str] = {}
    known = 0
    for line in block:
        match = _LABEL_LINE.match(line)
        field = field_for_label(match.group(1)) if match else None
        if field is None:
            continue
        known += 1
        if match and match.group(2) and field not in metadata:
            metadata[field] = match.group(2)
    if known < _KNOWN_LABELS:
        return {}, 0
    return metadata, end
