"""The PDF loader: lines joined into paragraphs, furniture kept apart, tables as rows, broken
files as typed errors.

The fixtures are PDFs written here byte by byte (`PdfWriter`): text placed at exact positions
in a CJK font that is not embedded but has a ToUnicode map, so the text layer is exact and no
font needs to be installed; the layout follows GB/T 9704 (A4, 28 mm / 26 mm side margins,
16 pt lines 28 pt apart, a two-character first-line indent, — N — page numbers).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from pipeline import DocumentError, EmptyDocumentError, Settings, Source, process_source
from pipeline.errors import NeedsOcrError
from pipeline.loaders.pdf import OCR_WARNING, load_pdf, repair_punctuation

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


class PdfWriter:
    """A tiny PDF writer: text at exact positions in a non-embedded CJK font (full-width
    characters 1 em wide, Latin and digits half), ruling lines, optional RC4 encryption."""

    def __init__(self, to_unicode: bool = True) -> None:
        self.pages: list[Page] = []
        self.cids: dict[str, int] = {}
        self.to_unicode = to_unicode

    def new_page(self) -> Page:
        self.pages.append(Page())
        return self.pages[-1]

    @staticmethod
    def width(text: str, size: float = SIZE) -> float:
        return sum(size * (0.5 if ord(ch) < 0x2000 else 1.0) for ch in text)

    def text(self, page: Page, x: float, top: float, text: str, size: float = SIZE) -> None:
        codes = "".join(f"{self.cids.setdefault(ch, len(self.cids) + 1):04X}" for ch in text)
        y = A4[1] - top - size * 0.88
        page.ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{codes}> Tj ET")

    def rule(self, page: Page, x0: float, top: float, x1: float, bottom: float) -> None:
        page.ops.append(f"0.5 w {x0:.2f} {A4[1] - top:.2f} m {x1:.2f} {A4[1] - bottom:.2f} l S")

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
        descriptor = add(b"<< /Type /FontDescriptor /FontName /TestSong /Flags 4 /FontBBox [0 -120 1000 880] "
                         b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
        cidfont = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry "
                      f"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 "
                      f"/W [{widths}] /CIDToGIDMap /Identity >>".encode())
        font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H "
                   f"/DescendantFonts [{cidfont} 0 R]{unicode_map} >>".encode())
        empty = add(stream(b""))
        kids = []
        for page in self.pages:
            content = add(stream("\n".join(page.ops).encode())) if page.ops else empty
            kids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {A4[0]} {A4[1]}] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
        objects[pages - 1] = f"<< /Type /Pages /Count {len(kids)} /Kids [{' '.join(f'{k} 0 R' for k in kids)}] >>".encode()
        file_id = hashlib.md5(b"policyflow-test").digest()
        encrypt = b""
        if user_password is not None:
            key, owner, user = self._rc4_keys(user_password, file_id)
            objects = [self._encrypt(n, body, key) for n, body in enumerate(objects, 1)]
            encrypt = b" /Encrypt %d 0 R" % add(b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <"
                                               + owner.hex().encode() + b"> /U <" + user.hex().encode() + b"> >>")
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for n, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, catalog, file_id.hex().encode(), file_id.hex().encode(), encrypt, xref)
        return bytes(out)

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
        """A ruled table, one 12 pt line per cell."""
        tops = [self.top + i * height for i in range(len(rows) + 1)]
        for top in tops:
            self.writer.rule(self.page, columns[0], top, columns[-1], top)
        for x in columns:
            self.writer.rule(self.page, x, tops[0], x, tops[-1])
        for top, row in zip(tops, rows, strict=False):
            for x, cell in zip(columns, row, strict=False):
                self.writer.text(self.page, x + 4, top + 6, cell, size=12)
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


@pytest.fixture(scope="module")
def circular():
    return load_pdf(write_circular(), "circular.pdf")


def lines_of(document, role=None):
    return [document.block_text(b) for b in document.blocks if role is None or b.role == role]


def test_pdf_body_is_read_in_order_with_lines_joined_into_paragraphs(circular):
    assert lines_of(circular, "body") == [
        TITLE, "某政发〔2024〕5号", "各区人民政府，市政府各部门：", "".join(PARA_A), "一、压实防汛责任",
        "".join(PARA_B), "".join(PARA_C), PARA_D, "二、抓好重点任务", "各区要结合实际抓好落实。",
        "某市人民政府", "2024年5月6日",
    ]


def test_pdf_paragraph_continues_across_the_page_break(circular):
    block = next(b for b in circular.blocks if circular.block_text(b) == "".join(PARA_B))
    assert block.page == 1
    assert circular.page_at(circular.text.index("确保汛期安全")) == 1  # one block, one page: where it starts


def test_pdf_every_block_has_its_page(circular):
    assert all(b.page is not None for b in circular.blocks)
    assert circular.page_at(circular.text.index(PARA_D)) == 2
    assert circular.page_at(circular.text.index("各区要结合实际")) == 3
    assert circular.page_at(circular.text.index(IMPRINT_CC)) == 3
    assert circular.page_at(circular.text.index(TITLE)) == 1


def test_pdf_page_numbers_running_heads_and_imprint_are_furniture(circular):
    furniture = lines_of(circular, "furniture")
    head = "某市人民政府公报"
    assert furniture == [head, "—1—", head, "—2—", head, IMPRINT_CC, "某市人民政府办公室\u30002024年5月6日印发", "—3—"]
    assert [b.page for b in circular.blocks if circular.block_text(b).startswith("—")] == [1, 2, 3]


def test_pdf_page_number_inside_a_paragraph_follows_the_paragraph(circular):
    lines = lines_of(circular)
    after = lines.index("".join(PARA_B)) + 1
    assert lines[after:after + 3] == ["—1—", "某市人民政府公报", "".join(PARA_C)]


def test_pdf_table_rows_are_cells_of_one_table_across_pages(circular):
    rows = [(b.page, b.table, [circular.text[s:e] for s, e in b.cells]) for b in circular.blocks if b.role == "table_row"]
    assert rows == [
        (2, 0, TABLE_HEADER),
        (2, 0, ["1", "完善监测预警体系", "市应急局"]),
        (2, 0, ["2", "加强河道巡查管护", "市水务局"]),
        (3, 0, ["3", "做好物资储备调运", "市发展改革委"]),  # the repeated header row is dropped
    ]
    assert "完善监测预警体系" not in "\n".join(lines_of(circular, "body"))


def test_pdf_table_between_paragraphs_keeps_its_reading_order(circular):
    lines = lines_of(circular)
    assert lines.index("二、抓好重点任务") < lines.index("序号\t重点任务\t牵头单位") < lines.index("各区要结合实际抓好落实。")


def test_pdf_second_table_on_a_later_page_gets_a_new_index():
    writer = PdfWriter()
    layout = Layout(writer)
    layout.table(COLUMNS, [TABLE_HEADER, ["1", "完善监测预警体系", "市应急局"]])
    layout.paragraph("以上任务请各单位按期完成，并报送进展情况。")
    layout.break_page()
    layout.table(COLUMNS[:3], [["附", "联系人名单"], ["1", "市应急局值班室"]])
    document = load_pdf(writer.build(), "two-tables.pdf")
    assert [b.table for b in document.blocks if b.role == "table_row"] == [0, 0, 1, 1]


def test_pdf_line_text_has_no_spaces_between_chinese_but_keeps_latin_words():
    writer = PdfWriter()
    page = writer.new_page()
    for n, ch in enumerate("通知"):  # letter-spaced: a third of a character between glyphs
        writer.text(page, LEFT + n * SIZE * 1.3, BODY_TOP, ch)
    writer.text(page, LEFT + 2 * SIZE, BODY_TOP + PITCH, "按照GB/T 9704-2012执行，做好公文排版。")
    writer.text(page, LEFT, BODY_TOP + 2 * PITCH, "国务院办公厅")  # joint signature: a wide gap
    writer.text(page, LEFT + 10 * SIZE, BODY_TOP + 2 * PITCH, "中央军委办公厅")
    for n, ch in enumerate("国务院文件"):  # a masthead spaced out by a character or more
        writer.text(page, LEFT + n * SIZE * 2.5, BODY_TOP + 3 * PITCH, ch)
    document = load_pdf(writer.build(), "spacing.pdf")
    assert document.text.split("\n") == ["通知", "按照GB/T 9704-2012执行，做好公文排版。", "国务院办公厅\u3000中央军委办公厅",
                                         "国务院文件"]


def test_pdf_overprinted_bold_title_is_read_once():
    writer = PdfWriter()
    page = writer.new_page()
    for dx in (0.0, 0.4, 0.8):  # a bold face faked by printing the title three times
        writer.text(page, LEFT + 3 * SIZE + dx, BODY_TOP, TITLE[:20])
    writer.text(page, LEFT + 2 * SIZE, BODY_TOP + PITCH, PARA_A[1])
    assert load_pdf(writer.build(), "bold.pdf").text.split("\n") == [TITLE[:20], PARA_A[1]]


def test_pdf_line_left_short_by_a_long_latin_word_goes_on():
    url = "www.gov.cn/zhengce/content/2019-01/25/index.htm"
    writer = PdfWriter()
    layout = Layout(writer)
    layout.paragraph("相关文件可在门户网站查阅，网址为", f"{url}。")
    layout.paragraph("请各单位认真贯彻执行。")
    document = load_pdf(writer.build(), "url.pdf")
    assert document.text.split("\n") == [f"相关文件可在门户网站查阅，网址为{url}。", "请各单位认真贯彻执行。"]


@pytest.mark.parametrize("number", ["— 3 —", "-3-", "第3页", "第 3 页 共 8 页", "— ３ —", "3/8"])
def test_pdf_page_number_forms_are_furniture(number):
    writer = PdfWriter()
    layout = Layout(writer)
    layout.paragraph(*PARA_A)
    writer.text(layout.page, (LEFT + RIGHT - writer.width(number, 14)) / 2, 788, number, size=14)
    document = load_pdf(writer.build(), "numbers.pdf")
    assert [b.role for b in document.blocks] == ["body", "furniture"]


def test_pdf_page_with_a_few_characters_is_read():
    writer = PdfWriter()
    layout = Layout(writer)
    layout.paragraph(*PARA_A)
    layout.break_page()
    layout.paragraph("（此件公开发布）")
    document = load_pdf(writer.build(), "short-last-page.pdf")
    assert document.text.split("\n")[-1] == "（此件公开发布）"
    assert document.warnings == []


def test_pdf_scanned_page_among_text_pages_is_a_warning():
    from pypdfium2 import PdfDocument

    writer = PdfWriter()
    Layout(writer).paragraph(*PARA_A)
    merged = PdfDocument(writer.build())
    merged.import_pages(PdfDocument(image_only_pdf()))
    buffer = io.BytesIO()
    merged.save(buffer)
    document = load_pdf(buffer.getvalue(), "part-scanned.pdf")
    assert document.text == "".join(PARA_A)
    assert any("pages 2 " in w and "tesseract-ocr" in w for w in document.warnings)


# ---- text-layer repair ----------------------------------------------------------------------

SENTENCES = ["各区要加强组织领导，明确责任分工，确保各项任务落实到位。",
             "各部门要密切配合，形成工作合力，及时报送工作进展情况。",
             "市应急局要会同有关部门加强督促检查，按季度通报进展情况。"]


def garble(texts, comma, stop):
    return [t.replace("，", comma).replace("。", stop) for t in texts]


def test_pdf_repair_letters_standing_for_comma_and_full_stop():
    repaired, warnings = repair_punctuation(garble(SENTENCES * 2, "в", "Ё"))
    assert repaired == SENTENCES * 2
    assert len(warnings) == 2
    assert all("repaired" in w for w in warnings)


def test_pdf_repair_leaves_real_letters_alone():
    texts = ["支持符合条件的企业发行A股，拓宽融资渠道。", "加快建设5G基站，推进X光机检测试点。"] * 6
    assert repair_punctuation(texts) == (texts, [])


def test_pdf_repair_two_letters_claiming_the_comma_are_reported_not_changed():
    texts = [t.replace("，", "в", 1).replace("，", "д") for t in SENTENCES * 3]
    repaired, warnings = repair_punctuation(texts)
    assert repaired == texts
    assert sorted(w.split("'")[1] for w in warnings) == ["в", "д"]
    assert all("not repaired" in w for w in warnings)


def test_pdf_repair_runs_on_the_text_layer():
    writer = PdfWriter()
    layout = Layout(writer)
    for sentence in garble(SENTENCES * 2, "в", "Ё"):
        layout.paragraph(sentence[:25], sentence[25:])
    document = load_pdf(writer.build(), "broken-font.pdf")
    assert document.text.split("\n") == SENTENCES * 2
    assert any("'в'" in w and "'，'" in w for w in document.warnings)


# ---- no text layer, and broken files --------------------------------------------------------

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


BROKEN = {
    # name → (bytes, status, words of the error)
    "scan.pdf": (image_only_pdf(), "needs_ocr", "tesseract-ocr-chi-sim"),
    "blank-pages.pdf": (blank_pdf(1500), "needs_ocr", "first 20 of 1500 pages"),
    "locked.pdf": (encrypted_pdf(), "failed", "encrypted"),
    "cut.pdf": (write_circular()[:6000], "failed", "truncated"),
    "damaged.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", "failed", "damaged"),
    "renamed.pdf": (b"PK\x03\x04" + b"\x00" * 200, "failed", "not a PDF"),
    "error-page.pdf": (b"<html><body>404 Not Found</body></html>", "failed", "not a PDF"),
}


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdfs")
    for name, (data, *_rest) in BROKEN.items():
        (folder / name).write_bytes(data)
    return folder


def test_pdf_loader_is_registered_for_the_pdf_suffix():
    from pipeline.loaders import LOADERS

    assert LOADERS.get(".pdf") == ("pdf", load_pdf), "register '.pdf' → load_pdf in pipeline/loaders/__init__.py"


@pytest.mark.parametrize("name", BROKEN)
def test_pdf_broken_file_gives_status_and_error_naming_the_file(name, broken_files, resources):
    _data, status, words = BROKEN[name]
    path = broken_files / name
    result = process_source(Source(path, str(path)), resources)
    assert (result.status, result.tasks) == (status, [])
    assert name in result.error
    assert words in result.error


def test_pdf_needs_ocr_error_says_what_to_install():
    with pytest.raises(NeedsOcrError, match=r"scan\.pdf") as raised:
        load_pdf(image_only_pdf(), "scan.pdf")
    assert raised.value.status == "needs_ocr"
    assert "tesseract-ocr" in str(raised.value) and "--ocr" in str(raised.value)


def test_pdf_ocr_without_tesseract_installed_needs_ocr(monkeypatch):
    monkeypatch.setattr("pipeline.loaders.pdf.shutil.which", lambda name: None)
    with pytest.raises(NeedsOcrError, match="not installed"):
        load_pdf(image_only_pdf(), "scan.pdf", Settings(ocr=True))


def test_pdf_many_blank_pages_with_ocr_on_are_empty(monkeypatch):
    monkeypatch.setattr("pipeline.loaders.pdf.shutil.which", lambda name: "/usr/bin/tesseract")
    with pytest.raises(EmptyDocumentError):  # no page has anything to recognise: tesseract never runs
        load_pdf(blank_pdf(300), "blank.pdf", Settings(ocr=True))


def test_pdf_more_pages_than_max_pages_is_refused():
    with pytest.raises(DocumentError, match="max_pages"):
        load_pdf(blank_pdf(5), "long.pdf", Settings(max_pages=4))


def test_pdf_glyphs_without_unicode_map_need_ocr():
    writer = PdfWriter(to_unicode=False)
    Layout(writer).paragraph(*PARA_A)
    with pytest.raises(NeedsOcrError, match="does not map its glyphs"):
        load_pdf(writer.build(), "no-tounicode.pdf")


@pytest.fixture
def tesseract() -> Iterator[str]:
    path = shutil.which("tesseract")
    if path is None:
        pytest.skip("tesseract is not installed (Debian: tesseract-ocr)")
    yield path


def test_pdf_ocr_reads_a_scanned_page(tesseract):
    document = load_pdf(image_only_pdf("Notice on flood safety"), "scan.pdf", Settings(ocr=True, ocr_languages="eng"))
    assert "flood safety" in document.text
    assert OCR_WARNING in document.warnings
    assert all(b.page == 1 for b in document.blocks)


def test_pdf_ocr_of_a_scanned_chinese_circular_page_yields_its_assignments(tesseract, resources):
    """A page of a real circular, rendered to an image (a scan), read by Tesseract's chi_sim
    and extracted like any PDF. The rendition is read from the shared corpus, not copied."""
    import subprocess

    import pypdfium2
    from conftest import SHARED

    from pipeline import process_document

    source = SHARED / "corpus" / "pdf" / "gov-05.pdf"
    if not source.is_file():
        pytest.skip("the shared corpus is not beside the project")
    if "chi_sim" not in subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True).stdout:
        pytest.skip("Tesseract has no chi_sim data (Debian: tesseract-ocr-chi-sim)")
    page = pypdfium2.PdfDocument(str(source))[2]  # the page with the first numbered tasks
    image = page.render(scale=300 / 72).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, "PDF", resolution=300)
    document = load_pdf(scan.getvalue(), "scan.pdf", Settings(ocr=True))
    assert OCR_WARNING in document.warnings
    result = process_document(document, resources)
    leads = [t.assignment.lead.surface for t in result.tasks if t.assignment and t.assignment.lead]
    assert len(leads) >= 3
    assert "海关总署" in leads
