"""Obligations: the modality of each clause (must, must_not, should, may, encouraged,
statement), decided by the clause's own marker, and who must act."""

from __future__ import annotations

import pytest

from pipeline.deadlines import DeadlineFinder
from pipeline.model import Obligation
from pipeline.obligations import read_obligations


def obligations(text: str, resources, **kwargs) -> list[Obligation]:
    """As extraction reads a task: with the deadlines of its text."""
    deadlines = DeadlineFinder(resources.cues, year=2025).find(text)
    return read_obligations(text, 0, resources.cues, deadlines, **kwargs)


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        # must
        ("各地要加强组织领导。", "must"),
        ("各级财政部门必须严格执行预算。", "must"),
        ("经营者应当依法履行告知义务。", "must"),
        ("确保各项措施落到实处。", "must"),
        ("市财政局负责资金拨付。", "must"),
        ("请各单位认真遵照执行。", "must"),
        ("纳税人有按期申报的义务。", "must"),
        ("申请材料须真实完整。", "must"),
        ("加强对重点岗位的监督。", "must"),  # a bare directive of a plan
        ("建立健全长效机制。", "must"),
        ("由省财政厅撤销其资格。", "must"),  # a measure an authority takes
        ("防止出现新的拖欠。", "must"),  # 防止 with an act is a duty, not a ban
        ("到2020年，全市绿色建筑比例达到50%。", "must"),  # a target with a date
        ("统计数据不准确的，予以通报。", "must"),  # 不准确 is not 不准
        ("逐步停止销售不可降解塑料袋。", "must"),  # 不可降解 is not 不可
        # must_not
        ("不得以任何名义收取费用。", "must_not"),
        ("严禁超标准配备公务用车。", "must_not"),
        ("禁止在景区内焚烧秸秆。", "must_not"),
        ("决不允许搞变通、打折扣。", "must_not"),
        ("杜绝形式主义。", "must_not"),
        ("不可擅自改变资金用途。", "must_not"),
        # should
        ("原则上每年召开一次会议。", "should"),
        ("新建项目宜采用装配式建筑。", "should"),
        ("应尽量减少会议数量。", "should"),
        pytest.param("本办法未尽事宜，按国家有关规定执行。", "must", id="未尽事宜"),
        # may
        ("符合条件的企业可以申请补贴。", "may"),
        ("相关费用可从专项资金中列支。", "may"),
        ("允许试点地区先行先试。", "may"),
        ("当事人有权申请听证。", "may"),
        ("推动经济可持续发展。", "must"),  # 可持续 is not 可
        # encouraged: 鼓励/支持/引导/倡导 heading the clause
        ("鼓励社会资本参与养老服务。", "encouraged"),
        ("支持高校毕业生到基层就业。", "encouraged"),
        ("引导企业加大研发投入。", "encouraged"),
        ("积极倡导绿色低碳的生活方式。", "encouraged"),
        ("要引导群众树立节约意识。", "must"),  # 要 before 引导
        ("支持和保证纪委履行监督职责。", "must"),
        # statement
        ("作风建设是一项长期任务。", "statement"),
        ("以习近平新时代中国特色社会主义思想为指导。", "statement"),
        ("为进一步优化营商环境，现提出如下意见。", "statement"),
        ("为了规范公务接待，制定本规定。", "statement"),
        ("力争三年内违规收费问题得到有效治理。", "statement"),
        ("本办法所称小微企业，是指从业人员不超过100人的企业。", "statement"),
        ("以上费用视同工资薪金。", "statement"),
        ("本办法自2025年3月1日起施行。", "statement"),
        ("当前，一些地方仍存在不作为问题。", "statement"),
        ("群众满意度显著提升。", "statement"),  # an expected effect without a date
        ("营商环境明显改善，市场主体活力进一步增强。", "statement"),
        pytest.param("本办法适用于临江区内各类市场主体。", "statement", id="scope"),
        pytest.param("本细则适用于青川县辖区内的农村集体经济组织。", "statement", id="scope-of-rules"),
    ],
)
def test_obligations_modality_of_one_clause(sentence, modality, resources):
    assert [o.modality for o in obligations(sentence, resources)] == [modality]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("各单位要高度重视，不得敷衍塞责。", [("各单位要高度重视", "must"), ("不得敷衍塞责。", "must_not")]),
        ("企业可以自主选择，但不得强制摊派。", [("企业可以自主选择", "may"), ("但不得强制摊派。", "must_not")]),
        ("必须坚持问题导向，鼓励基层大胆探索。", [("必须坚持问题导向", "must"), ("鼓励基层大胆探索。", "encouraged")]),
    ],
)
def test_obligations_two_modalities_in_one_sentence_give_two_obligations(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


def test_obligations_bu_de_bu_is_not_a_prohibition(resources):
    found = obligations("不得不承认，一些地方仍存在形式主义问题。", resources)
    assert "must_not" not in [o.modality for o in found]


def test_obligations_unmarked_clauses_join_the_marked_one(resources):
    (obligation,) = obligations("各地要加强统筹协调，细化工作措施，按时完成任务。", resources)
    assert obligation.modality == "must"
    assert obligation.text == "各地要加强统筹协调，细化工作措施，按时完成任务。"


def test_obligations_spans_point_into_the_text(resources):
    text = "一、工作要求\n各单位要高度重视，不得敷衍塞责。"
    found = read_obligations(text, 50, resources.cues, [])
    # a span may keep the comma that ends its clause
    assert [text[o.start - 50:o.end - 50].rstrip("，") for o in found] == [o.text for o in found]


def test_obligations_time_clause_carries_its_deadline(resources):
    (obligation,) = obligations("2025年6月底前，各地要完成摸底排查。", resources)
    assert obligation.modality == "must"
    assert obligation.deadline is not None
    assert (obligation.deadline.text, obligation.deadline.date) == ("2025年6月底前", "2025-06-30")


@pytest.mark.parametrize(
    ("sentence", "actors"),
    [
        ("各级党委要切实履行主体责任。", ["各级党委"]),
        ("各级纪检监察机关要加强日常监督。", ["各级纪检监察机关"]),
        ("符合条件的企业可以申请补贴。", ["符合条件的企业"]),
        ("加强对重点岗位的监督。", []),  # a bare directive names no actor
        pytest.param("各级党委（党组）要切实履行主体责任。", ["各级党委（党组）"], id="党委（党组）"),
    ],
)
def test_obligations_actor_is_the_subject_before_the_marker(sentence, actors, resources):
    (obligation,) = obligations(sentence, resources)
    assert obligation.actors == actors


def test_obligations_actors_come_from_department_spans(resources):
    text = "财政部、税务总局要抓紧制定实施细则。"
    spans = [(0, 3, "财政部"), (4, 8, "税务总局")]
    (obligation,) = read_obligations(text, 0, resources.cues, [], departments=spans)
    assert obligation.actors == ["财政部", "税务总局"]
    assert obligation.action == "要抓紧制定实施细则"


def test_obligations_narrative_text_defaults_to_statement(resources):
    text = "近年来，全市营商环境持续优化。"
    assert [o.modality for o in obligations(text, resources, narrative=True)] == ["statement"]
    # marked clauses keep their own modality in a narrative; the reporting verb only frames them
    assert [o.modality for o in obligations("会议要求，各部门要压缩审批时限。", resources, narrative=True)] == [
        "statement", "must"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("严禁向服务对象索要财物，对违规行为一律严肃处理。",
                     [("严禁向服务对象索要财物", "must_not"), ("对违规行为一律严肃处理。", "must")],
                     id="sanction-after-a-ban"),
        pytest.param("不得截留挪用专项资金，对违规单位依法依规追责。",
                     [("不得截留挪用专项资金", "must_not"), ("对违规单位依法依规追责。", "must")],
                     id="依法依规"),
        pytest.param("严禁超范围收费，违规收取押金。", [("严禁超范围收费，违规收取押金。", "must_not")],
                     id="a-ban-still-covers-a-listed-act"),
    ],
)
def test_obligations_a_fronted_object_with_its_predicate_is_a_directive(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("申报企业须如实填报，对虚报冒领补贴的，依法收回补贴，三年内不得再次申报。",
                     [("申报企业须如实填报，对虚报冒领补贴的，依法收回补贴", "must"), ("三年内不得再次申报。", "must_not")],
                     id="condition-then-measure-then-ban"),
        pytest.param("对弄虚作假的，依法取消其资格，并不得再次申报。",
                     [("对弄虚作假的，依法取消其资格", "must"), ("并不得再次申报。", "must_not")],
                     id="the-ban-does-not-reach-back"),
    ],
)
def test_obligations_a_carried_condition_stops_at_its_predicate(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("对逾期未整改的单位，区市场监管局依法予以通报，并可视情节暂停其评优资格。",
                     [("对逾期未整改的单位，区市场监管局依法予以通报", "must"), ("并可视情节暂停其评优资格。", "may")],
                     id="可视情节"),
        pytest.param("情节较轻的，可视情况减轻处理。", [("情节较轻的，可视情况减轻处理。", "may")], id="可视情况"),
        pytest.param("推动数据可视化展示。", [("推动数据可视化展示。", "must")], id="可视化-is-no-may"),
    ],
)
def test_obligations_may_by_circumstance(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("部分项目进度滞后。", ["statement"]),
        ("跨部门事项办理时限偏长。", ["statement"]),
        ("春季森林火险等级持续偏高。", ["statement"]),
        ("着力解决基层力量薄弱问题。", ["must"]),  # a directive verb asks, whatever the object
        ("加强薄弱环节监管。", ["must"]),
        ("专项整治开展以来，共受理问题线索86件。", ["statement"]),
        ("部分单位存在档案整理不规范的问题。", ["statement"]),
        ("全县现有在用电梯2360台。", ["statement"]),  # a count of what exists
        ("全区共有登记志愿者4.2万人。", ["statement"]),
        ("对现有设施进行改造。", ["must"]),  # 现有 without a count
        ("应急响应分为一级、二级和三级三个等级。", ["statement"]),  # a classification
        ("隐患分为一般隐患和重大隐患两类。", ["statement"]),
        ("全市全年未发生较大以上火灾事故。", ["statement"]),  # what did not happen
        ("确保全年未发生较大事故。", ["must"]),
        ("各单位主要负责人是安全生产第一责任人。", ["statement"]),  # 负责人 is a person, no duty word
        ("各单位主要负责人对本单位档案工作负责。", ["must"]),
        ("辖区历史上曾发生多次中强地震。", ["statement"]),  # what happened once
        ("全县共记录到2.0级以上地震11次。", ["statement"]),  # a count of what happened
        ("投标保证金共计23.7亿元。", ["statement"]),  # 保证金 is a deposit, no duty word
        ("防震减灾事关人民群众生命财产安全。", ["statement"]),
        ("投标人应当提交保证金。", ["must"]),
        ("基层医疗机构包括乡镇卫生院和村卫生室。", ["statement"]),  # a definition by its members
        ("会员依法开展活动受法律保护。", ["statement"]),
        ("各单位要包括在内统筹安排。", ["must"]),
        ("本次集中免疫的病种为口蹄疫和禽流感。", ["statement"]),  # X的Y为Z: what a thing is
        # 行为, 作为: 为 inside a word is no copula
        ("会同公安机关依法查处恶意阻挠基站建设的行为。", ["must"]),
        # a 对 phrase with its own verb is a clause, not a fronted object of the next one
        ("对行动不便群体提供上门服务，上门服务原则上在3个工作日内完成。", ["must", "should"]),
        ("对弄虚作假的行为作为失信记录。", ["must"]),
        ("部分单位重投入、轻绩效的观念仍未根本扭转。", ["statement"]),  # not yet: how things stand
        ("尚未完成整改的单位要加快进度。", ["must"]),
    ],
)
def test_obligations_a_clause_that_judges_how_things_stand_is_a_statement(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2029年，全省口岸货运量达到1.86亿吨。", ["statement"]),  # the year before the document's
        ("2031年，全省口岸货运量达到2亿吨。", ["must"]),  # a target of the document's year
        ("2029年，各地要完成清理。", ["must"]),  # a strong marker still asks
        # months of the document's year that ended before its date
        ("2030年1月至5月，全市共受理欠薪投诉1372件，欠薪案件数量同比下降18.4%。", ["statement"]),
        ("2030年5月，全市开展专项检查。", ["statement"]),
        ("2030年7月至9月，各区开展专项检查。", ["must"]),  # months still to come
    ],
)
def test_obligations_a_sentence_opening_with_an_earlier_year_narrates(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources, date="2030-06-12")] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("各区县信用办要加强宣传引导，确保活动取得实效。", [("各区县信用办要加强宣传引导，确保活动取得实效。", "must")]),
        ("原则上每月检查一次，确保不发生事故。", [("原则上每月检查一次", "should"), ("确保不发生事故。", "must")]),
    ],
)
def test_obligations_the_result_a_duty_is_to_bring_stays_with_it(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


REPORT = """澄阳市人民政府办公室关于一季度重点工作督查情况的通报
澄政办〔2027〕12号
各区人民政府，市政府各部门：
从督查情况看，各地各部门认真落实市政府决策部署，全市经济运行实现良好开局。
一、主要成效
（一）项目建设提速。全市重点项目完成投资86亿元，12个项目如期开工。
二、存在的问题
部分区审批用时仍然偏长，个别项目开工较迟。
三、下一步工作
（一）加快项目审批，5月15日前完成整改。（市发展改革委牵头，各区人民政府落实）
澄阳市人民政府办公室
2027年4月20日
"""

NOTICE = """澄阳市林业局关于做好春季森林防火工作的通知
各乡镇人民政府：
全市森林覆盖率达68%，林区与村庄交错分布，火险等级持续偏高。为防范森林火灾，现就有关事项通知如下：
一、严格野外用火管理。各乡镇要加强巡查，严禁携带火种进山。
澄阳市林业局
2027年2月1日
"""


def modalities_of(text: str, resources) -> dict[str, str]:
    from pipeline import extract_bytes

    result = extract_bytes(text.encode(), "notice.txt", resources)
    return {o.text: o.modality for t in result.tasks for o in t.obligations}


def test_obligations_sections_that_report_what_was_done_or_found_are_statements(resources):
    found = modalities_of(REPORT, resources)
    assert {m for text, m in found.items() if "如期开工" in text or "偏长" in text or "良好开局" in text} == {"statement"}
    assert [m for text, m in found.items() if "加快项目审批" in text] == ["must"]


def test_obligations_the_preamble_of_a_notice_states_its_grounds(resources):
    found = modalities_of(NOTICE, resources)
    assert {m for text, m in found.items() if "覆盖率" in text or "交错分布" in text} == {"statement"}
    assert "must_not" in found.values() and "must" in found.values()


PROVISIONS = """澄阳市应急管理局关于加强安全生产责任落实的通知
各区应急管理局：
现就有关事项通知如下。
一、压实责任
（一）对工作推进不力、造成严重后果的，依法依规追究相关人员责任。
（二）加强督导检查
二、工作要求
各单位要认真组织实施。
澄阳市应急管理局
2027年3月1日
"""


def test_a_numbered_line_with_a_condition_and_its_consequence_is_a_provision_not_a_heading(resources):
    from pipeline import extract_bytes

    result = extract_bytes(PROVISIONS.encode(), "notice.txt", resources)
    found = [(o.text, o.modality) for t in result.tasks for o in t.obligations if "追究" in o.text]
    assert found == [("（一）对工作推进不力、造成严重后果的，依法依规追究相关人员责任。", "must")]
    headings = [h.path[-1] for h in result.document.headings]
    assert "（二）加强督导检查" in headings  # a title without a condition stays a heading


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a noun for a person, not the duty word 负责
        ("各单位主要负责同志是第一责任人。", ["statement"]),
        ("各校负责同志要亲自部署。", ["must"]),
        ("市交通局负责路网监测。", ["must"]),
    ],
)
def test_obligations_a_responsible_person_is_a_noun_not_a_duty(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2031年内新设立的单位，也须报送年报。", [("2031年内新设立的单位，也须报送年报。", "must")]),
        ("已取得许可的企业，均应在10日内备案。", [("已取得许可的企业，均应在10日内备案。", "must")]),
        ("境外来访人员，一律不得进入核心区。", [("境外来访人员，一律不得进入核心区。", "must_not")]),
        ("未列入年度计划的团组，原则上不予审批。", [("未列入年度计划的团组，原则上不予审批。", "should")]),
        ("项目承担单位是验收的责任主体，负责编制材料。", [("项目承担单位是验收的责任主体", "statement"), ("负责编制材料。", "must")]),
        # a clause that acts on a body is not a subject: it keeps its own obligation
        ("督促各部门，要定期通报进展。", [("督促各部门", "must"), ("要定期通报进展。", "must")]),
        # a 对 phrase with a light verb is a clause of its own, not a fronted object
        ("修订村规民约，对婚丧操办规模作出约定，不得大操大办。",
         [("修订村规民约，对婚丧操办规模作出约定", "must"), ("不得大操大办。", "must_not")]),
        # a short term that opens a sentence belongs to what is said of it
        ("（三）租赁所得，是指出租财产取得的所得。", [("（三）租赁所得，是指出租财产取得的所得。", "statement")]),
        ("（二）劳务所得，以一个月内取得的收入为一次。", [("（二）劳务所得，以一个月内取得的收入为一次。", "statement")]),
    ],
)
def test_obligations_a_subject_set_off_by_a_comma_belongs_to_its_modal_predicate(sentence, expected, resources):
    assert [(o.text, o.modality) for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("截至2029年底，全县老年人口达8.6万人，占总人口的23.4%。", ["statement"]),
        ("截至目前，已有12个项目开工。", ["statement"]),
        ("截至2029年6月，各地要完成排查。", ["statement", "must"]),  # a strong marker still asks
    ],
)
def test_obligations_figures_as_of_a_date_are_statements(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources, date="2030-06-12")] == expected


ITEMS_WITHOUT_BODY = """澄阳市市场监管局关于做好年度报告公示工作的通知
各区市场监管局：
一、公示
（一）年报经审核通过后，由市局在网上公示，公示期为20日。
（二）对未按时报送的，依法责令改正。
（三）对工作不力的单位依法依规追究责任。
二、监管
（一）强化组织领导，压实工作责任。
各区局要明确专人负责。
（二）抽查结果向社会公布，接受公众监督。
澄阳市市场监管局
2030年3月1日
"""


def test_a_numbered_sentence_with_nothing_below_is_an_item_not_a_heading(resources):
    from pipeline import extract_bytes

    result = extract_bytes(ITEMS_WITHOUT_BODY.encode(), "notice.txt", resources)
    found = {o.text: o.modality for t in result.tasks for o in t.obligations}
    assert found.get("（一）年报经审核通过后，由市局在网上公示，公示期为20日。") == "must"
    assert found.get("（二）抽查结果向社会公布，接受公众监督。") == "must"  # the last item of its section
    assert found.get("（三）对工作不力的单位依法依规追究责任。") == "must"  # one clause, closed by its full stop
    headings = {h.path[-1] for h in result.document.headings if h.path[-1].startswith("（一）强化")}
    assert headings == {"（一）强化组织领导，压实工作责任"}  # a title with text below stays a heading
    assert not any(o.text.startswith("（一）强化") for t in result.tasks for o in t.obligations)


def test_a_contact_line_after_the_last_item_is_no_text_of_it(resources):
    from pipeline import extract_bytes

    text = ITEMS_WITHOUT_BODY.replace("澄阳市市场监管局\n2030年3月1日",
                                      "联系人：市局信用监管科　张某某　电话：0000-1234567\n澄阳市市场监管局\n2030年3月1日")
    result = extract_bytes(text.encode(), "notice.txt", resources)
    found = {o.text: o.modality for t in result.tasks for o in t.obligations}
    assert found.get("（二）抽查结果向社会公布，接受公众监督。") == "must"  # still the last item, not a heading
    assert not any("联系人" in t.text for t in result.tasks)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("因公出国团组，是指各单位因工作需要派出的团组。", ["statement"]),
        ("本办法所称重点岗位，是指需要定期轮岗的岗位。", ["statement"]),
        ("各单位应当按年度确定重点岗位。", ["must"]),
    ],
)
def test_obligations_a_definition_is_a_statement_whatever_words_it_holds(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("汛期测报任务繁重。", ["statement"]),
        ("夏季学生私自下水游泳现象时有发生。", ["statement"]),
        ("辖区内有两条主要河流和山塘水库23座。", ["statement"]),
        ("无正当理由逾期不参加考核的，视为放弃考核。", ["statement"]),
        ("全县文联工作以新发展理念为引领，推出一批精品。", ["statement", "must"]),
        ("全县食盐监管工作以保障碘盐供应为目标，重点抓好以下工作。", ["statement", "must"]),
        ("研究建立以资源循环利用率为核心指标的评价体系。", ["must"]),  # 以…为核心 inside a noun phrase
        ("总体要求是：以保障能源安全为首要任务，加快构建现代能源体系。", ["statement", "must"]),
        ("一是编制专项规划；二是划定民宿集聚发展区，引导民宿集中布局。", ["must", "must", "encouraged"]),  # 二是 enumerates
        # a definition whose words carry on past a condition (…后，) into the clause it joins
        ("本通知所称信用修复，是指失信主体履行相关义务后，按规定申请移除其失信信息的活动。", ["statement"]),
        ("工作要点中“责任主体”为具体实施单位。", ["statement"]),  # a quoted term and what it is
        ("秋季学期于9月12日正式开课。", ["statement"]),  # when an event is held, asked of nobody
        ("受持续干旱影响，部分渠道淤积严重。", ["statement"]),
        ("经过两年来的试点，“法援驿站”已在3个街道取得良好成效。", ["statement"]),
        # 引导 in a purpose is the aim; 支持 after a noun is a noun (资金支持)
        ("为引导企业树立精品意识，决定开展优质工程评选。", ["statement", "must"]),
        ("在政府资金支持、政府采购等方面依法依规予以限制。", ["must"]),
        ("支持企业开展技术改造。", ["encouraged"]),
        ("各系要于9月5日前完成教材选订。", ["must"]),
        # what has been reached, a change by degree, what some have run into
        ("全县普通话普及率已达到86.5%。", ["statement"]),
        ("现有样本已连续记账满五年，部分样本住户出现搬迁等情况，样本代表性有所下降。", ["statement"]),
        ("对已完成整改的单位，要开展回头看。", ["must"]),
        ("确保合格率有所提高。", ["must"]),
        # a marker inside the noun phrase a copula predicates modifies the noun
        ("学位论文抽检是保证学位授予质量的重要手段。", ["statement"]),
        ("主要负责人是落实安全责任的第一责任人。", ["statement"]),
        ("负责人要保证是合格的产品。", ["must"]),
        ("殡仪服务关系群众切身利益。", ["statement"]),  # what a matter bears on
        ("净空和电磁环境保护压力持续加大。", ["statement"]),  # a trend, not a target
        ("部分台站观测环境受城市建设干扰。", ["statement"]),  # what it suffers
        ("全市各级侨联共开展侨法宣传活动86场。", ["statement"]),  # a count of what was done
        ("预计报到新生及送站家长约2.1万人次。", ["statement"]),  # an estimate
        ("网上庭审与线下庭审具有同等效力。", ["statement"]),  # a legal effect
        ("农机装备产业科技创新能力持续提升。", ["must"]),  # a target
        ("持续加大执法力度。", ["must"]),
        # 所需 modifies a noun (the paper needed); 可以 is the clause's marker
        ("古籍修复所需纸张、工具可以由省古籍保护中心统一采购。", ["may"]),
        ("理顺管理关系，明确职责。", ["must"]),
    ],
)
def test_obligations_a_state_or_a_framing_is_a_statement(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("方案针对展会溢出效应，提出提升展销平台功能、建立协作机制等。", ["statement"]),
        ("第一条　根据《澄阳市某某条例》规定，制定本办法。", ["statement"]),
        ("为规范履职行为，结合本局实际，制定本实施办法。", ["statement"]),
        ("方案提出，各区要在6月底前完成排查。", ["statement", "must"]),  # a strong marker still asks
    ],
)
def test_obligations_what_a_document_proposes_or_why_it_is_made_is_a_statement(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


def test_obligations_a_fronted_object_carried_into_its_predicate_is_carried_no_further(resources):
    found = obligations("稳定实施补贴政策，对购买国内外产品一视同仁，最大限度发挥政策效益，大力支持保护性耕作。", resources)
    assert [(o.text[:8], o.modality) for o in found] == [("稳定实施补贴政策", "must"), ("大力支持保护性耕", "encouraged")]


RUN_IN = """澄阳市救助管理站关于印发冬季救助行动方案的通知
各区救助管理站：
现将方案印发给你们，请认真贯彻执行。
一、工作任务
1．拓展两个市场。积极对接外地客商，每季度组织一次推介活动。
2．对巡查发现的流浪乞讨人员，现场劝导其进站接受救助；不愿进站的，发放棉衣和食品。
3．寒潮期间实行24小时值守。各站严禁拒收求助人员。
澄阳市救助管理站
2030年11月20日
"""


def test_a_run_in_title_is_no_obligation_but_a_first_clause_closed_by_a_semicolon_is(resources):
    found = modalities_of(RUN_IN, resources)
    assert "1．拓展两个市场。" not in found  # a nominal run-in title (F31)
    assert found.get("2．对巡查发现的流浪乞讨人员，现场劝导其进站接受救助；") == "must"
    # a title that is a directive after the time it holds for is a duty of its own
    assert found.get("3．寒潮期间实行24小时值守。") == "must"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("为切实减少毒品危害，对工作不力的区，依规进行通报约谈。", ["statement", "must"]),
        ("为贯彻落实上级部署，组织推进各项措施落地，现提出以下意见。", ["statement"]),
        # 保证/确保 as the verb of the aim asks nothing; the main clause still does
        ("为保证数据连续可比，队里决定开展样本轮换工作。", ["statement", "must"]),
        ("为进一步确保安全，各单位要落实值守责任。", ["statement", "must"]),
        ("为企业提供服务，确保按期完成。", ["statement", "must"]),  # 确保 of the main clause
    ],
)
def test_obligations_a_purpose_runs_up_to_the_main_clause(sentence, expected, resources):
    assert [o.modality for o in obligations(sentence, resources)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("2087年台网运行率为98.6%。", ["statement"]),  # a year before the document's, a figure of it
        ("全省现有台站86个，2087年台网运行率为98.6%。", ["statement"]),  # a clause that opens with it
        ("2088年合格率达到98%以上。", ["must"]),  # the document's own year: a target
        ("2087年度考核结果于3月底前公布。", ["must"]),  # the year of an edition
    ],
)
def test_obligations_a_figure_of_a_past_year_is_a_statement(sentence, expected, resources):
    found = read_obligations(sentence, 0, resources.cues, [], False, None, "2088-03-01")
    assert [o.modality for o in found] == expected

