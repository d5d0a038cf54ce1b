"""Layout recovery: a crawled page saved as one line is split back into the paragraphs its
author wrote, and nothing else is split. Synthetic lines, one per form of writing."""

from __future__ import annotations

import pytest

from pipeline import extract_bytes
from pipeline.layout import RUN_ON_CHARS, recover_lines

#: Filler that makes an item as long as real ones, with no marker, label or date inside.
FILL = ("坚持问题导向和目标导向，细化工作举措，明确时间节点，压实各方责任，加强跟踪调度，"
        "形成上下联动、部门协同的工作合力，确保各项任务按期落地见效")


def item(n: int, body: str = "完善排涝设施") -> str:
    return f"{n}.{body}，{FILL}。"


def test_layout_short_line_is_left_alone():
    line = "一、总体要求 （一）指导思想。 1.加强领导。 2.压实责任。"
    assert recover_lines(line) == [line]


def test_layout_long_line_without_a_numbered_sequence_is_left_alone():
    line = (FILL + "。 ") * 20
    assert len(line) > RUN_ON_CHARS
    assert recover_lines(line.strip()) == [line.strip()]


def test_layout_run_on_page_joined_by_spaces_splits_at_markers_labels_and_signature():
    line = (f"当前位置：首页 政务公开 澄阳市人民政府关于做好排涝工作的通知 各区人民政府，市政府各部门： "
            f"现将有关事项通知如下。 澄阳市人民政府 2026年3月9日 一、任务分工 {item(1)} 责任单位：市水务局牵头，"
            f"市应急管理局配合 {item(2, '推行河长巡查')} 责任单位：市生态环境局 {item(3, '建立预警机制')} "
            f"责任单位：市气象局 二、工作要求 （一）加强组织领导。{FILL}。")
    lines = recover_lines(line)
    addressees = next(i for i, x in enumerate(lines) if x.endswith("各区人民政府，市政府各部门："))
    assert lines[addressees + 1] == "现将有关事项通知如下。"
    assert "澄阳市人民政府" in lines and "2026年3月9日" in lines
    assert "一、任务分工" in lines and "二、工作要求" in lines
    assert [x[:2] for x in lines if x[:1].isdigit() and x[1] == "."] == ["1.", "2.", "3."]
    assert "责任单位：市水务局牵头，市应急管理局配合" in lines
    assert lines[-1].startswith("（一）加强组织领导。")


def test_layout_items_glued_without_any_separator_split_where_the_sequence_continues():
    line = (f"一、强化监测预警{item(1)}责任单位：区应急管理局、区消防救援大队{item(2)}责任单位：区水利局"
            f"{item(3)}责任单位：区气象局二、强化保障措施（一）加强组织领导。{FILL}。（二）强化督导检查。{FILL}。")
    lines = recover_lines(line)
    assert lines[:2] == ["一、强化监测预警", item(1)]
    assert "责任单位：区应急管理局、区消防救援大队" in lines
    assert "二、强化保障措施" in lines
    assert [x[:3] for x in lines if x.startswith("（")] == ["（一）", "（二）"]


@pytest.mark.parametrize("decimal", ["增长1.5倍", "达到2.5亿元", "提高到3.2个百分点", "第2.3条"])
def test_layout_decimal_numbers_inside_a_sentence_are_not_item_markers(decimal):
    line = f"一、目标任务 {item(1)} {item(2)} {item(3, '到2027年产值' + decimal)} {item(4)}"
    lines = recover_lines(line)
    assert [x[:2] for x in lines[1:]] == ["1.", "2.", "3.", "4."]
    assert any(decimal in x for x in lines)


def test_layout_short_field_label_keeps_its_value():
    line = f"发文机关： 澄阳市人民政府 成文日期： 2026-03-09 {item(1)} {item(2)} {item(3)} {item(4)}"
    assert recover_lines(line)[0] == "发文机关： 澄阳市人民政府 成文日期： 2026-03-09"


def test_layout_eleven_is_not_one_glued_after_a_heading():
    line = ("一、放宽准入" + "".join(item(n) for n in range(1, 11))
            + f"二、强化要素支持11.拓宽融资渠道，{FILL}。12.降低融资成本，{FILL}。")
    lines = recover_lines(line)
    assert [x.split("，")[0] for x in lines[-3:]] == ["二、强化要素支持", "11.拓宽融资渠道", "12.降低融资成本"]
    assert len(lines) == 14


def test_layout_run_on_txt_yields_tasks_with_their_lead(resources):
    line = (f"澄阳市人民政府办公室关于印发排涝工作任务分工的通知 各区人民政府： 现印发给你们，请认真执行。 "
            f"澄阳市人民政府办公室 2026年3月9日 一、任务分工 {item(1)} 责任单位：市水务局牵头，市应急管理局配合 "
            f"{item(2, '推行河长巡查')} 责任单位：市生态环境局 {item(3, '建立预警机制')} 责任单位：市气象局")
    result = extract_bytes(line.encode("utf-8"), "run-on.txt", resources)
    leads = [t.assignment.lead.name for t in result.tasks if t.assignment and t.assignment.lead]
    assert leads == ["市水务局", "市生态环境局", "市气象局"]


@pytest.mark.parametrize("label", ["责任单位 ", "负责部门：", "牵头处室：", "主责单位:", "完成时限："])
def test_layout_F01_any_label_of_the_assignment_grammar_closes_a_glued_item(label):
    value = "2026年6月底前" if "时限" in label else "区应急管理局、区消防救援大队"
    line = (f"一、强化监测预警{item(1)}{label}{value}{item(2)}{label}{value}"
            f"{item(3)}{label}{value}二、强化保障措施（一）加强组织领导。{FILL}。")
    lines = recover_lines(line)
    assert lines.count(f"{label}{value}".strip()) == 3
