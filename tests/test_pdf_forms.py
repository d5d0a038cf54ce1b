"""Forms of PDF layout (../shared/forms.md) the PDF loader reads: digits typeset apart (F13),
punctuation a broken font turned into letters (F06), furniture between blocks (F28), scans
(F19), and ruled tables read from pdfium's paths.

Every PDF is written here by `pdfgen`, with invented bodies, places and topics.
"""

from __future__ import annotations

import pytest
from pdfgen import LEFT, PITCH, RIGHT, SIZE, Layout, PdfWriter, image_only_pdf

from pipeline import Source, document_record, extract_bytes, process_source
from pipeline.loaders.pdf import load_pdf, repair_punctuation

# ---- F13: digits typeset apart ------------------------------------------------------------------

MASTHEAD = "澄阳市人民政府办公室文件"
TITLE = "澄阳市人民政府办公室关于做好节水工作的通知"
ISSUER = "澄阳市人民政府办公室"

#: How the digits are set: in a font whose boxes sit 0.8 em lower on the same baseline (the
#: form as found), or in the body font with the baseline itself lowered by part of an em.
DIGIT_SETTINGS = {
    "font-boxes-lower": ("F2", 0.0),
    "baseline-lower-0.3em": ("F1", 0.3),
    "baseline-lower-0.7em": ("F1", 0.7),
}


def digits_apart(font: str, drop: float) -> bytes:
    """A circular whose 发文字号 and date hold ideographic-space placeholders where their
    digits go, the digits set separately (``font``, baseline ``drop`` em lower)."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(MASTHEAD, size=22)
    number = "澄政办发〔　　〕　号"
    x, top = (LEFT + RIGHT - writer.width(number)) / 2, layout.top
    writer.text(layout.page, x, top, number)
    writer.text(layout.page, x + 5 * SIZE, top + drop * SIZE, "2027", font=font)
    writer.text(layout.page, x + 8 * SIZE, top + drop * SIZE, "12", font=font)
    layout.top += PITCH
    layout.centred(TITLE, size=18)
    layout.paragraph("各区人民政府，市政府各部门：", indent=0)
    layout.paragraph("为做好节水工作，现将有关事项通知如下，请认真贯彻执行。")
    layout.paragraph("一、加强用水管理（市水务局牵头，市财政局配合）")
    layout.top += PITCH
    layout.right(ISSUER)
    date = "　　年　月　日"
    x, top = RIGHT - writer.width(date), layout.top
    writer.text(layout.page, x, top, date)
    writer.text(layout.page, x, top + drop * SIZE, "2027", font=font)
    writer.text(layout.page, x + 3 * SIZE, top + drop * SIZE, "5", font=font)
    writer.text(layout.page, x + 5 * SIZE, top + drop * SIZE, "8", font=font)
    return writer.build()


@pytest.mark.parametrize("setting", DIGIT_SETTINGS)
def test_F13_digits_typeset_apart_rejoin_their_line(setting, resources):
    data = digits_apart(*DIGIT_SETTINGS[setting])
    assert load_pdf(data, "digits.pdf").text.split("\n") == [
        MASTHEAD, "澄政办发〔2027〕12号", TITLE, "各区人民政府，市政府各部门：",
        "为做好节水工作，现将有关事项通知如下，请认真贯彻执行。", "一、加强用水管理（市水务局牵头，市财政局配合）",
        ISSUER, "2027年5月8日",
    ]
    record = document_record(extract_bytes(data, "digits.pdf", resources))
    assert (record["doc_number"], record["date"], record["issuer"]) == ("澄政办发〔2027〕12号", "2027-05-08", [ISSUER])


def test_F13_stacked_masthead_names_stay_apart_and_wen_jian_joins_the_nearer():
    """A joint masthead sets two names 0.8 em apart, one above the other, and 文件 beside them
    halfway: rows that close whose characters overlap are two lines, not one."""
    writer = PdfWriter()
    page = writer.new_page()
    size = 40.0
    writer.text(page, LEFT, 100, "澄阳市水务局", size=size)
    writer.text(page, LEFT, 100 + 0.8 * size, "澄阳市财政局", size=size)
    writer.text(page, LEFT + 7 * size, 100 + 0.42 * size, "文件", size=size)
    writer.text(page, LEFT, 260, "各区人民政府，市政府各部门：")
    lines = load_pdf(writer.build(), "masthead.pdf").text.split("\n")
    assert lines[0] == "澄阳市水务局"
    assert lines[1] == "澄阳市财政局\u3000文件"


# ---- F06: punctuation that a broken font maps to letters ----------------------------------------

SENTENCES = ["市水务局牵头，市财政局配合，各区人民政府按照职责分工抓好落实，确保节水任务按期完成。",
             "各区要加强组织领导；明确责任分工，细化工作措施，建立工作台账，定期报送工作进展。",
             "各街道、各社区要按月报送进展情况，发现问题及时整改，重大情况及时向市政府报告。"]


def typeset(paragraphs: list[str]) -> bytes:
    """Each paragraph as GB/T 9704 sets it: a full first line, indented, then the rest."""
    writer = PdfWriter()
    layout = Layout(writer)
    for paragraph in paragraphs:
        layout.paragraph(*filter(None, (paragraph[:25], paragraph[25:52], paragraph[52:])))
    return writer.build()


@pytest.mark.parametrize(("letter", "mark"), [("ꎬ", "，"), ("ꎮ", "。"), ("ꎻ", "；"), ("ꆢ", "、"), ("ꆣ", "。")])
def test_F06_yi_syllable_punctuation_repaired_with_warning(letter, mark):
    garbled = [s.replace(mark, letter) for s in SENTENCES * 2]
    document = load_pdf(typeset(garbled), "yi.pdf")
    assert document.text.split("\n") == SENTENCES * 2
    times = sum(s.count(mark) for s in SENTENCES * 2)
    [warning] = [w for w in document.warnings if letter in w]
    assert "repaired" in warning and repr(mark) in warning and f"{times} times" in warning


def test_F06_yi_syllables_at_every_mark_of_one_font_are_all_read_back():
    garbled = [s.replace("，", "ꎬ").replace("。", "ꎮ").replace("；", "ꎻ") for s in SENTENCES]
    document = load_pdf(typeset(garbled), "yi.pdf")
    assert document.text.split("\n") == SENTENCES
    assert sum("repaired" in w for w in document.warnings) == 3


def test_F06_digits_and_markers_of_the_same_yi_font_are_read_back_too():
    """Once its punctuation shows that the font gives GB2312 codes as code points, the font's
    other Yi syllables (full-width digits, numbered markers) are read as their characters."""
    garbled = ["ꋙ市水务局牵头ꎬ市财政局配合ꎬ于ꎲꎰꎲꎷ年ꎶ月底前完成河道清淤工程ꎬ确保汛期安全ꎮ"] * 2
    document = load_pdf(typeset(garbled), "yi-digits.pdf")
    assert document.text.split("\n") == ["①市水务局牵头，市财政局配合，于２０２７年６月底前完成河道清淤工程，确保汛期安全。"] * 2
    assert any("more Yi syllables of the same font" in w and "ꎲ→２" in w for w in document.warnings)


@pytest.mark.parametrize(("garbled", "read"), [
    ("关于印发«澄阳市节水行动方案»的通知", "关于印发《澄阳市节水行动方案》的通知"),
    ("依据«临江区河道管理办法»和‹实施细则›执行。", "依据《临江区河道管理办法》和〈实施细则〉执行。"),
])
def test_F06_guillemets_around_chinese_titles_read_as_title_marks(garbled, read):
    document = load_pdf(typeset([garbled]), "titles.pdf")
    assert document.text == read
    assert any("«»" in w and "《》" in w for w in document.warnings)


@pytest.mark.parametrize("text", [
    "引用法文标题«Le Petit Prince»作为示例。",          # guillemets around Latin text stay
    "支持符合条件的企业发行A股，拓宽融资渠道。",          # a Latin letter that is a word
    "青川县与한국企业签订合作协议，推进项目建设。",        # a Korean word, not a lone letter
    "二〇二七年五月八日前完成，逾期通报。",              # 〇 is a numeral
])
def test_F06_letters_and_quotes_that_are_text_are_left_alone(text):
    assert repair_punctuation([text] * 6) == ([text] * 6, [])


# ---- F28: page furniture between blocks that belong together ------------------------------------

def test_F28_page_number_and_running_head_inside_a_paragraph_stay_furniture():
    writer = PdfWriter()
    layout = Layout(writer, running_head="临江区人民政府公报")
    layout.paragraph("各街道要组织力量对辖区河道开展排查，发现的隐患要建立台账，明确",
                     "", "整改时限和责任人，按期整改到位。")
    layout.paragraph("临江区水务局负责督促检查。")
    layout.page_number()
    document = load_pdf(writer.build(), "furniture.pdf")
    blocks = [(b.role, document.block_text(b)) for b in document.blocks]
    assert blocks == [
        ("furniture", "临江区人民政府公报"),
        ("body", "各街道要组织力量对辖区河道开展排查，发现的隐患要建立台账，明确整改时限和责任人，按期整改到位。"),
        ("furniture", "—1—"), ("furniture", "临江区人民政府公报"),
        ("body", "临江区水务局负责督促检查。"), ("furniture", "—2—"),
    ]


# ---- F19: scanned PDF ---------------------------------------------------------------------------

def scanned_pages(*texts: str) -> bytes:
    """A PDF of page images (a scan), one per text drawn into the picture."""
    import io

    from PIL import Image, ImageDraw

    images = []
    for text in texts:
        image = Image.new("L", (1240, 1754), 255)
        ImageDraw.Draw(image).rectangle((150, 300, 1000, 340), fill=0)
        ImageDraw.Draw(image).text((600, 1650), text, fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.mark.parametrize("pages", [1, 3])
def test_F19_scanned_pdf_needs_ocr(pages, tmp_path, resources):
    path = tmp_path / "scan.pdf"
    path.write_bytes(image_only_pdf() if pages == 1 else scanned_pages(*(f"- {n} -" for n in range(1, pages + 1))))
    result = process_source(Source(path, "scan.pdf"), resources)
    assert (result.status, result.tasks) == ("needs_ocr", [])
    assert "--ocr" in result.error and "scan.pdf" in result.error


# ---- ruled tables from the page's paths ---------------------------------------------------------

COLUMNS = [LEFT, LEFT + 40, LEFT + 260, RIGHT]
ROWS = [["序号", "重点任务", "牵头单位"], ["1", "开展河道清淤", "临江区水务局"], ["2", "完善节水设施", "临江区住建局"]]


def ruled_table(style: str) -> bytes:
    """A paragraph, a three-row table ruled with stroked lines or with filled bars (as word
    processors draw borders), its last row's last two cells merged, and a paragraph."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.paragraph("请各单位按照下表分工抓好落实。")
    height = 24.0
    tops = [layout.top + i * height for i in range(len(ROWS) + 1)]
    draw = writer.rule if style == "stroked" else (lambda page, x0, t, x1, b: writer.bar(page, x0 - 0.3, t - 0.3,
                                                                                            x1 + 0.3, b + 0.3))
    for top in tops:
        draw(layout.page, COLUMNS[0], top, COLUMNS[-1], top)
    for x in COLUMNS:
        draw(layout.page, x, tops[0], x, tops[-1] if x != COLUMNS[2] else tops[-2])
    cells = [*ROWS[:-1], [ROWS[-1][0], "汛期前完成排查整改"]]
    for top, row in zip(tops, cells, strict=False):
        for x, cell in zip(COLUMNS, row, strict=False):
            writer.text(layout.page, x + 4, top + 6, cell, size=12)
    layout.top = tops[-1] + PITCH / 2
    layout.paragraph("以上任务请于年底前完成。")
    return writer.build()


@pytest.mark.parametrize("style", ["stroked", "bars"])
def test_pdf_ruled_table_page_is_read_as_table_rows(style):
    document = load_pdf(ruled_table(style), "table.pdf")
    rows = [[document.text[s:e] for s, e in b.cells] for b in document.blocks if b.role == "table_row"]
    assert rows == [*ROWS[:-1], ["2", "汛期前完成排查整改", "汛期前完成排查整改"]]
    body = [document.block_text(b) for b in document.blocks if b.role == "body"]
    assert body == ["请各单位按照下表分工抓好落实。", "以上任务请于年底前完成。"]


# ---- a bracket left open at the end of a line short of the margin ----------------------------------

@pytest.mark.parametrize("opening, closing", [("（", "）"), ("【", "】"), ("〔", "〕")])
def test_a_line_that_closes_the_bracket_the_paragraph_left_open_continues_it(opening, closing):
    """A justified line can end a character short of the margin; when the paragraph's bracket
    (of any kind) is still open there, the next line that closes it belongs to the same paragraph."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(TITLE, size=18)
    layout.paragraph("各区人民政府，市政府各部门：", indent=0)
    # a full first line (25 characters after the indent), a second line one character short
    # of the margin (26 of 27), and the bracket's last character on the third
    first = f"一、严格用水定额管理，按季度通报超定额户{opening}由市水务"
    second = "局会同市财政局、市发展改革委、澄阳供水集团有限公司负"
    assert (len(first), len(second)) == (25, 26)
    layout.paragraph(first, second, f"责{closing}")
    layout.paragraph("二、组织开展节水宣传活动。（市水务局）")
    result = extract_bytes(writer.build(), "notice.pdf")
    [task] = [t for t in result.tasks if "用水定额" in t.text]
    assert task.assignment is not None
    assert (task.assignment.lead.surface, [d.surface for d in task.assignment.co]) == (
        "市水务局", ["市财政局", "市发展改革委", "澄阳供水集团有限公司"])



def test_a_deeply_indented_label_line_that_stops_at_a_list_comma_goes_on_below():
    """A label line set four characters in (deeper than a paragraph's first line) that fills
    the line and stops at 、 is continued on the next line, not taken for a signature."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(TITLE, size=18)
    layout.paragraph("各部门：", indent=0)
    layout.paragraph("1．组织主要品种经销商提前备货，签订保供协议。")
    first = "责任部门：招商运营部（牵头）、蔬菜交易管理处、"
    assert len(first) == 23  # a full line after a four-character indent
    layout.paragraph(first, "肉类水产交易区管理处", indent=4)
    layout.paragraph("2．启用备用冷库，完成制冷设备检修。")
    layout.paragraph("责任部门：冷链物流部", indent=4)
    result = extract_bytes(writer.build(), "notice.pdf")
    [task] = [t for t in result.tasks if "提前备货" in t.text]
    assert task.assignment is not None
    assert (task.assignment.lead.surface, [d.surface for d in task.assignment.co]) == (
        "招商运营部", ["蔬菜交易管理处", "肉类水产交易区管理处"])

# ---- a lead printed in bold in a ruled table ---------------------------------------------------------

def test_a_body_printed_in_bold_in_a_ruled_table_leads_under_the_stated_rule():
    """Bold type in a PDF (here: a regular font drawn filled and stroked, as word processors
    embolden it) marks the lead where the circular says that the bold body leads."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(TITLE, size=18)
    layout.paragraph("各区人民政府，市政府各部门：", indent=0)
    layout.paragraph("任务分工见下表，责任单位栏内字体加粗的为牵头单位。")
    layout.table([60, 90, 330, 520], [["序号", "工作任务", "责任单位"],
                                      ["1", "开展河湖清理整治", "市财政局、**市水务局**"],
                                      ["2", "完善防汛应急预案", "**市应急管理局**、市水务局"]])
    result = extract_bytes(writer.build(), "notice.pdf")
    assert [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment] == [
        ("市水务局", ["市财政局"]), ("市应急管理局", ["市水务局"])]


# ---- a row a page break split ---------------------------------------------------------------------

def test_a_row_a_page_break_split_mid_name_and_mid_date_is_one_task():
    """The rest of row 1 stands at the top of the next page under an empty 序号 and fills every
    column again: its department cell (科) reads as a name only joined to the one above
    (工程管理), so it is the rest of the row; the time cell is read whole (2074年 / 5月20日前)."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(TITLE, size=18)
    layout.paragraph("各科室，各管理所：", indent=0)
    layout.paragraph("现将安全度汛工作任务分解表印发给你们，请认真落实。")
    columns = [60, 90, 200, 270, 450, 530]
    layout.table(columns, [["序号", "工作任务", "牵头科室", "配合单位", "完成时限"],
                           ["1", "开展汛前", "工程管理", "各管理", "2074年"]])
    layout.break_page()
    layout.table(columns, [["", "大坝安全检查", "科", "所、市水利工程质量检测站", "5月20日前"],
                           ["2", "修订防汛应急预案", "防汛调度科", "局办公室", "5月底前"]])
    result = extract_bytes(writer.build(), "table.pdf")
    assert [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co], t.due and t.due.text)
            for t in result.tasks if t.assignment] == [
        ("开展汛前大坝安全检查", "工程管理科", ["各管理所", "市水利工程质量检测站"], "2074年5月20日前"),
        ("修订防汛应急预案", "防汛调度科", ["局办公室"], "5月底前")]


# ---- names on lines of their own in a ruled cell ---------------------------------------------------

def test_names_on_lines_of_their_own_in_a_ruled_cell_are_the_items_of_a_list():
    """A line that ends short of its cell's edge, where the next line's first word would have
    fitted, was broken by the writer: the lines are the items of a list. A line that fills the
    cell wraps and runs on."""
    rows = [["1", "开展河湖清理整治", "市水务局\n市财政局\n临江区人民政府"],
            ["2", "完善防汛应急预案", "临江区应急管理局、临江区住房和城乡\n建设局"]]
    assert assigned_in_a_ruled_table(520, rows, height=50.0) == [
        ("市水务局", ["市财政局", "临江区人民政府"]), ("临江区应急管理局", ["临江区住房和城乡建设局"])]


def assigned_in_a_ruled_table(right: float, rows: list[list[str]], height: float) -> list[tuple[str, list[str]]]:
    """(lead, co-operating bodies) of each task of a circular whose ruled table has a
    department column reaching to ``right`` (a cell's lines split at "\\n")."""
    writer = PdfWriter()
    layout = Layout(writer)
    layout.centred(TITLE, size=18)
    layout.paragraph("各区人民政府，市政府各部门：", indent=0)
    layout.table([60, 90, 300, right], [["序号", "工作任务", "责任单位"], *rows], height=height)
    result = extract_bytes(writer.build(), "notice.pdf")
    return [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment]


def test_names_that_each_fill_a_line_of_a_narrow_cell_are_a_list_and_a_wrapped_name_stays_whole():
    """In a column four characters wide a line that fills the cell may end a name or wrap one:
    the grammar of names decides at each wrap (第一水厂 / 第二水厂 are two; 市公安局 / 交通警察 /
    支队 is a unit of a body, 临江区住 / 房和城乡 / 建设局 one name, 各设区市 / 市场监督 / 管理局
    the bureaus of a class)."""
    rows = [["1", "开展河湖清理整治", "第一水厂\n第二水厂"],
            ["2", "完善防汛应急预案", "市公安局\n交通警察\n支队"],
            ["3", "推进老旧小区改造", "临江区住\n房和城乡\n建设局"],
            ["4", "开展食品安全抽检", "各设区市\n市场监督\n管理局"],
            ["5", "优化通关服务", "澄阳海关\n驻综保区\n办事处"],
            ["6", "开展联合检查", "市市场监\n督管理局\n综保区分\n局"],
            ["7", "推进普惠金融", "工商银行\n澄阳分行\n建设银行\n澄阳分行"]]
    assert assigned_in_a_ruled_table(356, rows, height=64.0) == [
        ("第一水厂", ["第二水厂"]), ("市公安局交通警察支队", []), ("临江区住房和城乡建设局", []),
        ("各设区市市场监督管理局", []), ("澄阳海关驻综保区办事处", []), ("市市场监督管理局综保区分局", []),
        ("工商银行澄阳分行", ["建设银行澄阳分行"])]
