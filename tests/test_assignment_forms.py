"""Assignment forms of a provincial 分工方案, end to end: label parentheses, a parenthesis on
its own line, 分别负责, 牵头负责, and the title and obligations of one-sentence tasks."""

import pytest

from pipeline import extract_bytes

PLAN = """市人民政府办公室关于印发2025年优化营商环境重点任务分工方案的通知
各区人民政府，市政府各部门：
现将《2025年优化营商环境重点任务分工方案》印发给你们，请认真组织实施。
市人民政府办公室
2025年2月10日
2025年优化营商环境重点任务分工方案
一、提升政务服务水平
1.深化“一件事一次办”改革，年内新增10个集成服务场景。（责任单位：市政务服务数据管理局、市发展改革委；完成时限：2025年12月底前）
2.推行惠企政策免申即享。
（市财政局牵头，市税务局、市工业和信息化局配合）
3.优化水电气网联合报装服务，压缩办理时间。（市住房城乡建设局、市供电公司分别负责）
二、加强监管执法
（一）规范涉企检查。（牵头单位：市司法局；责任单位：各区人民政府，市有关部门）
严格控制检查频次，推行“综合查一次”。
（二）健全信用修复机制，市场主体可以通过线上方式申请信用修复。（市发展改革委牵头负责）
三、强化组织保障
各区、各部门要高度重视，每季度末向市营商办报送工作进展。
"""


@pytest.fixture(scope="module")
def tasks(resources):
    return [t for t in extract_bytes(PLAN.encode(), "plan.txt", resources).tasks if t.assignment]


def departments(task):
    return task.assignment.lead.surface, [d.surface for d in task.assignment.co]


def test_forms_every_task_is_found_once(tasks):
    assert len(tasks) == 5


def test_forms_responsible_label_with_a_deadline_inside_the_parenthesis(tasks):
    assert departments(tasks[0]) == ("市政务服务数据管理局", ["市发展改革委"])
    assert "2025-12-31" in [d.date for d in tasks[0].deadlines]


def test_forms_parenthesis_on_its_own_line_assigns_the_paragraph_above(tasks):
    assert tasks[1].text.startswith("2.推行惠企政策免申即享")
    assert departments(tasks[1]) == ("市财政局", ["市税务局", "市工业和信息化局"])


def test_forms_one_sentence_task_keeps_its_obligation_and_a_title_without_marker(tasks):
    assert tasks[2].title.startswith("优化水电气网联合报装服务")
    assert [o.modality for o in tasks[2].obligations] == ["must"]


def test_forms_heading_with_label_parenthesis_covers_the_paragraph_below(tasks):
    # 市有关部门 is a generic tail: no body once a body is named
    assert departments(tasks[3]) == ("市司法局", ["各区人民政府"])
    assert "严格控制检查频次" in tasks[3].text


def test_forms_bare_directive_before_a_may_clause_stays_a_duty(tasks):
    assert [o.modality for o in tasks[4].obligations] == ["must", "may"]
