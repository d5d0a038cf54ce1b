"""F05: task-division tables read by what their headers' head nouns say and what their cells
hold, the same in Markdown, HTML and Word (PDF rows reach the same reader as table blocks).

Every table here is written for these tests: invented bodies of 澄阳市, 临江区 and 青川县.
"""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest

from pipeline import extract_file
from pipeline.tables import column_roles, task_tables

FORMATS = ("md", "html", "docx")
COVER = ("澄阳市人民政府办公室关于印发年度重点任务分工方案的通知",
         "各区县人民政府，市政府各部门：",
         "现将年度重点任务分工方案印发给你们，请结合实际认真抓好落实。")
TASK_A = "建立河湖巡查台账，每月通报问题整改进展。"
TASK_B = "推进农村供水工程改造，提升供水保障水平。"
TASK_C = "完善防汛应急预案，组织开展汛前联合演练。"


def write(tmp_path: Path, fmt: str, rows: list[list[str]], cover: tuple[str, ...] = COVER,
          below: tuple[str, ...] = ()) -> Path:
    """A short circular with ``rows`` as its one table and the paragraphs ``below`` it, as a
    Markdown, HTML or Word file; ``**…**`` in a cell is set in bold in each format's way."""
    path = tmp_path / f"plan.{fmt}"
    if fmt == "md":
        lines = [f"# {cover[0]}", "", *[f"{p}\n" for p in cover[1:]], "| " + " | ".join(rows[0]) + " |",
                 "|" + "---|" * len(rows[0])] + ["| " + " | ".join(r) + " |" for r in rows[1:]]
        lines += ["", *[f"{p}\n" for p in below]]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "html":
        cells = "".join("<tr>" + "".join(f"<td>{_html_bold(c)}</td>" for c in r) + "</tr>" for r in rows)
        paragraphs = "".join(f"<p>{p}</p>" for p in cover)
        notes = "".join(f"<p>{p}</p>" for p in below)
        path.write_text(f"<html><body><div>{paragraphs}<table>{cells}</table>{notes}</div></body></html>",
                        encoding="utf-8")
    else:
        word = docx.Document()
        for p in cover:
            word.add_paragraph(p)
        table = word.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                for n, line in enumerate(text.split("\n")):  # a cell's lines are its paragraphs
                    paragraph = table.cell(r, c).paragraphs[0] if n == 0 else table.cell(r, c).add_paragraph()
                    for i, piece in enumerate(line.split("**")):
                        if piece:
                            paragraph.add_run(piece).bold = i % 2 == 1
        for p in below:
            word.add_paragraph(p)
        word.save(str(path))
    return path


def _html_bold(cell: str) -> str:
    pieces = [html.escape(piece) for piece in cell.split("**")]
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(pieces)).replace("\n", "<br>")


def assigned(tmp_path: Path, fmt: str, rows: list[list[str]], resources, cover: tuple[str, ...] = COVER,
             below: tuple[str, ...] = ()) -> list[tuple[str, str, list[str]]]:
    """(task text, lead, co-operating bodies) of every record with departments."""
    result = extract_file(write(tmp_path, fmt, rows, cover, below), resources)
    return [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co])
            for t in result.tasks if t.assignment is not None]


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (["序号", "改革举措", "主要内容", "指导部门"], {0: "index", 1: "task", 2: "task", 3: "responsible"}),
        (["序号", "课题编号", "课题名称", "承担单位"], {0: "index", 1: "index", 2: "task", 3: "responsible"}),
        (["项目名称", "牵头承担单位", "协助单位"], {0: "task", 1: "lead", 2: "co"}),
        (["试点经验", "主要做法", "主管部门", "适用范围"], {0: "task", 1: "task", 2: "responsible"}),
        (["工作举措", "实施主体", "责任科室", "时间节点"], {0: "task", 1: "responsible", 2: "responsible", 3: "deadline"}),
        (["重点事项", "主办处室", "协同机构", "进度要求"], {0: "task", 1: "lead", 2: "co", 3: "deadline"}),
        (["任务", "牵头单位（部门）", "完成时限（年）"], {0: "task", 1: "lead", 2: "deadline"}),
        (["主要措施", "牵头", "配合"], {0: "task", 1: "lead", 2: "co"}),
        (["单位名称", "地址", "联系电话"], {0: "responsible"}),
        (["工作任务", "责任单位及责任人", "完成时间节点"], {0: "task", 1: "responsible", 2: "deadline"}),
        (["姓名", "责任人", "推广范围", "备注"], {}),  # 责任人 heads a column of people, not of bodies
        (["联络员", "推广范围", "备注", "说明"], {}),
        (["序号", "工作要点", "责任处室", "配合单位", "完成时限", "责任人"],
         {0: "index", 1: "task", 2: "responsible", 3: "co", 4: "deadline"}),
    ],
)
def test_F05_header_roles_by_head_noun_and_modifier(header, roles, resources):
    assert column_roles(header, resources) == roles


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "header",
    [
        ["序号", "工作举措", "指导部门", "推广范围"],
        ["序号", "改革事项", "主管部门", "适用范围"],
        ["序号", "重点工作", "承担单位", "备注"],
        ["序号", "具体做法", "实施主体", "备注"],
    ],
)
def test_F05_department_column_outside_the_old_vocabulary(tmp_path, fmt, header, resources):
    rows = [header, ["1", TASK_A, "澄阳市水务局、临江区水务局", "全市"],
            ["2", TASK_B, "澄阳市农业农村局", "青川县"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["临江区水务局"]), (TASK_B, "澄阳市农业农村局", [])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("task_label", ["项目名称", "课题名称", "试点经验", "改革举措"])
def test_F05_task_column_outside_the_old_vocabulary(tmp_path, fmt, task_label, resources):
    rows = [["序号", "计划号", task_label, "牵头承担单位"],
            ["1", "2031-017", "澄阳市智慧水网监测平台建设", "澄阳市水文中心"],
            ["2", "2031-018", "临江区农村饮水安全评价方法研究", "澄阳水利科学研究院"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        ("澄阳市智慧水网监测平台建设", "澄阳市水文中心", []),
        ("临江区农村饮水安全评价方法研究", "澄阳水利科学研究院", [])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_under_a_label_that_names_no_task_the_column_of_longest_words_is_the_task(tmp_path, fmt, resources):
    # short task phrases without punctuation: no running text, but the longest worded cells
    rows = [["序号", "具体环节", "责任处室", "完成时限"],
            ["1", "对无法静默认证的人员开展现场核查", "稽核处", "6月底前"],
            ["2", "做好跨省异地居住人员协同认证", "养老保险处、信息处", "长期坚持"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        ("对无法静默认证的人员开展现场核查", "稽核处", []), ("做好跨省异地居住人员协同认证", "养老保险处", ["信息处"])]


def test_F05_a_table_laid_out_with_div_rows_and_span_cells(tmp_path, resources):
    # no <table>: block rows of inline cells, a header row among them
    rows = [["序号", "工作任务", "责任单位", "协同单位"], ["1", TASK_A, "澄阳市水务局", "临江区水务局"],
            ["2", TASK_B, "澄阳市农业农村局、青川县水务局", "—"]]
    grid = "".join("<div class='row'>" + "".join(f"<span>{c}</span>" for c in r) + "</div>" for r in rows)
    path = tmp_path / "plan.html"
    path.write_text(f"<html><body><div><p>{COVER[0]}</p><p>{COVER[1]}</p><p>{COVER[2]}</p>"
                    f"<div class='tasklist'>{grid}</div></div></body></html>", encoding="utf-8")
    result = extract_file(path, resources)
    assert [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co])
            for t in result.tasks if t.assignment] == [
        (TASK_A, "澄阳市水务局", ["临江区水务局"]), (TASK_B, "澄阳市农业农村局", ["青川县水务局"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_two_task_candidates_the_long_text_is_the_task_the_name_its_title(tmp_path, fmt, resources):
    rows = [["序号", "项目名称", "主要做法", "主管部门"],
            ["1", "河湖长制巡查", TASK_A, "澄阳市水务局"],
            ["2", "农村供水改造", TASK_B, "青川县水务局、青川县财政局"]]
    result = extract_file(write(tmp_path, fmt, rows), resources)
    records = [(t.text, t.assignment.lead.surface) for t in result.tasks if t.assignment]
    assert records == [(TASK_A, "澄阳市水务局"), (TASK_B, "青川县水务局")]
    rows_read, _ = task_tables(result.document, resources)
    assert [row.text(result.document, "title") for row in rows_read] == ["河湖长制巡查", "农村供水改造"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_row_that_fills_every_task_column_under_an_empty_number_is_a_task_of_its_own(tmp_path, fmt, resources):
    # the number and the task group are merged down (left empty below); each row names its own bodies
    rows = [["序号", "重点任务", "具体措施", "牵头单位", "责任单位"],
            ["1", "水安全保障", TASK_A, "澄阳市水务局", "临江区水务局"],
            ["", "", TASK_B, "青川县水务局", "青川县财政局"],
            ["2", "防汛减灾", TASK_C, "澄阳市应急管理局", "澄阳市水务局"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["临江区水务局"]), (TASK_B, "青川县水务局", ["青川县财政局"]),
        (TASK_C, "澄阳市应急管理局", ["澄阳市水务局"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_modifier_of_the_label_gives_the_role(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "协同部门", "主办部门"],
            ["1", TASK_A, "临江区水务局、青川县水务局", "澄阳市水务局"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["临江区水务局", "青川县水务局"])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("header", [["具体安排", "承接方"], None])
def test_F05_no_header_words_a_name_column_and_a_text_column_make_a_task_table(tmp_path, fmt, header, resources):
    data = [[TASK_A, "澄阳市水务局、临江区水务局"], [TASK_B, "澄阳市农业农村局"], [TASK_C, "澄阳市应急管理局"]]
    rows = ([header] if header else []) + data
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["临江区水务局"]), (TASK_B, "澄阳市农业农村局", []), (TASK_C, "澄阳市应急管理局", [])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "rows",
    [
        # statistics: 单位 is the unit of measure
        [["指标名称", "单位", "2030年", "2031年"], ["农村自来水普及率提升情况", "%", "92", "95"],
         ["新建改建农村供水管网长度", "公里", "120", "150"]],
        # a staff list: names of people and units, nothing to do
        [["序号", "姓名", "所在单位", "职务"], ["1", "李明", "澄阳市水务局", "科长"],
         ["2", "王芳", "临江区水务局", "副科长"]],
        # a directory: units, addresses and telephones
        [["单位名称", "地址", "联系电话"], ["澄阳市水务局", "澄阳市滨江路18号", "0571-5550101"],
         ["临江区水务局", "临江区东门街6号", "0571-5550202"]],
        # the "department" column holds people, not bodies
        [["序号", "重点任务", "责任单位"], ["1", TASK_A, "李明"], ["2", TASK_B, "王芳"]],
        [["序号", "重点任务", "责任人"], ["1", TASK_A, "李明"], ["2", TASK_B, "王芳"]],
    ],
)
def test_F05_tables_whose_department_column_holds_no_names_stay_text(tmp_path, fmt, rows, resources):
    result = extract_file(write(tmp_path, fmt, rows), resources)
    assert all(t.assignment is None for t in result.tasks)


@pytest.mark.parametrize("fmt", ("html", "docx"))
def test_F05_second_header_row_under_a_merged_department_label(tmp_path, fmt, resources):
    rows = [["序号", "重点任务", "责任单位", "责任单位", "完成时限"],
            ["序号", "重点任务", "牵头", "配合", "完成时限"],
            ["1", TASK_A, "澄阳市水务局", "临江区水务局、青川县水务局", "2031年6月底前"],
            ["2", TASK_B, "澄阳市农业农村局", "", "2031年底前"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["临江区水务局", "青川县水务局"]), (TASK_B, "澄阳市农业农村局", [])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("label", "cell", "lead", "co"),
    [
        ("责任科室", "澄阳市第一人民医院医务科、护理部", "澄阳市第一人民医院医务科", ["护理部"]),
        ("责任部门", "教务处、学生处、澄阳大学团委", "教务处", ["学生处", "澄阳大学团委"]),
        ("牵头部门", "澄阳分行个人金融部", "澄阳分行个人金融部", []),
        ("落实主体", "各区县人民政府", "各区县人民政府", []),
    ],
)
def test_F05_department_cells_of_any_kind_of_body(tmp_path, fmt, label, cell, lead, co, resources):
    rows = [["序号", "工作措施", label], ["1", TASK_A, cell]]
    assert assigned(tmp_path, fmt, rows, resources) == [(TASK_A, lead, co)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_column_named_for_a_kind_of_body_follows_the_responsible_column(tmp_path, fmt, resources):
    rows = [["序号", "工作内容", "责任科室", "责任学校", "时间节点"],
            ["1", TASK_A, "安全管理股", "各中小学校、各幼儿园", "3月底前"]]
    assert assigned(tmp_path, fmt, rows, resources) == [(TASK_A, "安全管理股", ["各中小学校", "各幼儿园"])]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("cell", "kind", "date"), [
    ("2027年12月31日", "fixed", "2027-12-31"),
    ("上半年", "fixed", None),  # the cover prints no date, so no year
    ("暑假前", "fixed", None),
    ("按月", "recurring", None),
])
def test_F05_a_time_cell_is_read_whole(tmp_path, fmt, cell, kind, date, resources):
    rows = [["序号", "工作任务", "责任部门", "完成时间"], ["1", TASK_A, "澄阳市水务局", cell]]
    result = extract_file(write(tmp_path, fmt, rows), resources)
    [task] = [t for t in result.tasks if t.assignment is not None]
    assert (task.due.text, task.due.kind, task.due.date) == (cell, kind, date)


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_name_with_alternatives_in_its_own_bracket_stays_whole(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "牵头单位", "配合单位"],
            ["1", TASK_A, "澄阳市水务局", "各县（市、区）人民政府、澄阳市财政局"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["各县（市、区）人民政府", "澄阳市财政局"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_cell_marks_its_lead_wherever_it_is_listed(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "责任单位"],
            ["1", TASK_A, "澄阳市水务局（牵头）、澄阳市财政局"],
            ["2", TASK_B, "澄阳市财政局、澄阳市水务局（牵头）"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "澄阳市水务局", ["澄阳市财政局"]), (TASK_B, "澄阳市水务局", ["澄阳市财政局"])]


@pytest.mark.parametrize("fmt", ("html", "docx"))
def test_F05_section_row_worded_like_a_label_stays_a_section(tmp_path, fmt, resources):
    rows = [["序号", "工作举措", "指导部门"], ["二、重点工作"] * 3, ["1", TASK_A, "澄阳市水务局"]]
    result = extract_file(write(tmp_path, fmt, rows), resources)
    task = next(t for t in result.tasks if t.assignment)
    assert task.section_path[-1] == "二、重点工作"


BOLD_RULE = "表中责任单位栏内字体加粗的为牵头单位，其余为配合单位。"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rule", [BOLD_RULE, "以粗体标注的单位为牵头单位。", "牵头单位以黑体字标出。"])
def test_F05_a_body_printed_in_bold_leads_where_the_circular_says_so(tmp_path, fmt, rule, resources):
    rows = [["序号", "工作任务", "责任单位"],
            ["1", TASK_A, "澄阳市财政局、**澄阳市水务局**"],
            ["2", TASK_B, "**澄阳市水务局**、临江区人民政府"],
            ["3", TASK_C, "临江区人民政府、澄阳市应急管理局"]]  # nothing in bold: the first listed leads
    assert assigned(tmp_path, fmt, rows, resources, (*COVER, rule)) == [
        (TASK_A, "澄阳市水务局", ["澄阳市财政局"]),
        (TASK_B, "澄阳市水务局", ["临江区人民政府"]),
        (TASK_C, "临江区人民政府", ["澄阳市应急管理局"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_bold_type_alone_says_nothing_about_the_lead(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "责任单位"], ["1", TASK_A, "澄阳市财政局、**澄阳市水务局**"]]
    assert assigned(tmp_path, fmt, rows, resources) == [(TASK_A, "澄阳市财政局", ["澄阳市水务局"])]


def test_F05_a_bold_body_inside_a_bracket_leads_under_the_stated_rule(tmp_path, resources):
    path = tmp_path / "plan.html"
    path.write_text(f"<html><body><div><p>{COVER[0]}</p><p>{COVER[1]}</p><p>{BOLD_RULE}</p>"
                    f"<p>一、{TASK_A[:-1]}（临江区人民政府、<b>澄阳市水务局</b>）</p></div></body></html>", encoding="utf-8")
    task = next(t for t in extract_file(path, resources).tasks if t.assignment)
    assert (task.assignment.lead.surface, [d.surface for d in task.assignment.co]) == ("澄阳市水务局", ["临江区人民政府"])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("pointer", "note"), [
    ("见表注", "表注：第2项、第3项责任单位为澄阳市水务局（牵头）、临江区人民政府、澄阳市财政局。"),
    ("见注", "注：第2、3项由澄阳市水务局牵头，临江区人民政府、澄阳市财政局配合。"),
    ("详见注1", "注1：澄阳市水务局（牵头）、临江区人民政府、澄阳市财政局。"),
    ("见备注", "备注：序号2至3的责任单位为澄阳市水务局、临江区人民政府、澄阳市财政局。"),
])
def test_F05_rows_that_point_to_a_note_take_the_departments_it_states(tmp_path, fmt, pointer, note, resources):
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", TASK_A, "澄阳市应急管理局", "2031年6月底前"],
            ["2", TASK_B, pointer, "2031年9月底前"],
            ["3", TASK_C, pointer, "2031年12月底前"]]
    bodies = ("澄阳市水务局", ["临江区人民政府", "澄阳市财政局"])
    found = assigned(tmp_path, fmt, rows, resources, below=(note, "各单位要按时报送进展情况。"))
    assert found == [(TASK_A, "澄阳市应急管理局", []), (TASK_B, *bodies), (TASK_C, *bodies)]


@pytest.mark.parametrize("fmt", ("html", "docx"))
def test_F05_each_row_takes_the_note_that_names_it(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "责任单位"],
            ["1", TASK_A, "见表注"], ["2", TASK_B, "澄阳市应急管理局"], ["3", TASK_C, "见表注"]]
    note = "表注：第1项由澄阳市水务局负责；第3项由临江区人民政府牵头，澄阳市财政局配合。"
    assert assigned(tmp_path, fmt, rows, resources, below=(note,)) == [
        (TASK_A, "澄阳市水务局", []), (TASK_B, "澄阳市应急管理局", []), (TASK_C, "临江区人民政府", ["澄阳市财政局"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_time_cell_of_two_deadlines_lists_both_and_the_first_is_due(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "责任单位", "进度安排"],
            ["1", TASK_B, "澄阳市水务局", "3月完成选址，2027年9月底前挂牌运营"]]
    result = extract_file(write(tmp_path, fmt, rows), resources)
    (task,) = [t for t in result.tasks if t.assignment]
    assert [d.text for d in task.deadlines] == ["3月", "2027年9月底前"]
    assert task.due.text == "3月"


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_person_after_each_body_in_a_cell_is_not_part_of_its_name(tmp_path, fmt, resources):
    rows = [["序号", "整改任务", "责任单位", "完成时限"],
            ["1", TASK_A, "财务处（程某某）、科研处（葛某）", "6月底前"]]
    assert assigned(tmp_path, fmt, rows, resources) == [(TASK_A, "财务处", ["科研处"])]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_F05_names_on_lines_of_their_own_in_a_cell_are_the_items_of_a_list(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "牵头部门", "配合部门"],
            ["1", TASK_A, "生产运行部", "第一水厂\n第二水厂\n第三水厂"],
            ["2", TASK_B, "调度中心", "管网管理部\n二次供水管理所"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "生产运行部", ["第一水厂", "第二水厂", "第三水厂"]),
        (TASK_B, "调度中心", ["管网管理部", "二次供水管理所"])]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_F05_a_task_written_over_lines_of_a_cell_stays_one_text(tmp_path, fmt, resources):
    long_task = "推进农村供水工程改造，提升供水保障水平，完善水质监测网络，做好汛期供水应急准备。"
    rows = [["序号", "工作任务", "责任部门"], ["1", long_task + "\n建立工作台账，每月通报进展。", "市水务局"]]
    assert assigned(tmp_path, fmt, rows, resources) == [(long_task + "建立工作台账，每月通报进展。", "市水务局", [])]


def test_F05_a_second_header_row_under_a_merged_label(tmp_path, resources):
    page = ("<html><body><div><p>澄阳供水集团关于印发迎峰度夏保障方案的通知</p><table>"
            "<tr><th rowspan='2'>序号</th><th rowspan='2'>保障任务</th><th colspan='2'>责任分工</th>"
            "<th rowspan='2'>完成时限</th><th rowspan='2'>备注</th></tr>"
            "<tr><th>牵头部门</th><th>配合部门（单位）</th></tr>"
            f"<tr><td>1</td><td>{TASK_A}</td><td>生产运行部</td><td>安全环保部</td><td>6月15日前</td><td>—</td></tr>"
            "</table></div></body></html>")
    path = tmp_path / "plan.html"
    path.write_text(page, encoding="utf-8")
    result = extract_file(path, resources)
    assert [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co])
            for t in result.tasks if t.assignment] == [(TASK_A, "生产运行部", ["安全环保部"])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_cell_that_names_only_a_person_assigns_no_body(tmp_path, fmt, resources):
    rows = [["序号", "工作任务", "责任单位", "完成时限"],
            ["1", TASK_A, "副总经理　韩某群；农业发展科", "10月底前"],
            ["2", TASK_B, "韩某群", "禁烧期内"]]
    assert assigned(tmp_path, fmt, rows, resources) == [(TASK_A, "农业发展科", [])]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_a_head_noun_in_brackets_after_a_label_is_no_body(tmp_path, fmt, resources):
    cover = (*COVER[:2], "清单中责任处室（单位）栏列有多个处室的，排在第一位的为牵头处室。")
    rows = [["序号", "工作任务", "责任处室（单位）"], ["1", TASK_A, "民族处、宗教处"]]
    result = extract_file(write(tmp_path, fmt, rows, cover), resources)
    assert [(t.text, t.assignment.lead.surface) for t in result.tasks if t.assignment] == [(TASK_A, "民族处")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_F05_an_empty_lead_cell_under_a_filled_one_is_merged_down(tmp_path, fmt, resources):
    rows = [["序号", "重点任务", "责任部门", "配合部门"],
            ["1", TASK_A, "审判管理办公室", "政治部"],
            ["2", TASK_B, "", "各审判业务部门"],
            ["3", TASK_C, "立案庭", "—"]]
    assert assigned(tmp_path, fmt, rows, resources) == [
        (TASK_A, "审判管理办公室", ["政治部"]), (TASK_B, "审判管理办公室", ["各审判业务部门"]), (TASK_C, "立案庭", [])]
