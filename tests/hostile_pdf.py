"""Hostile PDFs, generated in code (seeded, small): damaged, lying, looping, nested, bombs.

`hostile_files()` maps a file name to its bytes. Each must be read in seconds and in bounded
memory, and come back with a non-ok status and an error a user understands, or ok with a
warning that tells what was lost. `MUTANT_SEEDS` are byte-flipped copies of `write_report`
that an earlier loader returned as ok, without a warning, with whole pages missing.
"""

from __future__ import annotations

import random
import zlib

from pdfgen import assemble, write_report

#: Seeds of `flip_bytes` mutants of ``write_report(5)`` that lost pages silently before the
#: loader compared pdfminer's pages with pdfium's (14, 55: a page missing from pdfminer's page
#: tree; 58, 99: a content stream that resolves to nothing; 116: pdfium sees the page blank).
MUTANT_SEEDS = (14, 55, 58, 99, 116)
#: Inflated size of the deflate bomb's content stream.
BOMB_BYTES = 896 * 1024 * 1024
#: How deep the nested arrays and dictionaries go.
NESTING = 100_000

_TEXT = b"BT /F1 12 Tf 72 720 Td (All departments shall report progress by the end of June.) Tj ET"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def flip_bytes(data: bytes, seed: int) -> bytes:
    """``data`` with 1 to 8 bytes at random places XORed with a random non-zero byte."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def one_page(content: bytes = _TEXT, page_extra: bytes = b"", count: int = 1, kids: bytes = b"3 0 R",
             mediabox: bytes = b"0 0 612 792", contents: bytes = b"4 0 R", more: tuple[bytes, ...] = ()) -> bytes:
    """Catalog 1, Pages 2, Page 3, content 4 (``content``: operators, or a whole object when
    it starts with "<<"), font 5, then ``more`` objects (6, 7, ...)."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources << /Font << /F1 5 0 R >>%s >> /Contents %s >>"
        % (mediabox, page_extra, contents),
        content if content.startswith(b"<<") else stream(content),
        _FONT,
        *more,
    ])


def deflate_bomb(size: int = BOMB_BYTES) -> bytes:
    """A zlib stream of ``size`` bytes (a multiple of the 896 KiB block) of drawing operators,
    about 1/500 of that compressed: one block compressed, repeated after full flushes."""
    block = b"0 0 m 1 1 l S\n" * (1 << 16)
    assert size % len(block) == 0
    packer = zlib.compressobj(9)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(size // len(block)):
        checksum = zlib.adler32(block, checksum)
    # an empty final block, then the Adler-32 of everything inflated
    return first + again * (size // len(block) - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")


def nested(depth: int, open_: bytes, close: bytes) -> bytes:
    return open_ * depth + close * depth


def truncated_with_eof() -> bytes:
    """Cut in the middle, then an %%EOF line pasted on: the cross-reference table is gone."""
    data = write_report(3)
    return data[: len(data) // 2] + b"\n%%EOF\n"


def hostile_files() -> dict[str, bytes]:
    """File name → bytes of every hostile PDF."""
    report = write_report(5)
    files = {f"flipped-{seed}.pdf": flip_bytes(report, seed) for seed in MUTANT_SEEDS}
    bomb = deflate_bomb()
    files.update({
        "truncated.pdf": report[: len(report) // 2],
        "truncated-with-eof.pdf": truncated_with_eof(),
        "million-pages.pdf": one_page(count=1_000_000),
        # the page tree's Kids hold the Pages node itself, then the page
        "page-tree-loop.pdf": one_page(kids=b"2 0 R 3 0 R"),
        # a page whose parent is a second Pages node whose kid is the first one again
        "page-tree-cycle.pdf": assemble([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 2 /Kids [6 0 R] >>",
            b"<< /Type /Page /Parent 6 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            stream(_TEXT),
            _FONT,
            b"<< /Type /Pages /Parent 2 0 R /Count 2 /Kids [3 0 R 2 0 R] >>",
        ]),
        "deep-arrays.pdf": one_page(page_extra=b" /Deep 6 0 R", more=(nested(NESTING, b"[", b"]"),)),
        "deep-dicts.pdf": one_page(page_extra=b" /Deep 6 0 R", more=(nested(NESTING, b"<< /A ", b">>"),)),
        "deep-content.pdf": one_page(content=_TEXT + b"\n" + nested(NESTING, b"[", b"]") + b" pop"),
        "deflate-bomb.pdf": one_page(content=stream(bomb, b" /Filter /FlateDecode")),
        "deflate-bomb-twice.pdf": one_page(content=stream(zlib.compress(bomb, 9),
                                                          b" /Filter [/FlateDecode /FlateDecode]")),
        # a form XObject that draws itself
        "form-recursion.pdf": one_page(
            content=_TEXT + b" /Fm0 Do",
            page_extra=b" /XObject << /Fm0 6 0 R >>",
            more=(stream(b"/Fm0 Do " + _TEXT, b" /Type /XObject /Subtype /Form /BBox [0 0 612 792] "
                                                b"/Resources << /XObject << /Fm0 6 0 R >> /Font << /F1 5 0 R >> >>"),)),
        # an image claiming 10^5 × 10^5 pixels from 100 bytes, beside the text
        "huge-image.pdf": one_page(
            content=_TEXT + b" q 100 0 0 100 72 72 cm /Im0 Do Q",
            page_extra=b" /XObject << /Im0 6 0 R >>",
            more=(stream(b"\x00" * 100, b" /Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                                        b"/ColorSpace /DeviceGray /BitsPerComponent 8"),)),
        # a page 10^6 points (350 m) square
        "huge-page.pdf": one_page(mediabox=b"0 0 1000000 1000000"),
        # the contents array holds itself
        "contents-loop.pdf": one_page(contents=b"6 0 R", more=(b"[6 0 R 4 0 R]",)),
        # the cross-reference table points every object at byte 0
        "xref-all-zero.pdf": _zero_xref(one_page()),
        "trailer-huge-size.pdf": one_page().replace(b"/Size 6 ", b"/Size 2147483647 "),
    })
    return files


def _zero_xref(data: bytes) -> bytes:
    head, tail = data.split(b"xref\n", 1)
    lines = tail.split(b"\n")
    lines = [b"0000000000 00000 n " if line.endswith(b" 00000 n ") else line for line in lines]
    return head + b"xref\n" + b"\n".join(lines)
