"""Synthetic PDFs for the tests, written byte by byte: no font, no file, no network.

`PdfWriter` places text at exact positions in a CJK font that is not embedded but has a
ToUnicode map, so the text layer is exact and no font needs to be installed; `Layout` sets a
circular as GB/T 9704 does (A4, 28 mm / 26 mm side margins, 16 pt lines 28 pt apart, a
two-character first-line indent, — N — page numbers). `write_circular` is the three-page
circular the PDF loader tests read; `write_report` a longer one, with a title and 发文字号 on
page 1 and a distinct paragraph on every page (for damaged-file and thread tests).
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

A4 = (595.3, 841.9)
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, A4[0] - 26 * MM
BODY_TOP, PITCH, SIZE = 105.0, 28.0, 16.0
#: RC4 padding string of the PDF standard security handler.
PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


@dataclass
class Page:
    ops: list[str] = field(default_factory=list)


#: Fonts `PdfWriter.text` can set: name → (ascent, descent) in thousandths of an em. F1 is
#: the body font; F2 a font whose glyph boxes sit 0.8 em lower on the same baseline, as the
#: separate digit fonts of some typesetting systems do (form F13).
FONTS = {"F1": (880, -120), "F2": (80, -920)}


class PdfWriter:
    """A tiny PDF writer: text at exact positions in a non-embedded CJK font (full-width
    characters 1 em wide, Latin and digits half), ruling lines and filled bars, optional RC4
    encryption. Every font shares one character map; a font other than F1 is written only
    when used, so the bytes of a file set in F1 alone do not change."""

    def __init__(self, to_unicode: bool = True) -> None:
        self.pages: list[Page] = []
        self.cids: dict[str, int] = {}
        self.to_unicode = to_unicode
        self.fonts_used: set[str] = {"F1"}

    def new_page(self) -> Page:
        self.pages.append(Page())
        return self.pages[-1]

    @staticmethod
    def width(text: str, size: float = SIZE) -> float:
        return sum(size * (0.5 if ord(ch) < 0x2000 else 1.0) for ch in text)

    def text(self, page: Page, x: float, top: float, text: str, size: float = SIZE, font: str = "F1",
             bold: bool = False) -> None:
        """``text`` with its baseline 0.88 em below ``top`` (F1's ascent), whatever the font;
        ``bold`` draws it filled and stroked, as word processors embolden a regular font."""
        codes = "".join(f"{self.cids.setdefault(ch, len(self.cids) + 1):04X}" for ch in text)
        y = A4[1] - top - size * 0.88
        self.fonts_used.add(font)
        mode = " 2 Tr" if bold else ""
        page.ops.append(f"BT /{font} {size} Tf{mode} 1 0 0 1 {x:.2f} {y:.2f} Tm <{codes}> Tj ET")

    def marked_text(self, page: Page, x: float, top: float, text: str, size: float = SIZE) -> None:
        """``text`` where ``**…**`` marks the runs set in bold."""
        for i, piece in enumerate(text.split("**")):
            if piece:
                self.text(page, x, top, piece, size=size, bold=i % 2 == 1)
                x += self.width(piece, size)

    def rule(self, page: Page, x0: float, top: float, x1: float, bottom: float) -> None:
        page.ops.append(f"0.5 w {x0:.2f} {A4[1] - top:.2f} m {x1:.2f} {A4[1] - bottom:.2f} l S")

    def bar(self, page: Page, x0: float, top: float, x1: float, bottom: float) -> None:
        """A filled rectangle: how word processors draw table borders."""
        page.ops.append(f"{x0:.2f} {A4[1] - bottom:.2f} {x1 - x0:.2f} {bottom - top:.2f} re f")

    def build(self, user_password: str | None = None) -> bytes:
        objects: list[bytes] = []  # object n is objects[n - 1]

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(data: bytes) -> bytes:
            return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

        catalog, pages = add(b""), add(b"")
        widths = " ".join(f"{cid} [{500 if ord(ch) < 0x2000 else 1000}]" for ch, cid in self.cids.items())
        unicode_map = f" /ToUnicode {add(stream(self._cmap().encode()))} 0 R" if self.to_unicode else ""
        fonts = []
        for name in sorted(self.fonts_used):
            ascent, descent = FONTS[name]
            family = "TestSong" if name == "F1" else f"TestSong{name}"
            descriptor = add(f"<< /Type /FontDescriptor /FontName /{family} /Flags 4 /FontBBox [0 {descent} 1000 "
                             f"{ascent}] /ItalicAngle 0 /Ascent {ascent} /Descent {descent} /CapHeight 700 "
                             f"/StemV 80 >>".encode())
            cidfont = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{family} /CIDSystemInfo << /Registry "
                          f"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 "
                          f"/W [{widths}] /CIDToGIDMap /Identity >>".encode())
            font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{family} /Encoding /Identity-H "
                       f"/DescendantFonts [{cidfont} 0 R]{unicode_map} >>".encode())
            fonts.append(f"/{name} {font} 0 R")
        empty = add(stream(b""))
        kids = []
        for page in self.pages:
            content = add(stream("\n".join(page.ops).encode())) if page.ops else empty
            kids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] "
                            f"/Resources << /Font << {' '.join(fonts)} >> >> /Contents {content} 0 R >>".encode()))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
        objects[pages - 1] = f"<< /Type /Pages /Count {len(kids)} /Kids [{' '.join(f'{k} 0 R' for k in kids)}] >>".encode()
        file_id = hashlib.md5(b"policyflow-test").digest()
        encrypt = b""
        if user_password is not None:
            key, owner, user = self._rc4_keys(user_password, file_id)
            objects = [self._encrypt(n, body, key) for n, body in enumerate(objects, 1)]
            encrypt = b" /Encrypt %d 0 R" % add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"
                                               + owner.hex().encode() + b"> /U <" + user.hex().encode() + b"> >>")
        ids = b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
        return assemble(objects, root=catalog, trailer=ids + encrypt, version=b"1.4")

    def _cmap(self) -> str:
        entries = list(self.cids.items())
        blocks = []
        for i in range(0, len(entries), 100):
            chunk = entries[i:i + 100]
            pairs = "\n".join(f"<{cid:04X}> <{ord(ch):04X}>" for ch, cid in chunk)
            blocks.append(f"{len(chunk)} beginbfchar\n{pairs}\nendbfchar")
        return ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) "
                "/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def "
                "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" + "\n".join(blocks)
                + "\nendcmap CMapName currentdict /CMap defineresource pop end end")

    @staticmethod
    def _rc4_keys(password: str, file_id: bytes) -> tuple[bytes, bytes, bytes]:
        """Standard security handler, revision 2 (40-bit RC4): the file key, /O and /U."""
        padded = (password.encode("latin-1") + PAD)[:32]
        owner = rc4(hashlib.md5(padded).digest()[:5], padded)
        key = hashlib.md5(padded + owner + (-4).to_bytes(4, "little", signed=True) + file_id).digest()[:5]
        return key, owner, rc4(key, PAD)

    @staticmethod
    def _encrypt(number: int, body: bytes, key: bytes) -> bytes:
        if b"stream\n" not in body:
            return body
        head, rest = body.split(b"stream\n", 1)
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00").digest()[:10]
        return head + b"stream\n" + rc4(object_key, rest[: -len(b"\nendstream")]) + b"\nendstream"


class Layout:
    """Sets a circular as GB/T 9704 does, one line at a time, on `PdfWriter` pages."""

    def __init__(self, writer: PdfWriter, running_head: str | None = None) -> None:
        self.writer, self.running_head = writer, running_head
        self.page = writer.new_page()
        self.top = BODY_TOP
        self._head()

    def _head(self) -> None:
        if self.running_head:
            self.writer.text(self.page, LEFT, 50, self.running_head, size=12)

    def paragraph(self, *lines: str, indent: int = 2, size: float = SIZE) -> None:
        """Lines of one paragraph, the first indented by ``indent`` characters; "" breaks the page."""
        for n, line in enumerate(lines):
            if line == "":
                self.break_page()
                continue
            self.writer.text(self.page, LEFT + (indent * size if n == 0 else 0), self.top, line, size)
            self.top += PITCH

    def centred(self, text: str, size: float = SIZE) -> None:
        self.writer.text(self.page, (LEFT + RIGHT - self.writer.width(text, size)) / 2, self.top, text, size)
        self.top += PITCH + (size - SIZE)

    def right(self, text: str) -> None:
        self.writer.text(self.page, RIGHT - self.writer.width(text), self.top, text)
        self.top += PITCH

    def table(self, columns: list[float], rows: list[list[str]], height: float = 24.0) -> None:
        """A ruled table of 12 pt text; a cell's lines (split at "\\n") 14 pt apart."""
        tops = [self.top + i * height for i in range(len(rows) + 1)]
        for top in tops:
            self.writer.rule(self.page, columns[0], top, columns[-1], top)
        for x in columns:
            self.writer.rule(self.page, x, tops[0], x, tops[-1])
        for top, row in zip(tops, rows, strict=False):
            for x, cell in zip(columns, row, strict=False):
                for n, line in enumerate(cell.split("\n")):
                    self.writer.marked_text(self.page, x + 4, top + 6 + 14 * n, line, size=12)
        self.top = tops[-1] + PITCH / 2

    def page_number(self) -> None:
        number = f"— {len(self.writer.pages)} —"
        self.writer.text(self.page, (LEFT + RIGHT - self.writer.width(number, 14)) / 2, 788, number, size=14)

    def break_page(self) -> None:
        self.page_number()
        self.page = self.writer.new_page()
        self.top = BODY_TOP
        self._head()


TITLE = "某市人民政府关于做好汛期安全工作的通知"
PARA_A = ("为做好今年汛期安全工作，保障人民群众生命财产安全，",
          "经市政府同意，现将有关事项通知如下。")
# the second paragraph runs over the page break: its last line on page 1 fills the line
PARA_B = ("各区要严格落实以行政首长负责制为核心的防汛责任制，",
          "逐级明确防汛责任人，公布名单，接受社会监督。各有关部门要",
          "",
          "按照职责分工，密切配合，形成工作合力，确保汛期安全。")
# a full line ending in 。 followed by a flush-left outline item: the marker starts a paragraph
PARA_C = ("各街道组织力量对辖区危旧房屋、地下空间开展排查。对",
          "发现的隐患要建立台账，明确整改时限和责任人，按期整改。")
PARA_D = "（一）加强监测预警。气象、水务部门要加密监测，及时发布预警信息。"
COLUMNS = [LEFT - 5, LEFT + 40, LEFT + 300, RIGHT + 5]
TABLE_HEADER = ["序号", "重点任务", "牵头单位"]
IMPRINT_CC = "抄送：市委办公室，市人大常委会办公室，市政协办公室。"


def write_circular() -> bytes:
    """Three pages: header, a paragraph over the first page break, a table over the second, 版记."""
    writer = PdfWriter()
    layout = Layout(writer, running_head="某市人民政府公报")
    layout.centred(TITLE, size=22)
    layout.centred("某政发〔2024〕5号")
    layout.paragraph("各区人民政府，市政府各部门：", indent=0)
    layout.paragraph(*PARA_A)
    layout.paragraph("一、压实防汛责任")
    layout.paragraph(*PARA_B)
    layout.paragraph(*PARA_C)
    layout.paragraph(PARA_D[:27], PARA_D[27:], indent=0)
    layout.paragraph("二、抓好重点任务")
    layout.top = 640
    layout.table(COLUMNS, [TABLE_HEADER, ["1", "完善监测预警体系", "市应急局"], ["2", "加强河道巡查管护", "市水务局"]])
    layout.break_page()
    layout.table(COLUMNS, [TABLE_HEADER, ["3", "做好物资储备调运", "市发展改革委"]])
    layout.paragraph("各区要结合实际抓好落实。")
    layout.top += PITCH
    layout.right("某市人民政府")
    layout.right("2024年5月6日")
    for top in (690, 720, 750):
        writer.rule(layout.page, LEFT, top, RIGHT, top)
    writer.text(layout.page, LEFT + 14, 697, IMPRINT_CC, size=14)
    writer.text(layout.page, LEFT + 14, 727, "某市人民政府办公室", size=14)
    writer.text(layout.page, RIGHT - 14 - writer.width("2024年5月6日印发", 14), 727, "2024年5月6日印发", size=14)
    layout.page_number()
    return writer.build()


def image_only_pdf(text: str = "") -> bytes:
    """A page that is one picture (a scan): no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)
    if text:
        ImageDraw.Draw(image).text((150, 300), text, fill=0, font=ImageFont.load_default(size=56))
    else:
        ImageDraw.Draw(image).rectangle((150, 300, 1000, 340), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.new_page()
    return writer.build()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    Layout(writer).paragraph(*PARA_A)
    return writer.build(user_password="secret")


REPORT_TITLE = "某省人民政府办公厅关于加强安全生产工作的通知"
REPORT_NUMBER = "某政办发〔2024〕12号"
#: Clauses the report's pages are made of: every page a different mix, so no page repeats another.
CLAUSES = ("各地区各部门要把安全生产摆在突出位置，", "层层压实责任，", "健全隐患排查治理体系，",
           "加强重点行业领域监管执法，", "完善应急预案并组织演练，", "确保人民群众生命财产安全。",
           "市应急管理局牵头，", "各区人民政府配合，", "于2024年12月底前完成。")


def write_report(pages: int = 5, lines_per_page: int = 18) -> bytes:
    """A circular of ``pages`` pages: title and 发文字号 on page 1, then numbered sections whose
    paragraphs fill every page with about 400 distinct characters, a page number on each."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(REPORT_TITLE, size=22)
    layout.centred(REPORT_NUMBER)
    layout.paragraph("各市人民政府，省政府各部门：", indent=0)
    for number in range(1, pages + 1):
        if number > 1:
            layout.break_page()
        layout.paragraph(f"{CN_DIGITS[number % 10]}、第{number}项重点任务")
        line = 0
        while layout.top < BODY_TOP + lines_per_page * PITCH:
            line += 1
            text = f"第{number}页第{line}段：" + "".join(CLAUSES[(line + k * number) % len(CLAUSES)] for k in range(3))
            layout.paragraph(text[:24], text[24:50])
    layout.page_number()
    return writer.build()


CN_DIGITS = "〇一二三四五六七八九"


def assemble(objects: list[bytes], root: int = 1, trailer: bytes = b"", version: bytes = b"1.7") -> bytes:
    """A PDF of ``objects`` (object n is ``objects[n - 1]``, the catalog object ``root``) with a
    correct cross-reference table; ``trailer`` is added to the trailer dictionary."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, trailer, xref)
    return bytes(out)
