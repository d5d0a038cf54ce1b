"""HTML pages: the article found among navigation, scripts and metadata tables.

Government sites wrap a circular in a page of menus, share buttons and footers, and often
put its header fields in a metadata table (发文字号：…). The article is the element whose
own paragraphs hold the most sentence text (a readability-style score); the metadata table
becomes `Document.source_metadata`, its labels read with the map every loader shares
(`pipeline.loaders.metadata`: 发布机构 is the publisher, not the 发文机关).

Hostile pages are refused with `LimitExceededError` within seconds: markup nested deeper than
``Settings.max_nesting_depth`` (estimated on the source before lexbor parses it, as lexbor's
tree builder is quadratic in the nesting, then checked exactly on the tree), and tables whose
merged cells would repeat into more than ``Settings.max_text_chars`` of text. Nothing here
recurses per level of nesting.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.errors import LimitExceededError, NoArticleError
from pipeline.loaders.base import (
    CELL_LINE_BREAK,
    Paragraph,
    TextBudget,
    build_document,
    decode_text,
    document_id,
    normalise_line,
    sha256_of,
)
from pipeline.loaders.metadata import field_for_label
from pipeline.model import Document
from pipeline.settings import Settings

_DROP = ["script", "style", "noscript", "iframe", "svg", "canvas", "template", "button", "select", "form"]
_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
          "blockquote", "ul", "ol", "dd", "dt", "pre", "hr", "center", "header", "footer", "td", "th"}
_NAV = {"nav", "header", "footer", "aside"}
#: a table laid out with block rows of inline cells: the elements that hold its rows, and the rows
_GRID_PARENTS = {"div", "ul", "ol", "section"}
_GRID_ROWS = {"div", "li", "p"}
_LONGEST_TERM = 12  # a <dt> that labels its <dd> is a short noun phrase
#: elements that may set their text in bold (a style is checked by `_sets_bold`)
_BOLD = "b, strong, [style*=font-weight]"
_FONT_WEIGHT = re.compile(r"font-weight\s*:\s*(bold(?:er)?|\d{3})", re.I)
#: Pages with more "<" than this are scanned for their depth before lexbor parses them (5,000
#: nested elements take lexbor 0.1 s, 20,000 take 1.5 s, 100,000 take two minutes).
_SCAN_ABOVE_TAGS = 5_000
_CANDIDATES = {"p", "div", "td", "li", "section", "article"}
_SENTENCE = re.compile("[。；！？：，]")
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_CJK = "\u4e00-\u9fff，。；：、！？“”‘’（）《》【】"
#: a space the page source left between two Chinese characters (not an ideographic space)
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def load_html(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    settings = settings or Settings()
    text = decode_text(data, source_file)
    budget = TextBudget(settings, source_file, document_id(sha256_of(data)))
    return build_document(source_file, data, "html", *_article(text, budget, settings.max_nesting_depth))


def parse_html(text: str, budget: TextBudget, max_depth: int) -> LexborHTMLParser:
    """Parse with lexbor; markup nested more than ``max_depth`` deep is refused, first as
    `markup_depth` estimates it on the source, then exactly on the tree."""
    # lexbor's worst case is quadratic in the number of tags: a page of few tags is parsed
    # without the scan (a few µs a tag in Python) and checked on its tree only
    estimate = markup_depth(text, max_depth) if text.count("<") > _SCAN_ABOVE_TAGS else 0
    if estimate > max_depth:
        raise _too_deep(budget, max_depth, estimate)
    tree = LexborHTMLParser(text)
    if tree.root is not None and _deeper_than(tree.root, max_depth):
        raise _too_deep(budget, max_depth, max_depth + 1)
    return tree


def _too_deep(budget: TextBudget, limit: int, depth: int) -> LimitExceededError:
    return LimitExceededError(budget.source_file, f"the markup nests elements at least {depth:,} levels deep",
                              limit, "max_nesting_depth", budget.document_id)


def _deeper_than(root: LexborNode, limit: int) -> bool:
    """Does an element lie more than ``limit`` levels down (<html> is level 1)?

    Up to a limit of 1,000 a child-combinator selector asks lexbor (~1 ms for 100,000
    elements); lexbor is slow on longer selectors, so a larger limit walks the tree in Python,
    without recursion.
    """
    if limit <= 1000:
        return root.css_first(">".join(["*"] * (limit + 1))) is not None
    depth, node = 1, root
    while True:
        child = _element(node.child)
        if child is not None:
            node, depth = child, depth + 1
            if depth > limit:
                return True
            continue
        while (sibling := _element(node.next)) is None:
            parent = node.parent
            if parent is None or depth <= 1:
                return False
            node, depth = parent, depth - 1
        node = sibling


def _element(node: LexborNode | None) -> LexborNode | None:
    """``node`` or the first element after it among its siblings."""
    while node is not None and not node.is_element_node:
        node = node.next
    return node


def html_paragraphs(node: LexborNode, budget: TextBudget) -> list[Paragraph]:
    """The paragraphs of an element: a break at every block element and <br>; the rows of a
    data table (one without tables inside) as table rows with their cells. The text produced
    is counted in ``budget``; the pieces set in bold are kept with each paragraph."""
    return _paragraphs(node, budget, _bold_within(node))


def _paragraphs(node: LexborNode, budget: TextBudget | None, bold: dict[int, list[str]]) -> list[Paragraph]:
    """`html_paragraphs`, with an explicit stack instead of recursion; ``budget`` None for the
    text of a table cell, which its table counts once for every cell it spans; ``bold``: the
    pieces set in bold within each element (see `_bold_within`)."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    emphasis: list[str] = []
    tables = 0

    def flush() -> None:
        if current:
            line = "".join(current)
            current.clear()
            normalised = normalise_line(_CJK_GAP.sub("", line))
            if normalised:
                if budget is not None:
                    budget.spend(len(normalised) + 1)
                paragraphs.append(Paragraph(normalised, emphasis=[_CJK_GAP.sub("", e) for e in emphasis]))
        emphasis.clear()

    # each entry: the children still to read of an element, and whether it ends a paragraph
    stack = [(node.iter(include_text=True), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                flush()
            continue
        tag = child.tag
        if tag == "-text":
            # a newline in the page source is not a line break; only <br> and blocks are
            current.append(_SOURCE_BREAK.sub(" ", child.text(deep=False) or ""))
        elif tag in _DROP or tag == "-comment":
            continue
        elif tag == "table" and budget is not None and is_data_table(child):
            flush()
            for row in table_rows(child, budget, bold):
                row.table = tables
                paragraphs.append(row)
            tables += 1
        elif tag == "dl" and (pairs := _definition_pairs(child)) is not None:
            flush()  # <dt>牵头单位</dt><dd>A</dd>: a label and its value, one line as 牵头单位：A
            for label, value in pairs:
                current.append(f"{label}：{value}")
                flush()
        elif tag in _GRID_PARENTS and budget is not None and (grid := grid_rows(child)) is not None:
            flush()  # a table laid out with <div> rows and <span> cells
            for cells in grid:
                texts = [_CJK_GAP.sub("", normalise_line(_cell_text(cell))) for cell in cells]
                budget.spend(sum(len(text) + 1 for text in texts))
                paragraphs.append(Paragraph(cells=texts, table=tables,
                                            emphasis=[e for cell in cells for e in bold.get(cell.mem_id, ())]))
            tables += 1
        elif tag in _BLOCK:
            flush()
            if tag != "br" and _inline_only(child):
                # a paragraph of inline text only (most <p>): its text at once, not node by node
                current.append(_SOURCE_BREAK.sub(" ", child.text(deep=True)))
                emphasis.extend(bold.get(child.mem_id, ()))
                flush()
            else:
                stack.append((child.iter(include_text=True), True))
        else:
            if child.mem_id in bold and _sets_bold(child):
                emphasis.extend(bold[child.mem_id])
            stack.append((child.iter(include_text=True), False))
    flush()
    return paragraphs


def is_data_table(table: LexborNode) -> bool:
    """A table of rows and columns (not a layout table that wraps the page or the article):
    no tables inside, and at least two rows of at least two cells."""
    if any(inner.mem_id != table.mem_id for inner in table.css("table")):
        return False
    rows = [tr for tr in table.css("tr") if len([c for c in tr.iter() if c.tag in ("td", "th")]) >= 2]
    return len(rows) >= 2


def _definition_pairs(node: LexborNode) -> list[tuple[str, str]] | None:
    """The (term, description) pairs of a <dl> of short inline terms each followed by one
    description; None for any other <dl> (read as its paragraphs)."""
    pairs: list[tuple[str, str]] = []
    term: str | None = None
    for child in node.iter():
        if child.tag in _DROP:
            continue
        if not _inline_only(child):
            return None
        text = normalise_line(_SOURCE_BREAK.sub(" ", child.text(deep=True)))
        if child.tag == "dt" and term is None and 0 < len(text) <= _LONGEST_TERM:
            term = text.rstrip("：:")
        elif child.tag == "dd" and term is not None:
            pairs.append((term, text))
            term = None
        else:
            return None
    return pairs if pairs and term is None else None


def grid_rows(node: LexborNode) -> list[list[LexborNode]] | None:
    """The cells of a table laid out without <table>: an element whose children are two or more
    rows (<div>, <li>) of the same number (two or more) of cells, each cell inline text only
    and no text between them. None for anything else (most elements fail at their first child)."""
    rows: list[list[LexborNode]] = []
    for row in node.iter():
        if row.tag in _DROP:
            continue
        if row.tag not in _GRID_ROWS or (row.text(deep=False) or "").strip():
            return None
        cells = [cell for cell in row.iter() if cell.tag not in _DROP]
        if len(cells) < 2 or (rows and len(cells) != len(rows[0])) \
                or any(cell.tag == "br" or not _inline_only(cell) for cell in cells):
            return None
        rows.append(cells)
    return rows if len(rows) >= 2 else None


def table_rows(table: LexborNode, budget: TextBudget, bold: dict[int, list[str]] | None = None) -> list[Paragraph]:
    """The rows of a table as paragraphs with cells, a cell spanning columns or rows repeated
    in each, with the pieces each sets in bold (``bold``, see `_bold_within`).

    A rowspan reaches no further than the table's last row, and the text of every cell a
    merged cell covers is counted in ``budget`` when the cell is read, before it is repeated.
    """
    grid: list[Paragraph] = []
    pending: dict[tuple[int, int], tuple[str, list[str]]] = {}  # (row, column) filled by a rowspan above
    trs = table.css("tr")
    for r, tr in enumerate(trs):
        row: list[str] = []
        emphasis: list[str] = []
        column = 0
        for cell in tr.iter():
            if cell.tag not in ("td", "th"):
                continue
            column = _fill_from_above(pending, r, column, row, emphasis)
            text = _CJK_GAP.sub("", normalise_line(_cell_text(cell)))
            pieces = [_CJK_GAP.sub("", p) for p in (bold or {}).get(cell.mem_id, ())]
            span = _span(cell, "colspan")
            down = min(_span(cell, "rowspan"), len(trs) - r)
            # each cell's text and the tab after it
            budget.spend((len(text) + 1) * span * down, " (a merged table cell counts in every cell it spans)")
            for extra in range(1, down):
                for c in range(column, column + span):
                    pending[(r + extra, c)] = (text, pieces)
            row.extend([text] * span)
            emphasis.extend(pieces * span)
            column += span
        _fill_from_above(pending, r, column, row, emphasis)
        if any(row):
            grid.append(Paragraph(cells=row, emphasis=emphasis))
    return grid


def _fill_from_above(pending: dict[tuple[int, int], tuple[str, list[str]]], r: int, column: int,
                     row: list[str], emphasis: list[str]) -> int:
    """Put the cells a rowspan above reaches into row ``r`` from ``column`` on; the next column."""
    while (r, column) in pending:
        text, pieces = pending.pop((r, column))
        row.append(text)
        emphasis.extend(pieces)
        column += 1
    return column


def _inline_only(node: LexborNode) -> bool:
    """Does ``node`` hold no block element? (A walk that stops at the first one: a CSS query
    costs more, lexbor parsing the selector on every call.)"""
    inside = node.traverse()
    next(inside, None)  # the node itself
    return not any(n.tag in _BLOCK for n in inside)


def _cell_text(cell: LexborNode) -> str:
    """A cell's paragraphs joined by `CELL_LINE_BREAK`; most cells hold inline text only, which lexbor
    gives at once (the walk of `_paragraphs` costs Python work per node)."""
    if _inline_only(cell):
        return _CJK_GAP.sub("", _SOURCE_BREAK.sub(" ", cell.text(deep=True)))
    return CELL_LINE_BREAK.join(p.text for p in _paragraphs(cell, None, {}) if p.text)


def _bold_within(root: LexborNode) -> dict[int, list[str]]:
    """Element id → the texts set in bold (<b>, <strong>, a font-weight style) inside it, the
    outermost bold element only; found once per page, as few elements are bold."""
    within: dict[int, list[str]] = {}
    inside_bold: set[int] = set()  # bold elements taken, and the bold elements found inside them
    for element in root.css(_BOLD):
        if not _sets_bold(element):
            continue
        ancestors: list[int] = []
        parent = element.parent
        while parent is not None and parent.mem_id not in inside_bold:
            ancestors.append(parent.mem_id)
            parent = parent.parent
        inside_bold.add(element.mem_id)  # a bold element nested in it stops at it: no quadratic walk
        if parent is not None:
            continue  # inside a bold element already taken
        text = _SOURCE_BREAK.sub(" ", element.text(deep=True))
        for mem_id in (element.mem_id, *ancestors):
            within.setdefault(mem_id, []).append(text)
    return within


def _sets_bold(element: LexborNode) -> bool:
    """<b>, <strong>, or a style of weight bold or 600 and more."""
    if element.tag in ("b", "strong"):
        return True
    weight = _FONT_WEIGHT.search(element.attributes.get("style") or "")
    return weight is not None and (weight.group(1) == "bold" or weight.group(1) == "bolder"
                                   or (weight.group(1).isdigit() and int(weight.group(1)) >= 600))


def _span(cell: LexborNode, name: str) -> int:
    try:
        return max(1, min(50, int(cell.attributes.get(name) or 1)))
    except ValueError:
        return 1


def _article(text: str, budget: TextBudget, max_depth: int) -> tuple[list[Paragraph], dict[str, str]]:
    tree = parse_html(text, budget, max_depth)
    tree.strip_tags(_DROP)
    metadata: dict[str, str] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        metadata["page_title"] = title.text(strip=True)
    meta_tables = _metadata_tables(tree, metadata)
    body = tree.body
    if body is None:
        raise NoArticleError(budget.source_file, "the page has no <body>", budget.document_id)
    best = _best_container(body, meta_tables)
    if best is None:
        raise NoArticleError(budget.source_file, "no article text found in the page (only navigation or markup)",
                             budget.document_id)
    paragraphs = html_paragraphs(best, budget)
    heading = _heading_beside(best)
    if heading:
        paragraphs.insert(0, Paragraph(heading))
    return paragraphs, metadata


def _heading_beside(container: LexborNode) -> str | None:
    """<h1>title</h1><div class="info">…</div><div class="content">…</div>: a page that sets the
    article's heading before the element holding its text, as its sibling or its parent's (the
    printed title, which the header needs, would otherwise be left out with the page furniture).
    The nearest heading wins: a site's banner <h1> further up is its name, not the article's."""
    first = _element(container.child)
    if first is not None and first.tag in ("h1", "h2"):
        return None  # the container opens with its own heading
    # a heading inside that is not its first element is a part's title (the plan a notice
    # issues, <h2>…方案</h2>); the notice's own heading may still stand beside the container
    inside = {normalise_line(h.text()) for h in container.css("h1, h2")}
    node: LexborNode | None = container
    for _ in range(2):
        if node is None:
            return None
        sibling = node.prev
        while sibling is not None:
            if sibling.is_element_node and sibling.tag not in _NAV:
                # <h1>…</h1>, or an element whose class names it the title (<div class="detail-title">)
                titled = sibling.tag in _TITLE_HEADINGS or (
                    "title" in (sibling.attributes.get("class") or "").lower() and _inline_only(sibling))
                found = sibling if titled else sibling.css_first("h1, h2, h3")
                if found is not None:
                    text = normalise_line(found.text())
                    return text if len(text) >= 4 and text not in inside else None
            sibling = sibling.prev
        node = node.parent
        if node is None or node.tag == "body":
            return None
    return None


def _metadata_tables(tree: LexborHTMLParser, metadata: dict[str, str]) -> list[LexborNode]:
    """Read label/value rows (发文字号：｜国发〔2019〕3号) of any table into ``metadata``."""
    tables = []
    for table in tree.css("table"):
        if any(inner.mem_id != table.mem_id for inner in table.css("table")):
            continue  # an outer layout table; its inner tables are visited on their own
        cells = [normalise_line(td.text()) for td in table.css("td, th")]
        found = 0
        for label, value in itertools.pairwise(cells):
            key = field_for_label(label)
            if key and value and field_for_label(value) is None:
                metadata.setdefault(key, value)
                found += 1
        if found >= 2:
            tables.append(table)
    return tables


def _best_container(body: LexborNode, excluded: list[LexborNode]) -> LexborNode | None:
    """The element whose direct paragraphs carry the most sentence text, links discounted.

    A data table (one without tables inside) counts as one paragraph of its parent, so an
    article that holds a task table is still chosen over the table. Navigation and the
    metadata tables are left out with everything inside them, and so are the paragraphs inside
    a data table: one walk down the tree that does not enter those subtrees (linear, where
    asking each element about its ancestors was quadratic in the nesting).
    """
    excluded_ids = {n.mem_id for n in excluded}
    tables: list[LexborNode] = []
    paragraphs: list[LexborNode] = []
    stack = [body]
    while stack:
        node = stack.pop()
        tag = node.tag
        if node.mem_id in excluded_ids or tag in _NAV:
            continue
        if (tag == "table" and is_data_table(node)) or (tag in _GRID_PARENTS and grid_rows(node) is not None):
            tables.append(node)
            continue
        if tag in _CANDIDATES:
            paragraphs.append(node)
        stack.extend(reversed(list(node.iter())))
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

    for table in tables:
        credit(table, _text_weight(table, normalise_line(table.text())))
    for para in paragraphs:
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


# --- how deep the source nests, before lexbor parses it -------------------------------------------

_VOID = {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input",
         "keygen", "link", "meta", "param", "source", "track", "wbr"}
#: their content is text up to their end tag (noscript is not: lexbor parses without scripting)
_RAW_TEXT = {"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"}
_NOT_PUSHED = {"html", "head", "body", "frameset", "br"}
#: "an element in scope" is not looked for below these
_BOUNDARY = {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"}
_SPECIAL = {"address", "applet", "article", "aside", "blockquote", "button", "caption", "center", "colgroup", "dd",
            "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
            "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "li", "listing", "main", "marquee", "menu", "nav",
            "noscript", "object", "ol", "p", "pre", "search", "section", "select", "summary", "table", "tbody",
            "td", "template", "tfoot", "th", "thead", "tr", "ul"}
_FORMATTING = {"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"}
_CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
             "fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
             "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form",
             "li", "dd", "dt", "hr", "xmp", "plaintext"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: the levels a page sets an article's heading in, beside its text
_TITLE_HEADINGS = ("h1", "h2", "h3")
_SECTIONS = ("tbody", "thead", "tfoot")
_CELLS = ("td", "th")
_TABLE_PARTS = {"td", "th", "tr", "tbody", "thead", "tfoot", "caption", "col", "colgroup"}
_INTEGRATION = ("foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml")
#: start tags that leave SVG or MathML content for HTML
_BREAKOUT = {"b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
             "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
             "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
             "ul", "var"}
_WS = "\t\n\f\r "
#: one token: a tag with its attributes up to its ">" (quoted values may hold ">"; a quote
#: counts only after "="), or the start of a comment or of a bogus comment. A tag with no ">"
#: after it matches with an empty "open" group. Possessive, so that nothing backtracks.
_TOKEN = re.compile(rf"""<(?:(?P<end>/?)(?P<name>[A-Za-z][^{_WS}/>]*+)"""
                    rf"""(?:(?P<attrs>(?:[{_WS}/]|(?:=[^{_WS}/>=]*+|[^{_WS}/>=]++)"""
                    rf"""(?:[{_WS}]*+=[{_WS}]*+(?:"[^"]*+"|'[^']*+'|[^{_WS}>]++)?)?)*+)>|(?P<open>))"""
                    r"""|(?P<comment>!--)|[!?/])""")
_COMMENT_END = re.compile(r"--!?>")


def markup_depth(text: str, limit: int) -> int:
    """How deep the elements of an HTML source nest as an HTML tree builder stacks them (<html>
    and <body> are levels 1 and 2, as on the parsed tree); the scan stops once past ``limit``.

    lexbor walks its stack of open elements for every block start tag, so 100,000 nested
    <div> take minutes to parse; this linear scan lets the loader refuse them first. It reads
    tags, comments and raw text as the HTML tokenizer does, and follows the tree builder's
    implied end tags (a <p> closed by a block, a <li> or a cell by the next one, an end tag
    closing what it encloses). Where unsure it keeps an element open, so the estimate errs on
    the deep side, with one exception: a formatting element ended after a block it encloses
    (<font><div></font></div>, common in sloppy pages) leaves the tree builder's stack, so it
    does not pile up here either. The parsed tree is checked exactly afterwards. On 3,000
    real pages the estimate was within three levels of lexbor's tree.
    """
    scan = _DepthScan()
    search = _TOKEN.search
    pos = 0
    while scan.deepest <= limit:
        m = search(text, pos)
        if m is None:
            break
        pos = m.end()
        name = m.group("name")
        if name is None:
            if m.group("comment"):
                if text.startswith((">", "->"), pos):  # <!--> and <!---> are empty comments
                    pos = text.index(">", pos) + 1
                    continue
                end = _COMMENT_END.search(text, pos)
            else:  # <!doctype …>, <![CDATA[…]]>, <?…>, </ …>: a bogus comment up to ">"
                end = _GT.search(text, pos)
            if end is None:
                break
            pos = end.end()
            continue
        if m.group("open") is not None:
            break  # a tag without its ">": the tokenizer reads the rest of the page into it
        name = name.lower()
        if m.group("end"):
            scan.end_tag(name)
        elif scan.start_tag(name, m.group("attrs").endswith("/")) and name in _RAW_TEXT:
            end = re.compile(rf"</{name}[{_WS}/>]", re.I).search(text, pos)
            if end is None:
                break
            pos = end.start()
        elif name == "plaintext" and not scan.foreign():
            break  # the rest of the page is text
    return scan.deepest


_GT = re.compile(">")


class _DepthScan:
    """The stack of open elements of an HTML tree builder, as far as `markup_depth` models it."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.where: dict[str, list[int]] = {}  # tag -> its positions on the stack, innermost last
        self.special: list[int] = [-1]  # positions of special elements (they stop "any other end tag")
        self.boundary: list[int] = [-1]  # positions of scope boundaries
        self.stops: list[int] = [-1]  # positions of special elements other than address, div, p
        self.ghosts: set[int] = set()  # positions the tree builder has taken off its stack
        self.foreign_open = 0  # <svg> and <math> on the stack
        self.deepest = 0

    def last(self, name: str) -> int:
        """The position of the innermost open element ``name``, or -1."""
        positions = self.where.get(name)
        return positions[-1] if positions else -1

    def last_of(self, names: tuple[str, ...]) -> int:
        """The position of the innermost open element of one of ``names``, or -1."""
        at = -1
        for name in names:
            positions = self.where.get(name)
            if positions and positions[-1] > at:
                at = positions[-1]
        return at

    def in_scope(self, name: str, stop: str = "") -> int:
        """The position of the innermost open ``name`` if no scope boundary (nor ``stop``) is
        above it, else -1."""
        at = self.last(name)
        return at if at > self.boundary[-1] and (not stop or at > self.last(stop)) else -1

    def foreign(self) -> bool:
        """Is the current node SVG or MathML content (not an HTML integration point in it)?"""
        return self.foreign_open > 0 and self.last_of(("svg", "math")) > self.last_of(_INTEGRATION)

    def push(self, name: str) -> None:
        k = len(self.stack)
        self.stack.append(name)
        self.where.setdefault(name, []).append(k)
        if name in _SPECIAL:
            self.special.append(k)
            if name in _BOUNDARY:
                self.boundary.append(k)
            if name not in ("address", "div", "p"):
                self.stops.append(k)
        elif name in _BOUNDARY:
            self.boundary.append(k)
        elif name in ("svg", "math"):
            self.foreign_open += 1
        self.deepest = max(self.deepest, k + 3 - len(self.ghosts))  # below <html> and <body>

    def pop_to(self, index: int) -> None:
        """Pop the element at ``index`` and everything above it."""
        while len(self.stack) > index:
            name = self.stack.pop()
            k = len(self.stack)
            if k in self.ghosts:
                self.ghosts.discard(k)
                continue  # formatting elements only, already off the books
            self.where[name].pop()
            if self.special[-1] == k:
                self.special.pop()
                if self.stops[-1] == k:
                    self.stops.pop()
            if self.boundary[-1] == k:
                self.boundary.pop()
            if name in ("svg", "math"):
                self.foreign_open -= 1

    def close_formatting(self, at: int) -> None:
        """The adoption agency, roughly: with no special element above it a formatting element
        is popped with what it holds; with one it alone leaves the stack."""
        if self.special[-1] > at:
            self.ghosts.add(at)
            self.where[self.stack[at]].pop()
        else:
            self.pop_to(at)

    def start_tag(self, name: str, self_closing: bool) -> bool:
        """Apply a start tag; True if its content is raw text (a script, a style, a title)."""
        if self.foreign_open and self.foreign():
            if name not in _BREAKOUT:
                if not self_closing:
                    self.push(name)
                return False
            self.pop_to(self.last_of(("svg", "math")))
        if name in _NOT_PUSHED or (self_closing and name in ("svg", "math")):
            return False
        if name == "form" and self.last("form") >= 0 and self.last("template") < 0:
            return False  # a form inside a form is ignored
        if name in _CLOSES_P and (at := self.in_scope("p", "button")) >= 0:
            self.pop_to(at)
        if name in _TABLE_PARTS:
            table = self.last("table")
            if table < 0:
                return False  # outside a table the tree builder ignores a cell, a row
            closes = _CELLS if name in _CELLS else _SECTIONS if name in _SECTIONS else (name,)
            if (at := self.last_of(closes)) > table:
                self.pop_to(at)  # a cell closes the open cell, a row the open row
            if name in ("td", "th", "tr") and self.last_of(_SECTIONS) < table:
                self.push("tbody")  # implied, as lexbor adds them
            if name in _CELLS and self.last("tr") < table:
                self.push("tr")
        elif name in _HEADINGS:
            if self.stack and self.stack[-1] in _HEADINGS:
                self.pop_to(len(self.stack) - 1)
        elif name in ("li", "dd", "dt"):
            # the tree builder closes the open one unless a special element other than
            # <address>, <div>, <p> is above it
            at = self.last("li") if name == "li" else self.last_of(("dd", "dt"))
            if at >= 0 and self.stops[-1] <= at:
                self.pop_to(at)
        elif name in ("a", "nobr"):
            if (at := self.last(name)) > self.boundary[-1]:
                self.close_formatting(at)
        elif name == "button":
            if (at := self.in_scope("button")) >= 0:
                self.pop_to(at)
        elif name in ("option", "optgroup") and self.stack and self.stack[-1] == "option":
            self.pop_to(len(self.stack) - 1)
        if name not in _VOID:
            self.push(name)
        return name in _RAW_TEXT

    def end_tag(self, name: str) -> None:
        if name in _NOT_PUSHED:
            return
        if name in _FORMATTING:
            if (at := self.last(name)) > self.boundary[-1]:
                self.close_formatting(at)
            return
        if name not in _SPECIAL:  # any other end tag: closes its element unless a special one is above
            at = self.last(name)
            at = at if at > self.special[-1] else -1
        elif name == "p":
            at = self.in_scope("p", "button")
        elif name == "li":
            at = self.in_scope("li")
            at = at if at > self.last_of(("ol", "ul")) else -1
        elif name in _HEADINGS:
            at = max(self.in_scope(h) for h in _HEADINGS)
        elif name == "table":
            at = self.last("table")
        elif name in _TABLE_PARTS:
            at = self.last(name)
            at = at if at > self.last("table") else -1
        else:
            at = self.in_scope(name)
        if at >= 0:
            self.pop_to(at)
