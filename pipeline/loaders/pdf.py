"""PDF circulars: pdfium reads each page's characters with their boxes and baselines, and the
lines they make are joined back into paragraphs.

Reading (`_read_pages`, with `pdf_chars`, `pdf_lines` and `pdf_layout`):

* pdfium gives every character of a page with its box, baseline and font size, and the
  page's ruling lines (its paths). Characters group into lines by baseline; a row of digits
  set in another font, whose boxes sit lower, rejoins its line and fills the gaps left for it
  (F13). Ruled tables are found on the ruling lines by pdfplumber's table finder, and read
  as rows of cells; pdfminer never interprets a page that pdfium reads.
* lines become paragraphs, across pages too; page numbers, running heads and the 版记 are
  furniture; a table that goes on over a page break keeps its index (`pdf_layout`).
* punctuation that a broken font maps to letters (Yi syllables ꎬꎮꎻ, «») is read back,
  with a warning naming the repair (`pdf_repair`, F06).
* pages without a text layer are recognised with Tesseract when ``Settings.ocr`` is on
  (`pdf_ocr`: the red masthead of the first page is read on its own and gives the issuer;
  字号 and date shapes that OCR garbles are normalised); otherwise a document of scans is
  ``needs_ocr`` (F19).

Bounded work: pdfium counts the pages (more than ``Settings.max_pages`` is refused) and reads
them in order. A page has text when its layer holds at least `_MIN_PAGE_CHARS` non-space
characters (a typed page number on a scan is not text). When none of the first
`_PROBE_PAGES` pages has text the rest are not read: the document needs OCR (a file of
thousands of blank pages costs twenty page reads). A page with less text than that and a
picture is a scan, recognised by OCR when it is on and named in a warning when it is not.
Tesseract runs one page at a time, rendered at 300 dpi (at most 40 megapixels), with a
timeout; pages without any page object are never rendered. Before any parser sees the file,
its deflate streams are inflated (incrementally, to count bytes only): more than
``Settings.max_unpacked_bytes`` from the non-image streams is a deflate bomb, refused. A
page whose form XObjects nest deeper than `pdf_chars.MAX_FORM_DEPTH` (a form that draws
itself) is hostile and not read.

Damage is accounted for, page by page, by a second parser: pdfminer walks the page tree and
checks, for every page pdfium read, that it finds the page, its dictionary, its content
streams (and where one breaks off) and the fonts it does not embed (without interpreting
the content: that is pdfminer's slow part).
Parser differentials are how damaged and hostile files lose or hide text, so a page that
pdfminer cannot confirm is named in a warning with the share of the text lost, and left
out; a document of which less than a tenth could be read fails (`_account`). Pages that
pdfium cannot load, finds empty of objects, or leaves text out of (a text object in a font
that is not embedded, for which the substitute has no glyph) are read by pdfplumber
instead, which may read them or tell why not. Warnings that pdfminer, pdfplumber and pypdfium2 log, and Python
warnings, raised while a document loads go to that document's ``warnings`` (counted,
deduplicated), not to stderr (`_library_notes`).

Threads: pdfium is not thread-safe (two threads in it crash the process), so every call into
it, closing its objects included, holds `PDFIUM_LOCK`: one page at a time is read under the
lock, and grouping its characters into lines runs outside it. pdfminer is pure Python and
needs no lock; it runs while another thread holds the lock. Tesseract runs outside it.
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import warnings as pywarnings
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.errors import DocumentError, EmptyDocumentError, LimitExceededError, NeedsOcrError
from pipeline.loaders.base import Paragraph, build_document, document_id, sha256_of
from pipeline.loaders.pdf_chars import MAX_FORM_DEPTH, MAX_PATH_POINTS, PageScan, find_tables, scan_page
from pipeline.loaders.pdf_layout import Page, mark_furniture, number_tables, page_content, paragraphs
from pipeline.loaders.pdf_miner import Plumbed, miner_pass
from pipeline.loaders.pdf_miner import readable_chars as _readable
from pipeline.loaders.pdf_ocr import OCR_HINT, OCR_INSTALL, OCR_WARNING, has_ink, read_scan
from pipeline.loaders.pdf_repair import repair_punctuation
from pipeline.model import Document
from pipeline.settings import Settings

__all__ = ["OCR_WARNING", "PDFIUM_LOCK", "load_pdf", "repair_punctuation"]

#: Pages probed before a document without any text layer is given up as a scan.
_PROBE_PAGES = 20
#: Fewer non-space characters than this on a page: no text layer (a page number, a stamp).
_MIN_PAGE_CHARS = 10
#: Above this share of characters without a Unicode mapping the text layer is unusable.
_UNREADABLE_SHARE = 0.3
_OCR_DPI = 300
_OCR_MAX_PIXELS = 40_000_000
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
    mark_furniture(pages)
    number_tables(pages)
    found = paragraphs(pages)
    warnings.extend(_repair_paragraphs(found))
    return build_document(source_file, data, "pdf", found, warnings=warnings)


def _load_pages(data: bytes, settings: Settings, source_file: str, doc_id: str, warnings: list[str]) -> list[Page]:
    """The pages read, pdfium open meanwhile; closing the document closes its pages and text
    pages too, under the lock, so that the garbage collector never finalises a pdfium object."""
    with PDFIUM_LOCK:
        pdf = _open_pdfium(data, source_file, doc_id)
    try:
        return _read_pages(pdf, data, settings, source_file, doc_id, warnings)
    finally:
        with PDFIUM_LOCK:
            pdf.close()


# ---- opening, and the limits ------------------------------------------------------------------

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


#: A stream's start (``endstream`` is told apart by hand: a look-behind would make the
#: search slow, byte by byte).
_STREAM_START = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")


def _check_streams(data: bytes, settings: Settings, source_file: str, doc_id: str) -> None:
    """Refuse a deflate bomb: the streams that the parsers inflate (content, fonts, object
    streams; not images, which only OCR rendering decodes) may unpack to at most
    ``settings.max_unpacked_bytes`` together, an image stream to as much on its own when OCR
    is on. Each stream is inflated in steps and dropped, only its size counted; a stream
    inflated twice (two FlateDecode filters) is counted by its final size. Every ``stream``
    keyword is looked at, inside another stream's bytes too: a parser led there by the
    cross-reference table would inflate what follows it."""
    limit = settings.max_unpacked_bytes
    total = 0
    position = 0
    while (match := _STREAM_START.search(data, position)) is not None:
        position = match.end()
        if data[match.start() - 3:match.start()] == b"end":  # "endstream", not a stream's start
            continue
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


# ---- reading the pages ------------------------------------------------------------------------

@dataclass
class _Read:
    """One page as pdfium read it: its content, and what the checks need."""

    #: The non-space text, unreadable characters included (pdfium's count of the page).
    text: str
    #: No page object at all: blank, or its content lost to damage.
    blank: bool
    has_image: bool
    #: Lines and tables; None for a hostile page (forms nested too deep), not read.
    page: Page | None
    unreadable: int
    kept: int
    #: So many drawn segments that its ruling lines were not looked for.
    drawing: bool
    #: Text objects pdfium left out (no glyph in a substituted font).
    glyphless: bool
    #: Text in a font that is not embedded (pdfminer checks the page's fonts).
    unembedded: bool

    @property
    def for_pdfplumber(self) -> bool:
        """Is the page pdfplumber's to read (pdfium sees nothing there, or leaves text out)?"""
        return self.blank or self.glyphless


def _read_pages(pdf: pdfium.PdfDocument, data: bytes, settings: Settings, source_file: str, doc_id: str,
                warnings: list[str]) -> list[Page]:
    """Pages with text read by pdfium and checked by pdfminer, the others pdfplumber's to
    read; scanned pages recognised by OCR when it is on."""
    with PDFIUM_LOCK:
        count = len(pdf)
    if count > settings.max_pages:
        raise LimitExceededError(source_file, f"the PDF has {count:,} pages", settings.max_pages,
                                 "max_pages", doc_id)
    if count == 0:
        raise EmptyDocumentError(source_file, "the PDF has no pages", doc_id)
    reads = _scan_pages(pdf, count, settings.max_text_chars, source_file, doc_id)
    chars = [None if r is None else len(r.text) for r in reads]
    if all(n is not None and n < _MIN_PAGE_CHARS for n in chars):
        checked = f"; the first {len(chars)} of {count} pages were checked" if len(chars) < count else ""
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"no page has a text layer (scanned images?){checked}")
    # a page with little text and a picture is a scan (perhaps with a typed page number)
    scanned = [i for i, r in enumerate(reads) if r is not None and len(r.text) < _MIN_PAGE_CHARS and r.has_image]
    ocr = bool(scanned) and settings.ocr and shutil.which("tesseract") is not None
    # pages with text, and those blank to pdfium: pdfminer may read them, or fail and tell the damage
    wanted = [i for i, r in enumerate(reads) if (r is None or r.text or r.blank) and not (ocr and i in scanned)]
    confirm = [i for i in wanted if (r := reads[i]) is not None and not r.for_pdfplumber]
    readable = [i for i in confirm if (r := reads[i]) is not None and r.page is not None]
    fonts_on = frozenset(i for i in readable if (r := reads[i]) is not None and r.unembedded)
    plumbed = miner_pass(data, readable, [i for i in wanted if i not in confirm],
                         [None if r is None else r.text for r in reads], count, source_file, doc_id, fonts_on)
    pages = _checked_pages(reads, confirm, plumbed)
    if plumbed.unreadable > _UNREADABLE_SHARE * plumbed.total:
        return _ocr_instead(pdf, settings, source_file, doc_id, warnings,
                            f"the text layer does not map its glyphs to characters ({plumbed.unreadable} of "
                            f"{plumbed.total} characters unreadable)")
    warnings.extend(_account(chars, wanted, plumbed, source_file, doc_id))
    drawings = [i + 1 for i in confirm if (r := reads[i]) is not None and r.drawing]
    if drawings:
        warnings.append(f"{_page_list(drawings)} draw more than {MAX_PATH_POINTS:,} path points: their ruling "
                        f"lines were not read as tables")
    numbers = ", ".join(str(i + 1) for i in scanned)
    if ocr:
        pages = sorted([*pages, *_ocr_pages(pdf, scanned, settings, source_file, doc_id, "", warnings)], key=lambda p: p.number)
        warnings.append(f"{OCR_WARNING} on pages {numbers}")
    elif scanned:
        todo = f"OCR is on but tesseract is not installed: {OCR_INSTALL}" if settings.ocr else OCR_HINT
        warnings.append(f"pages {numbers} are images without a text layer (scanned?) and were not read; {todo}")
    return pages


def _checked_pages(reads: list[_Read | None], confirm: list[int], plumbed: Plumbed) -> list[Page]:
    """The pages pdfium read that pdfminer confirmed, with those pdfplumber read, in order;
    their characters counted in ``plumbed``. A hostile page (forms nested too deep) is failed."""
    pages = plumbed.pages
    for i in confirm:
        read = reads[i]
        if read is None:
            continue
        if read.page is None:
            plumbed.failed[i + 1] = (f"its form XObjects nest more than {MAX_FORM_DEPTH} levels deep (a form that "
                                     f"draws itself)")
        if i + 1 in plumbed.failed or read.page is None:
            continue
        pages.append(read.page)
        plumbed.found[i + 1] = len(read.text)
        plumbed.unreadable += read.unreadable
        plumbed.total += read.unreadable + read.kept
        if read.unreadable:
            plumbed.unreadable_on.add(i + 1)
    return sorted(pages, key=lambda p: p.number)


def _scan_pages(pdf: pdfium.PdfDocument, count: int, max_chars: int, source_file: str,
                doc_id: str) -> list[_Read | None]:
    """Each page read by pdfium (None for a page it cannot load: pdfminer may still read it);
    stops after `_PROBE_PAGES` pages when none of them has text. pdfium's calls for a page
    hold the lock; its characters become lines outside it. A text layer of more than
    ``max_chars`` characters (``Settings.max_text_chars``) is refused before it is read."""
    reads: list[_Read | None] = []
    budget = max_chars
    for index in range(count):
        if index == _PROBE_PAGES and all(r is not None and len(r.text) < _MIN_PAGE_CHARS for r in reads):
            break
        with PDFIUM_LOCK:
            scan = scan_page(pdf, index, budget)
        if scan is not None:
            budget -= scan.counted
            if budget < 0:
                raise LimitExceededError(source_file, f"by page {index + 1} the PDF's text layer holds more "
                                                      f"characters", max_chars, "max_text_chars", doc_id)
        reads.append(None if scan is None else _digest(scan, index + 1))
    return reads


def _digest(scan: PageScan, number: int) -> _Read:
    """A page pdfium scanned as lines and tables, its unreadable characters counted."""
    kept, bad = _readable(scan.chars, scan.width, scan.height)
    page = None
    if not scan.too_deep:
        page = page_content(number, scan.width, scan.height, kept, find_tables(scan.edges), scan.rules)
    return _Read(text=scan.text, blank=scan.objects == 0, has_image=scan.has_image, page=page,
                 unreadable=bad, kept=len(kept), drawing=scan.drawing, glyphless=scan.glyphless > 0,
                 unembedded=scan.unembedded)


def _ocr_instead(pdf: pdfium.PdfDocument, settings: Settings, source_file: str, doc_id: str,
                 warnings: list[str], reason: str) -> list[Page]:
    """Every page by OCR, when the text layer is missing or unusable (NeedsOcrError if OCR is off)."""
    with PDFIUM_LOCK:
        count = len(pdf)
    pages = _ocr_pages(pdf, range(count), settings, source_file, doc_id, reason, warnings)
    warnings.append(OCR_WARNING)
    return pages


# ---- damage: pages lost, and what the PDF libraries said ------------------------------------

def _account(chars: list[int | None], indexes: list[int], plumbed: Plumbed, source_file: str,
             doc_id: str) -> list[str]:
    """Warnings naming the pages (0-based ``indexes``) that pdfminer could not read or
    confirm, or read far less of than pdfium counts on them, or whose content breaks off, or
    read as glyphs without characters, each with the share of the text lost; a DocumentError
    when less than `_MIN_READ_SHARE` of the text layer was read."""
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
        elif number in plumbed.broken:
            partial.append(f"the content of page {number} breaks off ({plumbed.broken[number]}): text after that "
                           f"point may be lost")
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


# ---- OCR ------------------------------------------------------------------------------------

def _ocr_pages(pdf: pdfium.PdfDocument, indexes: Iterable[int], settings: Settings, source_file: str,
               doc_id: str, reason: str, warnings: list[str]) -> list[Page]:
    """Render each page (~300 dpi, in colour: `pdf_ocr` finds the red masthead of the first
    page by its colour) and read it with Tesseract; blank pages are skipped."""
    if not settings.ocr:
        raise NeedsOcrError(source_file, f"{reason}; {OCR_HINT}", doc_id)
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise NeedsOcrError(source_file, f"{reason}; OCR is on but the tesseract program is not installed: "
                                         f"{OCR_INSTALL}", doc_id)
    pages: list[Page] = []
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
                bitmap = page.render(scale=scale, grayscale=index != 0)
                try:
                    image = bitmap.to_pil().copy()  # the copy owns its pixels: the bitmap goes now
                finally:
                    bitmap.close()
            finally:
                page.close()
        if not has_ink(image):
            continue  # nothing dark on the page
        read = read_scan(tesseract, image, scale, index + 1, settings.ocr_languages, index == 0, source_file, doc_id)
        warnings.extend(read.warnings)
        pages.append(Page(number=index + 1, width=width, height=height, items=[*read.lines]))
    return pages


# ---- text-layer repair ----------------------------------------------------------------------

def _repair_paragraphs(found: list[Paragraph]) -> list[str]:
    """Apply `repair_punctuation` to the texts and cells of the paragraphs in place."""
    texts = [p.text for p in found if p.cells is None]
    cells = [c for p in found if p.cells is not None for c in p.cells]
    repaired, warnings = repair_punctuation([*texts, *cells])
    if repaired == [*texts, *cells]:
        return warnings
    it = iter(repaired)
    for p in found:
        if p.cells is None:
            p.text = next(it)
    for p in found:
        if p.cells is not None:
            p.cells = [next(it) for _ in p.cells]
    return warnings
