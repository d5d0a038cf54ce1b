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
reads only the pages whose layer holds any character, and those without any page object
(blank, or their content lost to damage: cheap to read, and pdfminer may read them or tell
why not); a page with less text than that and a picture is a scan, recognised by OCR when it is on and named in a warning when it is not.
Tesseract runs one page at a time, rendered at 300 dpi (at most 40 megapixels), with a
timeout; pages without any page object are never rendered. Before any parser sees the file,
its deflate streams are inflated (incrementally, to count bytes only): more than
``Settings.max_unpacked_bytes`` from the non-image streams is a deflate bomb, refused.

Damage is accounted for, page by page: pdfium's count of each page's characters is compared
with what pdfminer read of that page; a page that pdfminer cannot read or misses, or reads far
less of, is named in a warning with the share of the text lost, and a document of which less
than a tenth could be read fails (`_account`). Warnings that pdfminer, pdfplumber and pypdfium2
log, and Python warnings, raised while a document loads go to that document's ``warnings``
(counted, deduplicated), not to stderr (`_library_notes`).

Threads: pdfium is not thread-safe (two threads in it crash the process), so every call into
it, closing its objects included, holds `PDFIUM_LOCK`. pdfminer is pure Python and needs no
lock; it runs while another thread holds the lock. Tesseract runs outside it.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
import logging
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import unicodedata
import warnings as pywarnings
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfpage import LITERAL_PAGE, LITERAL_PAGES, PDFPage
from pdfminer.pdftypes import PDFStream, dict_value, list_value, resolve1
from pdfplumber.page import Page as PlumberPage
from pdfplumber.pdf import PDF as PlumberPDF
from pdfplumber.utils.exceptions import PdfminerException

from pipeline.errors import DocumentError, EmptyDocumentError, LimitExceededError, NeedsOcrError
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
#: A page read with fewer characters than pdfium counts on it, by more than this share of
#: them (and more than `_LOST_SLACK` characters), lost text.
_LOST_SHARE = 0.2
_LOST_SLACK = 4
#: Less than this share of the text layer read: nothing useful is left, the document fails.
_MIN_READ_SHARE = 0.1
#: Library messages attached to a document: at most this many kinds, each at most this long.
_MAX_NOTES = 8
_MAX_NOTE_CHARS = 200

#: pdfium is not thread-safe: every call into it, from opening a document to closing its
#: objects, holds this lock. Re-entrant, so that a helper may take it inside a caller's hold.
PDFIUM_LOCK = threading.RLock()

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
    _check_streams(data, settings, source_file, doc_id)
    warnings: list[str] = []
    with _library_notes() as notes:
        pages = _load_pages(data, settings, source_file, doc_id, warnings)
    warnings.extend(_summarise_notes(notes))
    _mark_furniture(pages)
    _number_tables(pages)
    paragraphs = _paragraphs(pages)
    warnings.extend(_repair_paragraphs(paragraphs))
    return build_document(source_file, data, "pdf", paragraphs, warnings=warnings)


def _load_pages(data: bytes, settings: Settings, source_file: str, doc_id: str, warnings: list[str]) -> list[_Page]:
    """The pages read, pdfium open meanwhile; closing the document closes its pages and text
    pages too, under the lock, so that the garbage collector never finalises a pdfium object."""
    with PDFIUM_LOCK:
        pdf = _open_pdfium(data, source_file, doc_id)
    try:
        return _read_pages(pdf, data, settings, source_file, doc_id, warnings)
    finally:
        with PDFIUM_LOCK:
            pdf.close()


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


_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")


def _check_streams(data: bytes, settings: Settings, source_file: str, doc_id: str) -> None:
    """Refuse a deflate bomb: the streams that the parsers inflate (content, fonts, object
    streams; not images, which only OCR rendering decodes) may unpack to at most
    ``settings.max_unpacked_bytes`` together, an image stream to as much on its own when OCR
    is on. Each stream is inflated in steps and dropped, only its size counted; a stream
    inflated twice (two FlateDecode filters) is counted by its final size."""
    limit = settings.max_unpacked_bytes
    total = 0
    for match in _STREAM_START.finditer(data):
        head = data[max(0, match.start() - 2048):match.start()]
        head = head[head.rfind(b" obj") + 1:]
        layers = len(_FLATE.findall(head))
        if not layers:
            continue
        end = data.find(b"endstream", match.end())
        body = data[match.end():end if end >= 0 else len(data)]
        if b"/Image" in head:
            if settings.ocr and _inflated_size(body, layers, limit) > limit:
                raise LimitExceededError(source_file, "an image of the PDF unpacks to more bytes (a deflate bomb?)",
                                         limit, "max_unpacked_bytes", doc_id)
            continue
        total += _inflated_size(body, layers, limit - total)
        if total > limit:
            raise LimitExceededError(source_file, "the PDF's compressed streams unpack to more bytes "
                                                  "(a deflate bomb?)", limit, "max_unpacked_bytes", doc_id)


def _inflated_size(body: bytes, layers: int, limit: int) -> int:
    """Bytes that ``body`` inflates to through ``layers`` deflate layers, counted up to just
    past ``limit`` in steps of 64 KiB (memory stays a few steps); a stream that is not valid
    deflate counts what it gave until the error."""
    step = 1 << 16
    pieces: Iterator[bytes] = (body[i:i + step] for i in range(0, len(body), step))
    for _ in range(layers):
        pieces = _inflate(pieces, step)
    size = 0
    try:
        for piece in pieces:
            size += len(piece)
            if size > limit:
                break
    except zlib.error:
        pass
    return size


def _inflate(pieces: Iterable[bytes], step: int) -> Iterator[bytes]:
    """The inflated bytes of a deflate stream given in pieces, at most ``step`` at a time."""
    stage = zlib.decompressobj()
    for piece in pieces:
        data = piece
        while data and not stage.eof:
            out = stage.decompress(data, step)
            data = stage.unconsumed_tail
            if out:
                yield out
        if stage.eof:
            return


def _open_pdfium(data: bytes, source_file: str, doc_id: str) -> pdfium.PdfDocument:
    """The document opened by pdfium, or the error that says why it cannot be (password, damage).
    The caller holds `PDFIUM_LOCK`."""
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
    with PDFIUM_LOCK:
        count = len(pdf)
        if count > settings.max_pages:
            raise LimitExceededError(source_file, f"the PDF has {count:,} pages", settings.max_pages,
                                     "max_pages", doc_id)
        if count == 0:
            raise EmptyDocumentError(source_file, "the PDF has no pages", doc_id)
        texts, blank = _probe_text(pdf)
        chars = [None if text is None else len(text) for text in texts]
        no_text = all(n is not None and n < _MIN_PAGE_CHARS for n in chars)
        # a page with little text and a picture is a scan (perhaps with a typed page number)
        scanned = [] if no_text else [i for i, n in enumerate(chars)
                                      if n is not None and n < _MIN_PAGE_CHARS and _has_image(pdf, i)]
    if no_text:
        checked = f"; the first {len(chars)} of {count} pages were checked" if len(chars) < count else ""
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"no page has a text layer (scanned images?){checked}")
    ocr = bool(scanned) and settings.ocr and shutil.which("tesseract") is not None
    skip = set(scanned) if ocr else set()
    # pages with text, and those blank to pdfium: pdfminer may read them, or fail and tell the damage
    wanted = [i for i, n in enumerate(chars) if (n != 0 or i in blank) and i not in skip]
    plumbed = _plumb_pages(data, wanted, texts, count, source_file, doc_id)
    if plumbed.unreadable > _UNREADABLE_SHARE * plumbed.total:
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"the text layer does not map its glyphs to characters ({plumbed.unreadable} of "
                            f"{plumbed.total} characters unreadable)")
    warnings.extend(_account(chars, wanted, plumbed, source_file, doc_id))
    pages = plumbed.pages
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
    with PDFIUM_LOCK:
        count = len(pdf)
    pages = _ocr_pages(pdf, range(count), settings, source_file, doc_id, reason)
    warnings.append(OCR_WARNING)
    return pages


def _probe_text(pdf: pdfium.PdfDocument) -> tuple[list[str | None], set[int]]:
    """The non-space text of each page's text layer, by pdfium (None for a page that pdfium
    cannot load: pdfminer may still read it), and the pages without any page object (blank,
    or their content lost to damage); stops after `_PROBE_PAGES` pages when none of them has
    text. The caller holds `PDFIUM_LOCK`."""
    texts: list[str | None] = []
    blank: set[int] = set()
    for index in range(len(pdf)):
        if index == _PROBE_PAGES and all(t is not None and len(t) < _MIN_PAGE_CHARS for t in texts):
            break
        try:
            page = pdf[index]
        except pdfium.PdfiumError:
            texts.append(None)
            continue
        try:
            if int(pdfium_c.FPDFPage_CountObjects(page.raw)) == 0:
                blank.add(index)
            textpage = page.get_textpage()
            try:
                texts.append("".join(ch for ch in textpage.get_text_range() if not ch.isspace()))
            finally:
                textpage.close()
        except pdfium.PdfiumError:
            texts.append(None)
        finally:
            page.close()
    return texts, blank


def _has_image(pdf: pdfium.PdfDocument, index: int) -> bool:
    """Does the page hold a picture (in a form XObject too)? The caller holds `PDFIUM_LOCK`."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return False
    try:
        return next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])), None) is not None
    finally:
        page.close()


# ---- damage: pages lost, and what the PDF libraries said ------------------------------------

def _account(chars: list[int | None], indexes: list[int], plumbed: _Plumbed, source_file: str,
             doc_id: str) -> list[str]:
    """Warnings naming the pages (0-based ``indexes``, read by pdfplumber) that pdfminer could
    not read, or read far less of than pdfium counts on them, or read as glyphs without
    characters, each with the share of the text lost; a DocumentError when less than
    `_MIN_READ_SHARE` of the text layer was read."""
    total = sum(n for n in chars if n)
    failed: dict[str, list[int]] = defaultdict(list)
    partial: list[str] = []
    lost = 0
    uncounted: list[int] = []
    for index in indexes:
        number, expected = index + 1, chars[index]
        if number in plumbed.failed:
            failed[plumbed.failed[number]].append(number)
            lost += expected or 0
            if not expected:
                uncounted.append(number)
            continue
        found = plumbed.found.get(number, 0)
        if expected is not None and expected - found > max(_LOST_SLACK, _LOST_SHARE * expected):
            partial.append(f"page {number} was read in part ({found:,} of {expected:,} characters)")
            lost += expected - found
    warnings: list[str] = []
    if failed or partial:
        parts = [f"{_page_list(numbers)} could not be read ({reason})" for reason, numbers in failed.items()]
        shares = [f"{lost / total:.0%} of the text ({lost:,} of {total:,} characters of its text layer) is lost"] if lost else []
        if uncounted:
            shares.append(f"how much {_page_list(uncounted)} held is not known (pdfium finds no text there either)")
        warnings.append(f"the PDF is damaged: {'; '.join([*parts, *partial, *shares])}")
    read = sum(plumbed.found.values())
    if read == 0 or (total and read < _MIN_READ_SHARE * total):
        reason = warnings[0] if warnings else "the PDF is damaged: its pages hold no text pdfminer can read"
        raise DocumentError(source_file, f"{reason}; nothing useful is left to read", doc_id)
    if plumbed.unreadable:
        pages = _page_list(sorted(plumbed.unreadable_on))
        share = f"; {plumbed.unreadable / total:.0%} of the text" if total else ""
        warnings.append(f"{plumbed.unreadable} characters of the text layer have no Unicode mapping and were left "
                        f"out ({pages}{share})")
    return warnings


def _page_list(numbers: list[int]) -> str:
    """"page 3", "pages 1–3, 5": page numbers, runs collapsed."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)
    return f"page {text}" if len(numbers) == 1 else f"pages {text}"


class _ThreadNotes(logging.Filter):
    """Takes the warnings that pdfminer, pdfplumber and pypdfium2 log from a thread loading a
    PDF into that document's counter (``sinks``, by thread id), and drops them there; every
    other record goes on as usual. A filter on each of those libraries' loggers (a logger's
    filters see the records created on it), so that no handler or ``propagate`` changes."""

    LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")

    def __init__(self) -> None:
        super().__init__()
        self.sinks: dict[int, Counter[str]] = {}
        #: While PDFs load (``loading`` threads): the `warnings.showwarning` replaced.
        self.shown_before: Callable[..., None] | None = None
        self.loading = 0
        self.hook_lock = threading.Lock()
        self.loggers_seen = 0

    def watch_loggers(self) -> None:
        """Filter every logger of the libraries, those created since the last call too."""
        loggers = logging.Logger.manager.loggerDict
        if len(loggers) == self.loggers_seen:
            return
        with self.hook_lock:
            for name, logger in list(loggers.items()):
                if (isinstance(logger, logging.Logger) and name.split(".")[0] in self.LIBRARIES
                        and self not in logger.filters):
                    logger.addFilter(self)
            for name in self.LIBRARIES:
                if self not in logging.getLogger(name).filters:
                    logging.getLogger(name).addFilter(self)
            self.loggers_seen = len(loggers)

    def filter(self, record: logging.LogRecord) -> bool:
        sink = self.sinks.get(record.thread) if record.levelno >= logging.WARNING and record.thread else None
        if sink is None:
            return True
        try:
            text = record.getMessage()
        except Exception:  # a malformed record of a library: its format string
            text = str(record.msg)
        sink[_short(f"{record.name.split('.')[0]}: {text}")] += 1
        return False

    def show_warning(self, message: Warning | str, category: type[Warning], filename: str, lineno: int,
                     file: TextIO | None = None, line: str | None = None) -> None:
        """`warnings.showwarning` while PDFs load: a warning of a loading thread is noted,
        any other shown as before."""
        sink = self.sinks.get(threading.get_ident())
        if sink is not None:
            sink[_short(f"{category.__name__}: {message}")] += 1
        elif self.shown_before is not None:
            self.shown_before(message, category, filename, lineno, file, line)


_NOTES = _ThreadNotes()


@contextmanager
def _library_notes() -> Iterator[Counter[str]]:
    """The messages (text → times) that the PDF libraries log, and the Python warnings shown,
    in this thread while the block runs; they reach neither stderr nor other documents.

    `warnings.showwarning` is replaced while any thread is loading a PDF, and restored when
    the last one is done; the filters are left as they are (a warning turned into an error
    stays an error, and fails the page that raised it)."""
    _NOTES.watch_loggers()
    sink: Counter[str] = Counter()
    ident = threading.get_ident()
    _NOTES.sinks[ident] = sink
    with _NOTES.hook_lock:
        if _NOTES.loading == 0:
            _NOTES.shown_before = pywarnings.showwarning
            pywarnings.showwarning = _NOTES.show_warning
        _NOTES.loading += 1
    try:
        yield sink
    finally:
        with _NOTES.hook_lock:
            _NOTES.loading -= 1
            if _NOTES.loading == 0:
                if pywarnings.showwarning == _NOTES.show_warning:
                    pywarnings.showwarning = _NOTES.shown_before  # type: ignore[assignment]
                _NOTES.shown_before = None
        del _NOTES.sinks[ident]


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_NOTE_CHARS else text[:_MAX_NOTE_CHARS - 1] + "…"


def _summarise_notes(notes: Counter[str]) -> list[str]:
    """The document's warnings for what the libraries said: each kind once, with its count."""
    kinds = notes.most_common()
    out = [f"{text} ({n} times)" if n > 1 else text for text, n in kinds[:_MAX_NOTES]]
    if len(kinds) > _MAX_NOTES:
        rest = sum(n for _text, n in kinds[_MAX_NOTES:])
        out.append(f"and {rest} more messages of {len(kinds) - _MAX_NOTES} other kinds from the PDF libraries")
    return out


# ---- the text layer ---------------------------------------------------------------------------

@dataclass
class _Plumbed:
    """What pdfplumber read: the pages, the count of unreadable and all characters kept, and
    per page (1-based) the non-space characters pdfminer found or why it could not read it."""

    pages: list[_Page] = field(default_factory=list)
    unreadable: int = 0
    total: int = 0
    found: dict[int, int] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    unreadable_on: set[int] = field(default_factory=set)


def _plumb_pages(data: bytes, indexes: list[int], texts: list[str | None], count: int, source_file: str,
                 doc_id: str) -> _Plumbed:
    """Lines and tables of the given pages (0-based, pdfium's numbering). A page that pdfminer
    fails on, or does not find, is noted in ``failed``; only failing to open the file raises.

    pdfminer walks the page tree itself, and a damaged file may give it fewer or more pages
    than pdfium counts (``count``). Then every page it finds is read and matched to pdfium's
    by text (``texts``: pdfium's non-space text of each page probed), so that the page
    numbers stay pdfium's and the page missing is the one named."""
    result = _Plumbed()
    stream = io.BytesIO(data)
    try:
        pdf = pdfplumber.open(stream)
    except Exception as exc:
        raise _pdfminer_error(exc, source_file, doc_id, "its structure") from exc
    try:
        found, stopped = _miner_pages(pdf, limit=max(2 * count, count + _PROBE_PAGES))
        matched: dict[int, _Parts | str] = {}
        if len(found) != count:
            every = [_read_miner_page(pdf, page, j + 1) for j, page in enumerate(found)]
            pairs = _align([None if isinstance(r, str) else _text_of(r[1]) for r in every], texts)
            matched = {i: every[j] for j, i in pairs.items()}
            wanted = set(indexes)
            for j, read in enumerate(every):
                if not isinstance(read, str) and pairs.get(j) not in wanted:
                    read[0].close()
        missing = (f"pdfminer's walk of the page tree stopped before it ({stopped})" if stopped
                   else "not in the page tree as pdfminer reads it")
        for index in indexes:
            number = index + 1
            if len(found) == count:
                read = _read_miner_page(pdf, found[index], number)
            elif index in matched:
                read = matched[index]
            else:
                read = missing
            if isinstance(read, str):
                result.failed[number] = read
                continue
            page, chars, tables, rules = read
            result.found[number] = sum(1 for ch in chars if ch["text"] and not ch["text"].isspace())
            kept, bad = _readable(chars, float(page.width), float(page.height))
            result.unreadable += bad
            result.total += bad + len(kept)
            if bad:
                result.unreadable_on.add(number)
            result.pages.append(_page_content(page, number, kept, tables, rules))
            page.close()
    finally:
        with contextlib.suppress(Exception):
            pdf.flush_cache()
        stream.close()
    return result


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


def _page_content(page: PlumberPage, number: int, chars: list[dict[str, Any]], tables: Sequence[Any],
                  rules: list[tuple[float, float, float]]) -> _Page:
    """Tables and the lines outside them, sorted top to bottom (one column)."""
    content = _Page(number=number, width=float(page.width), height=float(page.height), rules=rules)
    boxes: list[tuple[float, float, float, float]] = []
    for table in tables:
        rows = _table_rows(table, chars)
        if rows is None:
            continue
        boxes.append(table.bbox)
        content.items.append(_Table(rows=rows, top=float(table.bbox[1]), page=number))
    outside = [ch for ch in chars if not any(_inside(ch, box) for box in boxes)]
    content.items.extend(_group_lines(outside, number))
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
            with PDFIUM_LOCK:
                try:
                    page = pdf[index]
                except pdfium.PdfiumError as exc:
                    raise DocumentError(source_file, f"page {index + 1} of the PDF is damaged ({exc})", doc_id) from exc
                try:
                    if int(pdfium_c.FPDFPage_CountObjects(page.raw)) == 0:
                        continue
                    width, height = page.get_size()
                    scale = min(_OCR_DPI / 72, (_OCR_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                    bitmap = page.render(scale=scale, grayscale=True)
                    try:
                        image = bitmap.to_pil().copy()  # the copy owns its pixels: the bitmap goes now
                    finally:
                        bitmap.close()
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
