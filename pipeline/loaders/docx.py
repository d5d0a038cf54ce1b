"""Word documents: .docx read with lxml; .doc and .wps converted by LibreOffice.

The body is read in document order, paragraphs and tables alike. Word's automatic list
numbers (一、 （一） 1. generated from ``numbering.xml``) are written into the text, as a
reader sees them; each table row becomes a row `Paragraph` with its cells on the table's
column grid (a merged cell repeated in every column and row it covers). Text boxes follow
the paragraph that anchors them. Footnotes and endnotes come after the body as ``注1：…``
paragraphs (their reference marks add nothing to the body text); the words of page headers
and footers come last as furniture, once each, and header lines without a word in them
(a page-number field such as ``— PAGE —``) are dropped.

A file that is not a Word package fails with a `PackageError` that says what it is (another
ZIP, a damaged ZIP, an encrypted file or a legacy .doc). Reading is bounded whatever the
file: only the parts read for text are inflated (the document, its numbering, styles, notes,
headers and footers, the relationships and content types; never images), through a reader
that stops at ``Settings.max_unpacked_bytes`` in all, whatever the ZIP directory declares
(an XML element counts as at least `_ELEMENT_BYTES`);
the XML parser loads no DTD, expands no entity and nests at most 256 levels; the walkers stop
at ``max_nesting_depth`` levels and once the text (merged cells and list numbers as
repeated) passes ``max_text_chars``. Each limit raises a `LimitExceededError` naming its
setting. A legacy file is converted only if it is an OLE compound file holding a Word
document (a ``WordDocument`` stream with a Word header), with LibreOffice's Word filter named,
so that LibreOffice never falls back to importing the bytes as plain text.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from pipeline.errors import ConversionError, LimitExceededError, PackageError, UnsupportedFormatError
from pipeline.loaders.base import CELL_LINE_BREAK, Paragraph, TextBudget, build_document, document_id, sha256_of
from pipeline.model import Document
from pipeline.settings import Settings

#: Seconds LibreOffice may take to convert one .doc or .wps file.
CONVERT_TIMEOUT = 120.0
#: Entries a .docx package may have. Word writes a few dozen parts (a few thousand with many
#: images); reading the ZIP directory of 500,000 entries alone takes seconds and 270 MB.
MAX_PARTS = 10_000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_PART = "word/document.xml"
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".emf", ".wmf")
#: Elements whose content is not part of the visible text of a paragraph.
_NOT_TEXT = {W + "pPr", W + "rPr", W + "del", W + "moveFrom", W + "delText", W + "instrText", W + "delInstrText",
             W + "sdtPr", W + "sdtEndPr", W + "fldData", W + "rt", _MC + "Fallback"}
#: Tags the walkers test for, spelled out once (they are compared for every element).
_PARAGRAPH, _TABLE, _RUN, _SYM, _TEXT_BOX = W + "p", W + "tbl", W + "r", W + "sym", W + "txbxContent"
_TEXT = {W + "t", _M + "t"}
_REFERENCES = {W + "footnoteReference", W + "endnoteReference"}
_VANISH = f"{W}rPr/{W}vanish"
_BOLD = f"{W}rPr/{W}b"
_BREAKS = {W + "br": "\n", W + "cr": "\n", W + "tab": "\t", W + "ptab": "\t", W + "noBreakHyphen": "-"}
_NOTES = ((RT.FOOTNOTES, "footnote", "注"), (RT.ENDNOTES, "endnote", "尾注"))
#: The parts read besides the document: relationship type → how many (the first, or all).
_RELATED = (RT.NUMBERING, RT.STYLES, RT.FOOTNOTES, RT.ENDNOTES, RT.HEADER, RT.FOOTER)
_PLACEHOLDER = re.compile(r"%([1-9])")
_WORD = re.compile(r"\w")
#: A list number ending in a Chinese or enclosed character (一、 （一） ①) is joined to its text;
#: others (1. (1)) keep a space, so that "1." before "5项" does not read as 1.5.
_CJK_END = re.compile("[\u2460-\u24ff\u3000-\u9fff\uff00-\uffef]$")
_LEVELS = 9
#: Characters of a list level's number text (``lvlText``, such as "（%2）") that are read.
_MAX_LEVEL_TEXT = 255
#: Word allows at most 63 columns; a larger span is damage (or a memory attack).
_MAX_COLUMNS = 63
#: Bytes an XML element counts for at least against ``max_unpacked_bytes``: parsed, an element
#: costs lxml about 140 bytes and reading it a few µs, while Word writes 40-100 bytes of XML per
#: element; so 64 MiB of ``<w:p/>`` (11 million elements: 1.5 GB and a minute) is refused, and at
#: most a million elements (10 s at worst, as tiny tables) are read.
_ELEMENT_BYTES = 64
#: Elements libxml2 nests without ``huge_tree`` (which stays off): its limit, whatever the settings.
_XML_MAX_DEPTH = 256
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
#: The parser python-docx reads its own parts with (blank text between elements dropped), less
#: its element classes; the parts it knows are read with it, as before.
_OXML_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True, huge_tree=False,
                               load_dtd=False)
_OXML_TYPES = {CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_NUMBERING, CT.WML_STYLES}
_DOCTYPES = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))

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
    _check_container(data, source_file, doc_id)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        raise PackageError(source_file, f"truncated or damaged ZIP package ({exc})", doc_id) from exc
    with archive:
        if len(archive.infolist()) > MAX_PARTS:  # the end record understated them
            raise PackageError(source_file, f"the ZIP package has {len(archive.infolist()):,} entries; a Word "
                                            f"document has far fewer (at most {MAX_PARTS:,} are read)", doc_id)
        package = _Package(archive, source_file, doc_id, settings)
        try:
            return _read_package(package, settings)
        # zipfile raises ValueError (a negative seek) and OSError on offsets a damaged directory gives
        except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, etree.LxmlError) as exc:
            raise PackageError(source_file, f"damaged Word package ({type(exc).__name__}: {exc})", doc_id) from exc


def _read_package(package: _Package, settings: Settings) -> tuple[list[Paragraph], list[str]]:
    """Find the document and the parts it relates to, check their size, then read them."""
    source, doc_id = package.source, package.doc_id
    if any(info.flag_bits & 0x1 for info in package.archive.infolist()):
        raise PackageError(source, "the ZIP package is password-protected", doc_id)
    main = package.main_part()
    if main not in package.names:
        raise PackageError(source, f"not a Word document: it is {_what_zip_is(package.archive)}", doc_id)
    content_type = package.content_type(main)
    if content_type is None:
        raise PackageError(source, f"damaged Word package: no content type for {main}", doc_id)
    if content_type != CT.WML_DOCUMENT_MAIN:
        if "macroEnabled" in content_type or "template" in content_type:
            raise PackageError(source, "a macro-enabled or template Word file (.docm, .dotx); "
                                       "save it as a Word Document (.docx)", doc_id)
        raise PackageError(source, f"damaged Word package: its main part has content type {content_type}", doc_id)
    related = package.related(main)
    package.check_declared([main, *(name for names in related.values() for name in names)])
    root = package.xml(main)
    body = root.find(W + "body")
    if body is None:
        raise PackageError(source, "the Word document has no body (Strict Open XML is not read; "
                                   "save it as a Word Document .docx)", doc_id)
    parts = {reltype: [package.xml(name) for name in names] for reltype, names in related.items()}
    numbering, styles = parts[RT.NUMBERING][:1], parts[RT.STYLES][:1]
    reader = _Reader(ListNumbering(numbering[0] if numbering else None, styles[0] if styles else None),
                     package.source, doc_id, settings)
    paragraphs = list(reader.blocks(body, depth=2))
    paragraphs += reader.notes({kind: parts[reltype] for reltype, kind, _ in _NOTES})
    paragraphs += reader.furniture(parts[RT.HEADER] + parts[RT.FOOTER])
    return paragraphs, sorted(reader.warnings)


# --- the package: what it is, and reading its parts within bounds --------------------------


def _check_container(data: bytes, source_file: str, doc_id: str) -> None:
    """Raise a `PackageError` unless ``data`` is a ZIP of at most `MAX_PARTS` entries."""
    if data.startswith(_OLE_MAGIC):
        raise PackageError(source_file, _ole_message(data), doc_id)
    if not data.startswith(b"PK"):
        raise PackageError(source_file, "not a Word document (not a ZIP package)" + _sniff(data), doc_id)
    entries, directory = _zip_directory_size(data)
    if entries > MAX_PARTS or directory > MAX_PARTS * 256:
        raise PackageError(source_file, f"the ZIP package has {entries:,} entries ({directory:,} bytes of "
                                        f"directory); a Word document has far fewer (at most {MAX_PARTS:,} "
                                        "are read)", doc_id)


def _zip_directory_size(data: bytes) -> tuple[int, int]:
    """Entries and bytes of the central directory a ZIP's end record declares (ZIP64 too);
    (0, 0) if there is no end record (zipfile then says what is wrong)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return 0, 0
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 <= len(data) and data[record:record + 4] == b"PK\x06\x06":
            entries64, size64 = struct.unpack_from("<QQ", data, record + 32)
            return max(entries, entries64), max(size, size64)
    return entries, size


class _Package:
    """The parts of an open Word package, inflated through a reader bounded by
    ``max_unpacked_bytes`` (the ZIP directory's sizes are checked first, then not trusted)."""

    def __init__(self, archive: zipfile.ZipFile, source: str, doc_id: str, settings: Settings) -> None:
        self.archive = archive
        self.source = source
        self.doc_id = doc_id
        self.settings = settings
        self.names = set(archive.namelist())
        self.unpacked = 0
        self._types: tuple[dict[str, str], dict[str, str]] | None = None

    def main_part(self) -> str:
        """The name of the main document part, from the package relationships (word/document.xml)."""
        if "_rels/.rels" not in self.names:
            return _MAIN_PART
        try:
            root = self.xml("_rels/.rels")
        except (PackageError, etree.LxmlError, zipfile.BadZipFile, zlib.error, EOFError):
            return _MAIN_PART
        for rel in root:
            kind, target = str(rel.get("Type", "")), str(rel.get("Target", ""))
            if kind.endswith("/officeDocument") and rel.get("TargetMode") != "External" and target:
                return posixpath.normpath(target.lstrip("/"))
        return _MAIN_PART

    def content_type(self, name: str) -> str | None:
        """A part's content type from ``[Content_Types].xml``: its override, else its extension's."""
        if self._types is None:
            root = self.xml("[Content_Types].xml")
            defaults = {str(el.get("Extension", "")).lower(): str(el.get("ContentType", ""))
                        for el in root if el.tag == _TYPES + "Default"}
            overrides = {str(el.get("PartName", "")).lower(): str(el.get("ContentType", ""))
                         for el in root if el.tag == _TYPES + "Override"}
            self._types = defaults, overrides
        defaults, overrides = self._types
        extension = posixpath.splitext(name)[1][1:].lower()
        return overrides.get("/" + name.lower(), defaults.get(extension))

    def related(self, source: str) -> dict[str, list[str]]:
        """Relationship type → names of the parts ``source`` relates to by it (the types in
        `_RELATED`; each part once, in name order)."""
        folder, filename = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", filename + ".rels")
        found: dict[str, set[str]] = {reltype: set() for reltype in _RELATED}
        for rel in self.xml(rels) if rels in self.names else ():
            reltype = str(rel.get("Type", ""))
            if rel.tag != _PKG_RELS + "Relationship" or reltype not in found or rel.get("TargetMode") == "External":
                continue
            found[reltype].add(posixpath.normpath(posixpath.join("/" + folder, str(rel.get("Target", ""))))[1:])
        return {reltype: sorted(names) for reltype, names in found.items()}

    def check_declared(self, names: list[str]) -> None:
        """Refuse, before anything is parsed, parts that are missing or that their ZIP
        directory says unpack beyond what is left of ``max_unpacked_bytes``."""
        limit = self.settings.max_unpacked_bytes
        sizes: dict[str, int] = {}
        for name in names:
            if name not in self.names:
                raise PackageError(self.source, f"damaged Word package: the part {name} it refers to is missing",
                                   self.doc_id)
            sizes[name] = self.archive.getinfo(name).file_size
        total = self.unpacked + sum(sizes.values())
        if total > limit:
            largest = max(sizes, key=lambda name: sizes[name])
            raise LimitExceededError(self.source, f"the parts read for text unpack to {total:,} bytes ({largest}: "
                                                  f"{sizes[largest]:,}; a possible ZIP bomb)", limit,
                                     "max_unpacked_bytes", self.doc_id)

    def read(self, name: str) -> bytes:
        """The bytes of a part, inflated at most to what is left of ``max_unpacked_bytes``."""
        info = self.archive.getinfo(name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(self.source, f"damaged Word package: {name} is compressed with method "
                                            f"{info.compress_type}, which Word never uses", self.doc_id)
        limit = self.settings.max_unpacked_bytes
        left = limit - self.unpacked
        if info.file_size > left:
            raise LimitExceededError(self.source, f"{name} unpacks to {info.file_size:,} bytes, after "
                                                  f"{self.unpacked:,} of other parts (a possible ZIP bomb)", limit,
                                     "max_unpacked_bytes", self.doc_id)
        with self.archive.open(info) as stream:  # zipfile stops at the declared size; this bound holds regardless
            blob = stream.read(min(left, info.file_size) + 1)
        if len(blob) > info.file_size:
            raise LimitExceededError(self.source, f"{name} unpacks to more than the {info.file_size:,} bytes "
                                                  "its ZIP directory declares (a ZIP bomb)", limit,
                                     "max_unpacked_bytes", self.doc_id)
        self.unpacked += len(blob)
        return blob

    def xml(self, name: str) -> Element:
        """The XML root of a part, parsed as python-docx would (without DTDs or entities)."""
        blob = self.read(name)
        elements = blob.count(b"<") - blob.count(b"</")  # start tags (and comments), without parsing
        self.unpacked += max(0, elements * _ELEMENT_BYTES - len(blob))
        if self.unpacked > self.settings.max_unpacked_bytes:
            raise LimitExceededError(self.source, f"{name} holds {elements:,} XML elements, each counted as at least "
                                                  f"{_ELEMENT_BYTES} bytes (a flood of empty elements)",
                                     self.settings.max_unpacked_bytes, "max_unpacked_bytes", self.doc_id)
        if any(doctype in blob for doctype in _DOCTYPES):
            raise PackageError(self.source, f"damaged Word package: {name} holds a DTD (<!DOCTYPE>), which Word "
                                            "never writes; refused (XML entities)", self.doc_id)
        parser = _OXML_PARSER if self._known_type(name) else _PARSER
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError as exc:
            if "Excessive depth" in str(exc):
                limit = min(self.settings.max_nesting_depth, _XML_MAX_DEPTH)
                raise LimitExceededError(self.source, f"{name} nests elements more than {_XML_MAX_DEPTH} deep "
                                                      "(the XML parser's own limit)", limit,
                                         "max_nesting_depth", self.doc_id) from exc
            raise
        if root.getroottree().docinfo.internalDTD is not None:
            raise PackageError(self.source, f"damaged Word package: {name} holds a DTD, which Word never writes",
                               self.doc_id)
        return root

    def _known_type(self, name: str) -> bool:
        """Is the part of a type python-docx parses itself (document, header, numbering…)?"""
        return self._types is not None and self.content_type(name) in _OXML_TYPES


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


def _what_zip_is(package: zipfile.ZipFile) -> str:
    """Describe a ZIP without a Word document part: a workbook, a presentation, images…"""
    names = [info.filename for info in package.infolist() if not info.is_dir()]
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx), not a Word document"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx), not a Word document"
    info = package.getinfo("mimetype") if "mimetype" in names else None
    if info is not None and info.file_size < 200 and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with package.open(info) as stream:
            mimetype = stream.read(200).decode("ascii", "replace").strip()
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
    text = level.text
    for digit in sorted(set(_PLACEHOLDER.findall(text))):
        n = int(digit) - 1
        other = levels.get(n, _Level())
        count = counters[n]
        # no number format writes a "%", so one replacement cannot make another placeholder
        text = text.replace("%" + digit, format_counter(other.start if count is None else count,
                                                        "decimal" if level.legal else other.fmt))
    return text


def _level(lvl: Element) -> _Level:
    restart = _val(lvl, "lvlRestart")
    legal = lvl.find(W + "isLgl")
    return _Level(start=_int(_val(lvl, "start"), 1), fmt=_val(lvl, "numFmt") or "decimal",
                  text=(_val(lvl, "lvlText") or "")[:_MAX_LEVEL_TEXT], restart=None if restart is None else _int(restart, 0),
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
    """Walks one document: blocks in order, table rows, notes and furniture.

    ``depth`` is an element's depth in its part (the body is at 2); deeper than the setting
    ``max_nesting_depth`` is refused. The characters produced (list numbers included, merged
    cells counted in every column and row they cover) are counted against ``max_text_chars``.
    """

    def __init__(self, numbering: ListNumbering, source: str, doc_id: str, settings: Settings) -> None:
        self.numbering = numbering
        self.warnings: set[str] = set()
        self._source = source
        self._doc_id = doc_id
        self._max_depth = settings.max_nesting_depth
        self._budget = TextBudget(settings, source, doc_id)
        self._tables = 0
        #: Notes cited, in order: (id, numbered); a note with a custom mark (*) takes no number.
        self._notes: dict[str, list[tuple[str, bool]]] = {"footnote": [], "endnote": []}
        self._cited: dict[str, set[str]] = {"footnote": set(), "endnote": set()}

    def blocks(self, container: Element, flat: bool = False, depth: int = 1) -> Iterator[Paragraph]:
        """Paragraphs and table rows of a body, cell, text box or content control (at ``depth``),
        in order; ``flat``: a table row as one line of text (in a cell, a header) rather than a row."""
        self._check_depth(depth + 1)
        for child in container:
            if child.tag == _PARAGRAPH:
                yield from self._paragraph(child, flat, depth + 1)
            elif child.tag == _TABLE:
                yield from self._table(child, flat, depth + 1)
            elif child.tag in (W + "sdt", W + "customXml", _MC + "AlternateContent"):
                inner, inner_depth = (child.find(W + "sdtContent"), depth + 2) if child.tag == W + "sdt" else (child, depth + 1)
                if child.tag == _MC + "AlternateContent":
                    inner, inner_depth = child.find(_MC + "Choice"), depth + 2
                if inner is not None:
                    yield from self.blocks(inner, flat, inner_depth)
            elif child.tag == W + "altChunk":
                self.warnings.add("embedded alternative content (altChunk: imported HTML or RTF) is not read")

    def lines(self, container: Element, depth: int = 1) -> list[str]:
        """The text of ``container`` one line per paragraph, a table row's cells on one line."""
        return [para.text for para in self.blocks(container, True, depth)]

    def notes(self, parts: dict[str, list[Element]]) -> list[Paragraph]:
        """Footnotes, then endnotes (from the parts of each kind), in the order the body cites them: 注1：…"""
        out: list[Paragraph] = []
        for _, kind, label in _NOTES:
            notes = {str(n.get(W + "id")): n for root in parts[kind] for n in root.iter(W + kind)
                     if n.get(W + "type") in (None, "normal")}
            number = 0
            for note_id, numbered in self._notes[kind]:
                number += numbered
                note = notes.get(note_id)
                lines = [line.strip() for line in self.lines(note, _depth(note))] if note is not None else []
                lines = [line for line in lines if line]
                if lines:
                    out.append(Paragraph(f"{label}{number if numbered else ''}：{lines[0]}"))
                    out.extend(Paragraph(line) for line in lines[1:])
        return out

    def furniture(self, roots: list[Element]) -> list[Paragraph]:
        """The words of page headers and footers (their part roots), once each, as furniture."""
        seen: set[str] = set()
        out: list[Paragraph] = []
        for root in roots:
            for line in self.lines(root):
                line = line.strip()
                if _WORD.search(line) and line not in seen:
                    seen.add(line)
                    out.append(Paragraph(line, role="furniture"))
        return out

    def _paragraph(self, p: Element, flat: bool, depth: int) -> list[Paragraph]:
        """A paragraph with its list number, then the content of the text boxes it anchors."""
        pieces: list[str] = []
        boxes: list[tuple[Element, int]] = []
        bold: list[tuple[int, int]] = []
        self._collect(p, pieces, boxes, depth + 1, bold)
        prefix = self.numbering.prefix(p)
        text = "".join(pieces)
        self._budget.spend(len(prefix) + len(text))  # a number is counted even on an empty paragraph: it was rendered
        emphasis = [piece for a, b in bold if (piece := "".join(pieces[a:b])).strip()]
        out = [Paragraph(prefix + text, emphasis=emphasis)] if text.strip() else []
        for box, box_depth in boxes:
            out.extend(self.blocks(box, flat, box_depth))
        return out

    def _collect(self, element: Element, pieces: list[str], boxes: list[tuple[Element, int]], depth: int,
                 bold: list[tuple[int, int]]) -> None:
        """Append the visible text under ``element`` (whose children are at ``depth``); text
        boxes go to ``boxes`` with their depth; the stretches of ``pieces`` that bold runs
        produced go to ``bold`` (neighbouring bold runs as one stretch)."""
        self._check_depth(depth)
        for child in element:
            tag = child.tag
            if tag == _RUN and not _hidden(child) and _bold(child):
                start = len(pieces)
                self._collect(child, pieces, boxes, depth + 1, bold)
                if bold and bold[-1][1] == start:
                    bold[-1] = (bold[-1][0], len(pieces))
                else:
                    bold.append((start, len(pieces)))
                continue
            if tag in _TEXT:
                pieces.append(child.text or "")
            elif tag in _BREAKS:
                pieces.append(_BREAKS[tag])
            elif tag == _SYM:
                pieces.append(_symbol(child))
            elif tag == _TEXT_BOX:
                boxes.append((child, depth))
            elif tag in _REFERENCES:
                self._cite(child)
            elif tag in _NOT_TEXT or (tag == _RUN and _hidden(child)):
                continue
            elif isinstance(tag, str):
                self._collect(child, pieces, boxes, depth + 1, bold)

    def _cite(self, reference: Element) -> None:
        """Note the order in which the body cites a footnote or endnote."""
        kind = "footnote" if reference.tag == W + "footnoteReference" else "endnote"
        note_id = str(reference.get(W + "id"))
        if note_id not in self._cited[kind]:
            self._cited[kind].add(note_id)
            numbered = reference.get(W + "customMarkFollows") not in ("1", "true", "on")
            self._notes[kind].append((note_id, numbered))

    def _table(self, tbl: Element, flat: bool, depth: int) -> list[Paragraph]:
        """One row paragraph per table row; a one-column table (a frame) as plain paragraphs, and
        a one-row table (a box of fields under an item: 牵头单位：A | 配合单位：B) as one paragraph
        per cell, as a page's <table> of one row is read."""
        rows = self._rows(tbl, depth)
        if flat or all(len(row) <= 1 for row, _ in rows):
            # read as paragraphs, a cell's lines are lines of text again
            return [Paragraph(" ".join(_dedupe(cell for cell in row if cell.strip())).replace(CELL_LINE_BREAK, "\n"),
                              emphasis=emphasis) for row, emphasis in rows]
        if len(rows) == 1:
            (row, emphasis), = rows
            return [Paragraph(cell.replace(CELL_LINE_BREAK, "\n"), emphasis=emphasis)
                    for cell in _dedupe(cell for cell in row if cell.strip())]
        index = self._tables
        self._tables += 1
        return [Paragraph(cells=row, table=index, emphasis=emphasis) for row, emphasis in rows]

    def _rows(self, tbl: Element, depth: int) -> list[tuple[list[str], list[str]]]:
        """Cell texts of each row on the table's column grid, merged cells repeated, and the
        pieces the row sets in bold."""
        rows: list[tuple[list[str], list[str]]] = []
        above: list[tuple[str, list[str]]] = []
        for tr, tr_depth in _children(tbl, W + "tr", depth + 1, self._check_depth):
            trpr = tr.find(W + "trPr")
            cells: list[tuple[str, list[str]]] = [("", [])] * _span(trpr, "gridBefore", 0)
            for tc, tc_depth in _children(tr, W + "tc", tr_depth + 1, self._check_depth):
                tcpr = tc.find(W + "tcPr")
                span = max(1, _span(tcpr, "gridSpan", 1))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
                if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                    cell = above[len(cells)] if len(cells) < len(above) else ("", [])
                    self._budget.spend(len(cell[0]) * span, _MERGED)
                elif hmerge is not None and hmerge.get(W + "val", "continue") == "continue" and cells:
                    cell = cells[-1]
                    self._budget.spend(len(cell[0]) * span, _MERGED)
                else:
                    paragraphs = [p for p in self.blocks(tc, True, tc_depth) if p.text.strip()]
                    # a cell's paragraphs and its manual line breaks (w:br) are lines the writer broke
                    lines = CELL_LINE_BREAK.join(p.text.replace("\n", CELL_LINE_BREAK) for p in paragraphs)
                    cell = (lines, [e for p in paragraphs for e in p.emphasis])
                    self._budget.spend(len(cell[0]) * (span - 1), _MERGED)  # its paragraphs were counted once
                cells.extend([cell] * span)
                if len(cells) > _MAX_COLUMNS:
                    break
            cells.extend([("", [])] * _span(trpr, "gridAfter", 0))
            cells = cells[:_MAX_COLUMNS]
            rows.append(([text for text, _ in cells], [e for _, pieces in cells for e in pieces]))
            above = cells
        return rows

    def _check_depth(self, depth: int) -> None:
        if depth > self._max_depth:
            raise LimitExceededError(self._source, f"the document nests elements {depth} deep", self._max_depth,
                                     "max_nesting_depth", self._doc_id)

#: Why a document's text can exceed the limit while its file is small.
_MERGED = " (a merged cell counted in every cell it covers)"


def _depth(element: Element) -> int:
    """The depth of an element in its tree (the root is at 1)."""
    return sum(1 for _ in element.iterancestors()) + 1


def _children(element: Element, tag: str, depth: int, check: Callable[[int], None]) -> Iterator[tuple[Element, int]]:
    """Children named ``tag`` with their depth (``depth`` for a direct child), looking through
    content controls and custom XML wrappers."""
    check(depth)
    for child in element:
        if child.tag == tag:
            yield child, depth
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _children(content, tag, depth + 2, check)
        elif child.tag == W + "customXml":
            yield from _children(child, tag, depth + 1, check)


def _span(props: Element | None, name: str, default: int) -> int:
    """A column count from table properties (gridSpan, gridBefore), kept within Word's grid."""
    value = _val(props, name) if props is not None else None
    return max(0, min(_int(value, default), _MAX_COLUMNS))


def _bold(run: Element) -> bool:
    """Is a run set in bold (``w:b`` in its own properties)?"""
    weight = run.find(_BOLD)
    return weight is not None and _on(weight)


def _hidden(run: Element) -> bool:
    """Is a run hidden text (``w:vanish``)?"""
    vanish = run.find(_VANISH)
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
    """Refuse bytes LibreOffice would read as plain text: a .doc is OLE, RTF or (Word) HTML
    (an OLE file is looked into once LibreOffice is known to be there, by `_word_filter`)."""
    head = data[:1024].lstrip().lower()
    if data.startswith(_OLE_MAGIC) or head.startswith((b"{\\rtf", b"<html", b"<!doctype html", b"<?xml")):
        return
    raise PackageError(source_file, f"not a Word {suffix} file (neither an OLE compound file, RTF nor "
                                    f"Word HTML){_sniff(data)}", document_id(sha256_of(data)))


def _word_filter(data: bytes, source_file: str, suffix: str) -> str | None:
    """The LibreOffice import filter of an OLE file that holds a Word document (Kingsoft WPS
    writes the same format); a `PackageError` saying what the file is otherwise."""
    doc_id = document_id(sha256_of(data))
    try:
        ole = _Ole(data)
        streams = ole.streams
        fib = ole.read("WordDocument", 12) if "WordDocument" in streams else b""
    except _OleError as exc:
        raise PackageError(source_file, "not a Word document: it starts like a Word 97-2003 file, but its OLE "
                                        f"structure is damaged ({exc})", doc_id) from exc
    if "WordDocument" not in streams:
        if suffix == ".wps" and "CONTENTS" in streams:
            return "MS_Works"  # a Microsoft Works document: read by LibreOffice's Works filter, not guessed
        raise PackageError(source_file, f"not a Word document: {_what_ole_is(streams)}", doc_id)
    if len(fib) < 12 or struct.unpack_from("<H", fib)[0] != 0xA5EC:
        raise PackageError(source_file, "not a Word document: its WordDocument stream does not start with a Word "
                                        "file header (damaged)", doc_id)
    n_fib, flags = struct.unpack_from("<H", fib, 2)[0], struct.unpack_from("<H", fib, 10)[0]
    if flags & 0x0100:
        raise PackageError(source_file, "the Word document is password-protected; remove the password in Word "
                                        "(or WPS) and save it again", doc_id)
    if n_fib < 0xC1:
        return None  # Word 6.0 or 95: LibreOffice recognises the version by its header
    table = "1Table" if flags & 0x0200 else "0Table"
    if table not in streams:
        raise PackageError(source_file, f"not a Word document: a Word header without its {table} stream (damaged)",
                           doc_id)
    return "MS Word 97"


def _what_ole_is(streams: dict[str, tuple[int, int]]) -> str:
    """What an OLE compound file without a WordDocument stream is, from its streams."""
    if "Workbook" in streams or "Book" in streams:
        return "it is an Excel 97-2003 workbook (.xls)"
    if "PowerPoint Document" in streams:
        return "it is a PowerPoint 97-2003 presentation (.ppt)"
    if "EncryptedPackage" in streams:
        return "it is a password-protected Office document; remove the password and save it again"
    names = sorted(name for name in streams if name.isprintable())
    shown = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    return f"an OLE compound file without a WordDocument stream ({shown or 'no streams'})"


class _OleError(Exception):
    """The OLE structure is damaged."""


_END_OF_CHAIN = 0xFFFFFFFE
_MAX_SECTOR = 0xFFFFFFFA


class _Ole:
    """Just enough of an OLE compound file (MS-CFB) to list its streams and read a stream's
    first bytes: header, FAT (through the DIFAT), directory, mini stream."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise _OleError("shorter than its header")
        order, shift, mini_shift = struct.unpack_from("<HHH", data, 0x1C)
        major = struct.unpack_from("<H", data, 0x1A)[0]
        if order != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
            raise _OleError("bad header")
        self.data = data
        self.size = 1 << shift
        self.sectors = (len(data) - 1) // self.size  # after the header, the last one possibly short
        fat_count, self.first_dir = struct.unpack_from("<II", data, 0x2C)
        self.cutoff, _, _, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)
        if fat_count > self.sectors or difat_count > self.sectors:
            raise _OleError("more FAT sectors than the file has")
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        per_sector = self.size // 4
        for index, sector in enumerate(self._walk(first_difat, self._next_difat)):
            if index >= difat_count:
                break
            difat += struct.unpack_from(f"<{per_sector - 1}I", self._sector(sector))
        fat_sectors = difat[:fat_count]
        if any(sector >= self.sectors for sector in fat_sectors):
            raise _OleError("a FAT sector beyond the end of the file")
        fat_bytes = b"".join(self._sector(sector) for sector in fat_sectors)
        self.fat = struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes)
        self.streams = self._directory()

    def _directory(self) -> dict[str, tuple[int, int]]:
        """Name → (first sector, size) of the streams in the root storage (where LibreOffice
        looks for WordDocument), and as "" the root's mini stream."""
        directory = b"".join(self._sector(sector) for sector in self._chain(self.first_dir))
        entries = [struct.unpack_from("<64sHBxIII16xIQQIQ", directory, offset)
                   for offset in range(0, len(directory) - 127, 128)]
        if not entries or entries[0][2] != 5:
            raise _OleError("no root storage")
        found: dict[str, tuple[int, int]] = {"": self._place(entries[0])}
        pending, seen = [entries[0][5]], set()  # the root's children: a tree of siblings
        while pending:
            index = pending.pop()
            if index >= len(entries) or index in seen:
                continue
            seen.add(index)
            raw, length, kind, left, right, *_ = entries[index]
            pending += [left, right]
            if kind == 2 and 2 <= length <= 64 and length % 2 == 0:
                found.setdefault(raw[:length - 2].decode("utf-16-le", "replace"), self._place(entries[index]))
        return found

    def _place(self, entry: tuple[Any, ...]) -> tuple[int, int]:
        """(first sector, size) of a directory entry; version 3 leaves the high half of the size undefined."""
        start, size = entry[9], entry[10]
        return start, size & 0xFFFFFFFF if self.size == 512 else size

    def read(self, name: str, count: int) -> bytes:
        """The first ``count`` bytes (at most 64) of a stream."""
        start, size = self.streams[name]
        count = min(count, size, 64)
        if size >= self.cutoff:
            return self._sector(start)[:count] if start < self.sectors else b""
        root_start, _ = self.streams.get("", (_END_OF_CHAIN, 0))
        offset = start * 64  # a mini sector's place in the mini stream, itself a chain of sectors
        for index, sector in enumerate(self._chain(root_start)):
            if index == offset // self.size:
                return self._sector(sector)[offset % self.size:][:count]
        return b""

    def _sector(self, sector: int) -> bytes:
        if sector >= self.sectors:
            raise _OleError(f"sector {sector} beyond the end of the file")
        start = (sector + 1) * self.size
        return self.data[start:start + self.size].ljust(self.size, b"\0")

    def _next_difat(self, sector: int) -> int:
        return int(struct.unpack_from("<I", self._sector(sector), self.size - 4)[0])

    def _chain(self, start: int) -> Iterator[int]:
        return self._walk(start, lambda sector: self.fat[sector] if sector < len(self.fat) else _END_OF_CHAIN)

    def _walk(self, sector: int, following: Callable[[int], int]) -> Iterator[int]:
        """The sectors of a chain, each at most once (a loop is damage)."""
        seen: set[int] = set()
        while sector <= _MAX_SECTOR:
            if sector in seen or sector >= self.sectors:
                raise _OleError("a broken sector chain")
            seen.add(sector)
            yield sector
            sector = following(sector)


def _convert_with_libreoffice(data: bytes, source_file: str, suffix: str) -> bytes:
    """Convert legacy Word bytes to .docx in a private temporary folder and profile; an OLE
    file only if it holds a Word document, with the Word import filter named (LibreOffice
    would otherwise fall back to reading unknown bytes as plain text)."""
    doc_id = document_id(sha256_of(data))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UnsupportedFormatError(source_file, f"{suffix} files are read through LibreOffice, which is not "
                                                  "installed: install Debian's libreoffice-writer-nogui to read "
                                                  ".doc/.wps files (or save the file as .docx)", doc_id)
    word_filter = _word_filter(data, source_file, suffix) if data.startswith(_OLE_MAGIC) else None
    with tempfile.TemporaryDirectory(prefix="policyflow-word-") as tmp:
        folder = Path(tmp)
        source, out = folder / f"source{suffix}", folder / "out"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", *([f"--infilter={word_filter}"] if word_filter else []),
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)]
        stderr = _run(command, source_file, doc_id)
        converted = out / "source.docx"
        if not converted.is_file():
            said = "\n".join(line for line in stderr.strip().splitlines() if "javaldx" not in line)
            raise ConversionError(source_file, f"LibreOffice could not convert the file: "
                                               f"{said[-300:] or 'no output'}", doc_id)
        return converted.read_bytes()


def _run(command: list[str], source_file: str, doc_id: str) -> str:
    """Run LibreOffice in a session of its own and return the end of its stderr. Whatever it
    leaves in its process group is killed when it exits, on timeout or on any error, while
    the leader is not yet reaped (so that its group id cannot have been reused)."""
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                   start_new_session=True)
        try:
            exited = _wait_unreaped(process.pid, CONVERT_TIMEOUT)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if not exited:
            raise ConversionError(source_file, f"LibreOffice took more than {CONVERT_TIMEOUT:.0f} s to "
                                               "convert the file", doc_id)
        stderr.seek(max(0, stderr.seek(0, io.SEEK_END) - 4096))
        return stderr.read().decode("utf-8", "replace")


def _wait_unreaped(pid: int, timeout: float) -> bool:
    """Wait until process ``pid`` exits, leaving it unreaped; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        if time.monotonic() > deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 0.2)
    return True
