"""The PDF loader: lines joined into paragraphs, furniture kept apart, tables as rows, broken
files as typed errors.

The fixtures are PDFs written byte by byte by `pdfgen` (`PdfWriter`, `Layout`): text placed at
exact positions in a CJK font that is not embedded but has a ToUnicode map, so the text layer
is exact and no font needs to be installed; the layout follows GB/T 9704.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator

import pytest
from pdfgen import (
    BODY_TOP,
    COLUMNS,
    IMPRINT_CC,
    LEFT,
    PARA_A,
    PARA_B,
    PARA_C,
    PARA_D,
    PITCH,
    RIGHT,
    SIZE,
    TABLE_HEADER,
    TITLE,
    Layout,
    PdfWriter,
    blank_pdf,
    encrypted_pdf,
    image_only_pdf,
    write_circular,
)

from pipeline import DocumentError, EmptyDocumentError, Settings, Source, process_source
from pipeline.errors import NeedsOcrError
from pipeline.loaders.pdf import OCR_WARNING, load_pdf, repair_punctuation


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


def test_pdf_page_whose_content_breaks_off_is_named_in_a_warning():
    """An array never closed (one flipped byte turns ``1 0 0 1`` into ``1 0[0 1``) makes
    both parsers swallow the rest of the page: what was read is kept, the loss is named."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.paragraph(*PARA_A)
    layout.page.ops.append("[0 1")
    layout.paragraph(*PARA_C)
    document = load_pdf(writer.build(), "broken-content.pdf")
    assert document.text == "".join(PARA_A)
    assert any("page 1 breaks off (an array is never closed)" in w for w in document.warnings)


def test_pdf_characters_set_one_per_text_object_in_a_font_without_glyphs_are_read():
    """pdfium leaves out a text object without width: one character alone, in a font that is
    not embedded and that the substitute font has no glyph for. pdfplumber reads that page."""
    writer = PdfWriter()
    page = writer.new_page()
    for n, ch in enumerate(TITLE):
        writer.text(page, LEFT + n * SIZE * 1.2, BODY_TOP, ch)
    writer.text(page, LEFT + 2 * SIZE, BODY_TOP + PITCH, PARA_A[1])
    assert load_pdf(writer.build(), "one-per-object.pdf").text.split("\n") == [TITLE, PARA_A[1]]


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


def test_pdf_text_layer_beyond_max_text_chars_is_refused_before_it_is_read():
    with pytest.raises(DocumentError, match=r"by page 2 .* \(setting max_text_chars\)"):
        load_pdf(write_circular(), "long.pdf", Settings(max_text_chars=300))


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
