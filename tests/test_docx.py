"""Word loader: .docx bodies in document order with tables, Word list numbers, merged cells,
footnotes and furniture; broken packages with typed errors; .doc/.wps through LibreOffice.

Fixtures are built here with python-docx (and, where it has no API, by writing package parts
by hand) in the style of a city government circular written for these tests."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from lxml import etree

from pipeline import Settings, Source, UnsupportedFormatError, process_document, process_source
from pipeline import loaders as loader_table
from pipeline.errors import LimitExceededError, PackageError
from pipeline.loaders.docx import ListNumbering, format_counter, load_docx, load_legacy_word
from pipeline.structure import analyse

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = f'xmlns:w="{W_NS}"'
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


# --- building fixtures --------------------------------------------------------------------------


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """A copy of a package with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name not in parts:
                dst.writestr(name, src.read(name))
        for name, blob in parts.items():
            dst.writestr(name, blob)
    return out.getvalue()


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>')


def numbering_xml(abstracts: dict[int, str], nums: dict[int, tuple[int, str]]) -> bytes:
    """numbering.xml from abstractNum id → levels and numId → (abstractNum id, overrides)."""
    body = "".join(f'<w:abstractNum w:abstractNumId="{a}">{levels}</w:abstractNum>' for a, levels in abstracts.items())
    body += "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/>{over}</w:num>'
                    for n, (a, over) in nums.items())
    return f"<w:numbering {WNS}>{body}</w:numbering>".encode()


#: The outline of a circular as Word numbers it: 一、 （一） 1. （1）
OUTLINE_LEVELS = (lvl(0, "chineseCounting", "%1、", extra='<w:suff w:val="nothing"/>')
                  + lvl(1, "chineseCounting", "（%2）", extra='<w:suff w:val="nothing"/>')
                  + lvl(2, "decimal", "%3.") + lvl(3, "decimal", "(%4)"))


def numbered(document, text: str, num_id: int, ilvl: int = 0):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def lines(document) -> list[str]:
    return document.text.split("\n")


# --- order, tables ------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_come_in_document_order():
    word = docx.Document()
    word.add_paragraph("云岭市人民政府办公室关于做好春季森林防火工作的通知")
    word.add_paragraph("各县（市、区）人民政府，市政府各部门：")
    word.add_paragraph("现将春季森林防火重点工作安排如下。")
    table = word.add_table(rows=3, cols=3)
    for r, row in enumerate([("序号", "工作内容", "责任单位"), ("1", "开展林区火源排查。", "市林业局"),
                             ("2", "组织扑火队伍演练。", "市应急管理局")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    word.add_paragraph("请各地于4月底前报送工作总结。")
    doc = load_docx(saved(word), "fire.docx")
    assert lines(doc) == ["云岭市人民政府办公室关于做好春季森林防火工作的通知", "各县（市、区）人民政府，市政府各部门：",
                          "现将春季森林防火重点工作安排如下。", "序号\t工作内容\t责任单位", "1\t开展林区火源排查。\t市林业局",
                          "2\t组织扑火队伍演练。\t市应急管理局", "请各地于4月底前报送工作总结。"]
    rows = [b for b in doc.blocks if b.role == "table_row"]
    assert [b.table for b in rows] == [0, 0, 0]
    assert [doc.text[s:e] for s, e in rows[1].cells or []] == ["1", "开展林区火源排查。", "市林业局"]
    assert doc.format == "docx"
    assert all(b.page is None for b in doc.blocks)


def test_docx_merged_cells_are_repeated_on_the_column_grid():
    word = docx.Document()
    word.add_paragraph("重点任务分工表")
    table = word.add_table(rows=5, cols=3)
    for c, text in enumerate(("序号", "重点任务", "牵头单位")):
        table.cell(0, c).text = text
    table.cell(1, 0).merge(table.cell(1, 2)).text = "一、提升服务效能"  # gridSpan over three columns
    table.cell(2, 0).text, table.cell(2, 1).text = "1", "压缩企业开办时间。"
    table.cell(3, 0).text, table.cell(3, 1).text = "2", "推行证照联办。"
    table.cell(2, 2).merge(table.cell(3, 2)).text = "市政务服务局"  # vMerge over two rows
    table.cell(4, 0).text, table.cell(4, 1).text = "3", "建立企业诉求台账。"
    nested = table.cell(4, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "市工商联", "市商务局"
    after = word.add_table(rows=2, cols=2)
    after.cell(0, 0).text, after.cell(0, 1).text = "联系人", "李华"
    after.cell(1, 0).text, after.cell(1, 1).text = "电话", "0711-1234567"
    doc = load_docx(saved(word), "grid.docx")
    row_blocks = [b for b in doc.blocks if b.role == "table_row"]
    assert [b.table for b in row_blocks] == [0, 0, 0, 0, 0, 1, 1]  # the nested table takes no index
    rows = [[doc.text[s:e] for s, e in b.cells or []] for b in row_blocks[:-2]]
    assert rows == [["序号", "重点任务", "牵头单位"],
                    ["一、提升服务效能"] * 3,
                    ["1", "压缩企业开办时间。", "市政务服务局"],
                    ["2", "推行证照联办。", "市政务服务局"],
                    ["3", "建立企业诉求台账。", "市工商联 市商务局"]]


def test_docx_one_column_table_is_read_as_paragraphs():
    word = docx.Document()
    word.add_paragraph("关于加强安全生产检查的通知")
    frame = word.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "一、检查范围"
    frame.cell(0, 0).add_paragraph("全市危险化学品生产经营单位。")
    doc = load_docx(saved(word), "frame.docx")
    assert lines(doc) == ["关于加强安全生产检查的通知", "一、检查范围", "全市危险化学品生产经营单位。"]
    assert {b.role for b in doc.blocks} == {"body"}


def test_docx_one_row_table_of_fields_under_an_item_assigns_it(resources):
    # a box of fields under each task (牵头单位：A | 配合单位：B | 完成时限：…) is read as the
    # paragraphs of its cells, as a page's <table> of one row is: label lines under the item
    word = docx.Document()
    word.add_paragraph("关于印发企业服务专员重点任务的通知")
    word.add_paragraph("各局、办、中心：")
    word.add_paragraph("一、选派服务专员。为区内规模以上工业企业选派服务专员。")
    box = word.add_table(rows=1, cols=3)
    for cell, text in zip(box.rows[0].cells, ["牵头单位：党群工作部", "配合单位：经济发展局、各园区服务中心",
                                              "完成时限：2090年3月底前"], strict=True):
        cell.text = text
    word.add_paragraph("二、编制惠企政策清单。梳理各项惠企政策并推送至企业。")
    box = word.add_table(rows=1, cols=2)
    box.rows[0].cells[0].text, box.rows[0].cells[1].text = "牵头单位：经济发展局", "配合单位：—"
    result = process_document(load_docx(saved(word), "tasks.docx"), resources)
    assert [(t.text[:2], t.assignment.lead.surface, [d.surface for d in t.assignment.co], t.due and t.due.text)
            for t in result.tasks if t.assignment] == [
        ("一、", "党群工作部", ["经济发展局", "各园区服务中心"], "2090年3月底前"), ("二、", "经济发展局", [], None)]


# --- Word list numbers ------------------------------------------------------------------------


def test_docx_word_list_numbers_are_written_into_the_text():
    word = docx.Document()
    word.add_paragraph("云岭市促进夜间经济发展的实施意见")
    numbered(word, "总体要求", 1, 0)
    numbered(word, "指导思想", 1, 1)
    numbered(word, "发展目标", 1, 1)
    numbered(word, "到2026年，培育夜间消费集聚区10个。", 1, 2)
    numbered(word, "重点任务", 1, 0)
    numbered(word, "丰富夜间消费业态", 1, 1)
    numbered(word, "支持商场延长营业时间。", 1, 2)
    numbered(word, "鼓励景区开展夜游活动。", 1, 2)
    data = with_parts(saved(word), {"word/numbering.xml": numbering_xml({0: OUTLINE_LEVELS}, {1: (0, "")})})
    doc = analyse(load_docx(data, "night.docx"))
    assert lines(doc)[1:] == ["一、总体要求", "（一）指导思想", "（二）发展目标", "1. 到2026年，培育夜间消费集聚区10个。",
                              "二、重点任务", "（一）丰富夜间消费业态", "1. 支持商场延长营业时间。", "2. 鼓励景区开展夜游活动。"]
    assert [h.marker for h in doc.headings][:3] == ["一、", "（一）", "（二）"]


def test_docx_heading_style_numbering_comes_through_the_style():
    word = docx.Document()
    heading = word.styles["Heading 1"].element
    num_pr = heading.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_numId().val = 3
    word.add_paragraph("关于开展消费品以旧换新的通知")
    word.add_paragraph("明确补贴范围", style="Heading 1")
    word.add_paragraph("补贴对象为在本市购买新车的个人消费者。")
    word.add_paragraph("规范资金管理", style="Heading 1")
    data = with_parts(saved(word), {"word/numbering.xml": numbering_xml({7: OUTLINE_LEVELS}, {3: (7, "")})})
    assert lines(load_docx(data, "style.docx"))[1:] == ["一、明确补贴范围", "补贴对象为在本市购买新车的个人消费者。",
                                                        "二、规范资金管理"]


@pytest.mark.parametrize(("value", "fmt", "printed"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (35, "japaneseCounting", "三十五"), (105, "chineseCountingThousand", "一百零五"),
    (2, "ideographTraditional", "乙"), (3, "chineseLegalSimplified", "叁"), (3, "decimalEnclosedCircle", "③"),
    (12, "decimalFullWidth", "１２"), (28, "lowerLetter", "bb"), (3, "upperLetter", "C"), (4, "upperRoman", "IV"),
    (9, "lowerRoman", "ix"), (7, "decimalZero", "07"), (7, "decimal", "7"), (7, "someNewFormat", "7"),
    (25, "decimalEnclosedCircle", "25"),
])
def test_docx_number_formats(value, fmt, printed):
    assert format_counter(value, fmt) == printed


def counting(abstracts: dict[int, str], nums: dict[int, tuple[int, str]]) -> ListNumbering:
    return ListNumbering(etree.fromstring(numbering_xml(abstracts, nums)))


@pytest.mark.parametrize(("text", "fmt", "printed"), [
    ("%1、", "chineseCounting", ["一、", "二、"]), ("（%1）", "chineseCounting", ["（一）", "（二）"]),
    ("%1.", "decimal", ["1.", "2."]), ("(%1)", "decimal", ["(1)", "(2)"]), ("%1", "decimalEnclosedCircle", ["①", "②"]),
    ("第%1条", "chineseCounting", ["第一条", "第二条"]), ("", "bullet", ["", ""]),
])
def test_docx_list_numbering_level_text(text, fmt, printed):
    numbering = counting({0: lvl(0, fmt, text)}, {1: (0, "")})
    assert [numbering.next_label(1, 0), numbering.next_label(1, 0)] == printed


def test_docx_list_numbering_restarts_deeper_levels_when_a_shallower_one_advances():
    numbering = counting({0: OUTLINE_LEVELS}, {1: (0, "")})
    sequence = [(0, "一、"), (1, "（一）"), (2, "1."), (2, "2."), (3, "(1)"), (1, "（二）"), (2, "1."), (3, "(1)"),
                (0, "二、"), (1, "（一）")]
    assert [numbering.next_label(1, ilvl) for ilvl, _ in sequence] == [label for _, label in sequence]


def test_docx_list_numbering_honours_start_and_start_override():
    levels = lvl(0, "chineseCounting", "%1、", start=3) + lvl(1, "decimal", "%2.")
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride>'
    numbering = counting({0: levels}, {1: (0, ""), 2: (0, override)})
    assert [numbering.next_label(1), numbering.next_label(1)] == ["三、", "四、"]
    assert [numbering.next_label(2), numbering.next_label(2)] == ["七、", "八、"]


def test_docx_list_instances_of_one_definition_continue_each_other():
    numbering = counting({0: OUTLINE_LEVELS}, {1: (0, ""), 2: (0, "")})
    assert [numbering.next_label(1), numbering.next_label(2), numbering.next_label(1)] == ["一、", "二、", "三、"]


def test_docx_list_numbering_multi_level_text_lvl_restart_and_legal_numbers():
    levels = (lvl(0, "chineseCounting", "%1、") + lvl(1, "decimal", "%1.%2", extra='<w:lvlRestart w:val="0"/>')
              + lvl(2, "chineseCounting", "%1.%2.%3", extra="<w:isLgl/>"))
    numbering = counting({0: levels}, {1: (0, "")})
    labels = [numbering.next_label(1, ilvl) for ilvl in (0, 1, 2, 0, 1)]
    assert labels == ["一、", "一.1", "1.1.1", "二、", "二.2"]  # level 2 never restarts (lvlRestart 0)


def test_docx_list_numbering_paragraph_lists_from_numpr_style_and_none():
    styles = etree.fromstring(
        f'<w:styles {WNS}><w:style w:type="paragraph" w:styleId="Outline">'
        f'<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        f'<w:style w:type="paragraph" w:styleId="Outline2"><w:basedOn w:val="Outline"/>'
        f'<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
    numbering = ListNumbering(etree.fromstring(numbering_xml({0: OUTLINE_LEVELS}, {1: (0, "")})), styles)

    def para(ppr: str) -> etree._Element:
        return etree.fromstring(f"<w:p {WNS}><w:pPr>{ppr}</w:pPr></w:p>")

    assert numbering.prefix(para('<w:pStyle w:val="Outline"/>')) == "一、"
    assert numbering.prefix(para('<w:pStyle w:val="Outline2"/>')) == "（一）"
    assert numbering.prefix(para('<w:pStyle w:val="Outline"/><w:numPr><w:numId w:val="0"/></w:numPr>')) == ""
    assert numbering.prefix(para('<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')) == "1. "
    assert numbering.prefix(para("")) == ""
    assert numbering.prefix(para('<w:numPr><w:ilvl w:val="0"/><w:numId w:val="9"/></w:numPr>')) == ""


# --- visible text, notes, furniture ------------------------------------------------------------


def test_docx_reads_only_visible_text_and_text_boxes_once():
    word = docx.Document()
    paragraph = word.add_paragraph("各单位要")
    paragraph._p.append(parse_xml(f'<w:ins {WNS} w:id="1" w:author="a"><w:r><w:t>认真</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del {WNS} w:id="2" w:author="a"><w:r><w:delText>尽快</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:r {WNS}><w:rPr><w:vanish/></w:rPr><w:t>（内部批注）</w:t></w:r>'))
    paragraph.add_run("落实。")
    box = ('<w:txbxContent><w:p><w:r><w:t>联系人：王敏</w:t></w:r></w:p></w:txbxContent>')
    anchor = word.add_paragraph("详见附表。")
    anchor._p.append(parse_xml(
        f'<w:r {WNS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<w:anchor>{box}</w:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}'
        f'</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    assert lines(load_docx(saved(word), "visible.docx")) == ["各单位要认真落实。", "详见附表。", "联系人：王敏"]


def add_notes(word, notes: dict[int, str]) -> None:
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t>'
                   f'</w:r></w:p></w:footnote>' for i, t in notes.items())
    blob = (f'<w:footnotes {WNS}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f'</w:footnote>{body}</w:footnotes>').encode()
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)


def cite(paragraph, note_id: int) -> None:
    paragraph._p.append(parse_xml(f'<w:r {WNS}><w:footnoteReference w:id="{note_id}"/></w:r>'))


def test_docx_footnotes_follow_the_body_numbered_as_cited():
    word = docx.Document()
    word.add_paragraph("关于调整城乡居民医保缴费标准的通知")
    first = word.add_paragraph("个人缴费标准提高至每人每年400元")
    cite(first, 5)
    first.add_run("，财政补助同步提高")
    cite(first, 2)
    first.add_run("。")
    signed = word.add_paragraph("云岭市医疗保障局")
    signed._p.append(parse_xml(f'<w:r {WNS}><w:footnoteReference w:customMarkFollows="1" w:id="7"/><w:t>*</w:t></w:r>'))
    add_notes(word, {2: "补助标准以省级文件为准。", 5: "含特殊困难群体代缴部分。", 7: "盖章件存档备查。",
                     9: "未被引用的脚注。"})
    doc = load_docx(saved(word), "notes.docx")
    assert lines(doc) == ["关于调整城乡居民医保缴费标准的通知", "个人缴费标准提高至每人每年400元，财政补助同步提高。",
                          "云岭市医疗保障局*", "注1：含特殊困难群体代缴部分。", "注2：补助标准以省级文件为准。",
                          "注：盖章件存档备查。"]
    assert {b.role for b in doc.blocks} == {"body"}


def test_docx_header_words_are_furniture_and_bare_page_numbers_are_dropped():
    word = docx.Document()
    word.add_paragraph("各街道要做好辖区内防汛物资储备。")
    word.sections[0].header.paragraphs[0].text = "云岭市人民政府公报"
    word.sections[0].footer.paragraphs[0].text = "—  —"
    doc = load_docx(saved(word), "furniture.docx")
    assert lines(doc) == ["各街道要做好辖区内防汛物资储备。", "云岭市人民政府公报"]
    assert [b.role for b in doc.blocks] == ["body", "furniture"]


# --- broken files ------------------------------------------------------------------------------


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, blob in members.items():
            package.writestr(name, blob)
    return out.getvalue()


def minimal_docx(body_xml: str) -> bytes:
    """The smallest package python-docx opens: content types, one relationship, the document."""
    return zipped({
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": f"<w:document {WNS}><w:body>{body_xml}</w:body></w:document>".encode(),
    })


SMALL_CIRCULAR = "<w:p><w:r><w:t>各镇要于6月底前完成农村危房排查。</w:t></w:r></w:p>"
PADDED = SMALL_CIRCULAR + "<w:p><w:r><w:t>" + " " * 300_000 + "</w:t></w:r></w:p>"

#: name → (bytes, status, words of the error)
BROKEN = {
    "not-zip.docx": ("各部门要认真落实。".encode(), "failed", "not a Word document (not a ZIP package)"),
    "report.docx": (b"%PDF-1.7\n" + bytes(200), "failed", "it is a PDF"),
    "workbook.docx": (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "failed",
                      "Excel workbook"),
    "photos.docx": (zipped({"p1.jpg": b"\xff\xd8\xff" + bytes(50), "p2.png": b"\x89PNG" + bytes(50)}), "failed",
                    "ZIP archive of 2 image"),
    "truncated.docx": (minimal_docx(SMALL_CIRCULAR)[:400], "failed", "truncated or damaged ZIP"),
    "locked.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le"), "failed",
                    "encrypted or a legacy .doc"),
    "old.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "failed", "encrypted or a legacy .doc"),
    "blank.docx": (minimal_docx("<w:p/><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"), "empty", "no text"),
    "bomb.docx": (minimal_docx(PADDED), "failed", "(setting max_unpacked_bytes)"),
}


@pytest.fixture
def docx_registered(monkeypatch):
    """Route .docx, .doc and .wps to this loader whether or not the loader table does yet."""
    monkeypatch.setitem(loader_table.LOADERS, ".docx", ("docx", load_docx))
    monkeypatch.setitem(loader_table.LOADERS, ".doc", ("other", load_legacy_word))
    monkeypatch.setitem(loader_table.LOADERS, ".wps", ("other", load_legacy_word))


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_docx_broken_files_get_a_status_and_an_error_naming_the_file(name, tmp_path, resources, docx_registered):
    data, status, words = BROKEN[name]
    path = tmp_path / name
    path.write_bytes(data)
    small = dataclasses.replace(resources, settings=Settings(max_file_bytes=8_000, max_unpacked_bytes=160_000))
    result = process_source(Source(path, name), small)
    assert (result.status, result.document) == (status, None)
    assert name in (result.error or "") and words in (result.error or ""), result.error


def test_docx_zip_bomb_guard_reads_declared_sizes_before_parsing():
    assert lines(load_docx(minimal_docx(PADDED), "big.docx")) == ["各镇要于6月底前完成农村危房排查。"]
    with pytest.raises(LimitExceededError, match=r"unpack to 3\d\d,\d{3} bytes \(word/document\.xml: 3\d\d,\d{3}; "
                                                 r"a possible ZIP bomb\), above the limit of 100,000 "
                                                 r"\(setting max_unpacked_bytes\)") as raised:
        load_docx(minimal_docx(PADDED), "big.docx", Settings(max_unpacked_bytes=100_000))
    assert raised.value.setting == "max_unpacked_bytes"


# --- legacy .doc and .wps ----------------------------------------------------------------------


def circular_docx() -> bytes:
    word = docx.Document()
    word.add_paragraph("云岭市交通运输局关于开展道路运输安全隐患排查的通知")
    numbered(word, "排查范围", 1, 0)
    word.add_paragraph("全市道路客运、危险货物运输企业。")
    numbered(word, "工作要求", 1, 0)
    word.add_paragraph("各县区交通运输部门要于5月31日前报送排查台账。")
    return with_parts(saved(word), {"word/numbering.xml": numbering_xml({0: OUTLINE_LEVELS}, {1: (0, "")})})


def to_doc(tmp_path: Path, data: bytes) -> bytes:
    source = tmp_path / "circular.docx"
    source.write_bytes(data)
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "circular.doc").read_bytes()


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_docx_legacy_word_is_converted_by_libreoffice(tmp_path, suffix, resources, docx_registered):
    legacy = to_doc(tmp_path, circular_docx())
    doc = load_legacy_word(legacy, f"circular{suffix}")
    assert lines(doc) == ["云岭市交通运输局关于开展道路运输安全隐患排查的通知", "一、排查范围",
                          "全市道路客运、危险货物运输企业。", "二、工作要求", "各县区交通运输部门要于5月31日前报送排查台账。"]
    assert doc.format == "other"
    assert f"converted from {suffix} by LibreOffice" in doc.warnings
    path = tmp_path / f"inbox{suffix}"
    path.write_bytes(legacy)
    assert process_source(Source(path, path.name), resources).status == "ok"


@needs_soffice
def test_docx_legacy_word_html_saved_as_doc_is_converted():
    page = ("<html><head><meta charset='utf-8'></head><body><p>关于做好汛期值班工作的通知</p>"
            "<p>各单位要严格执行24小时值班制度。</p></body></html>")
    doc = load_legacy_word(page.encode(), "duty.doc")
    assert lines(doc) == ["关于做好汛期值班工作的通知", "各单位要严格执行24小时值班制度。"]


def test_docx_legacy_word_without_libreoffice_is_unsupported(monkeypatch, tmp_path, resources, docx_registered):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UnsupportedFormatError, match="libreoffice-writer-nogui"):
        load_legacy_word(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    path = tmp_path / "old.wps"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    result = process_source(Source(path, "old.wps"), resources)
    assert result.status == "unsupported" and "save the file as .docx" in (result.error or "")


def test_docx_legacy_word_refuses_bytes_that_are_no_word_file():
    with pytest.raises(PackageError, match=r"not a Word \.doc file"):
        load_legacy_word("这是一段纯文本。".encode(), "notes.doc")


def test_docx_legacy_name_on_a_docx_package_is_read_directly():
    doc = load_legacy_word(circular_docx(), "renamed.doc")
    assert doc.format == "docx" and lines(doc)[1] == "一、排查范围"
    assert "a .docx package named .doc; read as .docx" in doc.warnings


# --- end to end --------------------------------------------------------------------------------


def task_division_circular() -> bytes:
    word = docx.Document()
    for text in ("云岭市人民政府办公室关于印发云岭市优化营商环境重点任务分工方案的通知", "云政办发〔2025〕12号",
                 "各县（市、区）人民政府，市政府各部门：",
                 "现将《云岭市优化营商环境重点任务分工方案》印发给你们，请认真贯彻落实。"
                 "各项任务所列单位中，列第一位的为牵头单位，其他为配合单位。"):
        word.add_paragraph(text)
    numbered(word, "提升政务服务效能", 1, 0)
    numbered(word, "推行企业开办全程网办，将开办时间压缩至1个工作日以内。（市市场监管局、市政务服务局、市税务局）", 1, 2)
    numbered(word, "2025年6月底前，建成工程建设项目审批管理系统。（市住房城乡建设局、市自然资源局）", 1, 2)
    numbered(word, "加强要素保障", 1, 0)
    numbered(word, "落实中小企业融资担保降费政策，年底前担保费率降至1%以下。（市财政局、市地方金融监管局）", 1, 2)
    word.add_paragraph("云岭市人民政府办公室")
    word.add_paragraph("2025年3月6日")
    return with_parts(saved(word), {"word/numbering.xml": numbering_xml({0: OUTLINE_LEVELS}, {1: (0, "")})})


def test_docx_task_division_circular_end_to_end(resources):
    result = process_document(load_docx(task_division_circular(), "division.docx"), resources)
    doc = result.document
    assert doc is not None and doc.header.doc_number == "云政办发〔2025〕12号"
    by_key = {key: [t for t in result.tasks if key in t.text] for key in ("全程网办", "审批管理系统", "担保降费")}
    assert all(len(found) == 1 for found in by_key.values()), by_key
    opening = by_key["全程网办"][0]
    assert opening.assignment is not None and opening.assignment.lead is not None
    assert opening.assignment.lead.surface == "市市场监管局"
    assert [d.surface for d in opening.assignment.co] == ["市政务服务局", "市税务局"]
    assert opening.section_path[0].startswith("一、")
    assert by_key["担保降费"][0].section_path[0].startswith("二、")


# --- the shared corpus ------------------------------------------------------------------------


def test_docx_shared_corpus_task_table_comes_out_as_rows(shared_dir):
    path = shared_dir / "corpus" / "docx" / "gov-07-table.docx"
    if not path.is_file():
        pytest.skip(f"no shared corpus at {path}")
    doc = load_docx(path.read_bytes(), path.name)
    rows = [b for b in doc.blocks if b.role == "table_row"]
    assert len(rows) > 20 and {len(b.cells or []) for b in rows} == {4}
    assert doc.text[rows[0].start:rows[0].end].split("\t") == ["序号", "重点任务", "牵头单位", "配合单位"]
