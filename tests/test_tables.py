"""Task-division tables read the same way from HTML and Markdown (PDF and DOCX use the same reader)."""

import pytest

from pipeline import extract_bytes
from pipeline.tables import column_roles

PLAN_PAGE = """<html><body><div class="article">
<p>关于印发2025年营商环境重点任务分工的通知</p><p>各区人民政府，市政府各部门：</p>
<p>现将重点任务分工印发给你们，请认真抓好落实。</p>
<table>
<tr><th>序号</th><th>工作任务</th><th>完成时限</th><th>配合单位</th><th>牵头单位</th></tr>
<tr><td colspan="5">一、提升政务服务效能</td></tr>
<tr><td>1</td><td>推进高频事项“全程网办”。</td><td>2025年底前</td><td>市发展改革委、市财政局</td><td>市政务服务数据管理局</td></tr>
<tr><td>2</td><td>压缩工程建设项目审批时间。</td><td>2026年6月底前</td><td>市自然资源局</td><td rowspan="2">市住房城乡建设局</td></tr>
<tr><td>3</td><td>推行联合验收。</td><td>每季度</td><td>市消防救援支队等</td></tr>
<tr><td></td><td>验收发现的问题限期整改。</td><td></td><td></td><td></td></tr>
<tr><td colspan="5">二、强化要素保障</td></tr>
<tr><td>4</td><td>盘活存量低效用地。</td><td>2025年9月底前</td><td></td><td>市自然资源局</td></tr>
</table>
<p>各单位要加强组织领导，确保任务按期完成。</p>
</div></body></html>"""


@pytest.fixture(scope="module")
def plan_tasks(resources):
    result = extract_bytes(PLAN_PAGE.encode(), "plan.html", resources)
    return [t for t in result.tasks if t.assignment is not None]


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (["序号", "重点任务", "牵头单位", "配合单位"], {0: "index", 1: "task", 2: "lead", 3: "co"}),
        (["主要任务", "责任单位", "时间进度"], {0: "task", 1: "responsible", 2: "deadline"}),
        (["工作措施", "完成时间", "牵头部门", "协办部门"], {0: "task", 1: "deadline", 2: "lead", 3: "co"}),
        (["序 号", "任务内容", "责任部门"], {0: "index", 1: "task", 2: "responsible"}),
    ],
)
def test_tables_header_recognised_by_column_names_in_any_order(header, roles, resources):
    assert column_roles(header, resources) == roles


def test_tables_each_row_is_a_task_with_departments_from_its_columns(plan_tasks):
    first = plan_tasks[0]
    assert first.text == "推进高频事项“全程网办”。"
    assert first.assignment.lead.surface == "市政务服务数据管理局"
    assert [d.surface for d in first.assignment.co] == ["市发展改革委", "市财政局"]
    assert [d.date for d in first.deadlines] == ["2025-12-31"]


def test_tables_section_rows_become_the_section_path(plan_tasks):
    assert [t.section_path[-1] for t in plan_tasks] == ["一、提升政务服务效能"] * 3 + ["二、强化要素保障"]


def test_tables_row_split_by_a_page_break_is_merged(plan_tasks):
    assert plan_tasks[2].text == "推行联合验收。验收发现的问题限期整改。"
    assert len(plan_tasks) == 4


def test_tables_merged_lead_cell_applies_to_the_rows_it_spans(plan_tasks):
    assert plan_tasks[2].assignment.lead.surface == "市住房城乡建设局"
    assert plan_tasks[2].assignment.open_ended  # 市消防救援支队等


def test_tables_markdown_pipe_table(resources):
    text = ("---\ntitle: 分工\n---\n\n| 序号 | 重点任务 | 牵头部门 | 协办部门 |\n|---|---|---|---|\n"
            "| 1 | 建立工作台账，每月通报进展。 | 办公室 | 人事处、财务处 |\n| 2 | 开展专项检查。 | 纪检监察室 | |\n")
    tasks = [t for t in extract_bytes(text.encode(), "plan.md", resources).tasks if t.assignment]
    assert [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in tasks] == [
        ("办公室", ["人事处", "财务处"]), ("纪检监察室", [])]
    assert tasks[0].deadlines[0].rrule == "FREQ=MONTHLY"


def test_tables_without_a_task_header_stay_text(resources):
    page = ("<html><body><div><p>关于公布联络员名单的通知</p><p>为做好政务信息报送工作，现将各单位联络员名单予以公布。各单位要及时更新联络员信息，确保联系畅通。</p>"
            "<table><tr><td>姓名</td><td>单位</td></tr><tr><td>张明</td><td>市财政局</td></tr></table>"
            "</div></body></html>")
    result = extract_bytes(page.encode(), "list.html", resources)
    assert all(t.assignment is None for t in result.tasks)
    assert any("张明" in t.text for t in result.tasks)


def test_tables_attachment_line_then_table_starts_an_attachment_part(resources):
    page = ("<html><body><div><p>关于印发年度重点工作的通知</p><p>各处室：</p>"
            "<p>为抓好年度重点工作落实，现将任务安排印发给你们，请各处室认真组织实施，确保按期完成。</p>"
            "<p>一、加强组织领导</p><p>各处室要明确专人负责，按月报送进展。</p>"
            "<p>附件：重点工作任务安排表</p>"
            "<table><tr><td>序号</td><td>工作任务</td><td>牵头处室</td></tr>"
            "<tr><td>1</td><td>完善内控制度。</td><td>财务处</td></tr></table></div></body></html>")
    result = extract_bytes(page.encode(), "p.html", resources)
    task = next(t for t in result.tasks if t.assignment)
    assert task.part == 1 and task.section_path == []
    assert result.document.parts[1].title == "重点工作任务安排表"
