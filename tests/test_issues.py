"""Regressions found by reading circulars of families the project had not seen (meeting
minutes, county plans, department rules). Each test is named after the bug it pins."""

import pytest

from pipeline import extract_bytes
from pipeline.assignments import build_assignment, read_markup
from pipeline.deadlines import DeadlineFinder
from pipeline.obligations import read_obligations


def records(text, resources, name="n.txt"):
    return extract_bytes(text.encode(), name, resources).tasks


def test_short_numbered_duties_are_not_swallowed_as_headings(resources):
    text = ("关于做好汛期安全工作的通知\n各乡镇人民政府：\n现就有关事项通知如下：\n"
            "1.各乡镇要于2026年6月底前完成隐患排查。\n2.严禁擅自拆除防汛设施；\n"
            "3.每季度末组织一次应急演练。\n县应急管理局\n2026年3月2日\n")
    found = [o for t in records(text, resources) for o in t.obligations]
    assert {o.modality for o in found} >= {"must", "must_not"}
    dates = [d.date for t in records(text, resources) for d in t.deadlines]
    assert "2026-06-30" in dates


def test_articles_of_a_rule_are_text_not_headings(resources):
    text = "第一条 为规范备案管理，制定本办法。\n第二条 经营者应当自变更之日起10个工作日内申请变更登记。\n"
    obligations = [o for t in records(text, resources) for o in t.obligations]
    assert any(o.modality == "must" and "申请变更登记" in o.text for o in obligations)
    assert any(o.deadline and o.deadline.text == "变更之日起10个工作日内" for o in obligations)


@pytest.mark.parametrize(
    ("content", "lead", "co"),
    [
        ("省财政厅牵头，省商务厅、人民银行澜江省分行等按职责分工负责", "省财政厅", ["省商务厅", "人民银行澜江省分行"]),
        ("市金融工作局、人民银行青川市分行负责", "市金融工作局", ["人民银行青川市分行"]),
        ("市教育局、青川大学负责", "市教育局", ["青川大学"]),
    ],
)
def test_unfamiliar_name_endings_do_not_discard_a_department_list(content, lead, co, resources):
    reading = read_markup(content, resources)
    assert reading is not None
    assignment = build_assignment(reading, content, 0, len(content), resources, None)
    assert (assignment.lead.surface, [d.surface for d in assignment.co]) == (lead, co)


def test_unfamiliar_names_without_a_role_word_are_still_no_assignment(resources):
    assert read_markup("北京、上海", resources) is None


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        ("聚焦重点领域开展专项监督，严禁以化整为零方式规避审批。", "must"),
        ("精简会议文件，原则上会议不超过90分钟。", "must"),
    ],
)
def test_a_ban_or_softener_governs_only_its_own_clause(sentence, first, resources):
    found = read_obligations(sentence, 0, resources.cues, [], False, [])
    assert found[0].modality == first and len(found) == 2


@pytest.mark.parametrize(
    ("sentence", "text", "date"),
    [
        ("2025年4月底前印发实施方案。", "2025年4月底前", "2025-04-30"),
        ("2026年3月底之前完成整改。", "2026年3月底之前", "2026-03-31"),
        ("明年6月底前全面完成。", "明年6月底前", "2026-06-30"),
        ("2026年春节前发放到位。", "2026年春节前", None),
    ],
)
def test_deadline_forms_seen_in_county_plans(sentence, text, date, resources):
    found = DeadlineFinder(resources.cues, 2025).find(sentence)
    assert [(d.text, d.date) for d in found] == [(text, date)]


def test_an_eligibility_period_is_no_deadline(resources):
    assert DeadlineFinder(resources.cues, 2025).find("对离校2年内未就业高校毕业生给予补贴。") == []


def test_ongoing_completion_time_in_a_label_line(resources):
    text = ("（一）健全矛盾纠纷排查机制。\n牵头单位：县司法局\n配合单位：各乡镇人民政府\n完成时限：长期坚持\n")
    task = next(t for t in records(text, resources) if t.assignment)
    assert [(d.text, d.kind) for d in task.deadlines] == [("长期坚持", "ongoing")]


def test_transmittal_formula_and_reading_rule_are_statements(resources):
    text = ("现将《实施方案》印发给你们，请认真贯彻执行。各项任务中排在第一位的为牵头单位，其余为协办单位。")
    found = read_obligations(text, 0, resources.cues, [], False, [])
    by_text = {o.text.rstrip("。，"): o.modality for o in found}
    assert by_text["现将《实施方案》印发给你们"] == "statement"
    assert by_text["请认真贯彻执行"] == "must"
    assert [o.modality for o in found if "协办单位" in o.text] == ["statement"]


def test_meeting_minutes_attendance_is_furniture_and_reporting_verbs_are_framing(resources):
    text = ("会议纪要\n会议要求，各街道要在5个工作日内报送名单。\n出席：张三、李四\n列席：王五\n")
    result = extract_bytes(text.encode(), "minutes.txt", resources)
    assert all("出席" not in t.text for t in result.tasks)
    found = [o for t in result.tasks for o in t.obligations]
    assert [o.modality for o in found if o.text.startswith("会议要求")] == ["statement"]


def test_minutes_masthead_issue_number_and_issuer_date_line(resources):
    text = ("青川市人民政府\n专题会议纪要\n〔2025〕第9期\n青川市人民政府办公室　　　2025年7月3日\n"
            "关于推进城市更新工作的专题会议纪要\n"
            "2025年7月1日，副市长主持召开专题会议，研究城市更新工作。纪要如下：\n"
            "一、会议要求，市住房城乡建设局要于2025年9月底前制定实施细则。\n")
    result = extract_bytes(text.encode(), "minutes.txt", resources)
    header = result.document.header
    assert (header.doc_number, header.title, header.issuer, header.date, header.addressees) == (
        "〔2025〕第9期", "关于推进城市更新工作的专题会议纪要", ["青川市人民政府办公室"], "2025-07-03", [])
    narration = [o.modality for t in result.tasks for o in t.obligations if "主持召开" in o.text]
    assert narration == ["statement"]
