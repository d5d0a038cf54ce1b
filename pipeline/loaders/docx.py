"""Word documents: .docx read with python-docx and lxml; .doc and .wps converted by LibreOffice.

The body is read in document order, paragraphs and tables alike. Word's automatic list
numbers (一、 （一） 1. generated from ``numbering.xml``) are written into the text, as a
reader sees them; each table row becomes a row `Paragraph` with its cells on the table's
column grid (a merged cell repeated in every column and row it covers). Text boxes follow
the paragraph that anchors them. Footnotes and endnotes come after the body as ``注1：…``
paragraphs (their reference marks add nothing to the body text); the words of page headers
and footers come last as furniture, once each, and header lines without a word in them
(a page-number field such as ``— PAGE —``) are dropped.

A file that is not a Word package fails with a `PackageError` that says what it is (another
ZIP, a damaged ZIP, an encrypted file or a legacy .doc); a package that would unpack to more
than `UNPACK_FACTOR` × ``max_file_bytes`` is refused before anything is parsed.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import Part
from lxml import etree

from pipeline.errors import ConversionError, PackageError, UnsupportedFormatError
from pipeline.loaders.base import Paragraph, build_document, document_id, sha256_of
from pipeline.model import Document
from pipeline.settings import Settings

#: A package may unpack to at most this many times ``Settings.max_file_bytes``.
UNPACK_FACTOR = 20
#: Seconds LibreOffice may take to convert one .doc or .wps file.
CONVERT_TIMEOUT = 120.0

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_PART = "word/document.xml"
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".emf", ".wmf")
#: Elements whose content is not part of the visible text of a paragraph.
_NOT_TEXT = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "delInstrText",
             W + "sdtPr", W + "sdtEndPr", W + "fldData", W + "rt", _MC + "Fallback"}
_BREAKS = {W + "br": "\n", W + "cr": "\n", W + "tab": "\t", W + "ptab": "\t", W + "noBreakHyphen": "-"}
_NOTES = ((RT.FOOTNOTES, "footnote", "注"), (RT.ENDNOTES, "endnote", "尾注"))
_PLACEHOLDER = re.compile(r"%([1-9])")
_WORD = re.compile(r"\w")
#: A list number ending in a Chinese or enclosed character (一、 （一） ①) is joined to its text;
#: others (1. (1)) keep a space, so that "1." before "5项" does not read as 1.5.
_CJK_END = re.compile("[\u2460-\u24ff\u3000-\u9fff\uff00-\uffef]$")
_LEVELS = 9
#: Word allows at most 63 columns; a larger span is damage (or a memory attack).
_MAX_COLUMNS = 63
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

Element = Any  # lxml ships no type hints


def load_docx(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    """Read a .docx file: body paragraphs and table rows in order, list numbers, notes, furniture."""
    paragraphs, warnings = _read_docx(data, source_file, settings or Settings())
    return build_document(source_file, data, "docx", paragraphs, warnings=warnings)


def load_legacy_word(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    """Read a .doc or .wps file by converting it to .docx with LibreOffice (``soffice``).

    Without LibreOffice the file is unsupported (Debian: ``libreoffice-writer-nogui``). A
    .docx package saved under a legacy name is read directly.
    """
    settings = settings or Settings()
    suffix = PurePath(source_file).suffix.lower() or ".doc"
    if data.startswith(b"PK"):
        paragraphs, warnings = _read_docx(data, source_file, settings)
        return build_document(source_file, data, "docx", paragraphs,
                              warnings=[f"a .docx package named {suffix}; read as .docx", *warnings])
    _check_legacy(data, source_file, suffix)
    converted = _convert_with_libreoffice(data, source_file, suffix)
    paragraphs, warnings = _read_docx(converted, source_file, settings)
    return build_document(source_file, data, "other", paragraphs,
                          warnings=[f"converted from {suffix} by LibreOffice", *warnings])


def _read_docx(data: bytes, source_file: str, settings: Settings) -> tuple[list[Paragraph], list[str]]:
    """The paragraphs of a .docx package and the warnings met while reading it."""
    doc_id = document_id(sha256_of(data))
    _check_package(data, source_file, doc_id, settings)
    try:
        word = docx.Document(io.BytesIO(data))
        body = word.element.body
        if body is None:
            raise PackageError(source_file, "the Word document has no body (Strict Open XML is not read; "
                                            "save it as a Word Document .docx)", doc_id)
        reader = _Reader(ListNumbering(_first(word.part, RT.NUMBERING), _first(word.part, RT.STYLES)))
        paragraphs = list(reader.blocks(body))
        paragraphs += reader.notes(word.part)
        paragraphs += reader.furniture(word.part)
    except ValueError as exc:
        if "content type" in str(exc):
            raise PackageError(source_file, "a macro-enabled or template Word file (.docm, .dotx); "
                                            "save it as a Word Document (.docx)", doc_id) from exc
        raise PackageError(source_file, f"damaged Word package: {exc}", doc_id) from exc
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, zlib.error, EOFError, etree.LxmlError) as exc:
        raise PackageError(source_file, f"damaged Word package ({type(exc).__name__}: {exc})", doc_id) from exc
    return paragraphs, sorted(reader.warnings)


# --- the package: what it is, and whether it is safe to open -------------------------------


def _check_package(data: bytes, source_file: str, doc_id: str, settings: Settings) -> None:
    """Raise a `PackageError` unless ``data`` is a ZIP holding a Word document of bounded size."""
    if data.startswith(_OLE_MAGIC):
        raise PackageError(source_file, _ole_message(data), doc_id)
    if not data.startswith(b"PK"):
        raise PackageError(source_file, "not a Word document (not a ZIP package)" + _sniff(data), doc_id)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            main = _main_part(package)
            names = {info.filename for info in infos}
            if main not in names:
                raise PackageError(source_file, f"not a Word document: it is {_what_zip_is(package)}", doc_id)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise PackageError(source_file, f"truncated or damaged ZIP package ({exc})", doc_id) from exc
    if any(info.flag_bits & 0x1 for info in infos):
        raise PackageError(source_file, "the ZIP package is password-protected", doc_id)
    limit = UNPACK_FACTOR * settings.max_file_bytes
    main_size = next(info.file_size for info in infos if info.filename == main)
    total = sum(info.file_size for info in infos)
    for what, size in ((main, main_size), ("the package", total)):
        if size > limit:
            raise PackageError(source_file, f"{what} unpacks to {size:,} bytes, above the limit of {limit:,} "
                                            f"({UNPACK_FACTOR} × setting max_file_bytes): refused as a "
                                            f"possible ZIP bomb", doc_id)


def _ole_message(data: bytes) -> str:
    """What an OLE compound file under a .docx name is: encrypted, or a legacy .doc."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return ("encrypted or a legacy .doc, not a .docx package: it is a password-protected Word "
                "document; remove the password in Word and save it again")
    return ("encrypted or a legacy .doc, not a .docx package: it is a Word 97-2003 (OLE) file; "
            "name it .doc, or save it as .docx")


def _sniff(data: bytes) -> str:
    """A hint of what non-ZIP bytes are, for the error message."""
    head = data[:1024].lstrip().lower()
    for start, what in ((b"%pdf", "a PDF"), (b"{\\rtf", "an RTF file"), (b"<html", "an HTML page"),
                        (b"<!doctype html", "an HTML page"), (b"<?xml", "an XML file"), (b"\x89png", "a PNG image"),
                        (b"\xff\xd8\xff", "a JPEG image")):
        if head.startswith(start):
            return f": it is {what}"
    return ""


def _main_part(package: zipfile.ZipFile) -> str:
    """The name of the main document part, from the package relationships (word/document.xml)."""
    try:
        info = package.getinfo("_rels/.rels")
        if info.file_size > 1 << 20:
            return _MAIN_PART
        root = etree.fromstring(package.read(info), _PARSER)
    except (KeyError, etree.LxmlError):
        return _MAIN_PART
    for rel in root:
        kind, target = str(rel.get("Type", "")), str(rel.get("Target", ""))
        if kind.endswith("/officeDocument") and rel.get("TargetMode") != "External" and target:
            return posixpath.normpath(target.lstrip("/"))
    return _MAIN_PART


def _what_zip_is(package: zipfile.ZipFile) -> str:
    """Describe a ZIP without a Word document part: a workbook, a presentation, images…"""
    names = [info.filename for info in package.infolist() if not info.is_dir()]
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx), not a Word document"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx), not a Word document"
    if "mimetype" in names and package.getinfo("mimetype").file_size < 200:
        mimetype = package.read("mimetype").decode("ascii", "replace").strip()
        if mimetype == "application/vnd.oasis.opendocument.text":
            return "an OpenDocument text (.odt); save it as .docx"
        return f"a file of type {mimetype}"
    if "[Content_Types].xml" in names:
        return "an Office Open XML package without a Word document part"
    if not names:
        return "an empty ZIP archive"
    if all(name.lower().endswith(_IMAGE_SUFFIXES) for name in names):
        return f"a ZIP archive of {len(names)} image(s)"
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    return f"a ZIP archive of {len(names)} file(s) ({shown})"


def _first(part: Part, reltype: str) -> Element | None:
    """The XML of the first part related to ``part`` by ``reltype``, or None."""
    found = _related(part, reltype)
    return found[0] if found else None


def _related(part: Part, reltype: str) -> list[Element]:
    """The XML of every internal part related to ``part`` by ``reltype``, by part name."""
    targets = sorted((rel.target_part for rel in part.rels.values() if rel.reltype == reltype and not rel.is_external),
                     key=lambda target: str(target.partname))
    return [_xml(target) for target in targets]


def _xml(part: Part) -> Element:
    """The XML root of a part: python-docx's for the parts it knows, parsed here for the rest."""
    element = getattr(part, "element", None)
    return element if element is not None else etree.fromstring(part.blob, _PARSER)


# --- automatic list numbers -------------------------------------------------------------------


def _cn_number(digits: str, units: str) -> Callable[[int], str]:
    """A formatter of 1..9999 in Chinese counting with ``digits`` (零一…九) and ``units`` (十百千)."""

    def fmt(n: int) -> str:
        if not 0 < n < 10000:
            return str(n)
        out: list[str] = []
        gap = False
        for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
            digit = n // power % 10
            if digit == 0:
                gap = gap or bool(out)
                continue
            if gap:
                out.append(digits[0])
                gap = False
            out.append(digits[digit] + unit)
        text = "".join(out)
        return text[1:] if 10 <= n < 20 and digits[1] == "一" else text  # 十一, not 一十一

    return fmt


def _series(symbols: str) -> Callable[[int], str]:
    """A formatter that counts through ``symbols`` (甲乙丙…, ①②③…), decimal beyond them."""
    return lambda n: symbols[n - 1] if 0 < n <= len(symbols) else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _letter(n: int) -> str:
    """Word's letter numbering: a … z, then aa … zz, aaa …"""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


_CN_COUNTING = _cn_number("零一二三四五六七八九", "十百千")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CIRCLED = "".join(chr(c) for c in range(0x2460, 0x2474))
#: Word's ``numFmt`` values → formatter of a counter value; unknown formats count in decimal.
NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "ordinal": str,
    "cardinalText": str,
    "ordinalText": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULL_WIDTH),
    "decimalEnclosedCircle": _series(_CIRCLED),
    "decimalEnclosedCircleChinese": _series(_CIRCLED),
    "decimalEnclosedParen": _series("".join(chr(c) for c in range(0x2474, 0x2488))),
    "decimalEnclosedFullstop": _series("".join(chr(c) for c in range(0x2488, 0x249C))),
    "ideographEnclosedCircle": _series("".join(chr(c) for c in range(0x3280, 0x328A))),
    "chineseCounting": _CN_COUNTING,
    "chineseCountingThousand": _CN_COUNTING,
    "japaneseCounting": _CN_COUNTING,
    "taiwaneseCounting": _CN_COUNTING,
    "taiwaneseCountingThousand": _CN_COUNTING,
    "chineseLegalSimplified": _cn_number("零壹贰叁肆伍陆柒捌玖", "拾佰仟"),
    "ideographLegalTraditional": _cn_number("零壹貳參肆伍陸柒捌玖", "拾佰仟"),
    "ideographTraditional": _series("甲乙丙丁戊己庚辛壬癸"),
    "ideographZodiac": _series("子丑寅卯辰巳午未申酉戌亥"),
    "ideographDigital": lambda n: str(n).translate(str.maketrans("0123456789", "〇一二三四五六七八九")),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "none": lambda n: "",
    "bullet": lambda n: "",
}


def format_counter(value: int, fmt: str) -> str:
    """A list counter as Word prints it in number format ``fmt`` (3, chineseCounting → 三)."""
    return NUMBER_FORMATS.get(fmt, str)(value)


@dataclass(frozen=True)
class _Level:
    """One level of a list definition (``w:lvl``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    #: ``w:lvlRestart``: restart after a use of levels 1..restart; 0 never; None after any shallower level.
    restart: int | None = None
    legal: bool = False
    style: str | None = None
    suffix: str = "tab"


@dataclass
class _Num:
    """A list instance (``w:num``): its definition and the levels it overrides."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


@dataclass(frozen=True)
class _Style:
    based_on: str | None
    num_id: int | None
    ilvl: int | None


class ListNumbering:
    """Word's automatic list numbers: the 一、 （一） 1. that ``numbering.xml`` generates.

    Feed it every paragraph in document order (`prefix`); it resolves the paragraph's list
    (direct ``w:numPr``, else the paragraph style's, through ``basedOn``), advances the
    counters and renders the level's ``lvlText``. As in Word, counters belong to the list
    definition (``abstractNum``, after ``numStyleLink``), so list instances of one definition
    continue each other, and an instance with ``startOverride`` restarts the count the first
    time it is used; using a level resets the deeper levels (subject to ``lvlRestart``).
    """

    def __init__(self, numbering: Element | None = None, styles: Element | None = None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}
        self._nums: dict[int, _Num] = {}
        self._styles: dict[str, _Style] = {}
        self._default_style: str | None = None
        self._counters: dict[str, list[int | None]] = {}
        self._used: set[tuple[int, int]] = set()
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def prefix(self, paragraph: Element) -> str:
        """The list number of ``paragraph`` with the space Word puts after it, or ""; advances."""
        found = self._paragraph_list(paragraph)
        if found is None:
            return ""
        advanced = self._advance(*found)
        if advanced is None or not advanced[0]:
            return ""
        label, level = advanced
        return label if level.suffix == "nothing" or _CJK_END.search(label) else label + " "

    def next_label(self, num_id: int, ilvl: int = 0) -> str:
        """Advance list ``num_id`` at level ``ilvl`` and return its number as printed (一、)."""
        advanced = self._advance(num_id, ilvl)
        return advanced[0] if advanced else ""

    def _read_numbering(self, root: Element) -> None:
        for abstract in root.iter(W + "abstractNum"):
            key = str(abstract.get(W + "abstractNumId"))
            self._abstract[key] = {_int(lvl.get(W + "ilvl"), 0): _level(lvl) for lvl in abstract.iter(W + "lvl")}
            link = _val(abstract, "numStyleLink")
            if link:
                self._links[key] = link
        for num in root.iter(W + "num"):
            instance = _Num(abstract=str(_val(num, "abstractNumId")))
            for override in num.iter(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"), 0)
                start = _val(override, "startOverride")
                if start is not None:
                    instance.starts[ilvl] = _int(start, 1)
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    instance.levels[ilvl] = _level(lvl)
            self._nums[_int(num.get(W + "numId"), -1)] = instance

    def _read_styles(self, root: Element) -> None:
        for style in root.iter(W + "style"):
            if style.get(W + "type") not in (None, "paragraph"):
                continue
            style_id = str(style.get(W + "styleId", ""))
            num_pr = style.find(f"{W}pPr/{W}numPr")
            num_id = _val(num_pr, "numId") if num_pr is not None else None
            ilvl = _val(num_pr, "ilvl") if num_pr is not None else None
            self._styles[style_id] = _Style(_val(style, "basedOn"), None if num_id is None else _int(num_id, 0),
                                            None if ilvl is None else _int(ilvl, 0))
            if style.get(W + "default") in ("1", "true", "on"):
                self._default_style = style_id

    def _paragraph_list(self, paragraph: Element) -> tuple[int, int] | None:
        """(numId, ilvl) of a paragraph's list, or None when it is not in one."""
        ppr = paragraph.find(W + "pPr")
        style_id = (_val(ppr, "pStyle") if ppr is not None else None) or self._default_style
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        ilvl_val = _val(num_pr, "ilvl") if num_pr is not None else None
        ilvl = None if ilvl_val is None else _int(ilvl_val, 0)
        if num_id is not None:
            return (_int(num_id, 0), ilvl or 0) if _int(num_id, 0) else None
        inherited = self._style_list(style_id)
        if inherited is None:
            return None
        if ilvl is None:
            ilvl = inherited[1] if inherited[1] is not None else self._style_level(inherited[0], style_id)
        return inherited[0], ilvl

    def _style_list(self, style_id: str | None) -> tuple[int, int | None] | None:
        """(numId, ilvl or None) a paragraph style gives, through its ``basedOn`` chain."""
        ilvl: int | None = None
        for _ in range(16):
            style = self._styles.get(style_id or "")
            if style is None:
                return None
            ilvl = ilvl if ilvl is not None else style.ilvl
            if style.num_id is not None:
                return (style.num_id, ilvl) if style.num_id else None
            style_id = style.based_on
        return None

    def _style_level(self, num_id: int, style_id: str | None) -> int:
        """The level of a list whose ``w:pStyle`` names the style; 0 when none does."""
        num = self._nums.get(num_id)
        levels = self._definition(num)[1] if num else {}
        return next((ilvl for ilvl, level in levels.items() if style_id and level.style == style_id), 0)

    def _definition(self, num: _Num) -> tuple[str, dict[int, _Level]]:
        """The key of a list's counters and its levels, following ``numStyleLink``."""
        abstract = num.abstract
        for _ in range(4):
            linked = self._style_list(self._links.get(abstract))
            if linked is None or linked[0] not in self._nums:
                break
            abstract = self._nums[linked[0]].abstract
        return abstract, {**self._abstract.get(abstract, {}), **num.levels}

    def _advance(self, num_id: int, ilvl: int) -> tuple[str, _Level] | None:
        num = self._nums.get(num_id)
        if num is None or not 0 <= ilvl < _LEVELS:
            return None
        key, levels = self._definition(num)
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(key, [None] * _LEVELS)
        current = counters[ilvl]
        if ilvl in num.starts and (num_id, ilvl) not in self._used:
            counters[ilvl] = num.starts[ilvl]
        else:
            counters[ilvl] = level.start if current is None else current + 1
        self._used.add((num_id, ilvl))
        for deeper in range(ilvl + 1, _LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        return _render(level, levels, counters), level


def _render(level: _Level, levels: dict[int, _Level], counters: list[int | None]) -> str:
    """A level's ``lvlText`` with each %N replaced by level N's counter in its format."""
    if level.fmt == "bullet":
        return ""

    def value(match: re.Match[str]) -> str:
        n = int(match.group(1)) - 1
        other = levels.get(n, _Level())
        count = counters[n]
        return format_counter(other.start if count is None else count, "decimal" if level.legal else other.fmt)

    return _PLACEHOLDER.sub(value, level.text)


def _level(lvl: Element) -> _Level:
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(W + "isLgl")
    return _Level(start=_int(_val(lvl, "start"), 1), fmt=_val(lvl, "numFmt") or "decimal",
                  text=_val(lvl, "lvlText") or "", restart=None if restart is None else _int(restart, 0),
                  legal=legal is not None and _on(legal), style=_val(lvl, "pStyle"), suffix=_val(lvl, "suff") or "tab")


def _val(element: Element, child: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``w:<child>``."""
    found = element.find(W + child)
    if found is None:
        return None
    value = found.get(W + "val")
    return None if value is None else str(value)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _on(element: Element) -> bool:
    """Is an on/off property (``<w:vanish/>``, ``<w:isLgl w:val="0"/>``) on?"""
    return element.get(W + "val") not in ("0", "false", "off")


# --- the body -------------------------------------------------------------------------------


class _Reader:
    """Walks one document: blocks in order, table rows, notes and furniture."""

    def __init__(self, numbering: ListNumbering) -> None:
        self.numbering = numbering
        self.warnings: set[str] = set()
        self._tables = 0
        #: Notes cited, in order: (id, numbered); a note with a custom mark (*) takes no number.
        self._notes: dict[str, list[tuple[str, bool]]] = {"footnote": [], "endnote": []}

    def blocks(self, container: Element, flat: bool = False) -> Iterator[Paragraph]:
        """Paragraphs and table rows of a body, cell, text box or content control, in order;
        ``flat``: a table row as one line of text (in a cell, a header) rather than a row."""
        for child in container:
            if child.tag == W + "p":
                yield from self._paragraph(child, flat)
            elif child.tag == W + "tbl":
                yield from self._table(child, flat)
            elif child.tag in (W + "sdt", W + "customXml", _MC + "AlternateContent"):
                inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
                if child.tag == _MC + "AlternateContent":
                    inner = child.find(_MC + "Choice")
                if inner is not None:
                    yield from self.blocks(inner, flat)
            elif child.tag == W + "altChunk":
                self.warnings.add("embedded alternative content (altChunk: imported HTML or RTF) is not read")

    def lines(self, container: Element) -> list[str]:
        """The text of ``container`` one line per paragraph, a table row's cells on one line."""
        return [para.text for para in self.blocks(container, flat=True)]

    def notes(self, part: Part) -> list[Paragraph]:
        """Footnotes, then endnotes, in the order the body cites them: 注1：…"""
        out: list[Paragraph] = []
        for reltype, kind, label in _NOTES:
            notes = {str(n.get(W + "id")): n for root in _related(part, reltype) for n in root.iter(W + kind)
                     if n.get(W + "type") in (None, "normal")}
            number = 0
            for note_id, numbered in self._notes[kind]:
                number += numbered
                lines = [line.strip() for line in self.lines(notes[note_id])] if note_id in notes else []
                lines = [line for line in lines if line]
                if lines:
                    out.append(Paragraph(f"{label}{number if numbered else ''}：{lines[0]}"))
                    out.extend(Paragraph(line) for line in lines[1:])
        return out

    def furniture(self, part: Part) -> list[Paragraph]:
        """The words of page headers and footers, once each, as furniture."""
        seen: set[str] = set()
        out: list[Paragraph] = []
        for reltype in (RT.HEADER, RT.FOOTER):
            for root in _related(part, reltype):
                for line in self.lines(root):
                    line = line.strip()
                    if _WORD.search(line) and line not in seen:
                        seen.add(line)
                        out.append(Paragraph(line, role="furniture"))
        return out

    def _paragraph(self, p: Element, flat: bool) -> list[Paragraph]:
        """A paragraph with its list number, then the content of the text boxes it anchors."""
        pieces: list[str] = []
        boxes: list[Element] = []
        self._collect(p, pieces, boxes)
        prefix = self.numbering.prefix(p)
        text = "".join(pieces)
        out = [Paragraph(prefix + text)] if text.strip() else []
        for box in boxes:
            out.extend(self.blocks(box, flat))
        return out

    def _collect(self, element: Element, pieces: list[str], boxes: list[Element]) -> None:
        """Append the visible text under ``element``; text boxes go to ``boxes``."""
        for child in element:
            tag = child.tag
            if tag == W + "t" or tag == _M + "t":
                pieces.append(child.text or "")
            elif tag in _BREAKS:
                pieces.append(_BREAKS[tag])
            elif tag == W + "sym":
                pieces.append(_symbol(child))
            elif tag == W + "txbxContent":
                boxes.append(child)
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                self._cite(child)
            elif tag in _NOT_TEXT or (tag == W + "r" and _hidden(child)):
                continue
            elif isinstance(tag, str):
                self._collect(child, pieces, boxes)

    def _cite(self, reference: Element) -> None:
        """Note the order in which the body cites a footnote or endnote."""
        kind = "footnote" if reference.tag == W + "footnoteReference" else "endnote"
        note_id = str(reference.get(W + "id"))
        if all(note_id != cited for cited, _ in self._notes[kind]):
            numbered = reference.get(W + "customMarkFollows") not in ("1", "true", "on")
            self._notes[kind].append((note_id, numbered))

    def _table(self, tbl: Element, flat: bool) -> list[Paragraph]:
        """One row paragraph per table row; a one-column table (a frame) as plain paragraphs."""
        rows = self._rows(tbl)
        if flat or all(len(row) <= 1 for row in rows):
            return [Paragraph(" ".join(_dedupe(cell for cell in row if cell.strip()))) for row in rows]
        index = self._tables
        self._tables += 1
        return [Paragraph(cells=row, table=index) for row in rows]

    def _rows(self, tbl: Element) -> list[list[str]]:
        """Cell texts of each row on the table's column grid, merged cells repeated."""
        rows: list[list[str]] = []
        above: list[str] = []
        for tr in _children(tbl, W + "tr"):
            trpr = tr.find(W + "trPr")
            cells = [""] * _span(trpr, "gridBefore", 0)
            for tc in _children(tr, W + "tc"):
                tcpr = tc.find(W + "tcPr")
                span = max(1, _span(tcpr, "gridSpan", 1))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
                if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                    text = above[len(cells)] if len(cells) < len(above) else ""
                elif hmerge is not None and hmerge.get(W + "val", "continue") == "continue" and cells:
                    text = cells[-1]
                else:
                    text = "\n".join(line for line in self.lines(tc) if line.strip())
                cells.extend([text] * span)
                if len(cells) > _MAX_COLUMNS:
                    break
            cells.extend([""] * _span(trpr, "gridAfter", 0))
            rows.append(cells[:_MAX_COLUMNS])
            above = rows[-1]
        return rows


def _children(element: Element, tag: str) -> Iterator[Element]:
    """Children named ``tag``, looking through content controls and custom XML wrappers."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == W + "customXml":
            yield from _children(child, tag)


def _span(props: Element | None, name: str, default: int) -> int:
    """A column count from table properties (gridSpan, gridBefore), kept within Word's grid."""
    value = _val(props, name) if props is not None else None
    return max(0, min(_int(value, default), _MAX_COLUMNS))


def _hidden(run: Element) -> bool:
    """Is a run hidden text (``w:vanish``)?"""
    vanish = run.find(f"{W}rPr/{W}vanish")
    return vanish is not None and _on(vanish)


def _symbol(sym: Element) -> str:
    """A ``w:sym`` character unless it is a symbol-font glyph (private use area)."""
    raw = str(sym.get(W + "char", ""))
    code = int(raw, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,6}", raw) else 0
    return chr(code) if 0x20 <= code < 0xE000 or 0xF900 <= code <= 0x10FFFF else ""


def _dedupe(items: Iterable[str]) -> list[str]:
    """``items`` without consecutive repeats (a merged cell read once)."""
    out: list[str] = []
    for item in items:
        if not out or out[-1] != item:
            out.append(item)
    return out


# --- legacy Word through LibreOffice ----------------------------------------------------------


def _check_legacy(data: bytes, source_file: str, suffix: str) -> None:
    """Refuse bytes LibreOffice would read as plain text: a .doc is OLE, RTF or (Word) HTML."""
    head = data[:1024].lstrip().lower()
    if data.startswith(_OLE_MAGIC) or head.startswith((b"{\\rtf", b"<html", b"<!doctype html", b"<?xml")):
        return
    raise PackageError(source_file, f"not a Word {suffix} file (neither an OLE compound file, RTF nor "
                                    f"Word HTML){_sniff(data)}", document_id(sha256_of(data)))


def _convert_with_libreoffice(data: bytes, source_file: str, suffix: str) -> bytes:
    """Convert legacy Word bytes to .docx in a private temporary folder and profile."""
    doc_id = document_id(sha256_of(data))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnsupportedFormatError(source_file, f"{suffix} files are read through LibreOffice, which is not "
                                                  "installed: install Debian's libreoffice-writer-nogui to read "
                                                  ".doc/.wps files (or save the file as .docx)", doc_id)
    with tempfile.TemporaryDirectory(prefix="policyflow-word-") as tmp:
        folder = Path(tmp)
        source, out = folder / f"source{suffix}", folder / "out"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
        stderr = _run(command, source_file, doc_id)
        converted = out / "source.docx"
        if not converted.is_file():
            raise ConversionError(source_file, f"LibreOffice could not convert the file: "
                                               f"{stderr.strip()[-300:] or 'no output'}", doc_id)
        return converted.read_bytes()


def _run(command: list[str], source_file: str, doc_id: str) -> str:
    """Run LibreOffice in its own process group, killed whole on timeout; return its stderr."""
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(source_file, f"LibreOffice took more than {CONVERT_TIMEOUT:.0f} s to "
                                               "convert the file", doc_id) from exc
    return bytes(stderr).decode("utf-8", "replace")
