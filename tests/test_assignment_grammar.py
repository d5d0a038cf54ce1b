"""The assignment grammar, form by form (see docs/forms.md).

Each case is one numbered task of a short synthetic circular followed by its markup, read
end to end through ``pipeline.extract_bytes``: the lead, the co-operating bodies and whether
the list is open-ended. Bodies and places are invented.
"""

from __future__ import annotations

import pytest

from pipeline import extract_bytes

TASK = "推动山洪灾害监测预警平台与气象雷达数据实时共享。"
CIRCULAR = """澄阳市人民政府办公室关于印发澄阳市防汛能力提升行动方案的通知
澄政办发〔2027〕9号
各区人民政府，市政府各部门：
现将《澄阳市防汛能力提升行动方案》印发给你们，请认真贯彻执行。
澄阳市人民政府办公室
2027年3月9日
澄阳市防汛能力提升行动方案
一、重点任务
1.{task}{markup}
2.组织开展防汛知识进社区活动，营造全民参与的良好氛围。
"""


def assignment_of(resources, markup: str, task: str = TASK):
    text = CIRCULAR.format(task=task, markup=markup)
    result = extract_bytes(text.encode(), "plan.txt", resources)
    found = [t for t in result.tasks if task[:10] in t.text and t.assignment is not None]
    if not found:
        return None
    a = found[0].assignment
    return a.lead.surface, [d.surface for d in a.co], a.open_ended


def case(markup, lead, co=(), open_ended=False, id=None):
    return pytest.param(markup, (lead, list(co), open_ended), id=id)


@pytest.mark.parametrize("markup, expected", [
    case("（负责部门：市应急管理局、市气象局）", "市应急管理局", ["市气象局"], id="负责部门"),
    case("（主责单位：市水务局；协同单位：临江区农业农村局）", "市水务局", ["临江区农业农村局"], id="主责-协同"),
    case("（配合部门：市财政局；牵头部门：市水务局）", "市水务局", ["市财政局"], id="lead-label-after-co"),
    case("（实施主体：各区人民政府）", "各区人民政府", id="实施主体"),
    case("（承办处室：防汛抗旱处）", "防汛抗旱处", id="承办处室"),
    case("（牵头：市水务局；配合：市财政局、市自然资源局）", "市水务局", ["市财政局", "市自然资源局"], id="modifier-alone"),
    case("（牵头：街道综合办公室；落实：各社区、各网格）", "街道综合办公室", ["各社区", "各网格"], id="落实-alone"),
    case("（责任单位 市水务局、市城管局）", "市水务局", ["市城管局"], id="label-without-colon"),
    case("（牵头单位：市水务局 配合单位：市财政局）", "市水务局", ["市财政局"], id="fields-apart-by-a-space"),
    case("（责任单位：市财政局、市水务局（牵头）、市城管局）", "市水务局", ["市财政局", "市城管局"], id="role-after-a-name"),
    case("\n责任股室：县水利局河湖管理股\n配合单位：县财政局", "县水利局河湖管理股", ["县财政局"], id="股室-of-a-county-bureau"),
    case("\n责任站所：青川县林业工作站\n配合单位：县财政局", "青川县林业工作站", ["县财政局"], id="站所"),
    case("（市水务局牵头，市财政局、其他成员单位配合）", "市水务局", ["市财政局"], id="其他-the-rest-is-no-body"),
    case("（市水务局、其他市直部门）", "市水务局", id="其他-with-a-level"),
    case("（市妇联家庭和儿童工作部、市教育局）", "市妇联家庭和儿童工作部", ["市教育局"], id="和-inside-a-sub-unit"),
    case("（市财政局和市税务局）", "市财政局", ["市税务局"], id="和-between-two-bodies"),
    case("责任庭室：立案庭、仲裁一庭；协同单位：区总工会", "立案庭", ["仲裁一庭", "区总工会"], id="庭室-of-a-tribunal"),
])
def test_F01_labels_are_known_by_their_shape(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（负责部门：交通运输局、市港航中心；适用范围：沿海港口）", "交通运输局", ["市港航中心"], id="scope"),
    case("（责任单位：市数据资源局，试点地区：临江区；备注：按季度报送进展）", "市数据资源局", id="pilot-and-remark"),
    case("（责任单位：市水务局；完成时限：2027年6月底前）", "市水务局", id="time-limit"),
])
def test_F02_other_fields_in_the_bracket_are_read_past(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


def test_F02_a_time_limit_field_is_the_tasks_deadline(resources):
    text = CIRCULAR.format(task=TASK, markup="（责任单位：市水务局；完成时限：2027年6月底前）")
    task = next(t for t in extract_bytes(text.encode(), "plan.txt", resources).tasks if t.assignment)
    assert task.assignment.deadline is not None and task.assignment.deadline.date == "2027-06-30"


@pytest.mark.parametrize("markup, expected", [
    case("【责任单位：市经信局，市财政局、市金融办】", "市经信局", ["市财政局", "市金融办"], id="lenticular"),
    case("〔责任单位：市经信局，市财政局〕", "市经信局", ["市财政局"], id="tortoise"),
    case("[市民政局、市医保局，各县、市（区）政府，排在首位的为牵头单位，下同]", "市民政局",
         ["市医保局", "各县", "市（区）政府"], id="square-with-nested-round"),
    case("［市民政局、市医保局］", "市民政局", ["市医保局"], id="full-width-square"),
])
def test_F04_every_bracket_kind_with_round_brackets_nested(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（责任单位：区文旅局、云溪镇、相关街镇）", "区文旅局", ["云溪镇", "相关街镇"], id="town-and-class"),
    case("（责任单位：县交通运输局，各县属国企）", "县交通运输局", ["各县属国企"], id="owned-enterprises"),
    case("（市教委、澄阳师大、市体育局）", "市教委", ["澄阳师大", "市体育局"], id="abbreviation-among-bodies"),
    case("（责任单位：澄阳农商银行临江支行、市金融办）", "澄阳农商银行临江支行", ["市金融办"], id="bank-branch"),
    case("（责任单位：澄阳理工大学、市第一人民医院）", "澄阳理工大学", ["市第一人民医院"], id="university-hospital"),
    case("（实验室与设备处、资产处）", "实验室与设备处", ["资产处"], id="one-name-of-two-nouns"),
    case("（市教育局、澄阳高等专科学校）", "市教育局", ["澄阳高等专科学校"], id="等-inside-a-name"),
    case("（市财政局和市税务局负责）", "市财政局", ["市税务局"], id="two-names-joined-by-和"),
    case("（责任单位：财务处（程立夫）、科研处（葛晓某））", "财务处", ["科研处"], id="a-person-after-each-body"),
    case("（人事处（分管副院长）牵头，审计处配合）", "人事处", ["审计处"], id="a-remark-after-the-lead"),
    case("（区智慧岛服务中心（区数字办）、区财政局）", "区智慧岛服务中心（区数字办）", ["区财政局"], id="an-alias-stays"),
    case("（责任单位：各村（社区）、镇财政所）", "各村（社区）", ["镇财政所"], id="another-kind-of-body-in-the-bracket-stays"),
    case("（牵头科室：办公室；协助单位：市12345政务服务便民热线管理中心）", "办公室",
         ["市12345政务服务便民热线管理中心"], id="a-number-inside-a-name"),
    case("（青松陵园、福寿园公墓分别负责）", "青松陵园", ["福寿园公墓"], id="names-no-head-marks-beside-a-role-word"),
    case("（市公安局主抓，市人民检察院、市中级人民法院参与）", "市公安局", ["市人民检察院", "市中级人民法院"], id="主抓"),
    case("（市邮政管理局负总责，各寄递企业具体落实）", "市邮政管理局", ["各寄递企业"], id="负总责-具体落实"),
    case("（市人社局为主，市总工会、团市委协同）", "市人社局", ["市总工会", "团市委"], id="为主-协同"),
    case("（由市金融管理局、市委宣传部联合开展）", "市金融管理局", ["市委宣传部"], id="联合开展"),
    case("（责任单位：总经理　薛某某；办公室）", "办公室", id="a-title-and-a-name-are-a-person"),
    case("（责任单位：经营管理科　吴某松）", "经营管理科", id="a-person-after-a-body"),
    case("（责任单位：韩某群、安全环保科、各生产队）", "安全环保科", ["各生产队"], id="a-bare-name-in-the-list"),
    case("（责任单位：农机服务中心（负责人：葛某川））", "农机服务中心", id="a-labelled-person-in-a-bracket"),
    case("（责任单位：石桥村、柳湾村、镇党政办公室）", "石桥村", ["柳湾村", "镇党政办公室"], id="villages-are-no-persons"),
    case("（德育处、各班主任）", "德育处", id="a-post-held-by-persons"),
    # the space between a body and its person lost (a page that drops spaces between characters)
    case("（保卫科龚立新、门诊部）", "保卫科", ["门诊部"], id="a-person-glued-to-a-body"),
    case("（医务部苏文卿，护理部柯雨彤）", "医务部", ["护理部"], id="persons-glued-to-each-body"),
    case("（总编室牵头，校对科、各采编部门配合）", "总编室", ["校对科", "各采编部门"],
         id="a-function-character-inside-a-short-name"),
    # a role mark after a name, set off by a space or glued to the next name
    case("（省医疗保障信息中心、基金监管处 （牵头））", "基金监管处", ["省医疗保障信息中心"], id="a-spaced-role-mark"),
    case("（规划财务和法规处（牵头）医药服务管理处）", "规划财务和法规处", ["医药服务管理处"],
         id="a-role-mark-parts-two-names"),
    case("（市AI创新应用中心、市工业和信息化局等）", "市AI创新应用中心", ["市工业和信息化局"], True,
         id="letters-inside-a-name"),
    case("（大队部、各中队辅导员）", "大队部", id="a-post-of-every-squad"),
    case("（责任单位：民族处、各市 （州）民族宗教局）", "民族处", ["各市（州）民族宗教局"], id="a-bracket-after-a-space-goes-on"),
])
def test_F07_names_by_their_shape_and_their_company(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（由市数据资源局牵头实施）", "市数据资源局", id="由-牵头实施"),
    case("（由市发展改革委、市能源局牵头组织）", "市发展改革委", ["市能源局"], id="由-two-leads"),
    case("（请市水务局负责落实）", "市水务局", id="请"),
])
def test_F08_lead_stated_with_a_preposition(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（市卫生健康委会同市直有关单位负责）", "市卫生健康委", id="会同-tail"),
    case("（由市司法局会同市公安局等部门负责）", "市司法局", ["市公安局"], True, id="会同-a-body-and-等"),
    case("（区水务局牵头，各有关科室配合）", "区水务局", id="配合-tail"),
    case("（责任单位：区住建局牵头，区直有关单位共同推进）", "区住建局", id="label-and-tail"),
    case("（市财政局、市税务局等有关部门负责）", "市财政局", ["市税务局"], True, id="等-open-ended"),
    case("（县司法局牵头，县直有关执法部门配合）", "县司法局", id="tail-with-a-modifier"),
    case("（各有关部门和单位，各区人民政府按职责分工负责）", "各有关部门和单位", ["各区人民政府"], id="tail-alone-leads"),
    case("（牵头部门：组织人事部；配合部门：办公室、相关部室）", "组织人事部", ["办公室"], id="unnamed-sub-units"),
    case("（科研处牵头，图书馆、相关教研部配合）", "科研处", ["图书馆"], id="unnamed-sub-units-with-a-modifier"),
    case("（指挥中心牵头，情报中心、相关执勤队配合）", "指挥中心", ["情报中心"], id="unnamed-teams"),
    case("（水运管理处牵头，省港航中心、相关港口企业配合）", "水运管理处", ["省港航中心"], id="unnamed-enterprises"),
    case("（综合办公室牵头，客运车间、相关车间配合）", "综合办公室", ["客运车间"], id="unnamed-workshops"),
    case("（区城管局牵头，区市政设施维护中心具体承办）", "区城管局", ["区市政设施维护中心"], id="具体承办"),
    case("（市场部牵头，其他业务部配合）", "市场部", id="the-rest-of-the-sub-units"),
    case("（区民政局牵头，各街道办事处配合）", "区民政局", ["各街道办事处"], id="a-class-of-sub-units-is-named"),
    # 各 + a bare head is every body of the issuer's own (a class, as 各处室), not an unnamed tail
    case("（办公室牵头，各部门配合）", "办公室", ["各部门"], id="every-department-is-a-class"),
    case("（办公室牵头，各单位配合）", "办公室", ["各单位"], id="every-unit-is-a-class"),
    case("（办公室牵头，有关单位配合）", "办公室", id="some-units-is-a-tail"),
    # a bracketed list of levels inside a tail; the rest (其他) whatever its head
    case("（市社科联牵头，各社科普及基地、相关县（市、区）文化和旅游部门配合）", "市社科联", ["各社科普及基地"],
         id="a-tail-with-levels-in-brackets"),
    case("（市经济学会牵头，市统计学会、其他有关学会配合）", "市经济学会", ["市统计学会"], id="the-rest-of-the-societies"),
    case("（流通发展处牵头，各市商务主管部门、相关行业协会按职责分工负责）", "流通发展处", ["各市商务主管部门"],
         id="unnamed-associations"),
    # a tail closes a list: after a class of bodies it is the rest of them; listed first, it leads
    case("（各测绘分院负责，各市自然资源和规划局、相关单位配合）", "各测绘分院", ["各市自然资源和规划局"],
         id="a-tail-after-a-class"),
])
def test_F14_generic_tails_are_no_bodies_when_a_body_is_named(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（县“扫黄打非”工作领导小组办公室）", "县“扫黄打非”工作领导小组办公室", id="a-quoted-campaign-in-a-name"),
    case("（市“双拥”办牵头，市民政局配合）", "市“双拥”办", ["市民政局"], id="a-quoted-campaign-in-a-short-name"),
])
def test_a_campaign_quoted_inside_a_name(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


def test_a_quoted_campaign_without_an_organisation_head_is_no_body(resources):
    assert assignment_of(resources, "（开展“绿书签”活动）") is None


@pytest.mark.parametrize("markup, expected", [
    case("（责任单位：区应急 管理局、区消防 救援大队）", "区应急管理局", ["区消防救援大队"], id="space-inside-name"),
    case("（责任单位：区住建局 区城管执法局）", "区住建局", ["区城管执法局"], id="space-between-names"),
])
def test_F21_typeset_spaces_inside_and_between_names(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（责任单位：区行政审批局牵头，区直相关部门按职责分工负责，区司法局负责合法性审查）",
         "区行政审批局", ["区司法局"], id="duty-clause"),
    case("（市场监管局牵头，市商务局配合做好宣传）", "市场监管局", ["市商务局"], id="activity-after-co"),
    case("（市卫生健康委牵头，市卫生健康信息中心提供技术支持）", "市卫生健康委", ["市卫生健康信息中心"], id="提供-support"),
    case("（市水务局负责，持续推进）", "市水务局", id="adverbial-group-is-no-body"),
    # an activity after a light verb (做好, 抓好) is no part of the name before it
    case("（市水务局负责，市财政局做好资金保障）", "市水务局", ["市财政局"], id="做好-activity"),
    case("（市教委牵头，各区政府抓好落实）", "市教委", ["各区政府"], id="抓好-activity"),
    # adverbs of duty before the role word (依职责, 根据职责分工, 各自)
    case("（市发展改革委、市工业和信息化局依职责负责）", "市发展改革委", ["市工业和信息化局"], id="依职责"),
    case("（市发展改革委、市工业和信息化局根据职责分工负责）", "市发展改革委", ["市工业和信息化局"],
         id="根据职责分工"),
    case("（市发展改革委、市工业和信息化局各自负责）", "市发展改革委", ["市工业和信息化局"], id="各自"),
])
def test_F26_a_duty_clause_inside_the_list(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（市交通局、市公安局，市财政局；分号前为牵头单位，下同）", "市交通局", ["市公安局", "市财政局"], id="分号前"),
    case("（市交通局，市公安局；逗号前的为牵头单位）", "市交通局", ["市公安局"], id="逗号前"),
])
def test_F40_reading_rules_in_other_words_are_not_bodies(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("。责任单位：市水务局、市财政局", "市水务局", ["市财政局"], id="glued-label-run"),
    case("。牵头单位：市水务局；配合单位：市财政局", "市水务局", ["市财政局"], id="glued-lead-and-co"),
    case("。主办：市水务局；协办：市财政局", "市水务局", ["市财政局"], id="glued-主办-协办"),
])
def test_label_runs_glued_to_the_end_of_a_task(resources, markup, expected):
    assert assignment_of(resources, markup, task=TASK.rstrip("。")) == expected


@pytest.mark.parametrize("markup, expected", [
    case("——市水务局负责", "市水务局", id="one-body"),
    case("——市水务局负责，市气象局配合", "市水务局", ["市气象局"], id="responsible-and-co"),
    case("——市水务局、市应急管理局负责", "市水务局", ["市应急管理局"], id="two-responsible"),
    case("——各区人民政府负责，市水务局指导", "各区人民政府", ["市水务局"], id="class-and-guide"),
    case("——市水务局、市气象局等负责", "市水务局", ["市气象局"], True, id="等"),
    case("--市水务局牵头，市气象局配合", "市水务局", ["市气象局"], id="doubled-hyphens"),
])
def test_a_dash_sets_off_the_bodies_closing_an_item(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("task", [
    "坚持系统观念——统筹推进监测预警平台建设。",
    "推动山洪灾害监测预警——这是防汛工作的重点。",
    # a dash inside a title joins a range; the words after it are a sentence that names a duty
    "《防汛能力提升三年行动计划（2027—2029年）》已经局党组研究通过。各处室负责所列工作。",
])
def test_a_dash_before_words_that_are_no_bodies_is_no_assignment(resources, task):
    assert assignment_of(resources, "", task=task) is None


@pytest.mark.parametrize("markup, expected", [
    case("（区司法局普法与依法治理科负责）", "区司法局普法与依法治理科", id="function-words-in-a-sub-unit"),
    case("（县林业局森林防火股）", "县林业局森林防火股", id="股-of-a-county-bureau"),
    case("（县林业局森林防火股、县应急管理局）", "县林业局森林防火股", ["县应急管理局"], id="股-in-a-list"),
])
def test_a_sub_unit_named_after_its_body(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（普法与依法治理股、县教育局）", "普法与依法治理股", ["县教育局"], id="依法-inside-a-units-name"),
    case("（依法行政科负责）", "依法行政科", id="opening-a-units-name"),
    case("（依法查处，市场监管局负责）", "市场监管局", id="依法-before-a-verb-is-no-name"),
])
def test_words_of_law_inside_a_units_name(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（监测预报处牵头，省地震台配合）", "监测预报处", ["省地震台"], id="地震台"),
    case("（市气象台负责）", "市气象台", id="气象台"),
    case("【县水利局负责，各水库管理单位执行】", "县水利局", ["各水库管理单位"], id="执行-as-a-role"),
    case("（执行局负责）", "执行局", id="执行局-is-a-name"),
    case("（公路局落实，驻厅纪检监察组督促）", "公路局", ["驻厅纪检监察组"], id="督促-as-a-role"),
    case("〖鏐山制茶厂牵头，生产安全科、保卫科配合〗", "鏐山制茶厂", ["生产安全科", "保卫科"], id="white-brackets-and-a-factory"),
    case("（供销科抓总，各分场具体实施）", "供销科", ["各分场"], id="抓总-and-farm-branches"),
    case("（培训部、会员服务部★）", "会员服务部", ["培训部"], id="a-star-marks-the-lead"),
    # a 、 after a role word parts two groups, as a comma does
    case("（市场监管处牵头、电力安全监管处配合）", "市场监管处", ["电力安全监管处"], id="groups-parted-by-a-list-mark"),
    # a time limit in brackets after the bodies of a field is the task's, no part of a name
    case("（牵头单位：生态保护修复处；配合单位：省检疫总站（2091年1月底前））", "生态保护修复处", ["省检疫总站"],
         id="a-time-limit-after-the-bodies"),
])
def test_stations_roles_and_time_limits_beside_names(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    # a dash that ends a field stands for "none"; the dash before the labels sets them off
    case("——牵头单位：林长制工作处；配合单位：—", "林长制工作处", id="a-dash-for-none"),
])
def test_a_dash_that_ends_a_field_is_no_attribution(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（市水务局牵头，各县（市、区）人民政府配合）", "市水务局", ["各县（市、区）人民政府"], id="in-a-co-group"),
    case("（各县（市、区）人民政府、市水务局）", "各县（市、区）人民政府", ["市水务局"], id="first-listed"),
])
def test_separators_inside_a_names_own_bracket_do_not_split_it(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（文艺辅导部：群众文化活动部、非遗保护部）", "文艺辅导部", ["群众文化活动部", "非遗保护部"], id="in-a-bracket"),
    case("（市水务局、市财政局：市气象局等）", "市水务局", ["市财政局", "市气象局"], True, id="a-lead-group"),
    ])
def test_bodies_a_colon_and_bodies_part_the_lead_from_the_co(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup", ["（备注：市气象局）", "（攻坚专班：市水务局、市应急管理局）"])
def test_a_label_or_a_group_before_a_colon_names_no_lead_group(resources, markup):
    # a label names nothing; a group's name lists its members after the colon, it does not lead them
    assert assignment_of(resources, markup) is None



@pytest.mark.parametrize("markup, expected", [
    case("（市水务局、市财政局按职责分工负责，市纪委监委督办）", "市水务局", ["市财政局", "市纪委监委"], id="督办"),
])
def test_a_body_that_oversees_is_no_part_of_its_name(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（主办：合规风控部；协办：财富管理部、机构业务部）", "合规风控部", ["财富管理部", "机构业务部"], id="主办-协办-in-a-bracket"),
    case("（财富管理部负责，合规风控部监督）", "财富管理部", ["合规风控部"], id="监督"),
    case("（运营管理部〔牵头〕、合规风控部）", "运营管理部", ["合规风控部"], id="role-mark-in-a-hexagonal-bracket"),
    case("（市邮政管理局牵头，澄阳顺达速运有限公司、澄阳迅达快递有限公司等寄递企业配合）", "市邮政管理局",
         ["澄阳顺达速运有限公司", "澄阳迅达快递有限公司"], True, id="等-a-kind-of-enterprise"),
])
def test_more_labels_and_role_words(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup, expected", [
    case("（市住建局牵头，市消防救援支队、市市场监督管理局、各街道办事处配合）", "市住建局",
         ["市消防救援支队", "市市场监督管理局", "各街道办事处"], id="监督-inside-a-co-name"),
    case("（责任单位：产品质量安全监督管理科；配合单位：各市场监督管理所）", "产品质量安全监督管理科",
         ["各市场监督管理所"], id="监督-inside-labelled-names"),
    case("（区医疗保障局、区市场监督管理局等负责）", "区医疗保障局", ["区市场监督管理局"], True, id="监督-before-等"),
    case("（县市场监督管理局、县职业中等专业学校）", "县市场监督管理局", ["县职业中等专业学校"], id="等-inside-a-school"),
])
def test_a_role_word_inside_a_name_does_not_cut_it(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


@pytest.mark.parametrize("markup", [
    "（含市本级）",
    "（以下简称市应急局）",
    "（2027—2029年）",
    "（试行）",
    "（北京、上海、广州）",
    "（技工院校内由人社部门负责）",
    "（或其他集体经济组织，下同）",
])
def test_parentheses_that_only_explain_are_no_assignment(resources, markup):
    assert assignment_of(resources, markup) is None


@pytest.mark.parametrize("line", [
    "澄阳市水文中心（澄阳市水资源监测站）",
    "澄阳市制造业人才服务中心（澄阳市工业设计促进中心、澄阳市工业展览馆）",
])
def test_F20_a_bracket_after_a_bare_name_gives_its_other_name(resources, line):
    text = CIRCULAR.format(task=TASK, markup="") + "附：市级相关单位网站\n" + line + "\n"
    result = extract_bytes(text.encode(), "plan.txt", resources)
    assert not [t for t in result.tasks if t.assignment and "水" in t.assignment.text + t.text[-30:]
                and t.assignment.text in line]


def test_what_could_not_be_read_is_kept_on_the_record(resources):
    text = CIRCULAR.format(task=TASK, markup="（责任单位：市水务局、市财政局https://example.org）")
    task = next(t for t in extract_bytes(text.encode(), "plan.txt", resources).tasks if t.assignment)
    assert task.assignment.lead.surface == "市水务局"
    assert task.assignment.unread == ["市财政局https://example.org"]


AREA = """澄阳市人民政府关于印发澄阳市绿色发展若干政策的通知
澄政发〔2027〕3号
各区人民政府，市政府各部门：
现将《澄阳市绿色发展若干政策》印发给你们，请认真贯彻执行。
澄阳市人民政府
2027年4月2日
澄阳市绿色发展若干政策
一、绿色低碳政策（由市发展改革委牵头实施）
到2029年，全市单位地区生产总值能耗比2026年下降百分之十。
（一）推广屋顶分布式光伏，新建公共建筑应当同步设计安装。（责任单位：市能源局、市住建局）
（二）建立重点用能单位能耗在线监测制度。
二、生态保护政策（市生态环境局牵头）
（一）开展入河排污口排查整治。
（二）推进饮用水水源地规范化建设。（市水务局负责）
"""


def tasks_with(resources, text):
    result = extract_bytes(text.encode(), "policy.txt", resources)
    return {t.text[:12]: (t.assignment.lead.surface if t.assignment else None) for t in result.tasks}


def lead_of(tasks, start):
    return next(lead for text, lead in tasks.items() if text.startswith(start))


def test_F09_a_heading_assignment_covers_its_lead_paragraph(resources):
    tasks = tasks_with(resources, AREA)
    assert lead_of(tasks, "到2029年") == "市发展改革委"
    assert lead_of(tasks, "（一）推广屋顶") == "市能源局"


@pytest.mark.parametrize("item, lead", [
    ("（二）建立重点用能", "市发展改革委"),
    ("（一）开展入河排污", "市生态环境局"),
    ("（二）推进饮用水水", "市水务局"),
])
def test_heading_assignment_covers_items_without_their_own(resources, item, lead):
    assert lead_of(tasks_with(resources, AREA), item) == lead


def test_F27_a_numbered_sentence_with_markup_is_a_task_not_a_heading(resources):
    text = CIRCULAR.format(task="支持境外人员参加展会活动，边检部门给予通关便利。", markup="（责任单位：区公安分局、区商务委）")
    text += "来源：澄阳发布\n阅读推荐\n"
    result = extract_bytes(text.encode(), "plan.txt", resources)
    task = next(t for t in result.tasks if "通关便利" in t.text)
    assert task.assignment is not None and task.assignment.lead.surface == "区公安分局"


def test_F28_page_furniture_inside_a_task_is_transparent(resources):
    text = CIRCULAR.format(task="推动山洪灾害监测预警平台建设，", markup="") .replace(
        "1.推动山洪灾害监测预警平台建设，\n",
        "1.推动山洪灾害监测预警平台建设，\n— 2 —\n实现与气象雷达数据实时共享。（市应急管理局、市气象局）\n")
    result = extract_bytes(text.encode(), "plan.txt", resources)
    task = next(t for t in result.tasks if t.assignment)
    assert task.text.startswith("1.推动山洪灾害监测预警平台建设")
    assert task.assignment.lead.surface == "市应急管理局"


def test_a_site_footer_with_host_labels_is_no_assignment(resources):
    text = CIRCULAR.format(task=TASK, markup="（市应急管理局）") + \
        "抄送：市委办公室，市人大常委会办公室 主办：澄阳市人民政府办公室 承办：澄阳市数据资源中心\n"
    result = extract_bytes(text.encode(), "plan.txt", resources)
    assert [t.assignment.lead.surface for t in result.tasks if t.assignment] == ["市应急管理局"]


PREFIXED = """澄阳市疾病预防控制中心关于印发2027年重点工作分工方案的通知
各科所：
现将分工方案印发给你们，请认真落实。
澄阳市疾病预防控制中心
2027年2月8日
一、重点工作
（一）【传染病防制所牵头，卫生检验所配合】强化传染病监测预警
1.完善哨点医院监测网络，每周汇总分析监测数据。
2.【应急办公室负责】修订突发公共卫生事件应急预案。
（二）【健康教育所负责，信息科配合】开展全民健康素养促进行动，全年举办科普讲座50场。
"""


@pytest.mark.parametrize("item, lead", [
    ("1.完善哨点医院监测", "传染病防制所"),
    ("2.【应急办公室负责】", "应急办公室"),
    ("（二）【健康教育所负", "健康教育所"),
])
def test_markup_before_the_text_it_assigns(resources, item, lead):
    assert lead_of(tasks_with(resources, PREFIXED), item) == lead


@pytest.mark.parametrize("markup, expected", [
    case("【牵头部门】市水务局【协同部门】市财政局、市应急管理局", "市水务局", ["市财政局", "市应急管理局"],
         id="lenticular-labels"),
    case("【责任部门】市水务局、市财政局", "市水务局", ["市财政局"], id="one-lenticular-label"),
    case("\n【责任分工】由市水务局牵头，市财政局、市应急管理局配合。", "市水务局", ["市财政局", "市应急管理局"],
         id="division-of-duties-paragraph"),
    case("责任分工：由市水务局牵头，市财政局配合。", "市水务局", ["市财政局"], id="division-of-duties-label"),
    case("（市财政局、市水务局为配合单位，市应急管理局为牵头单位）", "市应急管理局", ["市财政局", "市水务局"],
         id="list-then-its-role-label"),
])
def test_labels_in_lenticular_brackets_without_a_colon(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


LABEL_BLOCKS = """澄阳市生态环境局关于印发环保督察反馈问题整改方案的通知
各科室、各分局：
现将整改方案印发给你们，请认真落实。
澄阳市生态环境局
2027年5月6日
问题1：部分工业园区污水收集管网建设滞后，雨污混接问题突出。
责任领导：副局长　李某某
责任单位：市水务局、临江区人民政府
整改时限：2027年12月底前
整改措施：开展园区管网排查，完成雨污分流改造。
问题2：城区餐饮油烟投诉较多，监管存在薄弱环节。
责任领导：副局长　王某某
牵头单位：市城管局
责任单位：各区人民政府
整改时限：2027年9月底前
整改措施：建立油烟在线监测平台，加强执法检查。
"""


def test_label_lines_in_the_middle_of_an_item_assign_the_whole_item(resources):
    result = extract_bytes(LABEL_BLOCKS.encode(), "plan.txt", resources)
    tasks = [t for t in result.tasks if t.assignment]
    assert [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in tasks] == [
        ("市水务局", ["临江区人民政府"]), ("市城管局", ["各区人民政府"])]
    # a person named by a label is no body; the measures after the labels belong to their problem
    assert "雨污分流改造" in tasks[0].text and "雨污分流改造" not in tasks[1].text
    assert tasks[1].text.startswith("问题2")


@pytest.mark.parametrize("sentence", [
    "请各单位于3月10日前将报表报送市统计局（综合科、数据管理中心）。",
    "有关情况请联系市应急管理局（办公室）。",
    "执行中遇到的问题，请及时与市应急管理局联系（综合科、信息中心）。",
])
def test_a_bracket_of_sub_units_after_a_body_is_a_contact_not_an_assignment(resources, sentence):
    text = CIRCULAR.format(task=TASK, markup="（市应急管理局）") + sentence + "\n"
    result = extract_bytes(text.encode(), "plan.txt", resources)
    assert [t.assignment.lead.surface for t in result.tasks if t.assignment] == ["市应急管理局"]


def test_a_body_list_after_a_noun_ending_like_a_body_still_assigns(resources):
    assert assignment_of(resources, "（市科技局、市财政局）", task="建设一批区域协同创新中心") == \
        ("市科技局", ["市财政局"], False)


@pytest.mark.parametrize("markup, expected", [
    case("\n主办部门：合规部、法律部　　协办部门：运营部　　完成时间：2027年6月底前", "合规部", ["法律部", "运营部"],
         id="fields-on-one-line-apart-by-ideographic-spaces"),
    case("牵头：治安支队；参与：反诈中心、各派出所", "治安支队", ["反诈中心", "各派出所"], id="bare-role-labels-glued"),
    case("（镇党建办牵头，镇综治办、各村落实，镇财政所配合）", "镇党建办", ["镇综治办", "各村", "镇财政所"],
         id="three-verb-groups"),
    case("（镇农业服务中心负责，县农业农村局指导）", "镇农业服务中心", ["县农业农村局"], id="负责-then-指导"),
    case("（召集单位：协会秘书处；参与单位：迅鹿快递、云驰物流）", "协会秘书处", ["迅鹿快递", "云驰物流"],
         id="company-short-names-in-a-labelled-field"),
])
def test_more_ways_of_naming_who_does_a_task(resources, markup, expected):
    assert assignment_of(resources, markup) == expected


def test_short_names_the_document_defines_are_bodies(resources):
    preamble = "本倡议由澄阳迅鹿快递服务有限公司（以下简称迅鹿快递）、澄阳云驰物流有限公司（以下简称云驰物流）共同发起。"
    text = CIRCULAR.replace("现将《", preamble + "\n现将《").format(task=TASK, markup="（迅鹿快递、云驰物流）")
    task = next(t for t in extract_bytes(text.encode(), "plan.txt", resources).tasks if t.assignment)
    assert (task.assignment.lead.surface, [d.surface for d in task.assignment.co]) == ("迅鹿快递", ["云驰物流"])


def test_names_the_header_prints_are_bodies(resources):
    # 澄阳城投 and 澄阳水投 have no organisation head: the addressee line says they are bodies
    text = CIRCULAR.replace("各区人民政府，市政府各部门：", "澄阳城投，澄阳水投：") \
        .format(task=TASK, markup="（澄阳城投、澄阳水投）")
    task = next(t for t in extract_bytes(text.encode(), "plan.txt", resources).tasks if t.assignment)
    assert (task.assignment.lead.surface, [d.surface for d in task.assignment.co]) == ("澄阳城投", ["澄阳水投"])
    untaught = CIRCULAR.format(task=TASK, markup="（澄阳城投、澄阳水投）")
    assert not [t for t in extract_bytes(untaught.encode(), "plan.txt", resources).tasks if t.assignment]


TIME_FIELD = """澄阳市水务局关于印发年度河湖管护工作计划的通知
各科室、各区水务局：
现将工作计划印发给你们，请认真落实。
澄阳市水务局
2027年2月6日
一、重点任务
（一）完成河湖管护员轮换选聘，轮换后组织岗前培训。
责任单位：市水务局河湖管理处
配合单位：各区水务局
进度安排：3月中旬前完成轮换，轮换后10个工作日内完成岗前培训
（二）开展河湖“清四乱”专项行动。
责任单位：各区水务局
进度安排：每季度
"""


def test_a_time_field_of_several_groups_states_every_deadline_and_the_first_is_due(resources):
    result = extract_bytes(TIME_FIELD.encode(), "plan.txt", resources)
    first, second = [t for t in result.tasks if t.assignment]
    assert [(d.text, d.kind) for d in first.deadlines] == [("3月中旬前", "fixed"), ("轮换后10个工作日内", "relative")]
    assert (first.due.text, first.due.date) == ("3月中旬前", "2027-03-20")
    assert [(d.text, d.kind) for d in second.deadlines] == [("每季度", "recurring")]


ITEMS_AND_LABELS = """澄阳市卫生健康委员会关于开展健康促进月活动的通知
各区卫生健康局：
现将有关事项通知如下。
一、重点任务
（一）开展环境卫生大扫除
牵头单位：澄阳市城市管理局；配合单位：临江区人民政府
1．组织背街小巷环境卫生集中清理。
2．集中清理老旧小区楼道堆积物。
3．加强农贸市场环境卫生整治。（由澄阳市市场监督管理局负责）
（二）加强培训
4．每半年组织一次业务培训。责任科室：人事科；配合科室：法规科
各区要按时报送培训情况。
5．建立健康档案管理台账，档案按标准及时归档。
完成时限：12月底前
6．做好新兵起运前的体检复查工作。
完成时限：新兵起运前
7．开展年度质量评议。
进度安排：11月
澄阳市卫生健康委员会
2027年3月1日
"""


def _assigned_items(resources) -> dict[str, tuple[str | None, list[str], list[str]]]:
    result = extract_bytes(ITEMS_AND_LABELS.encode(), "notice.txt", resources)
    found = {}
    for task in result.tasks:
        number = task.text[:2]
        lead = task.assignment.lead.surface if task.assignment else None
        co = [d.surface for d in task.assignment.co] if task.assignment else []
        found[number] = (lead, co, [d.text for d in task.deadlines])
    return found


def test_label_lines_under_a_heading_cover_its_numbered_items(resources):
    items = _assigned_items(resources)
    assert items["1．"][:2] == items["2．"][:2] == ("澄阳市城市管理局", ["临江区人民政府"])
    assert items["3．"][:2] == ("澄阳市市场监督管理局", [])  # an item's own markup wins


def test_labels_after_an_items_full_stop_assign_that_item_not_the_text_below(resources):
    items = _assigned_items(resources)
    assert items["4．"][:2] == ("人事科", ["法规科"])


def test_a_time_label_alone_dates_the_item_above_it(resources):
    items = _assigned_items(resources)
    assert items["5．"] == (None, [], ["12月底前"])
    assert items["6．"] == (None, [], ["新兵起运前"])  # a time before an event, in a time field
    assert items["7．"] == (None, [], ["11月"])  # a month alone in a time field


def test_a_heading_sentence_with_its_bracket_still_covers_the_items_below(resources):
    text = ITEMS_AND_LABELS.replace("（二）加强培训", "（二）加强培训。【澄阳市人力资源和社会保障局】")
    text = text.replace("4．每半年组织一次业务培训。责任科室：人事科；配合科室：法规科", "4．每半年组织一次业务培训。")
    result = extract_bytes(text.encode(), "notice.txt", resources)
    (task,) = [t for t in result.tasks if t.text.startswith("4．")]
    assert task.assignment is not None and task.assignment.lead.surface == "澄阳市人力资源和社会保障局"


HEADING_WITH_A_LABEL_RUN = """澄阳县机构编制核查实施方案
一、核查内容
（一）机构设置核查　牵头单位：县委编办综合股；配合单位：县司法局、县财政局
1．核查党政机关内设机构设置情况。
2．清理议事协调机构。
3．核查事业单位机构规格。（县委编办事业编制股；县财政局）
（二）编制使用核查
4．核查编制使用情况。
"""


def test_a_label_run_after_a_headings_words_and_a_space_covers_its_items(resources):
    result = extract_bytes(HEADING_WITH_A_LABEL_RUN.encode(), "plan.txt", resources)
    found = {t.text[:2]: (t.assignment.lead.surface, [d.surface for d in t.assignment.co])
             for t in result.tasks if t.assignment is not None}
    assert found == {
        "1．": ("县委编办综合股", ["县司法局", "县财政局"]),
        "2．": ("县委编办综合股", ["县司法局", "县财政局"]),
        "3．": ("县委编办事业编制股", ["县财政局"]),  # the item's own bracket wins
    }


@pytest.mark.parametrize("markup", ["（属地负责）", "（分级管理、属地负责）", "（青松陵园负责）"])
def test_a_word_before_a_role_word_is_no_body_on_its_own(resources, markup):
    assert assignment_of(resources, markup) is None


BODIES_FIRST = """澄阳市马拉松赛事保障工作方案
组委会各成员单位按照以下分工抓好落实：
1．市公安局：负责赛事安全保卫工作，赛前3天完成沿线安全检查。
2．市公安局交通警察支队、市交通运输局：负责比赛当日交通管制和车辆分流。
3．竞赛部：负责竞赛组织和成绩发布。
4．其他成员单位：按照各自职责做好相关保障工作。
6．各业务部门：编制岗位合规手册，9月底前印发执行。
5．工作要求：各单位要加强协调配合。
"""


def test_a_numbered_duty_that_opens_with_its_bodies_and_a_colon(resources):
    result = extract_bytes(BODIES_FIRST.encode(), "plan.txt", resources)
    found = [(t.text[:2], t.assignment.lead.surface, [d.surface for d in t.assignment.co])
             for t in result.tasks if t.assignment is not None]
    assert found == [("1．", "市公安局", []), ("2．", "市公安局交通警察支队", ["市交通运输局"]), ("3．", "竞赛部", []),
                     ("6．", "各业务部门", [])]  # a class of bodies is no label


DUTIES_BY_BODY = """澄阳市贸促会关于印发出口市场开拓行动方案的通知
三、职责分工
展览部：负责境外展会项目遴选和参展补贴初审工作；
法律事务部、澄阳国际商会：负责贸易摩擦预警应对；
联系人：办公室 张某某
其他各部室按照职责做好配合。
"""


def test_unnumbered_duties_that_open_with_their_bodies_and_a_colon(resources):
    result = extract_bytes(DUTIES_BY_BODY.encode(), "plan.txt", resources)
    found = [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co])
             for t in result.tasks if t.assignment is not None]
    assert found == [("展览部：负责境外展会项目遴选和参展补贴初审工作；", "展览部", []),
                     ("法律事务部、澄阳国际商会：负责贸易摩擦预警应对；", "法律事务部", ["澄阳国际商会"])]


TITLE_THEN_BRACKET = """澄阳市禁毒委员会办公室关于印发禁毒工作要点的通知
各区禁毒办，市禁毒委各成员单位：
8．帮助戒毒康复人员就业安置（市人社局为主，市总工会、团市委协同），7月中旬举办专场招聘会。
9．完善社区戒毒康复工作站建设（站点建设标准见附件），年底前实现街道全覆盖。
澄阳市禁毒委员会办公室
2036年2月20日
"""


def test_a_bracket_after_an_items_title_words_assigns_the_item(resources):
    result = extract_bytes(TITLE_THEN_BRACKET.encode(), "notice.txt", resources)
    found = [(t.text[:2], t.assignment.lead.surface, [d.surface for d in t.assignment.co])
             for t in result.tasks if t.assignment is not None]
    assert found == [("8．", "市人社局", ["市总工会", "团市委"])]  # an explaining bracket assigns nothing


DASH_LABELS = """澄阳市中心血站无偿献血工作方案
1．开展主题献血活动，春节前增设流动采血点6个。——牵头科室：献血服务科；配合科室：体采科、各献血屋
2．严格执行献血前健康征询。——体采科负责，质量管理科监督
"""


def test_a_run_of_labels_after_a_dash_is_read_whole(resources):
    result = extract_bytes(DASH_LABELS.encode(), "plan.txt", resources)
    assert [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment] == [
        ("献血服务科", ["体采科", "各献血屋"]), ("体采科", ["质量管理科"])]


GROUPS = """澄阳博物院开放服务提升工作方案
一、提升展陈质量
1．完成常设展展线改造。
2．推出临时展览8个。（由典藏部负责）
3．制作中英文语音导览。
（以上任务由陈列展览部牵头，文物保护中心配合）
4．推行双通道入馆。
5．开设夜场服务。
（上述工作由综合服务部牵头，安全保卫部配合）
"""


def test_markup_after_a_group_of_items_assigns_each_item_above_it(resources):
    result = extract_bytes(GROUPS.encode(), "plan.txt", resources)
    assert [(t.text[:2], t.assignment.lead.surface) for t in result.tasks if t.assignment] == [
        ("1．", "陈列展览部"), ("2．", "典藏部"), ("3．", "陈列展览部"), ("4．", "综合服务部"), ("5．", "综合服务部")]


MEASURES = """澄阳区支持青年人才创新创业若干措施
一、实施安家补贴（区委组织部牵头，区财政局配合）
对新引进的博士、硕士研究生分别给予安家补贴，分3年发放。
二、提供人才公寓保障（由区住建局负责）
人才公寓面向青年人才配租，租期最长3年。
"""


def test_a_measure_whose_text_follows_its_bracketed_title_is_one_task(resources):
    result = extract_bytes(MEASURES.encode(), "plan.txt", resources)
    found = [(t.title, t.assignment.lead.surface) for t in result.tasks if t.assignment]
    assert found == [("实施安家补贴", "区委组织部"), ("提供人才公寓保障", "区住建局")]
    assert all(t.text.startswith(("一、", "二、")) for t in result.tasks if t.assignment)


PHASES = """澄阳省交通运输厅智能交通系统建设重点任务分解
（一）建设交通运行监测调度平台。整合公路、水路运行数据。牵头处室：科技处
参与处室：综合规划处、省交通信息中心
进度要求：一季度完成需求调研；二季度完成招标采购；年底前上线试运行。
（二）推进高速公路智慧化改造。选取试点路段部署路侧设备。
牵头处室：建设管理处
进度要求：2055年上半年完成方案审查；2056年6月底前完成试点建设。
"""


def test_labels_glued_to_an_item_go_on_in_the_label_lines_below_and_a_time_field_has_phases(resources):
    result = extract_bytes(PHASES.encode(), "plan.txt", resources)
    found = [(t.text[:3], t.assignment.lead.surface, [d.surface for d in t.assignment.co], [d.text for d in t.deadlines])
             for t in result.tasks if t.assignment]
    assert found == [("（一）", "科技处", ["综合规划处", "省交通信息中心"], ["一季度", "二季度", "年底前"]),
                     ("（二）", "建设管理处", [], ["2055年上半年", "2056年6月底前"])]


NESTED_HEADINGS = """澄阳县离退休干部服务管理工作任务分解
一、加强思想政治建设（县委老干部局牵头，县委组织部配合）
（一）抓好学习教育
1.举办离退休干部党员专题读书班2期。
2.组建宣讲团开展宣讲不少于40场。（县委宣传部牵头，县委老干部局配合）
（二）加强党组织建设（县委组织部、县委老干部局按职责分工负责）
1.调整优化离退休干部党支部设置。
2.开展党支部书记轮训。
"""


def test_a_sub_heading_with_its_own_markup_covers_its_items_not_the_heading_above(resources):
    result = extract_bytes(NESTED_HEADINGS.encode(), "plan.txt", resources)
    found = [(t.text[:6], t.assignment.lead.surface) for t in result.tasks if t.assignment]
    assert found == [("1.举办离退", "县委老干部局"), ("2.组建宣讲", "县委宣传部"),
                     ("1.调整优化", "县委组织部"), ("2.开展党支", "县委组织部")]
