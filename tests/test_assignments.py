"""Assignment markup: which departments a parenthesis (or label lines) names, and who leads.

Snippets are the contents of the parenthesis after a task, as circulars print them.
"""

from __future__ import annotations

import json

import pytest

from pipeline.assignments import build_assignment, read_markup
from pipeline.errors import ResourceError
from pipeline.model import Assignment
from pipeline.registry import DepartmentRegistry
from pipeline.resources import REGISTRY_FILE


def assign(content: str, resources) -> Assignment | None:
    reading = read_markup(content, resources)
    if reading is None:
        return None
    return build_assignment(reading, f"（{content}）", 0, len(content) + 2, resources, None)


@pytest.mark.parametrize(
    ("content", "lead", "co", "open_ended"),
    [
        # a bare list: the first body listed leads
        ("发展改革委、财政部、商务部", "发展改革委", ["财政部", "商务部"], False),
        ("教育部、人力资源社会保障部负责", "教育部", ["人力资源社会保障部"], False),
        # explicit roles
        ("生态环境部牵头，工业和信息化部、住房城乡建设部参与", "生态环境部", ["工业和信息化部", "住房城乡建设部"], False),
        ("市场监管总局牵头，公安部配合", "市场监管总局", ["公安部"], False),
        ("交通运输部、公安部负责，公安部牵头", "公安部", ["交通运输部"], False),
        ("教育部指导，各省级人民政府负责落实。以下均需各省级人民政府落实，不再列出", "教育部", ["各省级人民政府"], False),
        # 等 marks an open list; a generic tail such as 有关部门 is not a body
        ("国家卫生健康委、民政部等负责", "国家卫生健康委", ["民政部"], True),
        ("人力资源社会保障部、教育部等有关部门负责", "人力资源社会保障部", ["教育部"], True),
        ("人力资源社会保障部等有关部门和单位负责", "人力资源社会保障部", [], True),
        ("自然资源部、水利部等和各省级人民政府负责", "自然资源部", ["水利部", "各省级人民政府"], True),
        # a second list joined by a comma, with a role phrase
        ("工业和信息化部、科技部，各省级人民政府按职责分工负责", "工业和信息化部", ["科技部", "各省级人民政府"], False),
        # generic bodies on their own are kept whole, not split on 和
        ("各有关部门和单位按职责分工负责", "各有关部门和单位", [], False),
        # 和 inside a ministry's name is not a list separator; between two bodies it is
        ("文化和旅游部、国家文物局", "文化和旅游部", ["国家文物局"], False),
        ("财政部和税务总局负责", "财政部", ["税务总局"], False),
        # label segments as they appear in a task-division table row
        ("牵头单位：发展改革委；配合单位：财政部、商务部", "发展改革委", ["财政部", "商务部"], False),
    ],
)
def test_assignments_read_lead_and_co(content, lead, co, open_ended, resources):
    assignment = assign(content, resources)
    assert assignment is not None
    assert assignment.lead is not None
    assert assignment.lead.surface == lead
    assert [d.surface for d in assignment.co] == co
    assert assignment.open_ended is open_ended


def test_assignments_reading_rule_is_flagged_not_a_body(resources):
    reading = read_markup("民政部负责，列第一位者为牵头单位，下同", resources)
    assert reading is not None
    assert reading.states_first_is_lead
    assert [surface for surface, _ in reading.bodies] == ["民政部"]


def test_assignments_bare_list_does_not_state_the_reading_rule(resources):
    reading = read_markup("民政部、财政部", resources)
    assert reading is not None
    assert not reading.states_first_is_lead


@pytest.mark.parametrize(
    ("content", "lead", "co"),
    [
        ("市水务局、市城市管理局", "市水务局", ["市城市管理局"]),
        ("市自然资源和规划局、市退役军人事务局", "市自然资源和规划局", ["市退役军人事务局"]),
        pytest.param("市应急管理局、市水务局", "市应急管理局", ["市水务局"], id="应急"),
        pytest.param("区为民服务中心、市后勤服务中心", "区为民服务中心", ["市后勤服务中心"], id="为民"),
        pytest.param("内蒙古自治区人民政府、水利部", "内蒙古自治区人民政府", ["水利部"],
                     id="内蒙古"),
        pytest.param("市不动产登记中心、市税务局", "市不动产登记中心", ["市税务局"],
                     id="不动产"),
    ],
)
def test_assignments_unregistered_local_bodies_are_read(content, lead, co, resources):
    assignment = assign(content, resources)
    assert assignment is not None and assignment.lead is not None
    assert (assignment.lead.surface, [d.surface for d in assignment.co]) == (lead, co)


@pytest.mark.parametrize(
    ("content", "deadline_text"),
    [
        ("市财政局负责，2025年底前完成", "2025年底前完成"),
        ("牵头单位：市发展改革委；责任单位：市财政局、市商务局；完成时限：2025年底前", "2025年底前"),
    ],
)
def test_assignments_deadline_inside_markup_is_not_a_body(content, deadline_text, resources):
    reading = read_markup(content, resources)
    assert reading is not None
    assert reading.deadline_text == deadline_text
    assert all("2025" not in surface for surface, _ in reading.bodies)


@pytest.mark.parametrize(
    "content",
    [
        "职业院校内由教育行政部门负责",  # explains who is responsible in a special case
        "含民办幼儿园",
        "以下简称“两个清单”",
        "以下简称协会",
        "以下统称监管机构",
        "试行",
        "暂行",
        "超过50人的单位达到10%",
        "记者 王芳",
        "详见附件2",
        "同比增长12%",
    ],
)
def test_assignments_explanatory_parenthesis_is_not_an_assignment(content, resources):
    assert read_markup(content, resources) is None


def test_assignments_resolve_departments_through_the_registry(resources):
    assignment = assign("发展改革委、市营商环境促进中心", resources)
    assert assignment is not None and assignment.lead is not None
    assert (assignment.lead.name, assignment.lead.known) == ("国家发展和改革委员会", True)
    unknown = assignment.co[0]
    assert (unknown.surface, unknown.name, unknown.known) == ("市营商环境促进中心", "市营商环境促进中心", False)


# ---- registry ------------------------------------------------------------------------


def test_registry_abbreviation_resolves_to_canonical_name(resources):
    department = resources.registry.resolve("发展改革委")
    assert department.known
    assert department.surface == "发展改革委"
    assert department.name == "国家发展和改革委员会"
    assert department.current_name is None


def test_registry_former_body_gets_its_present_day_successor(resources):
    department = resources.registry.resolve("保监会")
    assert department.name == "中国保险监督管理委员会"
    assert department.current_name == "国家金融监督管理总局"


def test_registry_unknown_unit_is_kept_as_printed(resources):
    department = resources.registry.resolve("市营商环境促进中心")
    assert not department.known
    assert department.name == department.surface == "市营商环境促进中心"
    assert department.current_name is None


@pytest.mark.parametrize(
    ("surface", "name"),
    [
        ("人力资源与社会保障部", "人力资源和社会保障部"),  # 与 for 和
        ("国家市场监督管理局", "国家市场监督管理总局"),  # 总 dropped
    ],
)
def test_registry_near_miss_resolves_by_fuzzy_match(surface, name, resources):
    department = resources.registry.resolve(surface)
    assert department.known
    assert department.name == name
    assert department.surface == surface


def test_registry_provincial_department_is_not_merged_into_the_ministry(resources):
    department = resources.registry.resolve("省人力资源和社会保障厅")
    assert not department.known


def _write_registry(path, *entries):
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    return path


def test_registry_user_file_adds_local_units(tmp_path):
    user = _write_registry(tmp_path / "ours.jsonl",
                           {"name": "澄江市营商环境促进中心", "abbreviations": ["市营商中心"], "level": "local"})
    registry = DepartmentRegistry.from_files([REGISTRY_FILE, user])
    department = registry.resolve("市营商中心")
    assert (department.known, department.name) == (True, "澄江市营商环境促进中心")
    assert registry.resolve("发展改革委").known  # the bundled entries stay


def test_registry_fuzzy_threshold_is_respected(tmp_path):
    user = _write_registry(tmp_path / "ours.jsonl", {"name": "澄江市数据资源管理局"})
    lenient = DepartmentRegistry.from_files([user], fuzzy_threshold=85)
    strict = DepartmentRegistry.from_files([user], fuzzy_threshold=100)
    assert lenient.resolve("澄江市数据资源管理处").known
    assert not strict.resolve("澄江市数据资源管理处").known


def test_registry_malformed_file_names_file_and_line(tmp_path):
    bad = tmp_path / "broken.jsonl"
    bad.write_text('{"name": "市财政局"}\n{"abbreviations": ["财政"]}\n', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"broken\.jsonl line 2"):
        DepartmentRegistry.from_files([bad])


def test_registry_successor_must_be_registered(tmp_path):
    bad = _write_registry(tmp_path / "orphan.jsonl", {"name": "市旅游局", "successor": "市文化和旅游局"})
    with pytest.raises(ResourceError, match="市文化和旅游局"):
        DepartmentRegistry.from_files([bad])
