"""pdfium's view of one PDF page: its characters with boxes and baselines, its ruling lines,
and the ruled tables those lines draw.

`scan_page` makes every call into pdfium for a page and returns plain Python data; the
caller holds the PDF loader's `PDFIUM_LOCK` while it runs (pdfium is not thread-safe).
`find_tables` then works on that data alone: the ruling lines are turned into pdfplumber's
edges and handed to pdfplumber's table finder (the lattice of rules → cells → tables), so a
ruled table reads as it did when pdfplumber parsed the page, without pdfminer's slow pass
over the page's content.

Coordinates are points, top-down from the top of the MediaBox, as pdfplumber gives them.
A character's box is pdfium's "loose" box: from the font's descent to its ascent scaled to
the font size, so its height is the font size whatever the font's metrics; its baseline is
the glyph origin.
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass, field
from typing import Any, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.page import Page as PlumberPage
from pdfplumber.table import Table, cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils.geometry import filter_edges

from pipeline.loaders.pdf_lines import Char

#: Form XObjects nested deeper than this: a form that draws itself (pdfium unrolls it 40
#: levels deep, each level drawing the text again). No real page nests forms this far.
MAX_FORM_DEPTH = 12
#: Path points read per page at most; beyond, the page is a drawing (or text set as
#: outlines) and its ruling lines are not looked for.
MAX_PATH_POINTS = 20_000
#: A horizontal rule: at most this high, and wider than half the page.
_RULE_HEIGHT = 3.0
#: pdfplumber's default table settings (snap, join and intersection tolerances, edge lengths).
_SNAP = 3.0
_MIN_EDGE = 3.0
_MIN_EDGE_PREFILTER = 1.0
#: Code points of the text layer that are no character: pdfium's markers for hyphens it
#: generated and for non-characters.
_NOT_TEXT = frozenset("\ufffe\uffff")

#: A ruling segment as pdfplumber's table finder takes it.
Edge = dict[str, Any]


def _address(handle: Any) -> int:
    """Where a pdfium handle (a function, a page, a text page) is in memory."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _plain(function: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function declared again with plain pointer arguments (``c_void_p``, passed
    as ints): ctypes converts an int faster than it checks a typed pointer, which counts for
    the calls made once per character or page object."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(_address(function))


_VOID, _INT = ctypes.c_void_p, ctypes.c_int
_LOOSE_BOX = _plain(pdfium_c.FPDFText_GetLooseCharBox, _INT, _VOID, _INT, _VOID)
_ORIGIN = _plain(pdfium_c.FPDFText_GetCharOrigin, _INT, _VOID, _INT, _VOID, _VOID)
_PAGE_OBJECT = _plain(pdfium_c.FPDFPage_GetObject, _VOID, _VOID, _INT)
_FORM_OBJECT = _plain(pdfium_c.FPDFFormObj_GetObject, _VOID, _VOID, ctypes.c_ulong)
_OBJECT_TYPE = _plain(pdfium_c.FPDFPageObj_GetType, _INT, _VOID)
_OBJECT_BOUNDS = _plain(pdfium_c.FPDFPageObj_GetBounds, _INT, _VOID, _VOID, _VOID, _VOID, _VOID)
_TEXT_FONT = _plain(pdfium_c.FPDFTextObj_GetFont, _VOID, _VOID)
_EMBEDDED = _plain(pdfium_c.FPDFFont_GetIsEmbedded, _INT, _VOID)
_FONT_NAME = _plain(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _VOID, _VOID, ctypes.c_size_t)
_FONT_WEIGHT = _plain(pdfium_c.FPDFFont_GetWeight, _INT, _VOID)
_RENDER_MODE = _plain(pdfium_c.FPDFTextObj_GetTextRenderMode, _INT, _VOID)
_CHAR_OBJECT = _plain(pdfium_c.FPDFText_GetTextObject, _VOID, _VOID, _INT)
#: words of a font name that say it is set in bold (SimSun,Bold; NotoSansCJK-Bold; …-Heavy)
_BOLD_NAMES = ("bold", "heavy", "black", "semibold", "demibold", "demi")
_FILL_STROKE = 2  # text drawn filled and stroked: how word processors fake bold in a regular font



@dataclass
class PageScan:
    """What pdfium found on one page."""

    width: float
    height: float
    #: Page objects (text runs, paths, images, forms) at the top level: 0 for a blank page.
    objects: int
    #: The characters, unreadable ones (no Unicode mapping) included; no spaces.
    chars: list[Char] = field(default_factory=list)
    #: pdfium's count of the text layer's characters (spaces and line breaks included).
    counted: int = 0
    has_image: bool = False
    #: Axis-aligned segments of the page's paths, and its full-width horizontal rules.
    edges: list[Edge] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    #: Forms nested deeper than `MAX_FORM_DEPTH`: the page is hostile, not read.
    too_deep: bool = False
    #: More than `MAX_PATH_POINTS` path points: ruling lines were not looked for.
    drawing: bool = False
    #: Text in a font that is not embedded: pdfium depends on the font's dictionary alone.
    unembedded: bool = False
    #: Text objects pdfium leaves out of the text: their font is not embedded and the font it
    #: substitutes has no glyph for them, so they have no width (one Chinese character set
    #: alone, as in a letter-spaced title, on a machine without Chinese fonts).
    glyphless: int = 0
    #: The text objects (by address) set in bold: their characters are bold.
    bold_objects: set[int] = field(default_factory=set)

    @property
    def text(self) -> str:
        """The non-space text of the page, in pdfium's (content) order."""
        return "".join(c.text for c in self.chars)


def scan_page(pdf: pdfium.PdfDocument, index: int, max_chars: int) -> PageScan | None:
    """Characters, ruling lines and pictures of page ``index``; None when pdfium cannot load
    the page. A text layer of more than ``max_chars`` characters is not read, only counted
    (``PageScan.counted``). The caller holds `PDFIUM_LOCK`."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return None
    try:
        left, bottom, right, top = page.get_mediabox()
        if right - left <= 0 or top - bottom <= 0:  # a damaged MediaBox: pdfium's default size
            (right, top), left, bottom = page.get_size(), 0.0, 0.0
        scan = PageScan(width=right - left, height=top - bottom,
                        objects=max(0, int(pdfium_c.FPDFPage_CountObjects(page.raw))))
        _walk_objects(page.raw, scan, (left, top))
        textpage = page.get_textpage()
        try:
            scan.counted = max(0, int(pdfium_c.FPDFText_CountChars(textpage.raw)))
            if scan.counted <= max_chars:
                scan.chars = _chars(textpage.raw, scan.counted, left, top, scan.bold_objects)
        finally:
            textpage.close()
        return scan
    except pdfium.PdfiumError:
        return None
    finally:
        page.close()


def _chars(textpage: Any, count: int, left: float, top: float, bold_objects: frozenset[int] | set[int] = frozenset()) -> list[Char]:
    """The page's characters but spaces and line breaks, in content order. One or two calls
    into pdfium per character (this loop is most of a page's cost): its loose box, and its
    origin unless the box has the same top and bottom as the one before (same size and
    font on the same line: the same baseline); on a page that sets text in bold, the text
    object of each character too, to know whether it is one of ``bold_objects``."""
    if count <= 0:
        return []
    text = _text(textpage, count)
    box, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    box_ref, x_ref, y_ref = ctypes.addressof(box), ctypes.addressof(x), ctypes.addressof(y)
    box_values = memoryview(box).cast("B").cast("f")  # left, top, right, bottom
    loose_box, origin, handle = _LOOSE_BOX, _ORIGIN, _address(textpage)
    chars: list[Char] = []
    append = chars.append
    last_top = last_bottom = base = float("nan")
    for i, ch in enumerate(text):
        if ch.isspace() or ch in _NOT_TEXT:
            continue
        loose_box(handle, i, box_ref)
        x0, y1, x1, y0 = box_values
        if y1 != last_top or y0 != last_bottom:
            origin(handle, i, x_ref, y_ref)
            last_top, last_bottom, base = y1, y0, top - y.value
        size = y1 - y0
        if size <= 0.01:  # text turned sideways: no height along the page
            size = float(pdfium_c.FPDFText_GetFontSize(textpage, i)) or 1.0
        # a character is asked for its text object only on a page that sets some text in bold
        bold = bool(bold_objects) and _CHAR_OBJECT(handle, i) in bold_objects
        append(Char(ch, x0 - left, (x1 if x1 > x0 else x0) - left, top - y1, top - y0, size, base, bold))
    return chars


def _text(textpage: Any, count: int) -> str:
    """The characters of the page as one string, one per character index: pdfium's text of
    the page when it lines up with its characters, else each character asked for."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = int(pdfium_c.FPDFText_GetText(textpage, 0, count, buffer))
    text = bytes(memoryview(buffer).cast("B")[:max(0, written - 1) * 2]).decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    codes = (int(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    return "".join(chr(code) if 0 <= code < 0x110000 else "\ufffd" for code in codes)


# ---- paths and pictures -----------------------------------------------------------------------

#: An affine matrix (a, b, c, d, e, f) mapping (x, y) to (ax + cy + e, bx + dy + f).
_Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _walk_objects(page: Any, scan: PageScan, origin: tuple[float, float]) -> None:
    """Note the page's pictures and collect its ruling lines, inside forms too."""
    budget = [MAX_PATH_POINTS]
    count = int(pdfium_c.FPDFPage_CountObjects(page))
    _walk(_PAGE_OBJECT, _address(page), count, _IDENTITY, 0, scan, origin, budget, {}, {})
    if scan.drawing:
        scan.edges, scan.rules = [], []


def _walk(get_object: Any, parent: int, count: int, matrix: _Matrix, depth: int, scan: PageScan,
          origin: tuple[float, float], budget: list[int], embedded: dict[int, bool], bold: dict[int, bool]) -> None:
    """The ``count`` objects of ``parent`` (a page or a form, by address), forms recursively;
    ``embedded`` and ``bold`` cache whether each font (by address) is embedded and bold."""
    own = pdfium_c.FS_MATRIX()
    box = (ctypes.c_float * 4)()
    left, bottom, right = (ctypes.addressof(box) + 4 * k for k in range(3))
    top = ctypes.addressof(box) + 12
    for k in range(max(0, count)):
        obj = get_object(parent, k)
        if not obj:
            continue
        kind = _OBJECT_TYPE(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            font = _TEXT_FONT(obj)
            if font not in embedded:
                embedded[font] = bool(font and _EMBEDDED(font))
            if not embedded[font]:
                scan.unembedded = True
                if _OBJECT_BOUNDS(obj, left, bottom, right, top) and abs(box[2] - box[0]) < 0.01:
                    scan.glyphless += 1
            if font not in bold:
                bold[font] = bool(font) and _bold_font(font)
            if bold[font] or _RENDER_MODE(obj) == _FILL_STROKE:
                scan.bold_objects.add(obj)
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            scan.has_image = True
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH and not scan.drawing:
            handle = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
            if pdfium_c.FPDFPageObj_GetMatrix(handle, own):
                _path(handle, _compose(_matrix(own), matrix), scan, origin, budget)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth >= MAX_FORM_DEPTH:
                scan.too_deep = True
                return
            handle = ctypes.cast(obj, pdfium_c.FPDF_PAGEOBJECT)
            if pdfium_c.FPDFPageObj_GetMatrix(handle, own):
                _walk(_FORM_OBJECT, obj, int(pdfium_c.FPDFFormObj_CountObjects(handle)),
                      _compose(_matrix(own), matrix), depth + 1, scan, origin, budget, embedded, bold)
                if scan.too_deep:
                    return


def _bold_font(font: int) -> bool:
    """Is a font bold: by its weight, or by a word of its name (SimSun,Bold)?"""
    if _FONT_WEIGHT(font) >= 600:
        return True
    buffer = ctypes.create_string_buffer(128)
    written = int(_FONT_NAME(font, ctypes.addressof(buffer), 128))
    name = buffer.raw[:max(0, min(written, 128) - 1)].decode("latin-1").lower()
    return any(word in name for word in _BOLD_NAMES)


def _matrix(m: Any) -> _Matrix:
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    """The matrix that applies ``inner``, then ``outer``."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path(obj: Any, matrix: _Matrix, scan: PageScan, origin: tuple[float, float], budget: list[int]) -> None:
    """The axis-aligned segments of one path (each subpath closed if it says so) as edges,
    and its thin full-width subpaths as rules."""
    count = int(pdfium_c.FPDFPath_CountSegments(obj))
    budget[0] -= max(0, count)
    if budget[0] < 0:
        scan.drawing = True
        return
    a, b, c, d, e, f = matrix
    left, top = origin
    px, py = ctypes.c_float(), ctypes.c_float()
    px_ref, py_ref = ctypes.byref(px), ctypes.byref(py)
    subpath: list[tuple[float, float]] = []
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        if not segment or not pdfium_c.FPDFPathSegment_GetPoint(segment, px_ref, py_ref):
            continue
        point = (a * px.value + c * py.value + e - left, top - (b * px.value + d * py.value + f))
        if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO and subpath:
            _subpath(subpath, scan)
            subpath = []
        subpath.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and subpath:
            subpath.append(subpath[0])
    if subpath:
        _subpath(subpath, scan)


def _subpath(points: list[tuple[float, float]], scan: PageScan) -> None:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if max(ys) - min(ys) <= _RULE_HEIGHT and max(xs) - min(xs) > 0.5 * scan.width:
        scan.rules.append((min(xs), max(xs), min(ys)))
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if abs(y0 - y1) < 0.01 and abs(x0 - x1) >= _MIN_EDGE_PREFILTER:
            scan.edges.append(_edge(min(x0, x1), max(x0, x1), y0, y0, "h"))
        elif abs(x0 - x1) < 0.01 and abs(y0 - y1) >= _MIN_EDGE_PREFILTER:
            scan.edges.append(_edge(x0, x0, min(y0, y1), max(y0, y1), "v"))


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> Edge:
    return {"object_type": "curve_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


# ---- tables -------------------------------------------------------------------------------------

def find_tables(edges: list[Edge]) -> list[Table]:
    """Ruled tables drawn by ``edges``, by pdfplumber's lattice finder with its default
    settings (what ``page.find_tables()`` does with the same lines); none without two
    horizontal and two vertical rules."""
    if sum(e["orientation"] == "h" for e in edges) < 2 or sum(e["orientation"] == "v" for e in edges) < 2:
        return []
    merged = filter_edges(merge_edges(edges, _SNAP, _SNAP, _SNAP, _SNAP), min_length=_MIN_EDGE)
    cells = intersections_to_cells(edges_to_intersections(merged, _SNAP, _SNAP))
    # a Table needs its page only to extract text, which is done here from pdfium's characters
    return [Table(cast(PlumberPage, None), group) for group in cells_to_tables(cells)]
