"""pdfminer's second opinion on the pages pdfium reads, and pdfplumber's reading of the
pages pdfium cannot.

pdfminer walks the page tree itself and, for every page pdfium read, checks that it finds
the page, its dictionary and boxes, its content streams and the fonts it does not embed,
without interpreting the content (its slow part); a content stream that breaks off (a
string or array never closed) is noted. Pages that pdfium cannot load, or sees empty, are read by pdfplumber,
which may read them or tell why not. `readable_chars` is the one filter every page's
characters pass, whichever library read them.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, list_value, resolve1
from pdfplumber.page import Page as PlumberPage
from pdfplumber.pdf import PDF as PlumberPDF
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import DocumentError
from pipeline.loaders.pdf_layout import Page, page_content
from pipeline.loaders.pdf_lines import Char

#: pdfminer's walk of the page tree stops after twice pdfium's count of pages and this many
#: more (a damaged tree may list more pages than pdfium finds, or loop).
_EXTRA_PAGES = 20
#: Font dictionary entries that hold a font's program or its ToUnicode map: pdfminer parsing
#: them is most of its cost, and pdfium reads the text.
_FONT_PROGRAMS = ("FontFile", "FontFile2", "FontFile3")

#: What a glyph without a Unicode mapping reads as: pdfminer's "(cid:N)"; a control
#: character (pdfium gives the glyph's code), a private-use code point, U+FFFD.
_UNMAPPED = re.compile("\\(cid:|[\x00-\x1f\ue000-\uf8ff\ufffd]")
#: A character drawn again closer than this (points, both ways) to itself is drawn once.
_OVERPRINT = 2.0
_TEXT_ORDER = attrgetter("text", "x0")


def readable_chars(chars: list[Char], width: float, height: float) -> tuple[list[Char], int]:
    """Characters (no spaces) on the page, each once; and the count of glyphs without a
    Unicode mapping (pdfminer's "(cid:N)"; pdfium's control characters, private-use code
    points, U+FFFD), which are left out.

    A character printed again within a point or two of itself (a bold face faked by
    overprinting, a shadowed title, a form drawn twice) is kept once: sorted by text and
    position, its copies follow it.
    """
    on_page = [ch for ch in chars if ch.x1 >= 0 and ch.x0 <= width and ch.bottom >= 0 and ch.top <= height]
    bad = 0
    if _UNMAPPED.search("".join(ch.text for ch in on_page)):
        mapped = [ch for ch in on_page if not _UNMAPPED.match(ch.text)]
        bad, on_page = len(on_page) - len(mapped), mapped
    ordered = sorted(on_page, key=_TEXT_ORDER)
    keep = [True] * len(ordered)
    for i, ch in enumerate(ordered):
        j = i - 1
        while j >= 0 and ordered[j].text == ch.text and ch.x0 - ordered[j].x0 < _OVERPRINT:
            if keep[j] and abs(ch.top - ordered[j].top) < _OVERPRINT:
                keep[i] = False
                break
            j -= 1
    return [ch for ch, kept in zip(ordered, keep, strict=True) if kept], bad


# ---- pdfminer's second opinion ------------------------------------------------------------------

@dataclass
class Plumbed:
    """What pdfminer made of the pages: the pages it read itself, the count of unreadable and
    all characters kept, and per page (1-based) the non-space characters found or why it
    could not read (or confirm) it."""

    pages: list[Page] = field(default_factory=list)
    unreadable: int = 0
    total: int = 0
    found: dict[int, int] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    unreadable_on: set[int] = field(default_factory=set)
    #: Pages whose content stream breaks off (an array or string never closed), and how.
    broken: dict[int, str] = field(default_factory=dict)


def miner_pass(data: bytes, confirm: list[int], read: list[int], texts: list[str | None], count: int,
               source_file: str, doc_id: str, fonts_on: frozenset[int] = frozenset()) -> Plumbed:
    """pdfminer's view of the given pages (0-based, pdfium's numbering): the pages of
    ``confirm`` (read by pdfium) are checked, those of ``read`` read by pdfplumber. A page
    that pdfminer fails on, or does not find, is noted in ``failed``; only failing to open the
    file raises. The fonts of the pages in ``fonts_on`` are built too: those pages set text
    in fonts that are not embedded, which pdfium reads from their dictionaries alone.

    pdfminer walks the page tree itself, and a damaged file may give it fewer or more pages
    than pdfium counts (``count``). Then every page it finds is read and matched to pdfium's
    by text (``texts``: pdfium's non-space text of each page), so that the page numbers stay
    pdfium's and the page missing is the one named."""
    result = Plumbed()
    stream = io.BytesIO(data)
    try:
        pdf = pdfplumber.open(stream)
    except Exception as exc:
        raise _pdfminer_error(exc, source_file, doc_id, "its structure") from exc
    try:
        fonts = _FontCheck()
        found, stopped = _miner_pages(pdf, limit=2 * count + _EXTRA_PAGES)
        to_read = set(read)
        matched: dict[int, _Parts | str] = {}
        if len(found) != count:
            every = [_read_miner_page(pdf, page, j + 1) for j, page in enumerate(found)]
            pairs = _align([None if isinstance(r, str) else _text_of(r[1]) for r in every], texts)
            matched = {i: every[j] for j, i in pairs.items()}
            for j, parts in enumerate(every):
                if not isinstance(parts, str) and pairs.get(j) not in to_read:
                    parts[0].close()
        missing = (f"pdfminer's walk of the page tree stopped before it ({stopped})" if stopped
                   else "not in the page tree as pdfminer reads it")
        for index in sorted([*confirm, *read]):
            number = index + 1
            if index not in to_read:
                if len(found) == count:
                    problem = _confirm_miner_page(pdf, found[index], number, fonts if index in fonts_on else None,
                                                  result)
                else:
                    got = matched.get(index, missing)
                    problem = got if isinstance(got, str) else None
                if problem is not None:
                    result.failed[number] = problem
                continue
            parts = (_read_miner_page(pdf, found[index], number) if len(found) == count
                     else matched.get(index, missing))
            if isinstance(parts, str):
                result.failed[number] = parts
                continue
            _take_miner_page(parts, number, result)
    finally:
        with contextlib.suppress(Exception):
            pdf.flush_cache()
        stream.close()
    return result


def _take_miner_page(parts: _Parts, number: int, result: Plumbed) -> None:
    """A page pdfplumber read, as lines and tables, its characters counted."""
    page, chars, tables, rules = parts
    result.found[number] = sum(1 for ch in chars if ch["text"] and not ch["text"].isspace())
    height = float(page.height)
    text = [ch for ch in chars if ch["text"] and not ch["text"].isspace()]
    kept, bad = readable_chars([_plumber_char(ch, height) for ch in text], float(page.width), height)
    result.unreadable += bad
    result.total += bad + len(kept)
    if bad:
        result.unreadable_on.add(number)
    result.pages.append(page_content(number, float(page.width), height, kept, tables, rules))
    page.close()


def _plumber_char(ch: dict[str, Any], height: float) -> Char:
    """A character as pdfplumber gives it; its baseline from its text matrix when it has one."""
    matrix = ch.get("matrix")
    base = height - float(matrix[5]) if matrix else float(ch["bottom"]) - 0.12 * float(ch["size"])
    return Char(str(ch["text"]), float(ch["x0"]), float(ch["x1"]), float(ch["top"]), float(ch["bottom"]),
                float(ch["size"]), base)


class _FontCheck:
    """pdfminer builds each font of a page, once per font: what it says about a damaged
    font (a bad FontBBox, bad widths) goes to the document's warnings as when it reads the
    page, and a font it cannot build fails the page. The font's program and ToUnicode map
    are left out: parsing them is most of pdfminer's cost, and pdfium reads the text."""

    def __init__(self) -> None:
        self.manager = PDFResourceManager(caching=False)
        self.seen: set[int] = set()

    def check(self, resources: object) -> None:
        for ref in dict_value(dict_value(resources).get("Font")).values():
            if isinstance(ref, PDFObjRef):
                if ref.objid in self.seen:
                    continue
                self.seen.add(ref.objid)
            self.manager.get_font(None, _without_programs(dict_value(ref)))


def _without_programs(spec: dict[str, Any]) -> dict[str, Any]:
    """A font dictionary without its ToUnicode map and its descriptor's font program; a
    composite font's descendant likewise."""
    out = {k: v for k, v in spec.items() if k != "ToUnicode"}
    if "FontDescriptor" in out:
        out["FontDescriptor"] = {k: v for k, v in dict_value(out["FontDescriptor"]).items() if k not in _FONT_PROGRAMS}
    if "DescendantFonts" in out:
        out["DescendantFonts"] = [_without_programs(dict_value(d)) for d in list_value(out["DescendantFonts"])[:1]]
    return out


def _open_page(pdf: PlumberPDF, page_obj: PDFPage | str, number: int) -> tuple[PlumberPage, list[Any]] | str:
    """The page opened by pdfplumber with its resolved content streams, or why it cannot be
    (the page is then closed)."""
    if isinstance(page_obj, str):
        return page_obj
    try:
        page = PlumberPage(pdf, page_obj, page_number=number)
    except Exception as exc:
        return _cause(exc)
    try:
        contents = [resolve1(c) for c in page_obj.contents]
        if contents and not any(isinstance(c, PDFStream) for c in contents):
            page.close()
            return "its content stream is missing or damaged"
        float(page.height)
    except Exception as exc:
        page.close()
        return _cause(exc)
    return page, contents


def _confirm_miner_page(pdf: PlumberPDF, page_obj: PDFPage | str, number: int, fonts: _FontCheck | None,
                        result: Plumbed) -> str | None:
    """Why pdfminer cannot read the page (its dictionary, boxes, content streams or fonts),
    or None when it can; its content is not interpreted, only checked for where it breaks
    off (noted in ``result.broken``)."""
    opened = _open_page(pdf, page_obj, number)
    if isinstance(opened, str):
        return opened
    page, contents = opened
    try:
        if fonts is not None:
            fonts.check(page.page_obj.resources)
        breaks = _content_breaks(b"\n".join(c.get_data() for c in contents if isinstance(c, PDFStream)))
        if breaks is not None:
            result.broken[number] = breaks
    except Exception as exc:
        return _cause(exc)
    finally:
        page.close()
    return None


#: The tokens of a content stream that open or close something: comments, literal strings
#: (parentheses nested two deep), dictionary brackets, hex strings (a stray character in one
#: is skipped by the parsers), the start of an inline image's data, array brackets; a lone
#: ( or < is a string that is never closed.
_CONTENT_DELIMITER = re.compile(
    rb"%[^\r\n]*|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)|<<|>>|<[^<>()]*>"
    rb"|(?<![/\w])ID\s|[][(<]", re.S)
#: Comments, strings and dictionary brackets, whose bytes are no delimiters.
_CONTENT_OPAQUE = re.compile(
    rb"%[^\r\n]*|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\))*\)|<<|>>|<[^<>()]*>", re.S)


def _content_breaks(content: bytes) -> str | None:
    """How a page's content stream breaks off, or None: a string, hex string or array that
    is never closed makes both parsers swallow the rest of the page (a flipped byte
    suffices). A stream with as many of each opening delimiter as of its closing one is
    sound; else, with its strings taken out, a sound stream has no ( or < left and as many [
    as ]; only when that fails too (or inline image data, binary, holds delimiters) is it
    walked token by token, in one pass linear in its length."""
    if all(content.count(a) == content.count(b) for a, b in ((b"(", b")"), (b"[", b"]"), (b"<", b">"))):
        return None  # every delimiter closed (strings of escaped or binary bytes aside: those are looked at)
    rest = _CONTENT_OPAQUE.sub(b" ", content)
    if b"(" not in rest and b"<" not in rest and rest.count(b"[") == rest.count(b"]"):
        return None
    depth = 0
    position = 0
    while (match := _CONTENT_DELIMITER.search(content, position)) is not None:
        token, position = match.group(), match.end()
        if token == b"[":
            depth += 1
        elif token == b"]":
            depth -= 1
            if depth < 0:
                return "an array is closed that was never opened"
        elif token == b"(":
            return "a string is never closed"
        elif token == b"<":
            return "a hex string is never closed"
        elif token.startswith(b"ID"):  # inline image data: binary, up to EI
            end = content.find(b"EI", position)
            position = len(content) if end < 0 else end + 2
    return "an array is never closed" if depth else None


#: A page as pdfplumber read it: the page, its characters, tables and full-width rules.
_Parts = tuple[PlumberPage, list[dict[str, Any]], list[Any], list[tuple[float, float, float]]]


def _miner_pages(pdf: PlumberPDF, limit: int) -> tuple[list[PDFPage | str], str]:
    """The pages in pdfminer's page tree, in order (at most ``limit``), and why the walk
    stopped early if it did ("" otherwise). A page whose own dictionary pdfminer cannot
    take (a box that is not numbers) keeps its place, as the reason it cannot be read; the
    pages after it are still found (pdfminer's own walk would stop there)."""
    doc = pdf.doc
    pages: list[PDFPage | str] = []
    visited: set[int] = set()
    try:
        if "Pages" not in doc.catalog:  # pdfminer then looks for page objects anywhere
            pages.extend(itertools.islice(PDFPage.create_pages(doc), limit))
            return pages, ""
        stack: list[tuple[Any, dict[str, Any]]] = [(doc.catalog["Pages"], {})]
        while stack and len(pages) < limit:
            ref, inherited = stack.pop()
            objid = getattr(ref, "objid", None)
            if objid is not None:
                if objid in visited:
                    continue
                visited.add(objid)
            attrs = {**inherited, **dict_value(ref)}
            kind = attrs.get("Type", attrs.get("type"))
            if kind is LITERAL_PAGES and "Kids" in attrs:
                passed = {k: v for k, v in attrs.items() if k in PDFPage.INHERITABLE_ATTRS}
                stack.extend((kid, passed) for kid in reversed(list_value(attrs["Kids"])))
            elif kind is LITERAL_PAGE:
                try:
                    pages.append(PDFPage(doc, objid, attrs, None))
                except Exception as exc:
                    pages.append(_cause(exc))
    except Exception as exc:
        return pages, _cause(exc)
    return pages, ""


def _read_miner_page(pdf: PlumberPDF, page_obj: PDFPage | str, number: int) -> _Parts | str:
    """The page's characters, tables and full-width rules by pdfplumber, or why pdfminer
    cannot read them (the page is then closed)."""
    opened = _open_page(pdf, page_obj, number)
    if isinstance(opened, str):
        return opened
    page, _ = opened
    try:
        chars = page.chars
        tables = page.find_tables()
        rules = [(e["x0"], e["x1"], e["top"]) for e in [*page.lines, *page.rects]
                 if e["bottom"] - e["top"] <= 3 and e["x1"] - e["x0"] > 0.5 * float(page.width)]
        float(page.height)
    except Exception as exc:
        page.close()
        return _cause(exc)
    return page, chars, tables, rules


def _text_of(chars: list[dict[str, Any]]) -> str:
    """The non-space text of a page's characters, in content order (as pdfium reads it)."""
    return "".join(ch["text"] for ch in chars if ch["text"] and not ch["text"].isspace())


def _align(found: list[str | None], texts: list[str | None]) -> dict[int, int]:
    """pdfminer's pages (their texts, None if unread) matched to pdfium's (0-based → 0-based).
    Pages with the same text pair up, in order; between two such pairs, pages pair up in order
    by the characters they share (a damaged font reads differently in each), or, when the
    stretch is long, simply in order."""
    where: dict[str, list[int]] = defaultdict(list)
    for i, text in enumerate(texts):
        if text:
            where[text].append(i)
    pairs: dict[int, int] = {}
    last = -1
    for j, text in enumerate(found):
        later = [i for i in where.get(text or "", []) if i > last]
        if later:
            pairs[j] = last = later[0]
    anchors = [(-1, -1), *sorted(pairs.items()), (len(found), len(texts))]
    for (j0, i0), (j1, i1) in itertools.pairwise(anchors):
        js, is_ = range(j0 + 1, j1), range(i0 + 1, i1)
        if len(js) * len(is_) > 400:
            pairs.update(zip(js, is_, strict=False))
        elif js and is_:
            pairs.update(_align_by_characters([found[j] for j in js], [texts[i] for i in is_], js[0], is_[0]))
    return pairs


def _align_by_characters(found: list[str | None], texts: list[str | None], j0: int, i0: int) -> dict[int, int]:
    """The order-keeping pairing of two short runs of pages that shares the most characters
    (dynamic programming); pages sharing less than a fifth of their characters stay unpaired."""
    counts_a = [Counter(t or "") for t in found]
    counts_b = [Counter(t or "") for t in texts]

    def shared(a: int, b: int) -> float:
        size = max(len(found[a] or ""), len(texts[b] or ""))
        score = sum((counts_a[a] & counts_b[b]).values()) / size if size else 0.0
        return score if score >= 0.2 else 0.0

    best = [[0.0] * (len(texts) + 1) for _ in range(len(found) + 1)]
    for a in range(len(found) - 1, -1, -1):
        for b in range(len(texts) - 1, -1, -1):
            best[a][b] = max(best[a + 1][b], best[a][b + 1], shared(a, b) + best[a + 1][b + 1])
    pairs: dict[int, int] = {}
    a = b = 0
    while a < len(found) and b < len(texts):
        if shared(a, b) and best[a][b] == shared(a, b) + best[a + 1][b + 1]:
            pairs[j0 + a] = i0 + b
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _cause(exc: BaseException) -> str:
    """An exception of pdfminer (wrapped by pdfplumber or not), short: its type and message."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    text = " ".join(str(cause).split())
    text = text if len(text) <= 120 else text[:119] + "…"
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


def _pdfminer_error(exc: Exception, source_file: str, doc_id: str, what: str) -> DocumentError:
    """The error to raise for an exception of pdfminer (wrapped by pdfplumber or not)."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return DocumentError(source_file, "the PDF is encrypted with a password; remove the password "
                                          "(or save an unprotected copy) and try again", doc_id)
    return DocumentError(source_file, f"the PDF is damaged: {what} cannot be read ({_cause(exc)})", doc_id)
