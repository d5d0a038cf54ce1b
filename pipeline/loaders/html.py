"""HTML pages: the article found among navigation, scripts and metadata tables.

Government sites wrap a circular in a page of menus, share buttons and footers, and often
put its header fields in a metadata table (发文字号：…). The article is the element whose
own paragraphs hold the most sentence text (a readability-style score); the metadata table
becomes `Document.source_metadata`.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.errors import NoArticleError
from pipeline.loaders.base import Paragraph, build_document, decode_text, document_id, normalise_line, sha256_of
from pipeline.model import Document
from pipeline.settings import Settings

_DROP = ["script", "style", "noscript", "iframe", "svg", "canvas", "template", "button", "select", "form"]
_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "blockquote", "ul", "ol", "dd", "dt", "pre", "hr", "center", "header", "footer", "td", "th"}
_NAV = {"nav", "header", "footer", "aside"}
#: Labels of metadata tables, normalised (spaces and colons removed) to header fields.
_META_LABELS = {"发文字号": "doc_number", "文号": "doc_number", "标题": "title", "名称": "title",
                "发文机关": "issuer", "发布机构": "issuer", "发文单位": "issuer", "成文日期": "date",
                "发文日期": "date", "主送机关": "addressees", "发布日期": "published"}
_SENTENCE = re.compile("[。；！？：，]")
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_CJK = "\u4e00-\u9fff，。；：、！？“”‘’（）《》【】"
#: a space the page source left between two Chinese characters (not an ideographic space)
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def load_html(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    text = decode_text(data, source_file)
    return build_document(source_file, data, "html", *_article(text, source_file, data))


def html_paragraphs(node: LexborNode) -> list[Paragraph]:
    """The paragraphs of an element: a break at every block element and <br>; the rows of a
    data table (one without tables inside) as table rows with their cells."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    tables = 0

    def flush() -> None:
        if current:
            line = "".join(current)
            if normalise_line(line):
                paragraphs.append(Paragraph(_CJK_GAP.sub("", line)))
            current.clear()

    def walk(n: LexborNode) -> None:
        for child in n.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                # a newline in the page source is not a line break; only <br> and blocks are
                current.append(_SOURCE_BREAK.sub(" ", child.text(deep=False) or ""))
            elif tag in _DROP or tag == "_comment":
                continue
            elif tag == "table" and is_data_table(child):
                flush()
                nonlocal tables
                paragraphs.extend(Paragraph(cells=row, table=tables) for row in table_rows(child))
                tables += 1
            elif tag in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(node)
    flush()
    return paragraphs


def is_data_table(table: LexborNode) -> bool:
    """A table of rows and columns (not a layout table that wraps the page or the article):
    no tables inside, and at least two rows of at least two cells."""
    if any(inner.mem_id != table.mem_id for inner in table.css("table")):
        return False
    rows = [tr for tr in table.css("tr") if len([c for c in tr.iter() if c.tag in ("td", "th")]) >= 2]
    return len(rows) >= 2


def table_rows(table: LexborNode) -> list[list[str]]:
    """The cell texts of a table's rows, a cell spanning columns or rows repeated in each."""
    grid: list[list[str]] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) filled by a rowspan above
    for r, tr in enumerate(table.css("tr")):
        row: list[str] = []
        column = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            while (r, column) in pending:
                row.append(pending.pop((r, column)))
                column += 1
            text = _CJK_GAP.sub("", normalise_line(" ".join(p.text for p in html_paragraphs(cell) if p.text)))
            span = _span(cell, "colspan")
            for extra in range(1, _span(cell, "rowspan")):
                for c in range(column, column + span):
                    pending[(r + extra, c)] = text
            row.extend([text] * span)
            column += span
        while (r, column) in pending:
            row.append(pending.pop((r, column)))
            column += 1
        if any(row):
            grid.append(row)
    return grid


def _span(cell: LexborNode, name: str) -> int:
    try:
        return max(1, min(50, int(cell.attributes.get(name) or 1)))
    except ValueError:
        return 1


def _article(text: str, source_file: str, data: bytes) -> tuple[list[Paragraph], dict[str, str]]:
    tree = LexborHTMLParser(text)
    tree.strip_tags(_DROP)
    metadata: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        metadata["page_title"] = title.text(strip=True)
    meta_tables = _metadata_tables(tree, metadata)
    body = tree.body
    if body is None:
        raise NoArticleError(source_file, "the page has no <body>", document_id(sha256_of(data)))
    best = _best_container(body, meta_tables)
    if best is None:
        raise NoArticleError(source_file, "no article text found in the page (only navigation or markup)",
                             document_id(sha256_of(data)))
    return html_paragraphs(best), metadata


def _metadata_tables(tree: LexborHTMLParser, metadata: dict[str, str]) -> list[LexborNode]:
    """Read label/value rows (发文字号：｜国发〔2019〕3号) of any table into ``metadata``."""
    tables = []
    for table in tree.css("table"):
        if any(inner.mem_id != table.mem_id for inner in table.css("table")):
            continue  # an outer layout table; its inner tables are visited on their own
        cells = [normalise_line(td.text()) for td in table.css("td, th")]
        found = 0
        for label, value in itertools.pairwise(cells):
            key = _META_LABELS.get(re.sub(r"[\s\u3000:：]", "", label))
            if key and value and re.sub(r"[\s\u3000:：]", "", value) not in _META_LABELS:
                metadata.setdefault(key, value)
                found += 1
        if found >= 2:
            tables.append(table)
    return tables


def _best_container(body: LexborNode, excluded: list[LexborNode]) -> LexborNode | None:
    """The element whose direct paragraphs carry the most sentence text, links discounted.

    A data table (one without tables inside) counts as one paragraph of its parent, so an
    article that holds a task table is still chosen over the table.
    """
    excluded_ids = {n.mem_id for n in excluded}
    data_tables = {t.mem_id: t for t in body.css("table") if t.mem_id not in excluded_ids and is_data_table(t)}
    scores: dict[int, float] = defaultdict(float)
    nodes: dict[int, LexborNode] = {}

    def credit(node: LexborNode, weight: float) -> None:
        parent = node.parent
        for share in (1.0, 0.5):
            if parent is None:
                return
            scores[parent.mem_id] += weight * share
            nodes[parent.mem_id] = parent
            parent = parent.parent

    for table in data_tables.values():
        if not _has_ancestor(table, lambda n: n.mem_id in excluded_ids or n.tag in _NAV):
            credit(table, _text_weight(table, normalise_line(table.text())))
    for para in body.css("p, div, td, li, section, article"):
        if _has_ancestor(para, lambda n: n.mem_id in excluded_ids or n.tag in _NAV or n.mem_id in data_tables):
            continue
        own = "".join(c.text(deep=False) or "" for c in para.iter(include_text=True) if c.tag == "-text")
        own += "".join(c.text() for c in para.iter() if c.tag in ("span", "strong", "b", "font", "em", "i"))
        own = normalise_line(own)
        if len(own) < 10 or not _SENTENCE.search(own):
            continue
        credit(para, _text_weight(para, own))
    if not scores:
        return None
    best_id = max(scores, key=lambda k: scores[k])
    return nodes[best_id] if scores[best_id] >= 40 else None


def _text_weight(node: LexborNode, text: str) -> float:
    """Length of the text, discounted by the share of it that is link text."""
    link_text = sum(len(a.text()) for a in node.css("a"))
    return len(text) * (1.0 - min(1.0, link_text / max(1, len(text))))


def _has_ancestor(node: LexborNode, test: Callable[[LexborNode], bool]) -> bool:
    """Is ``test`` true of the node or of any element above it?"""
    parent: LexborNode | None = node
    while parent is not None:
        if test(parent):
            return True
        parent = parent.parent
    return False
