"""Hostile Word files, generated in code: ZIP bombs, a ZIP directory that lies, deep nesting,
markup that multiplies text, DTDs, and OLE files that are no Word document.

`hostile_files()` builds all of them (seeded; about a second and a few MB in memory: nothing
large is ever written to disk). A bomb is never inflated here: the deflate block of one
megabyte of markup is compressed once, with the compressor's history flushed, and repeated;
the ZIP and OLE containers are written by hand so that their directories can say what a test
needs them to say.
"""

from __future__ import annotations

import bz2
import functools
import random
import struct
import zlib
from dataclasses import dataclass

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
TAIL = "</w:body></w:document>"
CIRCULAR = "<w:p><w:r><w:t>各镇要于6月底前完成农村危房排查。</w:t></w:r></w:p>"
#: The size the document part of the big bomb unpacks to.
BOMB_BYTES = 10**9


# --- ZIP, written by hand --------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A ZIP member as stored: compressed bytes, their CRC-32 and the size the directory declares."""

    name: str
    raw: bytes
    crc: int
    size: int
    method: int = 8  # 0 stored, 8 deflate, 12 bzip2


def _deflate(data: bytes, final: bool = True) -> bytes:
    """Raw deflate of ``data``; not final: ends in a full flush, so that pieces compressed
    separately can be joined into one stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def member(name: str, data: bytes | str) -> Member:
    blob = data.encode() if isinstance(data, str) else data
    return Member(name, _deflate(blob), zlib.crc32(blob), len(blob))


def stored(name: str, data: str) -> Member:
    blob = data.encode()
    return Member(name, blob, zlib.crc32(blob), len(blob), method=0)


def repeated(name: str, head: str | bytes, unit: str | bytes, count: int, tail: str | bytes,
             declared: int | None = None) -> Member:
    """A member that inflates to ``head + unit * count + tail`` without that ever being built:
    the deflate block of ``unit`` is computed once and repeated. ``declared``: the size the ZIP
    directory states instead of the true one (the CRC stays that of the true data)."""
    first, middle, last = (piece.encode() if isinstance(piece, str) else piece for piece in (head, unit, tail))
    crc = zlib.crc32(first)
    for _ in range(count):
        crc = zlib.crc32(middle, crc)
    crc = zlib.crc32(last, crc)
    raw = _deflate(first, final=False) + _deflate(middle, final=False) * count + _deflate(last)
    size = len(first) + len(middle) * count + len(last)
    return Member(name, raw, crc, size if declared is None else declared)


def zip_bytes(members: list[Member]) -> bytes:
    """A ZIP archive (no ZIP64, at most 65,535 members) whose directory says what ``members`` say."""
    out, central = bytearray(), bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, m.method, 0, 0x21, m.crc, len(m.raw), m.size,
                           len(name), 0) + name + m.raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, m.method, 0, 0x21, m.crc, len(m.raw),
                               m.size, len(name), 0, 0, 0, 0, 0, offset) + name
    count = len(members)
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(out), 0))


def docx(body: str | Member, parts: list[Member] | None = None, rels: list[tuple[str, str]] | None = None,
         overrides: dict[str, str] | None = None) -> bytes:
    """A Word package: content types, the package relationship, ``word/document.xml`` (``body``
    inside ``w:body``, or a ready member) and the document's relationships ``(type, target)``
    (a type without a slash is one of officeDocument's: header, image…) to ``parts``."""
    document = body if isinstance(body, Member) else member("word/document.xml", HEAD + body + TAIL)
    types = "".join(f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in (overrides or {}).items())
    rel_lines = "".join(
        f'<Relationship Id="rId{n}" Type="{kind if "/" in kind else R_NS + "/" + kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(rels or [], 1))
    return zip_bytes([
        member("[Content_Types].xml",
               '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
               f'<Override PartName="/word/document.xml" ContentType="{CT_MAIN}"/>{types}</Types>'),
        member("_rels/.rels", f'<Relationships xmlns="{PKG_RELS_NS}"><Relationship Id="rId1" '
                              f'Type="{R_NS}/officeDocument" Target="word/document.xml"/></Relationships>'),
        document,
        member("word/_rels/document.xml.rels", f'<Relationships xmlns="{PKG_RELS_NS}">{rel_lines}</Relationships>'),
        *(parts or []),
    ])


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


#: About one megabyte of paragraphs, the repeated unit of the bombs.
MEGABYTE_OF_PARAGRAPHS = paragraph("a" * 4000) * 256


# --- OLE compound files, written by hand -------------------------------------------------------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def ole(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) with ``streams`` in its root
    storage; each stream of at least 4,096 bytes, so that none lives in the mini stream."""
    names = list(streams)
    dir_sectors = -(-(len(names) + 1) // 4)
    fat = [_FAT] + [n + 2 if n + 1 < dir_sectors else _END for n in range(dir_sectors)]
    starts: list[int] = []
    for name in names:
        assert len(streams[name]) >= 4096, "a small stream would belong in the mini stream"
        count = -(-len(streams[name]) // 512)
        starts.append(len(fat))
        fat += [len(fat) + n + 1 for n in range(count - 1)] + [_END]
    assert len(fat) <= 128, "one FAT sector only"
    fat += [_FREE] * (128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1 if name else 0, _FREE, right, child,
                           bytes(16), 0, 0, 0, start, size)

    directory = entry("Root Entry", 5, _FREE, 1 if names else _FREE, _END, 0)
    for n, name in enumerate(names):
        directory += entry(name, 2, n + 2 if n + 1 < len(names) else _FREE, _FREE, starts[n], len(streams[name]))
    directory += entry("", 0, _FREE, _FREE, 0, 0) * (dir_sectors * 4 - len(names) - 1)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", OLE_MAGIC, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0,
                         4096, _END, 0, _END, 0) + struct.pack("<109I", 0, *[_FREE] * 108)
    body = b"".join(streams[name] + bytes(-len(streams[name]) % 512) for name in names)
    return header + struct.pack("<128I", *fat) + directory + body


def fib(n_fib: int = 0xC1, flags: int = 0x0200) -> bytes:
    """The first bytes of a Word file information block: wIdent, nFib, unused, lid, pnNext, flags
    (0x0200: the table stream is 1Table; 0x0100: encrypted)."""
    return struct.pack("<HHHHHH", 0xA5EC, n_fib, 0, 0x0804, 0, flags)


# --- the hostile files ------------------------------------------------------------------------


def _nested_tables(depth: int) -> str:
    return "<w:tbl><w:tr><w:tc>" * depth + paragraph("最深处") + "</w:tc></w:tr></w:tbl>" * depth


def _merged_cells(rows: int, text_chars: int) -> str:
    """A table whose first cell spans 63 columns, and ``rows`` rows merged into it (vMerge): as
    a grid, every row repeats the cell's text 63 times."""
    span = '<w:gridSpan w:val="63"/>'
    first = f'<w:tr><w:tc><w:tcPr>{span}<w:vMerge w:val="restart"/></w:tcPr>{paragraph("长" * text_chars)}</w:tc></w:tr>'
    merged = f"<w:tr><w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"
    return f"<w:tbl>{first}{merged * rows}</w:tbl>"


def _numbering(level_text: str) -> Member:
    return member("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0">'
                                        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                                        f'<w:lvlText w:val="{level_text}"/></w:lvl></w:abstractNum>'
                                        f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def _numbered(text: str) -> str:
    return f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'


@functools.lru_cache(maxsize=1)
def _bzip2_zeros(size: int) -> tuple[bytes, int]:
    data = bytes(size)
    return bz2.compress(data, 9), zlib.crc32(data)


def _bzip2_member(name: str, size: int, declared: int) -> Member:
    """A bzip2 member (method 12) of ``size`` zeros, declared as ``declared`` bytes."""
    raw, crc = _bzip2_zeros(size)
    return Member(name, raw, crc, declared, method=12)


def hostile_files() -> dict[str, bytes]:
    """File name (its suffix picks the loader) → bytes of every hostile Word input."""
    rng = random.Random(7)
    files: dict[str, bytes] = {}
    unit = MEGABYTE_OF_PARAGRAPHS
    # ZIP bombs: the document part, honestly declared; a directory that says 20 kB; bzip2,
    # which zipfile inflates whole before it cuts to the declared size; many parts that add up;
    # an image that inflates to 1 GB (never read, as images are not parsed).
    files["bomb-document.docx"] = docx(repeated("word/document.xml", HEAD, unit, -(-BOMB_BYTES // len(unit)), TAIL))
    files["bomb-lying-directory.docx"] = docx(repeated("word/document.xml", HEAD, unit, 200, TAIL, declared=20_000))
    files["bomb-bzip2.docx"] = docx(_bzip2_member("word/document.xml", 20_000_000, declared=20_000))
    files["bomb-bzip2-mimetype.docx"] = zip_bytes([_bzip2_member("mimetype", 20_000_000, declared=40)])
    files["bomb-headers.docx"] = docx(
        paragraph("正文"), [repeated(f"word/header{n}.xml", f'<w:hdr xmlns:w="{W_NS}">', unit, 1, "</w:hdr>")
                          for n in range(80)],
        [("header", f"header{n}.xml") for n in range(80)])
    files["bomb-image.docx"] = docx(
        CIRCULAR, [repeated("word/media/image1.png", b"\x89PNG\r\n\x1a\n", bytes(1 << 20), BOMB_BYTES >> 20, b"")],
        [("image", "media/image1.png")])
    # Deep markup: tables nested 10,000 deep; content controls just inside the XML parser's
    # depth of 256.
    files["deep-tables.docx"] = docx(_nested_tables(10_000))
    files["deep-content-controls.docx"] = docx("<w:sdt><w:sdtContent>" * 120 + CIRCULAR + "</w:sdtContent></w:sdt>" * 120)
    # Markup that multiplies text: merged cells repeated over a 63-column grid; a list level
    # whose number is 100 kB of %1; 100,000 distinct footnote references; 60 MB of text;
    files["merged-cells.docx"] = docx(_merged_cells(20_000, 200_000))
    files["list-level-text.docx"] = docx(_numbered("各单位要落实。") * 5_000, [_numbering("%1" * 50_000)],
                                         [("numbering", "numbering.xml")])
    references = "".join(f'<w:r><w:footnoteReference w:id="{n}"/></w:r>' for n in range(100_000))
    files["footnote-references.docx"] = docx(f"<w:p><w:r><w:t>各单位要落实。</w:t></w:r>{references}</w:p>")
    files["text-flood.docx"] = docx(repeated("word/document.xml", HEAD, unit, 60, TAIL))
    # 60 MB of empty paragraphs: 10 million elements, which lxml would hold in 1.5 GB.
    files["element-flood.docx"] = docx(repeated("word/document.xml", HEAD, "<w:p/>" * 100_000, 100, TAIL))
    # XML with a DTD: entity expansion (billion laughs) and an external entity.
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    files["billion-laughs.docx"] = docx(member(
        "word/document.xml", f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY l0 "哈哈哈哈哈">{laughs}]>'
                             f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("&l9;")}</w:body></w:document>'))
    files["external-entity.docx"] = docx(member(
        "word/document.xml", f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                             f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("&x;")}</w:body></w:document>'))
    # Packages that are no Word document: a ZIP of images; 50,000 header parts.
    files["images.docx"] = zip_bytes([member(f"photo{n}.jpg", b"\xff\xd8\xff" + rng.randbytes(3000)) for n in range(5)])
    files["many-parts.docx"] = docx(
        paragraph("正文"), [stored(f"word/h{n}.xml", f'<w:hdr xmlns:w="{W_NS}">{paragraph(str(n))}</w:hdr>')
                          for n in range(50_000)], [("header", f"h{n}.xml") for n in range(50_000)])
    # Legacy Word: random bytes behind an OLE signature; OLE files that are not Word; a
    # WordDocument stream without a Word header.
    files["random-ole.doc"] = OLE_MAGIC + random.Random(7).randbytes(8192)
    files["random-ole.wps"] = OLE_MAGIC + rng.randbytes(8192)
    files["workbook.doc"] = ole({"Workbook": rng.randbytes(8192)})
    files["garbage-word-stream.doc"] = ole({"WordDocument": rng.randbytes(8192), "1Table": rng.randbytes(4096)})
    files["no-table-stream.wps"] = ole({"WordDocument": fib() + rng.randbytes(8180)})
    return files

