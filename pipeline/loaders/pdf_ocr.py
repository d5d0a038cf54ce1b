"""Scanned PDF pages read by Tesseract (F19), and the red masthead of the first page.

`pdf.py` renders each scanned page under `PDFIUM_LOCK` and hands the picture here; nothing
in this module calls pdfium. A page is one Tesseract run (TSV output: words with boxes,
grouped by its line numbers). The first page of a circular is read in three pieces, found by
colour separation (pixels whose red channel dominates):

* the red masthead (版头: ``澄阳市人民政府文件``, or the issuing body's name), the largest
  band of red text in the top part of the page. Red on white reads badly, so the red mask
  itself is read, black on white. Its text must have the shape of a body's name (ending in an
  organisation head, optionally followed by 文件); it becomes the page's first line (role
  ``header``), else it is left out with a warning.
* the band between the masthead and the red rule that GB/T 9704 prints under the 发文字号:
  份号, 密级, 签发人, 字号. It holds Han characters and digits only, so it is read with the
  Han models alone (with ``eng`` besides, Tesseract reads 澄农发 as Latin letters).
* the rest of the page, below the rule, with the languages of the settings.

When the first page has no red rule, it is read whole with its red pixels whitened (the
masthead, read on its own, is not read twice). The shapes OCR garbles in every header are
normalised where the reading is unambiguous: a 发文字号's year brackets (〔2027〕 read as
[2027], (2027), 【2027]) and full-width digits, a date's spaces and full-width digits, 曰 for
日 (`normalise_shapes`).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.errors import DocumentError, NeedsOcrError
from pipeline.loaders.pdf_lines import Line, narrow
from pipeline.resources import bundled_cues

__all__ = ["OCR_HINT", "OCR_INSTALL", "OCR_WARNING", "OcrPage", "has_ink", "normalise_shapes", "read_scan"]

OCR_INSTALL = "install tesseract-ocr and tesseract-ocr-chi-sim (Debian: apt install tesseract-ocr tesseract-ocr-chi-sim)"
OCR_HINT = f"to read it, {OCR_INSTALL} and pass --ocr (Settings(ocr=True))"
OCR_WARNING = "text recognised by OCR (tesseract)"
_OCR_TIMEOUT_SECONDS = 120

#: A pixel is red ink when its red channel is bright and exceeds green and blue by this much.
_RED_MIN = 150
_RED_OVER = 60
#: The masthead and its rule are looked for in this top share of the first page.
_TOP_SHARE = 0.5
#: A row of the red rule is red over at least this share of the page's width (GB/T 9704:
#: 156 mm of 210 mm); the rule is at most this share of the page's height thick.
_RULE_WIDTH_SHARE = 0.5
_RULE_THICKNESS_SHARE = 0.006
#: A band of red text is at least this share of the page's height tall (a masthead's
#: characters are 15–25 mm; specks, a red 密级 stamp's strokes are not a masthead).
_MIN_MASTHEAD_SHARE = 0.012
#: Rows of a band of text may be apart by this share of the page's height (strokes of 三, 二).
_BAND_GAP_SHARE = 0.004
#: A picture whose darkest pixel is lighter than this holds nothing to read.
_INK = 200
#: White margin around a crop given to Tesseract (it reads text touching the edge badly).
_PAD = 20

_HAN = r"\u3400-\u9fff"
#: A 字号 as OCR reads it: the issuer's code, the year between brackets of any kind (any
#: misreading of 〔〕), the serial number and 号.
_OCR_DOC_NUMBER = re.compile(
    rf"(?P<code>[{_HAN}]{{1,16}})\s*[〔\[［【(（「{{]\s*(?P<year>(?:19|20|１９|２０)[0-9０-９]{{2}})\s*"
    rf"[〕\]］】)）」}}]\s*(?P<no>第?\s*[0-9０-９]{{1,5}})\s*号")
#: A date as OCR reads it: spaces between its parts, full-width digits, 曰 for 日.
_OCR_DATE = re.compile(r"(?P<y>[0-9０-９]{4})\s*年\s*(?P<m>[0-9０-９]{1,2})\s*月\s*(?P<d>[0-9０-９]{1,2})\s*[日曰]")
#: A masthead line: a body's name (Han characters, brackets of a qualifier), then 文件 or not.
_MASTHEAD_SHAPE = re.compile(rf"(?P<name>[{_HAN}（）()·]{{3,40}}?)(?P<file>文件)?")
_SPACE_IN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


@dataclass
class OcrPage:
    """What OCR read on one page: its lines (in points, top-down) and warnings."""

    lines: list[Line]
    warnings: list[str]


@dataclass(frozen=True)
class _Header:
    """Where the red header of a first page lies, in pixel rows and columns."""

    #: The masthead band: (left, top, right, bottom), None when there is no red text band.
    masthead: tuple[int, int, int, int] | None
    #: The first and last rows of the red rule under the 字号, None when there is none.
    rule: tuple[int, int] | None
    #: Red ink of the top part of the page (rows ``0..len(red)``).
    red: np.ndarray


def read_scan(tesseract: str, image: Image.Image, scale: float, page: int, languages: str, first: bool,
              source_file: str, doc_id: str) -> OcrPage:
    """The lines of one rendered page (``scale`` pixels per point); on the ``first`` page of
    the document, the red masthead and the band above the red rule are read on their own."""
    with tempfile.TemporaryDirectory(prefix="policyflow-ocr-") as tmp:
        run = _Runner(tesseract, Path(tmp), page, source_file, doc_id)
        rgb = image.convert("RGB")
        header = _find_header(rgb) if first else None
        gray = _whiten(rgb.convert("L"), header)
        if header is None or (header.masthead is None and header.rule is None):
            return OcrPage(_normalised(run.lines(gray, languages, scale, 0, page)), [])
        lines: list[Line] = []
        warnings: list[str] = []
        if header.masthead is not None:
            masthead, warning = _read_masthead(run, header, scale, page, languages)
            lines.extend(masthead)
            warnings.extend(warning)
        if header.rule is None:
            lines.extend(run.lines(gray, languages, scale, 0, page))
        else:
            above = header.masthead[3] if header.masthead is not None else 0
            band = gray.crop((0, above, gray.width, header.rule[0]))
            lines.extend(run.lines(band, _han_languages(languages), scale, above, page))
            rest = gray.crop((0, header.rule[1] + 1, gray.width, gray.height))
            lines.extend(run.lines(rest, languages, scale, header.rule[1] + 1, page))
    return OcrPage(_normalised(lines), warnings)


# ---- the red header -------------------------------------------------------------------------

def _red_mask(rgb: Image.Image) -> np.ndarray:
    """Pixels of red ink: the red channel bright and well above green and blue."""
    pixels = np.asarray(rgb, dtype=np.uint8)
    red = pixels[..., 0].astype(np.int16)
    return (red > _RED_MIN) & (red - pixels[..., 1] > _RED_OVER) & (red - pixels[..., 2] > _RED_OVER)


def _find_header(rgb: Image.Image) -> _Header:
    """The red rule and the largest red text band above it, in the top part of the page."""
    width, height = rgb.size
    top = rgb.crop((0, 0, width, max(1, int(height * _TOP_SHARE))))
    red = _red_mask(top)
    counts = red.sum(axis=1)
    ruled = counts >= _RULE_WIDTH_SHARE * width
    rule = next((run for run in _runs(ruled, 0) if run[1] - run[0] < _RULE_THICKNESS_SHARE * height), None)
    texty = (counts > 0) & ~ruled
    if rule is not None:
        texty[rule[0]:] = False
    bands = [b for b in _runs(texty, max(1, int(_BAND_GAP_SHARE * height)))
             if b[1] - b[0] + 1 >= _MIN_MASTHEAD_SHARE * height]
    masthead = None
    if bands:
        first, last = max(bands, key=lambda b: int(counts[b[0]:b[1] + 1].sum()))
        columns = np.flatnonzero(red[first:last + 1].any(axis=0))
        masthead = (int(columns[0]), first, int(columns[-1]), last)
    return _Header(masthead=masthead, rule=rule, red=red)


def _runs(rows: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """(first, last) of each run of true rows, runs apart by at most ``gap`` rows joined."""
    runs: list[tuple[int, int]] = []
    for row in np.flatnonzero(rows).tolist():
        if runs and row - runs[-1][1] <= gap + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _whiten(gray: Image.Image, header: _Header | None) -> Image.Image:
    """The page in grey with the red ink of its header whitened: the masthead is read on its
    own, and the rule would be read as a line of dashes."""
    if header is None or not header.red.any():
        return gray
    pixels = np.array(gray, dtype=np.uint8)
    pixels[:header.red.shape[0]][header.red] = 255
    return Image.fromarray(pixels)


def _read_masthead(run: _Runner, header: _Header, scale: float, page: int,
                   languages: str) -> tuple[list[Line], list[str]]:
    """The masthead band read black on white: its line, or a warning when it is no body's name."""
    assert header.masthead is not None
    left, top, right, bottom = header.masthead
    ink = header.red[top:bottom + 1, left:right + 1]
    crop = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
    read = run.lines(crop, _han_languages(languages), scale, 0, page)
    raw = " ".join(line.text for line in read)
    text = _SPACE_IN_HAN.sub("", raw).strip()
    shape = _MASTHEAD_SHAPE.fullmatch(text)
    if shape is None or not bundled_cues().org_suffix.search(shape.group("name")):
        if not text:
            return [], []
        return [], [f"the red masthead read by OCR ({text!r}) does not look like a body's name: left out"]
    height = (bottom - top + 1) / scale
    line = Line(text=text, x0=left / scale, x1=(right + 1) / scale, top=top / scale, bottom=(bottom + 1) / scale,
                size=height, page=page, role="header", ocr=True, first_word=height)
    return [line], []


def _han_languages(languages: str) -> str:
    """The Chinese models of ``languages`` (all of them when there is none): a header line
    holds Han characters and digits, which a Latin model reads as letters."""
    han = [name for name in languages.split("+") if name.startswith("chi_")]
    return "+".join(han) or languages


# ---- Tesseract --------------------------------------------------------------------------------

@dataclass
class _Runner:
    """Runs Tesseract on pictures of one page, saved in ``folder``."""

    tesseract: str
    folder: Path
    page: int
    source_file: str
    doc_id: str
    runs: int = 0

    def lines(self, image: Image.Image, languages: str, scale: float, top: int, page: int) -> list[Line]:
        """The lines of ``image``, a crop of the page starting at pixel row ``top``; nothing
        when it holds nothing dark."""
        if image.width == 0 or image.height == 0 or not has_ink(image):
            return []
        padded = Image.new("L", (image.width + 2 * _PAD, image.height + 2 * _PAD), 255)
        padded.paste(image.convert("L"), (_PAD, _PAD))
        self.runs += 1
        png = self.folder / f"page-{self.page}-{self.runs}.png"
        padded.save(png)
        tsv = self._run(png, languages)
        return _ocr_lines(tsv, scale, page, dx=-_PAD, dy=top - _PAD)

    def _run(self, png: Path, languages: str) -> str:
        """Tesseract's TSV output (one row per word, with its box) for one picture."""
        try:
            done = subprocess.run([self.tesseract, str(png), "stdout", "-l", languages, "--psm", "6", "tsv"],
                                  capture_output=True, timeout=_OCR_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(self.source_file, f"OCR of page {self.page} took longer than "
                                                  f"{_OCR_TIMEOUT_SECONDS} s", self.doc_id) from exc
        stderr = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            if "Failed loading language" in stderr or "Error opening data file" in stderr:
                raise NeedsOcrError(self.source_file, f"tesseract has no data for the languages {languages!r}: "
                                                      f"{OCR_INSTALL}", self.doc_id)
            last = stderr.splitlines()[-1] if stderr else f"exit status {done.returncode}"
            raise DocumentError(self.source_file, f"OCR of page {self.page} failed: tesseract: {last}", self.doc_id)
        return done.stdout.decode("utf-8", "replace")


def _ocr_lines(tsv: str, scale: float, page: int, dx: int = 0, dy: int = 0) -> list[Line]:
    """Tesseract's words grouped by its line numbers, with boxes moved by (``dx``, ``dy``)
    pixels and converted to points."""
    words: dict[tuple[str, str, str], list[tuple[float, float, float, float, str]]] = defaultdict(list)
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (float(v) for v in cols[6:10])
        left, top, width, height = (left + dx) / scale, (top + dy) / scale, width / scale, height / scale
        words[(cols[2], cols[3], cols[4])].append((left, left + width, top, top + height, cols[11].strip()))
    lines = []
    for group in words.values():
        group.sort()
        text = "".join(w[4] if i == 0 or not (narrow(group[i - 1][4][-1]) and narrow(w[4][0])) else " " + w[4]
                       for i, w in enumerate(group))
        size = statistics.median(w[3] - w[2] for w in group)
        first = group[0][1] - group[0][0]
        lines.append(Line(text=text, x0=group[0][0], x1=max(w[1] for w in group), top=min(w[2] for w in group),
                          bottom=max(w[3] for w in group), size=size, page=page, ocr=True,
                          first_word=first if narrow(group[0][4][0]) else min(first, size)))
    return sorted(lines, key=lambda line: line.top)


def has_ink(image: Image.Image) -> bool:
    """Does the picture hold anything dark (else Tesseract has nothing to read)?"""
    darkest = image.convert("L").getextrema()[0]
    return isinstance(darkest, (int, float)) and darkest <= _INK


# ---- shapes OCR garbles -----------------------------------------------------------------------

def normalise_shapes(text: str) -> str:
    """``text`` with its 发文字号 and dates in their printed shape: 〔〕 around a 字号's year
    (GB/T 9704 prints no other bracket there), half-width digits, no spaces inside, 日 for 曰."""
    text = _OCR_DOC_NUMBER.sub(_doc_number, text)
    return _OCR_DATE.sub(_date, text)


def _doc_number(match: re.Match[str]) -> str:
    number = re.sub(r"\s", "", match.group("no"))
    return f"{match.group('code')}〔{_digits(match.group('year'))}〕{_digits(number)}号"


def _date(match: re.Match[str]) -> str:
    year, month, day = (_digits(match.group(k)) for k in ("y", "m", "d"))
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return match.group()  # not a date after all: left as read
    return f"{year}年{int(month)}月{int(day)}日"


def _digits(text: str) -> str:
    """Full-width digits as ASCII ones."""
    return unicodedata.normalize("NFKC", text)


def _normalised(lines: list[Line]) -> list[Line]:
    """The lines in page order, their 字号 and date shapes normalised."""
    for line in lines:
        line.text = normalise_shapes(line.text)
    return sorted(lines, key=lambda line: (line.role != "header", line.top))
