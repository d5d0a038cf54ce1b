"""Extraction end to end on small circulars written for these tests: header fields, parts,
tasks with their departments and section paths, records without departments, stable ids,
and records that validate against the schemas."""

from __future__ import annotations

import pytest

from pipeline import document_record, extract_bytes, obligation_records

#: A party-committee notice that forwards an attached work plan. The cover states the reading
#: rule; the plan's tasks end in bare department lists.
CIRCULAR = """\
中共青岚市市场监督管理局委员会文件
青市监党委发〔2025〕4号
中共青岚市市场监督管理局委员会关于印发《食品安全监管责任落实工作方案》的通知
局机关各科室，各分局党支部：
　　现将《食品安全监管责任落实工作方案》印发给你们，请结合实际认真抓好落实。{rule}
　　各分局（含直属分局）要于每季度末向局党委报送工作进展。
　　　　　　　　　　中共青岚市市场监督管理局委员会
　　　　　　　　　　　　二〇二五年三月十八日
附件
　　　　食品安全监管责任落实
　　　　　　　　工作方案
　　一、压实监管责任
　　（一）明确包保责任
　　1.建立食品生产企业分级包保台账，做到每家企业都有包保干部。（食品生产科、办公室）
　　2.包保干部每季度至少开展1次现场督导，不得以书面检查代替现场检查。（食品经营科、稽查支队、法规科）
　　3.2025年9月底前，完成辖区学校食堂风险排查。（食品经营科、教育分局）
　　（二）强化抽检监测（抽检科、食品经营科）
　　1.科学制定年度抽检计划，重点覆盖校园周边和农村集市的小作坊、小摊贩。
　　2.对抽检不合格食品要依法及时核查处置，按规定向社会公布抽检结果。
　　二、加强能力建设
　　（一）完善培训制度。每年组织执法人员全员轮训一次（人事科）；修订执法人员考核办法，将考核结果与评先评优挂钩（人事科、法规科）。
　　（二）建设快检实验室，配齐快检设备和检测人员。
　　牵头单位：办公室
　　责任单位：抽检科、财务科
"""
READING_RULE = "方案各项任务后所列单位，列在每项任务最前面的为牵头部门，其余为协办部门。"

#: An opinion that states duties and deadlines but assigns no task to a department.
NO_ASSIGNMENTS = """\
澄江市人民政府关于进一步规范涉企收费的意见
澄政发〔2025〕3号
各镇人民政府，市政府各部门：
　　为切实减轻企业负担，现就规范涉企收费提出如下意见。
　　一、全面清理收费项目
　　各部门要在2025年6月底前完成涉企收费项目清理，不得擅自设立收费项目。
　　二、建立常态化监测机制
　　市市场监管局（市知识产权局）要会同市财政局每季度通报一次收费检查情况。鼓励行业协会主动降低会费标准。
　　三、严肃查处违规行为
　　对违规收费的单位，依法追究相关人员责任。
　　澄江市人民政府
　　2025年2月10日
"""

NEWS = """\
---
title: 东川市召开优化营商环境工作推进会
author: 东川日报
date: 2025-03-18
---

3月17日，东川市召开优化营商环境工作推进会，通报了去年全市营商环境评价结果。

会议要求，各部门要进一步压缩审批时限，今年年底前实现企业开办全程网办。
"""


@pytest.fixture(scope="module")
def circular(resources):
    return extract_bytes(CIRCULAR.format(rule=READING_RULE).encode("utf-8"), "circular.txt", resources)


def task_holding(result, key):
    """The one record whose text holds ``key``."""
    found = [t for t in result.tasks if key in t.text]
    assert len(found) == 1, f"{len(found)} records hold {key!r}"
    return found[0]


def departments(task):
    a = task.assignment
    return (a.lead.surface if a and a.lead else None), ([d.surface for d in a.co] if a else [])


def assigned_items(text: str, resources, name: str = "plan.txt") -> list[tuple[str, tuple]]:
    """(the first two characters of each assigned task, its lead and co-operating bodies)."""
    return [(t.text[:2], departments(t)) for t in extract_bytes(text.encode("utf-8"), name, resources).tasks
            if t.assignment]


def test_extraction_header_of_a_cover_notice(circular):
    header = circular.document.header
    assert header.doc_number == "青市监党委发〔2025〕4号"
    assert header.title == "中共青岚市市场监督管理局委员会关于印发《食品安全监管责任落实工作方案》的通知"
    assert header.issuer == ["中共青岚市市场监督管理局委员会"]
    assert header.date == "2025-03-18"  # 二〇二五年三月十八日
    assert header.addressees == ["局机关各科室", "各分局党支部"]


def test_extraction_attachment_is_a_part_with_its_two_line_title(circular):
    parts = circular.document.parts
    assert [p.index for p in parts] == [0, 1]
    assert parts[1].title == "食品安全监管责任落实工作方案"


@pytest.mark.parametrize(
    ("key", "lead", "co", "path"),
    [
        ("分级包保台账", "食品生产科", ["办公室"], ["一、压实监管责任", "（一）明确包保责任", "1."]),
        ("至少开展1次现场督导", "食品经营科", ["稽查支队", "法规科"], ["一、压实监管责任", "（一）明确包保责任", "2."]),
        ("学校食堂风险排查", "食品经营科", ["教育分局"], ["一、压实监管责任", "（一）明确包保责任", "3."]),
        ("全员轮训一次", "人事科", [], ["二、加强能力建设", "（一）完善培训制度"]),
        ("修订执法人员考核办法", "人事科", ["法规科"], ["二、加强能力建设", "（一）完善培训制度"]),
        ("建设快检实验室", "办公室", ["抽检科", "财务科"], ["二、加强能力建设", "（二）建设快检实验室"]),
    ],
)
def test_extraction_attachment_tasks_lead_co_and_section(key, lead, co, path, circular):
    task = task_holding(circular, key)
    assert departments(task) == (lead, co)
    assert task.part == 1
    # each heading of the path starts with the expected marker and words
    assert len(task.section_path) == len(path), task.section_path
    assert all(got.startswith(want) for got, want in zip(task.section_path, path, strict=True)), task.section_path


def test_extraction_task_text_leaves_out_the_markup(circular):
    task = task_holding(circular, "至少开展1次现场督导")
    assert task.assignment is not None
    assert task.assignment.text == "（食品经营科、稽查支队、法规科）"
    assert "稽查支队" not in task.text


def test_extraction_deadlines_of_a_task(circular):
    task = task_holding(circular, "学校食堂风险排查")
    assert [(d.text, d.date) for d in task.deadlines] == [("2025年9月底前", "2025-09-30")]


def test_extraction_reading_rule_in_the_cover_carries_to_the_attachment(circular, resources):
    """The cover's 列在每项任务最前面的为牵头部门 makes the first of a bare list a sure lead."""
    without = extract_bytes(CIRCULAR.format(rule="").encode("utf-8"), "circular.txt", resources)
    for key in ("分级包保台账", "至少开展1次现场督导", "修订执法人员考核办法"):
        ruled, unruled = task_holding(circular, key), task_holding(without, key)
        assert departments(ruled) == departments(unruled)
        assert ruled.confidence > unruled.confidence


def test_extraction_heading_level_assignment_covers_its_items(circular):
    for key in ("年度抽检计划", "不合格食品要依法及时核查处置"):
        task = task_holding(circular, key)
        assert departments(task) == ("抽检科", ["食品经营科"])
        assert task.section_path[1].startswith("（二）强化抽检监测")


def test_extraction_heading_level_assignment_is_not_also_an_unassigned_record(circular):
    assert [t.text for t in circular.tasks if t.assignment is None and "强化抽检监测" in t.text] == []


def test_extraction_several_tasks_in_one_paragraph_split_at_each_assignment(circular):
    records = [t for t in circular.tasks if "全员轮训一次" in t.text or "修订执法人员考核办法" in t.text]
    assert [(departments(t), "全员轮训一次" in t.text, "考核办法" in t.text) for t in records] == [
        (("人事科", []), True, False),
        (("人事科", ["法规科"]), False, True),
    ]


def test_extraction_label_lines_assign_the_task_before_them(circular):
    task = task_holding(circular, "建设快检实验室")
    assert task.assignment is not None
    assert task.assignment.text.split("\n") == ["牵头单位：办公室", "责任单位：抽检科、财务科"]
    assert "牵头单位" not in task.text


def test_extraction_label_lines_with_a_time_limit(resources):
    text = ("二、落实减税降费政策\n"
            "（一）全面落实小微企业税费减免政策，确保应享尽享。\n"
            "牵头单位：市税务局\n"
            "配合单位：市财政局、市人力资源社会保障局\n"
            "完成时限：2025年6月底前\n")
    (task,) = [t for t in extract_bytes(text.encode("utf-8"), "measures.txt", resources).tasks if t.assignment]
    assert departments(task) == ("市税务局", ["市财政局", "市人力资源社会保障局"])
    assert task.assignment.deadline is not None
    assert (task.assignment.deadline.text, task.assignment.deadline.date) == ("2025年6月底前", "2025-06-30")
    assert ("2025年6月底前", "2025-06-30") in [(d.text, d.date) for d in task.deadlines]
    assert "完成时限" not in task.text


LABELS_BEFORE_THE_TEXT = ("二、重点任务\n"
                          "（一）入园客流管控\n"
                          "责任科室：游客服务中心\n"
                          "配合科室：安全保卫科、办公室\n"
                          "实行实名分时段预约入园，7月上旬前完成预约系统扩容。\n"
                          "高峰日增开临时售票窗口。\n"
                          "（二）猛兽区安全防护\n"
                          "责任科室：动物管理科\n"
                          "对猛兽区隔离网逐一检查，发现隐患立即整改。\n")


def test_extraction_label_lines_between_a_title_and_its_text_assign_the_text_below(resources):
    tasks = [t for t in extract_bytes(LABELS_BEFORE_THE_TEXT.encode("utf-8"), "plan.txt", resources).tasks]
    assert [(t.title, departments(t) if t.assignment else None) for t in tasks] == [
        ("入园客流管控", ("游客服务中心", ["安全保卫科", "办公室"])),
        ("猛兽区安全防护", ("动物管理科", [])),
    ]
    first = tasks[0]
    assert "高峰日增开临时售票窗口" in first.text
    # the label lines oblige nobody; the text below them does
    assert [o.text for o in first.obligations] == ["实行实名分时段预约入园，7月上旬前完成预约系统扩容。",
                                                   "高峰日增开临时售票窗口。"]
    assert [d.text for d in first.deadlines] == ["7月上旬前"]


def test_extraction_label_lines_after_the_text_still_close_it(resources):
    text = ("（一）入园客流管控\n实行实名分时段预约入园。\n责任科室：游客服务中心\n"
            "（二）猛兽区安全防护\n对猛兽区隔离网逐一检查。\n责任科室：动物管理科\n")
    tasks = extract_bytes(text.encode("utf-8"), "plan.txt", resources).tasks
    assert [(t.text.split("\n"), departments(t)) for t in tasks] == [
        (["实行实名分时段预约入园。"], ("游客服务中心", [])),
        (["对猛兽区隔离网逐一检查。"], ("动物管理科", []))]


DASH_ITEMS = ("二、重点任务\n"
              "（四）加强宣传教育（县委宣传部、县教育局）\n"
              "——开展进校园活动。在全县中小学组织主题班会，4月30日前完成。\n"
              "——推进法治宣传。依托乡镇文化站常态化开展法治宣传。\n"
              "——选树示范站点。评选示范站点10个，年底前完成。（县“扫黄打非”工作领导小组办公室）\n"
              "三、保障措施\n")


def test_extraction_dash_led_items_are_items_of_their_heading(resources):
    tasks = [t for t in extract_bytes(DASH_ITEMS.encode("utf-8"), "plan.txt", resources).tasks if t.assignment]
    assert [(t.text.split("。")[0], departments(t)) for t in tasks] == [
        ("——开展进校园活动", ("县委宣传部", ["县教育局"])),
        ("——推进法治宣传", ("县委宣传部", ["县教育局"])),
        ("——选树示范站点", ("县“扫黄打非”工作领导小组办公室", [])),  # its own bracket
    ]


RUN_IN_LABELS = ("三、重点任务\n"
                 "1．责任单位：城市管理办公室、综合行政执法队。全面清理乱堆乱放，拆除违规搭建的雨棚。\n"
                 "2．牵头单位：综合行政执法队；配合单位：市场监督管理所、各社区居民委员会。整治占道经营，"
                 "每周五汇总台账。\n"
                 "3．组织居民参与评选，营造共建共治氛围。\n")


def test_extraction_labels_run_in_after_the_marker_assign_the_item(resources):
    tasks = extract_bytes(RUN_IN_LABELS.encode("utf-8"), "plan.txt", resources).tasks
    assert [(t.text.split("。")[-2][:6], departments(t) if t.assignment else None) for t in tasks] == [
        ("全面清理乱堆", ("城市管理办公室", ["综合行政执法队"])),
        ("整治占道经营", ("综合行政执法队", ["市场监督管理所", "各社区居民委员会"])),
        ("3．组织居民", None),
    ]
    # the labels name who; the text after them obliges
    assert [o.text for o in tasks[0].obligations] == ["全面清理乱堆乱放，拆除违规搭建的雨棚。"]


def test_extraction_brackets_in_a_row_are_one_markup(resources):
    text = ("1．严控非生产性支出，每月10日前通报费用执行情况。【责任部门：财务管理部】【配合部门：综合办公室、各子公司】\n"
            "2．推进办公用房整合，上半年完成搬迁。（政法综治处负责）（二十二）\n")
    tasks = [t for t in extract_bytes(text.encode("utf-8"), "plan.txt", resources).tasks if t.assignment]
    assert [departments(t) for t in tasks] == [("财务管理部", ["综合办公室", "各子公司"]),
                                               ("政法综治处", [])]  # （二十二）: a marker run on, no body


LABELS_ABOVE_THEIR_ITEMS = ("三、重点任务\n"
                            "以下各项任务，由其上一行所列责任单位负责；列有多个单位的，排在第一位的为牵头单位。\n"
                            "责任单位：路政执法科、各执法大队\n"
                            "1．开展货运源头单位排查，实行动态管理。\n"
                            "责任单位：市公路超限检测站\n"
                            "2．强化科技治超，推进不停车检测系统建设。\n")


def test_extraction_a_stated_rule_makes_label_lines_assign_the_item_below(resources):
    tasks = [t for t in extract_bytes(LABELS_ABOVE_THEIR_ITEMS.encode("utf-8"), "plan.txt", resources).tasks
             if t.assignment]
    assert [(t.text[:2], departments(t)) for t in tasks] == [("1．", ("路政执法科", ["各执法大队"])),
                                                            ("2．", ("市公路超限检测站", []))]


def test_extraction_label_lines_above_items_under_a_heading_assign_the_item_below(resources):
    # the rule in other words (每项任务上一行标注的); the first label line stands right under a
    # heading, yet it assigns the item below it, not the heading's items
    text = ("方案中每项任务上一行标注的“责任科室”，排在第一位的为牵头科室，其余为配合单位。\n"
            "一、规范遗体接运服务\n"
            "责任科室：业务科、车辆管理科\n"
            "1．接到报丧电话后30分钟内与丧属取得联系。\n"
            "责任科室：车辆管理科、鏻阳市安和殡葬服务有限公司\n"
            "2．开展殡仪车消毒设施检查。\n")
    assert assigned_items(text, resources) == [
        ("1．", ("业务科", ["车辆管理科"])), ("2．", ("车辆管理科", ["鏻阳市安和殡葬服务有限公司"]))]


def test_extraction_without_the_rule_label_lines_close_the_item_above(resources):
    text = LABELS_ABOVE_THEIR_ITEMS.replace("以下各项任务，由其上一行所列责任单位负责；", "")
    assert assigned_items(text, resources) == [("列有", ("路政执法科", ["各执法大队"])),
                                                            ("1．", ("市公路超限检测站", []))]


def test_extraction_brackets_that_are_no_markup(resources):
    text = ("①编制清查底册，4月20日前下发各乡镇（街道）。（县统计局会同县市场监督管理局、县税务局）\n"
            "②常态化受理申报。政策咨询电话：0711－8862 3071（省人力资源和社会保障厅专业技术人员管理处）\n")
    tasks = [t for t in extract_bytes(text.encode("utf-8"), "plan.txt", resources).tasks if t.assignment]
    # （街道） is part of the name before it; a body after a phone number is whom it reaches
    assert [departments(t) for t in tasks] == [("县统计局", ["县市场监督管理局", "县税务局"])]


def test_extraction_a_line_of_bodies_parted_by_a_colon_assigns_the_item_above(resources):
    # the lead group before the colon, the co group after it (a rule may say so: 冒号前为牵头部门)
    text = ("下列各项分工中，冒号前为牵头部门，冒号后为配合部门。\n"
            "（一）编排演出节目。排演小戏、快板等节目不少于20个。\n"
            "文艺辅导部：群众文化活动部、非遗保护部\n"
            "（二）制定巡演排期。根据农忙时节制定巡演路线。\n"
            "群众文化活动部、办公室：各乡镇综合文化站等\n"
            "（三）收集群众意见。问卷统计汇总工作，由群众文化活动部负责落实。\n"
            "联系人：办公室　张某某\n")
    tasks = [t for t in extract_bytes(text.encode("utf-8"), "plan.txt", resources).tasks if t.assignment]
    assert [(t.text[:3], departments(t), t.assignment.open_ended) for t in tasks] == [
        ("（一）", ("文艺辅导部", ["群众文化活动部", "非遗保护部"]), False),
        ("（二）", ("群众文化活动部", ["办公室", "各乡镇综合文化站"]), True)]


def test_extraction_an_item_that_names_only_who_cooperates_keeps_the_headings_lead(resources):
    text = ("二、重点任务\n"
            "（一）健全防控网络（牵头单位：疾病预防控制处）\n"
            "1．明确各级防控机构职责，4月30日前完成职责清单修订。（基层卫生健康处配合）\n"
            "2．开展防控机构能力评估。\n"
            "3．落实防控人员培训。（人事处、省卫生健康干部培训中心配合）\n"
            "4．完善乡镇服务团队。（相关处室配合）\n"
            "5．建设监测信息平台。（规划发展处牵头，省卫生健康信息中心配合）\n"
            "（二）提升筛查能力\n"
            "1．推行首诊测血压。（医政医管处配合）\n")
    assert assigned_items(text, resources) == [
        ("1．", ("疾病预防控制处", ["基层卫生健康处"])),
        ("2．", ("疾病预防控制处", [])),
        ("3．", ("疾病预防控制处", ["人事处", "省卫生健康干部培训中心"])),
        ("4．", ("疾病预防控制处", [])),
        ("5．", ("规划发展处", ["省卫生健康信息中心"])),  # a lead of its own
        ("1．", ("医政医管处", []))]  # no heading above it assigns: its co is all it names


def test_extraction_a_paragraph_assigns_the_items_above_it_by_their_numbers(resources):
    text = ("二、主要措施\n"
            "1．全面清理积案。逐案建立清理台账。\n"
            "2．集中开展财产查控。实行网络查控全覆盖。\n"
            "3．开展集中执行行动。每月组织一次集中执行行动。\n"
            "4．加大失信惩戒力度。依法纳入失信名单。\n"
            "5．强化拒执犯罪打击。移送公安机关立案侦查。〔执行局会同区公安分局〕\n"
            "以上第1至3项由执行局牵头，各人民法庭配合；第4、5项由执行指挥中心牵头，审判管理办公室配合。\n"
            "三、工作要求\n"
            "第二条　各部门要高度重视。\n")
    tasks = [t for t in extract_bytes(text.encode("utf-8"), "notice.txt", resources).tasks if t.assignment]
    # item 5 keeps its own markup; an article (第二条) is no item named by number
    assert [(t.text[:2], departments(t)) for t in tasks] == [
        ("1．", ("执行局", ["各人民法庭"])), ("2．", ("执行局", ["各人民法庭"])), ("3．", ("执行局", ["各人民法庭"])),
        ("4．", ("执行指挥中心", ["审判管理办公室"])), ("5．", ("执行局", ["区公安分局"]))]


def test_extraction_a_line_that_lists_bodies_under_an_item_assigns_it(resources):
    text = ("各项任务下方所列单位，排在第一位的为牵头单位，其余为配合单位。\n"
            "5．对核查结果存在异议的家庭，在收到告知书后15日内可以申请复查。\n"
            "保障审核科、政策法规科、相关部门\n"
            "6．开展入户核查。\n"
            "鍔阳市住房保障中心\n")  # one name alone (a signature) is no list
    assert assigned_items(text, resources) == [("5．", ("保障审核科", ["政策法规科"]))]


def test_extraction_items_named_by_number_with_fields_and_marked_label_lines(resources):
    text = ("二、工作任务\n"
            "1．推广秸秆机械化还田。组织开展秸秆粉碎还田作业。\n"
            "2．建设秸秆临时收储点。立冬前完成收储点的清理。\n"
            "以上1—2项　责任站所：农机服务站；配合单位：各村（社区）\n"
            "3．开展送教上门。每周安排一次送教。\n"
            "▲落实部门：教务处；协助部门：康复中心、各年级组\n")
    assert assigned_items(text, resources) == [
        ("1．", ("农机服务站", ["各村（社区）"])), ("2．", ("农机服务站", ["各村（社区）"])),
        ("3．", ("教务处", ["康复中心", "各年级组"]))]


def test_extraction_explanatory_parenthesis_is_not_a_task(circular):
    cover = task_holding(circular, "各分局（含直属分局）要于每季度末")
    assert cover.assignment is None
    assert cover.part == 0
    assert all("含直属分局" not in t.assignment.text for t in circular.tasks if t.assignment)


def test_extraction_cover_duties_keep_their_recurrence(circular):
    cover = task_holding(circular, "每季度末")
    assert ("每季度末", "recurring") in [(d.text, d.kind) for d in cover.deadlines]


@pytest.fixture(scope="module")
def opinion(resources):
    return extract_bytes(NO_ASSIGNMENTS.encode("utf-8"), "opinion.txt", resources)


def test_extraction_without_assignments_invents_no_departments(opinion):
    assert opinion.tasks
    assert all(t.assignment is None for t in opinion.tasks)
    assert all(r["lead_department"] is None and r["co_departments"] == [] for r in obligation_records(opinion))
    assert document_record(opinion)["task_count"] == 0


def test_extraction_without_assignments_keeps_obligations_and_deadlines(opinion):
    obligations = {(o.text, o.modality) for t in opinion.tasks for o in t.obligations}
    assert ("不得擅自设立收费项目。", "must_not") in obligations
    assert ("鼓励行业协会主动降低会费标准。", "encouraged") in obligations
    deadlines = {(d.text, d.kind, d.date, d.rrule) for t in opinion.tasks for d in t.deadlines}
    assert ("2025年6月底前", "fixed", "2025-06-30", None) in deadlines
    assert ("每季度通报一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=3") in deadlines


def test_extraction_without_assignments_header(opinion):
    header = opinion.document.header
    assert header.doc_number == "澄政发〔2025〕3号"
    assert header.title == "澄江市人民政府关于进一步规范涉企收费的意见"
    assert header.issuer == ["澄江市人民政府"]
    assert header.date == "2025-02-10"


def test_extraction_news_report_has_no_tasks(resources):
    result = extract_bytes(NEWS.encode("utf-8"), "news.md", resources)
    assert result.tasks
    assert all(t.assignment is None for t in result.tasks)


def test_extraction_news_narration_is_a_statement(resources):
    result = extract_bytes(NEWS.encode("utf-8"), "news.md", resources)
    modalities = {o.text: o.modality for t in result.tasks for o in t.obligations}
    narration = [m for text, m in modalities.items() if "召开优化营商环境工作推进会" in text]
    assert narration == ["statement"]
    assert "must" in modalities.values()  # 各部门要… stays a duty


def test_extraction_record_ids_are_stable_across_runs(circular, resources):
    again = extract_bytes(CIRCULAR.format(rule=READING_RULE).encode("utf-8"), "circular.txt", resources)
    first = [r["record_id"] for r in obligation_records(circular)]
    assert first == [r["record_id"] for r in obligation_records(again)]
    assert len(set(first)) == len(first)


def test_extraction_record_ids_follow_the_bytes_not_the_file_name(circular, resources):
    renamed = extract_bytes(CIRCULAR.format(rule=READING_RULE).encode("utf-8"), "renamed.txt", resources)
    assert [r["record_id"] for r in obligation_records(renamed)] == [
        r["record_id"] for r in obligation_records(circular)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (CIRCULAR.format(rule=READING_RULE), "circular.txt"),
        (NO_ASSIGNMENTS, "opinion.txt"),
        (NEWS, "news.md"),
    ],
)
def test_extraction_records_validate_against_the_schemas(text, name, resources, record_schemas):
    result = extract_bytes(text.encode("utf-8"), name, resources)
    assert record_schemas.errors("document", document_record(result)) == []
    rows = obligation_records(result)
    assert rows
    for row in rows:
        assert record_schemas.errors("obligation", row) == [], row["record_id"]


def test_each_task_has_one_due_beside_every_deadline_it_mentions(resources):
    from pipeline import extract_bytes

    text = """澄阳市水务局关于做好防汛工作的通知
各区水务局：
一、2027年4月底前完成隐患排查，6月底前完成整改销号。
二、落实汛期值班制度。（责任单位：各区水务局；完成时限：2027年5月31日前）
三、每月报送一次工作进展。
澄阳市水务局
2027年3月1日
"""
    tasks = extract_bytes(text.encode(), "notice.txt", resources).tasks
    by_start = {t.text[:2]: t for t in tasks}
    assert by_start["一、"].due.date == "2027-06-30"        # the latest date the text sets
    assert len(by_start["一、"].deadlines) == 2
    assert by_start["二、"].due.date == "2027-05-31"        # the time limit the label states
    assert by_start["三、"].due.rrule.startswith("FREQ=MONTHLY")  # its one rhythm
