"""PDF circulars: the text layer read line by line and joined back into paragraphs.

GB/T 9704 sets a circular on A4 in one column: body lines justified between fixed margins,
the first line of each paragraph indented by two characters, headings with outline markers,
title, 发文字号, signature and date centred or right-aligned, a page number (— 3 —) below the
text block, and the 版记 (抄送, 印发 lines between horizontal rules) at the foot of the last
page. The loader reads characters with their positions (pdfplumber), groups them into lines
and then

* joins lines into paragraphs, across pages too (`_starts_paragraph` lists the rules);
* keeps page numbers, running headers and footers and the 版记 as furniture (`_mark_furniture`);
* reads ruled tables (``page.find_tables``) as rows of cells; a table that goes on over a
  page break keeps its index and loses a repeated header row (`_number_tables`);
* repairs ，and 。 that a font maps to letters, when the mapping is unambiguous (`repair_punctuation`);
* recognises pages without a text layer with Tesseract when ``Settings.ocr`` is on.

Bounded work: pdfium counts the pages (more than ``Settings.max_pages`` is refused) and probes
each page's text layer before pdfplumber reads any. A page has text when its layer holds at
least `_MIN_PAGE_CHARS` non-space characters (a typed page number on a scan is not text).
When none of the first `_PROBE_PAGES` pages has text the rest are not probed: the document
needs OCR (a file of thousands of blank pages costs twenty page probes). Otherwise pdfplumber
reads only the pages whose layer holds any character; a page with less text than that and a
picture is a scan, recognised by OCR when it is on and named in a warning when it is not.
Tesseract runs one page at a time, rendered at 300 dpi (at most 40 megapixels), with a
timeout; pages without any page object are never rendered.
"""

from __future__ import annotations

import bisect
import io
import itertools
import re
import shutil
import statistics
import subprocess
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page as PlumberPage
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import DocumentError, EmptyDocumentError, NeedsOcrError
from pipeline.loaders.base import Paragraph, build_document, document_id, sha256_of
from pipeline.model import BlockRole, Document
from pipeline.numerals import CN_NUM
from pipeline.settings import Settings
from pipeline.structure import outline_marker

#: Pages probed before a document without any text layer is given up as a scan.
_PROBE_PAGES = 20
#: Fewer non-space characters than this on a page: no text layer (a page number, a stamp).
_MIN_PAGE_CHARS = 10
#: Above this share of characters without a Unicode mapping the text layer is unusable.
_UNREADABLE_SHARE = 0.3
_MM = 72 / 25.4
_OCR_DPI = 300
_OCR_MAX_PIXELS = 40_000_000
_OCR_TIMEOUT_SECONDS = 120
_OCR_INSTALL = "install tesseract-ocr and tesseract-ocr-chi-sim (Debian: apt install tesseract-ocr tesseract-ocr-chi-sim)"
_OCR_HINT = f"to read it, {_OCR_INSTALL} and pass --ocr (Settings(ocr=True))"
OCR_WARNING = "text recognised by OCR (tesseract)"

_PAGE_NUMBER = re.compile(r"[-—–－―~～]*[0-9０-９]{1,4}[-—–－―~～]*|第[0-9０-９]{1,4}页(?:[，,/]?共[0-9０-９]{1,4}页)?"
                          r"|[0-9]{1,4}/[0-9]{1,4}")
_IMPRINT_START = re.compile(r"^(?:抄送|抄报|分送|主题词)[：:]")
_IMPRINT_LINE = re.compile(rf"(?:[0-9０-９]{{4}}|[{CN_NUM}]{{4}})年.{{1,6}}月.{{1,6}}日印发$")
_ATTACHMENT = re.compile(r"^附\s*件")
_CLAUSE_END = ("。", "；", "：", "！", "？", "）", ")", "”")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class _Line:
    """One line of text on a page, with its box in points (top-down, as pdfplumber gives it)."""

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


@dataclass
class _Table:
    """A ruled table found on one page: its rows of cell texts and where it starts."""

    rows: list[list[str]]
    top: float
    page: int
    index: int = -1


@dataclass
class _Page:
    """What one page holds, in reading order, and its full-width horizontal rules."""

    number: int
    width: float
    height: float
    items: list[_Line | _Table] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)

    def lines(self) -> list[_Line]:
        """The text lines of the page, without its tables."""
        return [item for item in self.items if isinstance(item, _Line)]


@dataclass(frozen=True)
class _Geometry:
    """The text block of the document: left and right margins, and the usual gap between lines."""

    left: float
    right: float
    gap: float

    def centred(self, line: _Line) -> bool:
        """Is the line centred in the text block (not flush with the left margin)?"""
        lead, trail = line.x0 - self.left, self.right - line.x1
        return lead > 0.5 * line.size and abs(lead - trail) <= max(line.size, 0.1 * (lead + trail))


def load_pdf(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    """Read a PDF circular into a `Document`: paragraphs, table rows and furniture, with pages."""
    settings = settings or Settings()
    doc_id = document_id(sha256_of(data))
    _check_container(data, source_file, doc_id)
    warnings: list[str] = []
    pdf = _open_pdfium(data, source_file, doc_id)
    try:
        pages = _read_pages(pdf, data, settings, source_file, doc_id, warnings)
    finally:
        pdf.close()
    _mark_furniture(pages)
    _number_tables(pages)
    paragraphs = _paragraphs(pages)
    warnings.extend(_repair_paragraphs(paragraphs))
    return build_document(source_file, data, "pdf", paragraphs, warnings=warnings)


# ---- opening, probing, and the limits -------------------------------------------------------

def _check_container(data: bytes, source_file: str, doc_id: str) -> None:
    """Refuse bytes that are not a PDF, or a PDF cut short, before any parser sees them."""
    if not data.strip():
        raise EmptyDocumentError(source_file, "the file is empty", doc_id)
    if b"%PDF-" not in data[:1024]:
        head = data[:16].lstrip()
        kind = (" (a ZIP container, such as a .docx renamed .pdf)" if head.startswith(b"PK")
                else " (an HTML page, perhaps a download error page)" if head[:1] == b"<" else "")
        raise DocumentError(source_file, f"not a PDF file: it starts with {data[:8]!r}{kind}", doc_id)
    if b"%%EOF" not in data[-65536:]:
        raise DocumentError(source_file, "the PDF is truncated: it does not end with %%EOF (an incomplete "
                                         "download or copy); pages would be missing", doc_id)


def _open_pdfium(data: bytes, source_file: str, doc_id: str) -> pdfium.PdfDocument:
    """The document opened by pdfium, or the error that says why it cannot be (password, damage)."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError(source_file, "the PDF is encrypted with a password; remove the password "
                                             "(or save an unprotected copy) and try again", doc_id) from exc
        reason = re.search(r"PDFium: ([^)]+)", str(exc))
        raise DocumentError(source_file, f"the PDF is damaged: its structure cannot be read "
                                         f"({reason.group(1).lower() if reason else exc})", doc_id) from exc


def _read_pages(pdf: pdfium.PdfDocument, data: bytes, settings: Settings, source_file: str, doc_id: str,
                warnings: list[str]) -> list[_Page]:
    """Pages with text read by pdfplumber; scanned pages recognised by OCR when it is on."""
    count = len(pdf)
    if count > settings.max_pages:
        raise DocumentError(source_file, f"the PDF has {count} pages, above the limit of {settings.max_pages} "
                                         f"(setting max_pages)", doc_id)
    if count == 0:
        raise EmptyDocumentError(source_file, "the PDF has no pages", doc_id)
    chars = _probe_text(pdf, source_file, doc_id)
    if max(chars) < _MIN_PAGE_CHARS:
        checked = f"; the first {len(chars)} of {count} pages were checked" if len(chars) < count else ""
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"no page has a text layer (scanned images?){checked}")
    # a page with little text and a picture is a scan (perhaps with a typed page number)
    scanned = [i for i, n in enumerate(chars) if n < _MIN_PAGE_CHARS and _has_image(pdf, i)]
    ocr = bool(scanned) and settings.ocr and shutil.which("tesseract") is not None
    skip = set(scanned) if ocr else set()
    pages, unreadable, total = _plumb_pages(data, [i for i, n in enumerate(chars) if n and i not in skip],
                                            source_file, doc_id)
    if unreadable > _UNREADABLE_SHARE * total:
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"the text layer does not map its glyphs to characters ({unreadable} of {total} "
                            f"characters unreadable)")
    if unreadable:
        warnings.append(f"{unreadable} characters of the text layer have no Unicode mapping and were left out")
    numbers = ", ".join(str(i + 1) for i in scanned)
    if ocr:
        pages = sorted([*pages, *_ocr_pages(pdf, scanned, settings, source_file, doc_id, "")], key=lambda p: p.number)
        warnings.append(f"{OCR_WARNING} on pages {numbers}")
    elif scanned:
        todo = f"OCR is on but tesseract is not installed: {_OCR_INSTALL}" if settings.ocr else _OCR_HINT
        warnings.append(f"pages {numbers} are images without a text layer (scanned?) and were not read; {todo}")
    return pages


def _ocr_instead(pdf: pdfium.PdfDocument, settings: Settings, source_file: str, doc_id: str,
                 warnings: list[str], reason: str) -> list[_Page]:
    """Every page by OCR, when the text layer is missing or unusable (NeedsOcrError if OCR is off)."""
    pages = _ocr_pages(pdf, range(len(pdf)), settings, source_file, doc_id, reason)
    warnings.append(OCR_WARNING)
    return pages


def _probe_text(pdf: pdfium.PdfDocument, source_file: str, doc_id: str) -> list[int]:
    """Non-space characters in each page's text layer, by pdfium; stops after `_PROBE_PAGES`
    pages when none of them has text."""
    counts: list[int] = []
    for index in range(len(pdf)):
        if index == _PROBE_PAGES and max(counts) < _MIN_PAGE_CHARS:
            break
        try:
            page = pdf[index]
        except pdfium.PdfiumError as exc:
            raise DocumentError(source_file, f"page {index + 1} of the PDF is damaged ({exc})", doc_id) from exc
        textpage = page.get_textpage()
        counts.append(sum(1 for ch in textpage.get_text_range() if not ch.isspace()))
        textpage.close()
        page.close()
    return counts


def _has_image(pdf: pdfium.PdfDocument, index: int) -> bool:
    """Does the page hold a picture (in a form XObject too)?"""
    page = pdf[index]
    try:
        return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None
    finally:
        page.close()


# ---- the text layer ---------------------------------------------------------------------------

def _plumb_pages(data: bytes, indexes: list[int], source_file: str, doc_id: str) -> tuple[list[_Page], int, int]:
    """Lines and tables of the given pages (0-based), and the count of unreadable and all characters."""
    # malformed objects and content streams fail inside pdfminer in many ways, all the file's fault
    try:
        pdf = pdfplumber.open(io.BytesIO(data), pages=[i + 1 for i in indexes])
        plumbed = pdf.pages
    except Exception as exc:
        raise _pdfminer_error(exc, source_file, doc_id, "its structure") from exc
    pages: list[_Page] = []
    unreadable = total = 0
    try:
        for page in plumbed:
            try:
                chars = page.chars
                tables = page.find_tables()
                rules = [(e["x0"], e["x1"], e["top"]) for e in [*page.lines, *page.rects]
                         if e["bottom"] - e["top"] <= 3 and e["x1"] - e["x0"] > 0.5 * float(page.width)]
            except Exception as exc:
                raise _pdfminer_error(exc, source_file, doc_id, f"page {page.page_number}") from exc
            kept, bad = _readable(chars, float(page.width), float(page.height))
            unreadable += bad
            total += bad + len(kept)
            pages.append(_page_content(page, kept, tables, rules))
            page.close()
    finally:
        pdf.close()
    return pages, unreadable, total


def _pdfminer_error(exc: Exception, source_file: str, doc_id: str, what: str) -> DocumentError:
    """The error to raise for an exception of pdfminer (wrapped by pdfplumber or not)."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return DocumentError(source_file, "the PDF is encrypted with a password; remove the password "
                                          "(or save an unprotected copy) and try again", doc_id)
    return DocumentError(source_file, f"the PDF is damaged: {what} cannot be read "
                                      f"({type(cause).__name__}: {cause})", doc_id)


def _readable(chars: list[dict[str, Any]], width: float, height: float) -> tuple[list[dict[str, Any]], int]:
    """Characters on the page that have text, each once; and the count of glyphs without a
    Unicode mapping (pdfminer's "(cid:N)", private-use code points), which are left out.

    A character printed again within a point or two of itself (a bold face faked by
    overprinting, a shadowed title) is kept once.
    """
    kept: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    bad = 0
    for ch in chars:
        text = ch["text"]
        if not text or text.isspace() or ch["x1"] < 0 or ch["x0"] > width or ch["bottom"] < 0 or ch["top"] > height:
            continue
        if text.startswith("(cid:") or any("\ue000" <= c <= "\uf8ff" for c in text):
            bad += 1
            continue
        x, y = int(ch["x0"]), int(ch["top"])
        if any((text, x + dx, y + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((text, x, y))
        kept.append(ch)
    return kept, bad


def _page_content(page: PlumberPage, chars: list[dict[str, Any]], tables: Sequence[Any],
                  rules: list[tuple[float, float, float]]) -> _Page:
    """Tables and the lines outside them, sorted top to bottom (one column)."""
    content = _Page(number=page.page_number, width=float(page.width), height=float(page.height), rules=rules)
    boxes: list[tuple[float, float, float, float]] = []
    for table in tables:
        rows = _table_rows(table, chars)
        if rows is None:
            continue
        boxes.append(table.bbox)
        content.items.append(_Table(rows=rows, top=float(table.bbox[1]), page=page.page_number))
    outside = [ch for ch in chars if not any(_inside(ch, box) for box in boxes)]
    content.items.extend(_group_lines(outside, page.page_number))
    content.items.sort(key=lambda item: item.top)
    return content


def _inside(ch: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    """Is the middle of the character inside the box (x0, top, x1, bottom)?"""
    x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return bool(box[0] <= x <= box[2] and box[1] <= y <= box[3])


def _table_rows(table: Any, chars: list[dict[str, Any]]) -> list[list[str]] | None:
    """Cell texts of each row; a cell merged across columns is repeated in each, one merged
    down from the row above is empty. None for a ruled box that is no table (one cell, or no text)."""
    rows = table.rows
    width = max((len(row.cells) for row in rows), default=0)
    if width == 0 or (len(rows) < 2 and width < 2):
        return None
    starts = _column_starts(rows, width)
    inner = [ch for ch in chars if _inside(ch, table.bbox)]
    result: list[list[str]] = []
    for row in rows:
        cells: list[str] = []
        for j, box in enumerate(row.cells):
            if box is not None:
                lines = _group_lines([c for c in inner if _inside(c, box)], 0)
                cells.append(_join_lines(lines) if lines else "")
                continue
            left = next((row.cells[k] for k in range(j - 1, -1, -1) if row.cells[k] is not None), None)
            spans = left is not None and left[2] > starts[j] + 1
            cells.append(cells[-1] if spans and cells else "")
        result.append(cells)
    return result if any(any(cells) for cells in result) else None


def _column_starts(rows: Sequence[Any], width: int) -> list[float]:
    """The left edge of each column, from the rows where that column has its own cell."""
    starts = [float("inf")] * width
    for row in rows:
        for j, box in enumerate(row.cells):
            if box is not None:
                starts[j] = min(starts[j], float(box[0]))
    return starts


def _group_lines(chars: Iterable[dict[str, Any]], page: int) -> list[_Line]:
    """Characters grouped into lines (a character belongs to a line when its vertical middle
    lies within the line's first character), each line read left to right."""
    groups: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (ch["top"] + ch["bottom"]) / 2
        if groups and groups[-1][0]["top"] <= middle <= groups[-1][0]["bottom"]:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    lines = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        lines.append(_Line(text=_join_chars(group), x0=group[0]["x0"], x1=max(c["x1"] for c in group),
                           top=min(c["top"] for c in group), bottom=max(c["bottom"] for c in group),
                           size=statistics.median(c["size"] for c in group), page=page,
                           first_word=_first_word(group)))
    return lines


def _first_word(chars: list[dict[str, Any]]) -> float:
    """Width of the line's first word: narrow characters set close together (a number, a
    Latin word, a web address), else one character."""
    end = 0
    while (end + 1 < len(chars) and _narrow(chars[end]["text"][-1]) and _narrow(chars[end + 1]["text"][0])
           and chars[end + 1]["x0"] - chars[end]["x1"] < 0.15 * chars[end]["size"]):
        end += 1
    return float(chars[end]["x1"] - chars[0]["x0"])


def _join_chars(chars: list[dict[str, Any]]) -> str:
    """The text of one line: Chinese without spaces, a space between Latin or digit words, an
    ideographic space for a gap of a character or more (joint signatures, 印发 lines) unless
    every gap is that wide (a letter-spaced title such as 国 务 院 文 件)."""
    gaps = [b["x0"] - a["x1"] - 0.9 * max(a["size"], b["size"]) for a, b in itertools.pairwise(chars)]
    spaced = len(gaps) >= 2 and min(gaps) >= 0
    out: list[str] = []
    for prev, ch in zip([None, *chars[:-1]], chars, strict=True):
        if prev is not None:
            gap = ch["x0"] - prev["x1"]
            size = max(prev["size"], ch["size"])
            if gap >= 0.9 * size and not spaced:
                out.append("\u3000" if not (_narrow(prev["text"][-1]) and _narrow(ch["text"][0])) else " ")
            elif gap > 0.15 * size and _narrow(prev["text"][-1]) and _narrow(ch["text"][0]):
                out.append(" ")
        out.append(ch["text"])
    return "".join(out)


def _narrow(ch: str) -> bool:
    """A Latin letter, digit or ASCII sign: words of these are separated by spaces."""
    return unicodedata.east_asian_width(ch) in ("Na", "H", "N") or (ch.isalnum() and not _HAN.match(ch)
                                                                      and unicodedata.east_asian_width(ch) == "A")


# ---- OCR ------------------------------------------------------------------------------------

def _ocr_pages(pdf: pdfium.PdfDocument, indexes: Iterable[int], settings: Settings, source_file: str,
               doc_id: str, reason: str) -> list[_Page]:
    """Render each page (~300 dpi) and read it with Tesseract; blank pages are skipped."""
    if not settings.ocr:
        raise NeedsOcrError(source_file, f"{reason}; {_OCR_HINT}", doc_id)
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise NeedsOcrError(source_file, f"{reason}; OCR is on but the tesseract program is not installed: "
                                         f"{_OCR_INSTALL}", doc_id)
    pages: list[_Page] = []
    with tempfile.TemporaryDirectory(prefix="policyflow-ocr-") as tmp:
        for index in indexes:
            page = pdf[index]
            try:
                if int(pdfium_c.FPDFPage_CountObjects(page.raw)) == 0:
                    continue
                width, height = page.get_size()
                scale = min(_OCR_DPI / 72, (_OCR_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                image = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            if image.getextrema()[0] > 200:
                continue  # nothing dark on the page
            png = Path(tmp) / f"page-{index + 1}.png"
            image.save(png)
            tsv = _run_tesseract(tesseract, png, settings.ocr_languages, index + 1, source_file, doc_id)
            items: list[_Line | _Table] = [*_ocr_lines(tsv, scale, index + 1)]
            pages.append(_Page(number=index + 1, width=width, height=height, items=items))
    return pages


def _run_tesseract(tesseract: str, png: Path, languages: str, page: int, source_file: str, doc_id: str) -> str:
    """Tesseract's TSV output (one row per word, with its box) for one page image."""
    try:
        done = subprocess.run([tesseract, str(png), "stdout", "-l", languages, "--psm", "6", "tsv"],
                              capture_output=True, timeout=_OCR_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise DocumentError(source_file, f"OCR of page {page} took longer than {_OCR_TIMEOUT_SECONDS} s", doc_id) from exc
    stderr = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        if "Failed loading language" in stderr or "Error opening data file" in stderr:
            raise NeedsOcrError(source_file, f"tesseract has no data for the languages {languages!r}: "
                                             f"{_OCR_INSTALL}", doc_id)
        last = stderr.splitlines()[-1] if stderr else f"exit status {done.returncode}"
        raise DocumentError(source_file, f"OCR of page {page} failed: tesseract: {last}", doc_id)
    return done.stdout.decode("utf-8", "replace")


def _ocr_lines(tsv: str, scale: float, page: int) -> list[_Line]:
    """Tesseract's words grouped by its line numbers, with boxes converted to points."""
    words: dict[tuple[str, str, str], list[tuple[float, float, float, float, str]]] = defaultdict(list)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (float(v) / scale for v in cols[6:10])
        words[(cols[2], cols[3], cols[4])].append((left, left + width, top, top + height, cols[11].strip()))
    lines = []
    for group in words.values():
        group.sort()
        text = "".join(w[4] if i == 0 or not (_narrow(group[i - 1][4][-1]) and _narrow(w[4][0])) else " " + w[4]
                       for i, w in enumerate(group))
        size = statistics.median(w[3] - w[2] for w in group)
        first = group[0][1] - group[0][0]
        lines.append(_Line(text=text, x0=group[0][0], x1=max(w[1] for w in group), top=min(w[2] for w in group),
                           bottom=max(w[3] for w in group), size=size, page=page, ocr=True,
                           first_word=first if _narrow(group[0][4][0]) else min(first, size)))
    return sorted(lines, key=lambda line: line.top)


# ---- furniture and tables -------------------------------------------------------------------

def _mark_furniture(pages: list[_Page]) -> None:
    """Page numbers, running headers and footers, and the 版记 become furniture."""
    for page in pages:
        lines = page.lines()
        for line in lines[:1] + lines[1:][-1:]:
            in_margin = line.top > 0.8 * page.height or line.bottom < 0.2 * page.height
            if in_margin and _PAGE_NUMBER.fullmatch(line.text.replace(" ", "").replace("\u3000", "")):
                line.role, line.detached = "furniture", True
    _mark_running_heads(pages)
    _mark_imprint(pages)


def _mark_running_heads(pages: list[_Page]) -> None:
    """The first or last line of a page whose text (digits aside) is the same on at least three
    pages (two in a document of two or three pages) is a running header or footer."""
    seen: dict[tuple[str, str], list[_Line]] = defaultdict(list)
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


def _mark_imprint(pages: list[_Page]) -> None:
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


def _number_tables(pages: list[_Page]) -> None:
    """Give each table a document-wide index. A table that is the first content of its page,
    right after a table that closed the previous page, with as many columns, continues that
    table; a repeat of its header row is dropped."""
    index = -1
    previous: _Table | None = None
    header: list[str] = []
    for page in pages:
        first_on_page = True
        for item in page.items:
            if isinstance(item, _Line):
                if item.role != "furniture" or not item.detached:
                    previous, first_on_page = None, False
                continue
            continues = (first_on_page and previous is not None and previous.page == item.page - 1
                         and len(previous.rows[0]) == len(item.rows[0]))
            if continues:
                item.index = index
                if item.rows and _same_row(item.rows[0], header) and len(item.rows) > 1:
                    item.rows = item.rows[1:]
            else:
                index += 1
                item.index = index
                header = item.rows[0]
            previous, first_on_page = item, False


def _same_row(a: list[str], b: list[str]) -> bool:
    """Do two table rows hold the same texts, spaces aside (a header row repeated)?"""
    return [re.sub(r"\s", "", c) for c in a] == [re.sub(r"\s", "", c) for c in b]


# ---- paragraphs -----------------------------------------------------------------------------

def _geometry(pages: list[_Page]) -> _Geometry:
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


def _starts_paragraph(prev: _Line, line: _Line, geo: _Geometry) -> bool:
    """Does ``line`` start a new paragraph after ``prev``? Yes when

    * the font size changes (title → body),
    * on the same page, the gap above it is clearly wider than the usual gap between lines,
    * ``prev`` ends well short of the right margin, with room for the first word of ``line``
      (the last line of a paragraph, a title; not a line that a long Latin word left short),
    * ``prev`` is centred or right-aligned and ``line`` is not its continuation,
    * it is centred — unless ``prev`` is a centred line filling the block (a wrapped title),
    * it is indented from the left margin (the two-character first-line indent),
    * it opens with an outline marker (一、 （一） 1. 第X条) after a clause end.
    """
    size = max(prev.size, line.size)
    if abs(prev.size - line.size) > 0.12 * size and not (prev.ocr or line.ocr):
        return True
    if line.page == prev.page and line.top - prev.bottom > geo.gap + 0.4 * size:
        return True
    room = geo.right - prev.x1
    if room > 1.5 * prev.size and room > line.first_word + 0.25 * line.size:
        return True
    if geo.centred(line):
        return not geo.centred(prev)
    if prev.x0 - geo.left > 3.5 * prev.size and not geo.centred(prev):
        return True  # a right-aligned line (signature, date) is never continued
    if line.x0 - geo.left > 1.2 * line.size:
        return True
    return outline_marker(line.text) is not None and prev.text.endswith(_CLAUSE_END)


def _paragraphs(pages: list[_Page]) -> list[Paragraph]:
    """Lines joined into paragraphs, table rows as cells, furniture in between; a page number
    or running head met inside a paragraph follows that paragraph."""
    geo = _geometry(pages)
    out: list[Paragraph] = []
    current: list[_Line] = []
    deferred: list[Paragraph] = []

    def close() -> None:
        if current:
            out.append(Paragraph(text=_join_lines(current), page=current[0].page, role=current[0].role))
            current.clear()
        out.extend(deferred)
        deferred.clear()

    for page in pages:
        for item in page.items:
            if isinstance(item, _Table):
                close()
                out.extend(Paragraph(cells=row, table=item.index, page=item.page) for row in item.rows)
            elif item.detached:
                (deferred if current else out).append(Paragraph(text=item.text, page=item.page, role=item.role))
            else:
                if current and (current[-1].role != item.role or _starts_paragraph(current[-1], item, geo)):
                    close()
                current.append(item)
    close()
    return out


def _join_lines(lines: list[_Line]) -> str:
    """Lines of one paragraph as one text: a space only where a Latin word wraps."""
    text = lines[0].text
    for line in lines[1:]:
        if text and line.text and _narrow(text[-1]) and _narrow(line.text[0]) and text[-1].isalnum():
            text += " "
        text += line.text
    return text


# ---- text-layer repair ----------------------------------------------------------------------

def _repair_paragraphs(paragraphs: list[Paragraph]) -> list[str]:
    """Apply `repair_punctuation` to the texts and cells of ``paragraphs`` in place."""
    texts = [p.text for p in paragraphs if p.cells is None]
    cells = [c for p in paragraphs if p.cells is not None for c in p.cells]
    repaired, warnings = repair_punctuation([*texts, *cells])
    if repaired == [*texts, *cells]:
        return warnings
    it = iter(repaired)
    for p in paragraphs:
        if p.cells is None:
            p.text = next(it)
    for p in paragraphs:
        if p.cells is not None:
            p.cells = [next(it) for _ in p.cells]
    return warnings


def repair_punctuation(texts: list[str]) -> tuple[list[str], list[str]]:
    """Letters that a broken font put where ，and 。 belong, replaced when that is unambiguous.

    Some PDF fonts map full-width punctuation to the code points of letters (， read as "b",
    。 as "Ё"), so the letters stand alone in Chinese text. A letter is a *suspect* when it
    occurs at least 5 times, 90 % of them alone: after a Chinese character (or closing
    bracket or quote) and before one (or an opening one, or the end of a paragraph). A
    suspect found at paragraph ends (≥ 10 % of its places) stands for 。, one never found
    there for ，; it is replaced only if the text (almost) lacks that mark otherwise, i.e. the
    font loses it consistently, and no other suspect claims the same mark. A suspect that
    fits neither rule while the text lacks punctuation is reported, not changed.

    Returns the texts and human-readable warnings (one per repair or doubt).
    """
    alone: Counter[str] = Counter()
    at_end: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for i, ch in enumerate(text):
            if ch.isalpha() and not _HAN.match(ch) and unicodedata.east_asian_width(ch) not in ("W", "F"):
                total[ch] += 1
                if _stands_alone(text, i):
                    alone[ch] += 1
                    at_end[ch] += i + 1 == len(text)
    marks = Counter(ch for text in texts for ch in text if ch in "，。")
    claims: dict[str, list[str]] = defaultdict(list)
    doubts: list[str] = []
    for ch in (ch for ch, n in alone.items() if n >= 5 and n >= 0.9 * total[ch]):
        mark = "。" if at_end[ch] >= 0.1 * alone[ch] else "，" if at_end[ch] == 0 else None
        if mark is not None and marks[mark] < 0.2 * alone[ch]:
            claims[mark].append(ch)
        elif mark is None and marks["，"] + marks["。"] < 0.2 * alone[ch]:
            doubts.append(ch)
    table: dict[str, str] = {}
    warnings: list[str] = []
    for mark, letters in claims.items():
        if len(letters) == 1:
            table[letters[0]] = mark
            warnings.append(f"text layer repaired: {letters[0]!r} standing alone in Chinese text read as {mark!r} "
                            f"({alone[letters[0]]} times; the PDF's font maps the punctuation to a letter)")
        else:
            doubts.extend(letters)
    for ch in sorted(doubts):
        warnings.append(f"text layer suspect: {ch!r} stands alone in Chinese text {alone[ch]} times where "
                        f"punctuation is missing; not repaired, check the PDF's font")
    if not table:
        return texts, warnings
    repaired = []
    for text in texts:
        chars = list(text)
        for i, ch in enumerate(text):
            if ch in table and _stands_alone(text, i):
                chars[i] = table[ch]
        repaired.append("".join(chars))
    return repaired, warnings


def _stands_alone(text: str, i: int) -> bool:
    """Is ``text[i]`` between Chinese text on its left and Chinese text or the end on its right?"""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before and (_HAN.match(before) or before in "）》”’」")
                and (not after or _HAN.match(after) or after in "（《“‘「"))
