"""The deadline grammar, one test per form of writing (forms F10–F12, F18, F22–F24, F29, F30,
F33–F35 of the catalogue, and forms of circulars outside the corpus: points of the farming,
school and flood year, weekdays, months of every quarter, limits after a recurring event),
with short sentences written for the project.

Every case goes through the public API (`DeadlineFinder.find`, or `extract_bytes` for the year
a document's date line gives) and states the whole reading: printed text, kind, date and
RRULE, in text order. The reference year is 2026 unless a case says otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import extract_bytes
from pipeline.deadlines import DeadlineFinder

YEAR = 2026


@pytest.fixture(scope="module")
def finder(resources) -> DeadlineFinder:
    return DeadlineFinder(resources.cues, year=YEAR)


def read(finder: DeadlineFinder, sentence: str, **kwargs) -> list[tuple]:
    found = finder.find(sentence, **kwargs)
    for deadline in found:  # the printed span points into the sentence as given
        assert sentence[deadline.start:deadline.end] == deadline.text
    return [(d.text, d.kind, d.date, d.rrule) for d in found]


MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY, WEEKLY = (
    "FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;INTERVAL=6", "FREQ=YEARLY", "FREQ=WEEKLY")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("建立“每周一巡河、一月一研判、半年一评估”机制。",
                     [("每周一巡河", "recurring", None, WEEKLY), ("一月一研判", "recurring", None, MONTHLY),
                      ("半年一评估", "recurring", None, HALF_YEARLY)], id="one-每-shared-by-a-list"),
        pytest.param("临江区实行“月调度、季督查、年考核”制度。",
                     [("月调度", "recurring", None, MONTHLY), ("季督查", "recurring", None, QUARTERLY),
                      ("年考核", "recurring", None, YEARLY)], id="quoted-bare-periods"),
        pytest.param("落实“周研判、月通报、年终总结”要求。",
                     [("周研判", "recurring", None, WEEKLY), ("月通报", "recurring", None, MONTHLY),
                      ("年终总结", "recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")],
                     id="a-point-of-the-year-in-the-list"),
        pytest.param("澄阳市河长办建立“一月一专题”督办机制。",
                     [("一月一专题", "recurring", None, MONTHLY)], id="one-period-one-topic"),
        pytest.param("青川县推行每月一调度、每季一通报。",
                     [("每月一调度", "recurring", None, MONTHLY), ("每季一通报", "recurring", None, QUARTERLY)],
                     id="每-on-every-item-unquoted"),
        pytest.param("于十一月一日起开放申报。", [("十一月一日起", "ongoing", None, None)], id="a-date-is-no-rhythm"),
    ],
)
def test_F10_rhythm_lists(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("补助目录按年度动态调整。", [("按年度", "recurring", None, YEARLY)]),
        ("各县区按照季度报送项目进展。", [("按照季度", "recurring", None, QUARTERLY)]),
        ("逐年提高城乡低保标准。", [("逐年", "recurring", None, YEARLY)]),
        ("按月报送统计数据。", [("按月", "recurring", None, MONTHLY)]),
        pytest.param("按季度或半年开展绩效评估。", [("按季度或半年", "recurring", None, None)], id="alternatives"),
        pytest.param("按年龄段分组统计。", [], id="a-noun-not-a-period"),
        pytest.param("逾期按日加收滞纳金。", [], id="a-manner-of-computing"),
    ],
)
def test_F11_by_period_words(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("于2028年初启动第二轮评估。", [("2028年初", "fixed", None, None)], id="early-year-no-date"),
        pytest.param("2027年首季开展集中招聘。", [("2027年首季", "fixed", "2027-03-31", None)], id="first-quarter"),
        pytest.param("一季度末完成首批验收。", [("一季度末", "fixed", "2026-03-31", None)], id="quarter-end"),
        pytest.param("2027年秋季开学前投入使用。", [("2027年秋季开学前", "fixed", None, None)], id="season"),
        pytest.param("力争今年年内上线运行。", [("今年年内", "fixed", "2026-12-31", None)], id="this-year-within"),
        pytest.param("2027年年中完成中期评估。", [("2027年年中", "fixed", "2027-06-30", None)], id="mid-year"),
        pytest.param("今年适当时候召开推进会。", [("今年适当时候", "fixed", "2026-12-31", None)], id="some-time"),
        pytest.param("国庆节前完成景区安全检查。",
                     [("国庆节前", "recurring", None, "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1")],
                     id="named-day-every-year"),
        pytest.param("2026年国庆节前完成景区安全检查。", [("2026年国庆节前", "fixed", "2026-10-01", None)],
                     id="named-day-with-a-year"),
        pytest.param("2027年春节前发放到位。", [("2027年春节前", "fixed", None, None)], id="moving-feast-no-date"),
        pytest.param("在全国科普日前后集中开展宣传。", [("全国科普日前后", "recurring", None, None)],
                     id="named-day-around"),
        pytest.param("母亲节前后集中开展宣传展示。", [("母亲节前后", "recurring", None, None)], id="a-day-that-moves"),
        pytest.param("国际护士节前完成表彰。", [("国际护士节前", "recurring", None, "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=12")],
                     id="a-day-of-the-calendar"),
        pytest.param("2019年中央财政安排专项资金。", [], id="not-mid-year"),
        pytest.param("2027年初步建成示范区。", [("2027年", "fixed", "2027-12-31", None)], id="not-early-year"),
    ],
)
def test_F12_named_or_approximate_points(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("自查整改阶段：2027年7―9月，由各县区组织实施。", [("2027年7―9月", "fixed", "2027-09-30", None)],
                     id="months-with-a-horizontal-bar"),
        pytest.param("2027年4月—2028年2月，开展集中整治。", [("2027年4月—2028年2月", "fixed", "2028-02-29", None)],
                     id="across-years"),
        pytest.param("2027年10月——2028年2月，全面验收。", [("2027年10月——2028年2月", "fixed", "2028-02-29", None)],
                     id="doubled-dash"),
        pytest.param("4－5月，组织专项检查。", [("4－5月", "fixed", "2026-05-31", None)], id="yearless-fullwidth-dash"),
        pytest.param("9月1日至30日，开展集中宣传。", [("9月1日至30日", "fixed", "2026-09-30", None)], id="days-with-至"),
        pytest.param("2027年3月～6月完成试点。", [("2027年3月～6月", "fixed", "2027-06-30", None)], id="wave-dash"),
        pytest.param("2026年11月到2027年1月，集中整治。", [("2026年11月到2027年1月", "fixed", "2027-01-31", None)],
                     id="with-到"),
        pytest.param("2027-2028年，完成两轮评估。", [("2027-2028年", "fixed", "2028-12-31", None)], id="years"),
        pytest.param("2026—2028年期间完成。", [("2026—2028年期间", "fixed", "2028-12-31", None)], id="years-期间"),
        pytest.param("自即日起至2026年12月31日，开展专项整治行动。", [("即日起至2026年12月31日", "fixed", "2026-12-31", None)],
                     id="open-start-to-a-date"),
        pytest.param("《澄阳市数字经济三年行动方案（2026—2028年）》印发实施。", [], id="a-plan-title-is-no-deadline"),
    ],
)
def test_F18_ranges_with_a_dash(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("各县于九月底前报送摸底结果。", [("九月底前", "fixed", "2026-09-30", None)], id="chinese-month"),
        pytest.param("3月底前完成年度评估。", [("3月底前", "fixed", "2026-03-31", None)], id="arabic-month"),
        pytest.param("年底前完成全部改造。", [("年底前", "fixed", "2026-12-31", None)], id="bare-year-end"),
        pytest.param("2027年3月底前完成普查，6月底前形成报告。",
                     [("2027年3月底前", "fixed", "2027-03-31", None), ("6月底前", "fixed", "2027-06-30", None)],
                     id="year-of-the-sentence"),
        pytest.param("每年1月底前提交上年度报告，4月底前完成评估。",
                     [("每年1月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=-1"),
                      ("4月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=-1")],
                     id="inside-a-yearly-rhythm"),
        pytest.param("纳入年底考核体系。", [], id="year-end-as-a-modifier"),
        pytest.param("上年底全县存款余额增长8%。", [], id="last-year"),
    ],
)
def test_F22_month_deadline_without_a_year(sentence, expected, finder):
    assert read(finder, sentence) == expected


def test_F22_month_without_a_year_and_without_a_reference_has_no_date(resources):
    assert read(DeadlineFinder(resources.cues), "各县于九月底前报送摸底结果。") == [("九月底前", "fixed", None, None)]


@pytest.mark.parametrize(
    ("sentence", "reference", "expected"),
    [
        # a winter plan of December: a time to act by in January is next January
        pytest.param("1月上旬完成消防设施检查。", "2076-12-08", [("1月上旬", "fixed", "2077-01-10", None)], id="next-january"),
        pytest.param("3月底前完成整改。", "2076-10-08", [("3月底前", "fixed", "2077-03-31", None)], id="next-march"),
        pytest.param("12月底前完成总结。", "2076-01-08", [("12月底前", "fixed", "2076-12-31", None)], id="this-december"),
        # within half a year before the document, or a bare month: narrated
        pytest.param("3月底前完成整改。", "2076-09-08", [], id="half-a-year-before-narrates"),
        pytest.param("5月完成了检查。", "2076-12-08", [], id="a-bare-month-narrates"),
        # a year that names a thing (the budget of 2091) gives the sentence no year
        pytest.param("形成2091年市级预算草案，12月中旬前完成。", "2090-08-01",
                     [("12月中旬前", "fixed", "2090-12-20", None)], id="a-year-naming-a-thing"),
        # 次年 in a sentence that names no year: the year after the document's
        pytest.param("次年1月20日前报送总结。", "2095-03-01", [("次年1月20日前", "fixed", "2096-01-20", None)],
                     id="the-year-after-the-documents"),
    ],
)
def test_F22_a_month_long_before_the_documents_date_is_next_years(sentence, reference, expected, resources):
    found = DeadlineFinder(resources.cues).find(sentence, reference=dt.date.fromisoformat(reference))
    assert [(d.text, d.kind, d.date, d.rrule) for d in found] == expected


def test_F22_the_year_comes_from_the_documents_date_line(resources):
    text = ("青川县人民政府办公室关于开展农村供水安全排查的通知\n各乡镇人民政府：\n"
            "一、各乡镇于九月底前报送摸底结果，11月30日前完成整改。（县水利局牵头，县卫生健康局配合）\n"
            "青川县人民政府办公室\n2026年3月9日\n")
    (task,) = [t for t in extract_bytes(text.encode(), "notice.txt", resources).tasks if t.assignment]
    assert [(d.text, d.kind, d.date) for d in task.deadlines] == [
        ("九月底前", "fixed", "2026-09-30"), ("11月30日前", "fixed", "2026-11-30")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("自取得执业许可的次月起按新标准缴费。", [("取得执业许可的次月起", "relative", None, None)],
                     id="next-month-after-an-event"),
        pytest.param("自项目验收合格之日起享受扶持政策。", [("项目验收合格之日起", "relative", None, None)],
                     id="from-the-day-of-an-event"),
        pytest.param("从明年起纳入绩效考核。", [("明年起", "ongoing", None, None)], id="from-next-year"),
        pytest.param("2027年起，全面推行电子证照。", [("2027年起", "ongoing", None, None)], id="from-a-year"),
        pytest.param("本细则自2026年5月1日起施行。", [], id="effective-date"),
        pytest.param("本通知自发布之日起施行。", [], id="effective-on-publication"),
        pytest.param("自合同签订之日起至项目验收之日止计算。", [], id="a-span-not-a-start"),
        pytest.param("次年3月底前完成汇算。", [("次年3月底前", "relative", None, None)], id="the-year-after-an-event"),
        pytest.param("每年12月底前完成清算，次年3月底前完成汇算。",
                     [("每年12月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1"),
                      ("次年3月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1")],
                     id="the-year-after-in-a-yearly-rhythm"),
        pytest.param("2027年度计划执行情况于次年1月15日前报送。", [("次年1月15日前", "fixed", "2028-01-15", None)],
                     id="the-year-after-the-one-its-sentence-names"),
    ],
)
def test_F23_start_relative_to_an_event(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("应于5个工作日内完成审核。", [("5个工作日内", "relative", None, None)]),
        ("财政部门于7个工作日内拨付到位。", [("7个工作日内", "relative", None, None)]),
        ("收到申请后10个工作日内作出决定。", [("收到申请后10个工作日内", "relative", None, None)]),
        ("自受理之日起20个工作日内办结。", [("受理之日起20个工作日内", "relative", None, None)]),
        pytest.param("审批时间压缩至3个工作日以内。", [], id="how-long-a-procedure-takes"),
    ],
)
def test_F24_limits_in_working_days(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("特种设备应在检验有效期届满前1个月内申请检验。", [("检验有效期届满前1个月内", "relative", None, None)],
                     id="within-a-month-before-expiry"),
        pytest.param("演练前一周，各区要发布公告。", [("演练前一周", "relative", None, None)], id="a-week-before-an-act"),
        pytest.param("会议召开前3个工作日报送材料。", [("会议召开前3个工作日", "relative", None, None)],
                     id="working-days-before-a-meeting"),
        pytest.param("今年前三季度全市完成投资120亿元。", [], id="the-first-quarters-of-a-year"),
        pytest.param("前3个月平均降水偏少。", [], id="the-first-months-no-event"),
    ],
)
def test_F23_a_time_counted_back_from_an_event(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("定于2026年9月18日10时在全市试鸣防空警报。", [("2026年9月18日", "fixed", "2026-09-18", None)],
                     id="set-for-a-day"),
        pytest.param("请于6月30日报送自查报告。", [("6月30日", "fixed", "2026-06-30", None)], id="asked-by-a-day"),
        pytest.param("计划于2026年11月5日开展联合演练。", [("2026年11月5日", "fixed", "2026-11-05", None)],
                     id="planned-for-a-day"),
        pytest.param("市政府于2026年3月12日召开专题会议。", [], id="an-event-in-prose-stays-no-deadline"),
    ],
)
def test_F12_the_day_an_act_is_set_for(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("分别于2027年6月30日和9月30日前报送。",
                     [("2027年6月30日", "fixed", "2027-06-30", None), ("9月30日前", "fixed", "2027-09-30", None)],
                     id="year-carried"),
        pytest.param("每年6月30日和12月31日前报送统计报表。",
                     [("每年6月30日", "recurring", None, "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30"),
                      ("12月31日前", "recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")],
                     id="每年-carried"),
        pytest.param("2027年3月、6月、9月底前分别报送进展。",
                     [("2027年3月", "fixed", "2027-03-31", None), ("6月", "fixed", "2027-06-30", None),
                      ("9月底前", "fixed", "2027-09-30", None)], id="month-end-shared"),
        pytest.param("每月10日和25日前报送快报。",
                     [("每月10日", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=10"),
                      ("25日前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=25")], id="days-of-every-month"),
        pytest.param("于2026年6月30日和7月1日召开座谈会。", [], id="dates-of-events"),
        # a month of every year names no day: the month is the window
        pytest.param("每年9月集中宣传一批先进典型。",
                     [("每年9月", "recurring", None, "FREQ=YEARLY;BYMONTH=9")], id="a-month-of-every-year"),
        pytest.param("8月中下旬组织安全评估。", [("8月中下旬", "fixed", "2026-08-31", None)], id="middle-and-last-ten-days"),
        pytest.param("3月上中旬完成调查。", [("3月上中旬", "fixed", "2026-03-20", None)], id="first-and-middle-ten-days"),
        pytest.param("在“4·23”世界读书日前后开展集中清查。",
                     [("“4·23”世界读书日前后", "recurring", None, "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=23")],
                     id="a-named-day-with-its-date-in-quotes"),
        pytest.param("储备食盐每半年轮换一次。", [("每半年轮换一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=6")],
                     id="every-half-year-a-rotation"),
        # a stretch of every year is due at its end, as a range is
        pytest.param("每年11月至次年3月组织清淤整修。",
                     [("每年11月至次年3月", "recurring", None, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1")],
                     id="a-stretch-of-every-year"),
        pytest.param("每月1日至5日报送上月数据。",
                     [("每月1日至5日", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=5")], id="a-stretch-of-every-month"),
        pytest.param("每周五下午下班前完成一次清查并登记。",
                     [("每周五下午下班前", "recurring", None, "FREQ=WEEKLY;BYDAY=FR")], id="parts-of-a-day-in-a-row"),
        pytest.param("（三）验收巩固阶段（10月）。街道组织逐巷验收。", [("10月", "fixed", "2026-10-31", None)],
                     id="a-month-in-brackets-after-a-phase"),
        pytest.param("每年3月、9月各开展一次专项检查。",
                     [("每年3月、9月", "recurring", None, "FREQ=YEARLY;BYMONTH=3,9")], id="months-of-every-year"),
        pytest.param("每年4月和10月各举办1次成果路演。",
                     [("每年4月和10月", "recurring", None, "FREQ=YEARLY;BYMONTH=4,10")], id="two-months-of-every-year"),
        pytest.param("当年12月底前完成主体工程建设。", [("当年12月底前", "fixed", "2026-12-31", None)],
                     id="the-year-itself"),
        # 次月N日前 in a sentence about a monthly cycle: the Nth of every month
        pytest.param("建立驿站服务月报制度，各司法所于次月3日前报送上月服务台账。",
                     [("次月3日前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=3")], id="next-month-of-a-monthly-report"),
    ],
)
def test_F29_coordinated_points_share_one_suffix(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("力争到 2030 年末，建成示范区。", [("2030 年末", "fixed", "2030-12-31", None)]),
        ("2029 年，全面完成改造任务。", [("2029 年", "fixed", "2029-12-31", None)]),
        ("2027 年 6 月底前完成验收。", [("2027 年 6 月底前", "fixed", "2027-06-30", None)]),
        ("力争“十五五” 期间新增就业岗位。", [("“十五五” 期间", "fixed", "2030-12-31", None)]),
    ],
)
def test_F30_spaces_inside_a_typeset_date(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("用两年左右时间，基本建成智慧水务体系。", [("两年左右时间", "relative", None, None)]),
        ("经过3到5年时间，形成完善的服务网络。", [("3到5年时间", "relative", None, None)]),
        ("力争三到五年时间内基本完成。", [("三到五年时间内", "relative", None, None)]),
        ("在2—3年内调整到位。", [("2—3年内", "relative", None, None)]),
        pytest.param("共监测了5个月时间，未发现异常。", [], id="a-span-narrated"),
    ],
)
def test_F33_approximate_duration(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("每季度至少开展联合检查1次。", [("每季度", "recurring", None, QUARTERLY)], id="minimum-count"),
        pytest.param("每年至少组织2次应急演练。", [("每年", "recurring", None, YEARLY)], id="minimum-twice"),
        pytest.param("联席会议每年召开两次。", [("每年召开两次", "recurring", None, HALF_YEARLY)], id="count-is-the-rhythm"),
        pytest.param("调度会每月召开三次。", [("每月召开三次", "recurring", None, None)], id="no-single-rule"),
    ],
)
def test_F34_count_after_a_period(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("要把河长巡河制度长期坚持下去。", [("长期坚持", "ongoing", None, None)]),
        pytest.param("持续推进作风建设。", [], id="an-adverb"),
        pytest.param("长期坚持群众路线。", [], id="with-an-object"),
    ],
)
def test_F35_ongoing_phrase_in_prose(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("补贴标准为每人每月800元。", id="amount-per-period"),
        pytest.param("符合条件的企业可享受3年内减半征收。", id="benefit-period"),
        pytest.param("本证书有效期为5年。", id="validity-period"),
        pytest.param("执行期限为2026年1月1日至2028年12月31日。", id="period-a-rule-applies"),
        pytest.param("土地使用期限自项目启用之日起至2056年6月30日止。", id="term-of-a-right"),
        pytest.param("截至2025年底，全市已建成充电桩1万个。", id="figure-as-of-a-date"),
        pytest.param("2024年以来，临江区累计完成改造300户。", id="period-up-to-now"),
        pytest.param("2023年，全市完成造林5万亩。", id="narrated-past-year"),
        pytest.param("2026年3月12日，市政府召开专题会议。", id="event-in-prose"),
        pytest.param("关于2026年度考核工作的通知", id="title-of-a-year"),
        pytest.param("5月3日内蒙古自治区代表团来访。", id="内-of-another-word"),
        pytest.param("保障学生每天校内锻炼时间不少于1小时。", id="length-of-time-per-day"),
        pytest.param("2026年2月举办全市春季招聘会。", id="date-of-an-event"),
    ],
)
def test_forms_that_are_no_deadline(sentence, finder):
    assert read(finder, sentence) == []


@pytest.mark.parametrize(
    ("sentence", "without_the_date"),
    [
        pytest.param("2026年4月16日至18日，调研组赴临江区开展调研。",
                     [("2026年4月16日至18日", "fixed", "2026-04-18", None)], id="a-range-of-days"),
        pytest.param("2026年4月8日后停止现场监测。", [("2026年4月8日后", "ongoing", None, None)], id="a-start"),
        pytest.param("今年初，全市启动智慧社区建设。", [("今年初", "fixed", None, None)], id="early-this-year"),
    ],
)
def test_points_before_the_reference_date_are_narration(sentence, without_the_date, finder):
    assert read(finder, sentence) == without_the_date
    assert read(finder, sentence, reference=dt.date(2026, 8, 12)) == []


def test_points_after_the_reference_date_stay(finder):
    assert read(finder, "2026年9月底前完成整改，2027年起全面推行。", reference=dt.date(2026, 8, 12)) == [
        ("2026年9月底前", "fixed", "2026-09-30", None), ("2027年起", "ongoing", None, None)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("春播前完成种子调运。", [("春播前", "fixed", None, None)], id="farming-year"),
        pytest.param("夏收前后做好农机跨区调度。", [("夏收前后", "fixed", None, None)], id="around"),
        pytest.param("在汛期前完成堤防除险加固。", [("汛期前", "fixed", None, None)], id="flood-season"),
        pytest.param("寒假前完成校舍安全排查。", [("寒假前", "fixed", None, None)], id="school-holiday"),
        pytest.param("夏季前完成泳池水质监测。", [("夏季前", "fixed", None, None)], id="season-word"),
        pytest.param("秋季学期开学前完成教材征订。", [("秋季学期开学前", "fixed", None, None)], id="school-term"),
        pytest.param("每年汛期前完成水库安全检查。", [("每年汛期前", "recurring", None, YEARLY)], id="every-year"),
        pytest.param("2027年汛期前完成河道清淤。", [("2027年汛期前", "fixed", None, None)], id="with-a-year"),
        pytest.param("做好春耕前各项准备。", [], id="a-modifier-inside-its-clause"),
        pytest.param("汛期期间加强值守。", [], id="a-span-of-the-season"),
        pytest.param("春耕生产形势总体平稳。", [], id="a-season-word-without-suffix"),
        # a season named by what happens in it: the words of its clause before the head noun
        pytest.param("每季度体检一次，流感高发季节前完成疫苗接种。",
                     [("每季度体检一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=3"),
                      ("流感高发季节前", "fixed", None, None)], id="named-by-what-peaks"),
        pytest.param("要在旅游旺季前完成索道安全检测。", [("旅游旺季前", "fixed", None, None)], id="after-a-preposition"),
        pytest.param("各供电所于用电高峰期前完成线路巡视。", [("用电高峰期前", "fixed", None, None)], id="peak-period"),
        pytest.param("做好火灾高发期前各项准备。", [], id="a-named-season-modifying-a-noun"),
        pytest.param("旅游旺季客流集中。", [], id="a-named-season-without-suffix"),
        # a season joined by a conjunction to a point before it needs no clause of its own
        pytest.param("春节前和汛期前各开展一次检查。", [("春节前", "recurring", None, None), ("汛期前", "fixed", None, None)],
                     id="joined-to-a-named-day"),
        pytest.param("做好春耕和秋收前各项准备。", [], id="joined-but-modifying"),
    ],
)
def test_seasonal_points_of_the_year(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("2027年秋季学期起实行新的收费标准。", [("2027年秋季学期起", "ongoing", None, None)],
                     id="from-a-school-term"),
        pytest.param("2027年春季学期前完成课程调整。", [("2027年春季学期前", "fixed", None, None)], id="by-a-term"),
    ],
)
def test_school_term_points(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("各街道每周一报送巡查台账。", [("每周一", "recurring", None, "FREQ=WEEKLY;BYDAY=MO")], id="monday"),
        pytest.param("每星期五下午召开例会。", [("每星期五下午", "recurring", None, "FREQ=WEEKLY;BYDAY=FR")],
                     id="星期-friday"),
        pytest.param("每周三前提交周报。", [("每周三前", "recurring", None, "FREQ=WEEKLY;BYDAY=WE")], id="by-wednesday"),
        pytest.param("每周一次通报进度。", [("每周一次", "recurring", None, WEEKLY)], id="once-a-week-is-a-count"),
        pytest.param("每周一期发布简报。", [("每周一期", "recurring", None, WEEKLY)], id="one-issue-a-week"),  # 一期 counts, no Monday
    ],
)
def test_weekday_after_every_week(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("上半年组织一次应急演练。", [("上半年", "fixed", "2026-06-30", None)], id="first-half"),
        pytest.param("下半年开展一次专项督查。", [("下半年", "fixed", "2026-12-31", None)], id="second-half"),
        pytest.param("半年组织一次绩效评估。", [("半年组织一次", "recurring", None, HALF_YEARLY)], id="once-a-half-year"),
    ],
)
def test_half_of_the_year_is_a_point_not_a_count(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("各分公司每季度首月10日前报送上季度报表。",
                     [("每季度首月10日前", "recurring", None, "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=10")],
                     id="first-month"),
        pytest.param("每季度第一个月15日前完成考评。",
                     [("每季度第一个月15日前", "recurring", None, "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15")],
                     id="first-month-in-words"),
        pytest.param("每季度末月25日前报送统计数据。",
                     [("每季度末月25日前", "recurring", None, "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=25")],
                     id="last-month"),
        pytest.param("每季度第一个月的10日前拨付补助资金。",
                     [("每季度第一个月的10日前", "recurring", None, "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=10")],
                     id="的-before-the-day"),
        pytest.param("每半年首月底前报送自评报告。",
                     [("每半年首月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=-1")],
                     id="first-month-of-a-half-year"),
    ],
)
def test_a_month_of_every_quarter(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("办公室每季度末开展一次督查。",
                     [("每季度末", "recurring", None, "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1")], id="quarter-ends"),
        pytest.param("每半年末报送资产盘点表。",
                     [("每半年末", "recurring", None, "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1")], id="half-year-ends"),
        pytest.param("落实“季末盘点、年底总结”要求。",
                     [("季末盘点", "recurring", None, "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"),
                      ("年底总结", "recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31")], id="in-a-rhythm-list"),
        pytest.param("每季度对供水工程开展一次采样检测。", [("每季度", "recurring", None, QUARTERLY)],
                     id="a-plain-quarter-stays-monthly"),
    ],
)
def test_quarter_ends_are_months_of_every_year(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("于每季度结束后10日内报送工作进展。",
                     [("每季度结束后10日内", "recurring", None, "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=10")],
                     id="days-after-each-quarter"),
        pytest.param("各网点应于每月结束后5日内报送台账。",
                     [("每月结束后5日内", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=5")], id="days-after-each-month"),
        pytest.param("每年度终了后15日内报送决算。",
                     [("每年度终了后15日内", "recurring", None, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=15")],
                     id="days-after-each-year"),
        pytest.param("各机构应于每月结束后10个工作日内报送。",
                     [("每月结束后10个工作日内", "recurring", None, MONTHLY)], id="working-days-keep-the-period"),
        pytest.param("每年评审工作结束后1个月内公布结果。",
                     [("每年评审工作结束后1个月内", "recurring", None, YEARLY)], id="after-a-yearly-event"),
        pytest.param("评审工作结束后1个月内公布结果。",
                     [("评审工作结束后1个月内", "relative", None, None)], id="a-single-event-stays-relative"),
    ],
)
def test_limit_after_a_recurring_event(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("学校教师缺额应在一学期内补齐。", [("一学期内", "relative", None, None)], id="a-school-term"),
        pytest.param("投诉应在5个工作日内给予答复。", [("5个工作日内", "relative", None, None)],
                     id="a-duty-not-a-benefit"),
        pytest.param("网格员发现隐患当日上报。", [("当日", "relative", None, None)], id="the-day-of-an-event"),
        pytest.param("确需调整的应提前3个工作日书面报告。", [("提前3个工作日", "relative", None, None)],
                     id="notice-ahead"),
        pytest.param("力争提前一年完成目标。", [], id="ahead-of-a-plan"),
        pytest.param("新引进企业3年内给予房租补贴。", [], id="a-benefit-period"),
        pytest.param("3\t健全投诉处理机制\t市场科\t受理之日起7个工作日内",
                     [("受理之日起7个工作日内", "relative", None, None)], id="in-a-table-cell"),
    ],
)
def test_limits_of_a_duty(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize("sentence, text, kind", [
    ("汛前完成城区排水管网清淤检修。", "汛前", "fixed"),
    ("接报后30分钟内电话报告。", "30分钟内", "relative"),
])
def test_flood_season_short_form_and_minutes(sentence, text, kind, resources):
    found = DeadlineFinder(resources.cues, 2027).find(sentence)
    assert [(d.kind, d.date) for d in found if text in d.text] == [(kind, None)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("各乡镇每日报告火情。", [("每日", "recurring", None, "FREQ=DAILY")], id="每日-an-act-every-day"),
        pytest.param("汛期实行每天调度。", [("每天", "recurring", None, "FREQ=DAILY")], id="每天"),
        pytest.param("教师每年至少1个月在企业实践。", [("每年", "recurring", None, YEARLY)], id="a-count-of-months-is-no-amount"),
        pytest.param("每日16时前报送值班情况。", [("每日16时前", "recurring", None, "FREQ=DAILY;BYHOUR=16")],
                     id="a-time-of-day"),
        pytest.param("每天下午5点前报送。", [("每天下午5点前", "recurring", None, "FREQ=DAILY;BYHOUR=17")],
                     id="an-afternoon-hour"),
        pytest.param("联合夜查每月不少于两次。", [("每月", "recurring", None, MONTHLY)], id="a-least-count-keeps-the-period"),
    ],
)
def test_daily_rhythms(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("2026年4月至9月举办系列文旅活动。",
                     [("2026年4月至9月", "fixed", "2026-09-30", None)], id="months"),
        pytest.param("6月1日至15日举办业务培训。", [("6月1日至15日", "fixed", "2026-06-15", None)], id="days"),
    ],
)
def test_a_range_before_an_event_verb_is_the_span_of_the_activity(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("9月中旬举办全国科普日主场活动。", [("9月中旬", "fixed", "2026-09-20", None)], id="中旬"),
        pytest.param("3月底组织验收。", [("3月底", "fixed", "2026-03-31", None)], id="底"),
    ],
)
def test_a_part_of_a_month_names_a_time_without_a_suffix(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("（七）开展骨干培训。9月举办培训班2期。", [("9月", "fixed", "2026-09-30", None)], id="opens-its-sentence"),
        pytest.param("于10月组织全县比对监测。", [("10月", "fixed", "2026-10-31", None)], id="after-a-lead-in"),
        pytest.param("2019年1月举办首届论坛。", [], id="a-dated-event-stays-no-deadline"),
        pytest.param("3月，市政府召开专题会议。", [], id="a-month-before-a-comma-stays-no-deadline"),
        pytest.param("9月的活动方案另行通知。", [], id="a-month-that-modifies-a-noun"),
    ],
)
def test_a_month_that_opens_its_clause_schedules_the_act_after_it(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("每年6月25日前和12月25日前报送工作进展。",
                     [("每年6月25日前和12月25日前", "recurring", None, "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=25")],
                     id="the-same-day"),
        pytest.param("每年3月10日和9月20日前报送。",
                     [("每年3月10日", "recurring", None, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10"),
                      ("9月20日前", "recurring", None, "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=20")], id="no-single-rule"),
    ],
)
def test_days_of_every_year_under_one_rule(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("每季度举办一期巡回讲座。", [("每季度举办一期", "recurring", None, "FREQ=MONTHLY;INTERVAL=3")], id="期"),
        pytest.param("每年组织两轮培训。", [("每年组织两轮", "recurring", None, "FREQ=MONTHLY;INTERVAL=6")], id="轮"),
        # a floor of the count (不少于): the rhythm is the period's, printed alone
        pytest.param("每周巡查不少于3次。", [("每周", "recurring", None, "FREQ=WEEKLY")], id="a-floor"),
        pytest.param("每日清扫不少于两遍。", [("每日", "recurring", None, "FREQ=DAILY")], id="a-floor-of-遍"),
        pytest.param("每月月底前报送排查情况。", [("每月月底前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=-1")],
                     id="the-period-word-repeated"),
        pytest.param("入伏前完成防暑准备。", [("入伏前", "fixed", None, None)], id="a-season-named-by-its-start"),
        pytest.param("谷雨前停止使用化学农药。", [("谷雨前", "recurring", None, None)], id="a-solar-term"),
        pytest.param("每双月召开一次推进会。", [("每双月召开一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=2")],
                     id="every-two-months"),
    ],
)
def test_counts_of_acts_per_period(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("每月最后一周集中听取企业诉求。", [("每月最后一周", "recurring", None, "FREQ=MONTHLY")], id="every-last-week"),
        pytest.param("每月第一周召开调度会。", [("每月第一周", "recurring", None, "FREQ=MONTHLY")], id="every-first-week"),
        pytest.param("6月最后一周完成验收。", [("6月最后一周", "fixed", "2026-06-30", None)], id="a-months-last-week"),
        pytest.param("6月第二周开展演练。", [("6月第二周", "fixed", None, None)], id="a-months-second-week"),
    ],
)
def test_a_week_of_the_month(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("8．第四季度开展自评工作。", [("第四季度", "fixed", "2026-12-31", None)], id="after-a-numbered-marker"),
        pytest.param("（三）下半年开展评估。", [("下半年", "fixed", "2026-12-31", None)], id="after-a-bracketed-marker"),
        pytest.param("完成第四季度的评估。", [], id="inside-a-clause"),
    ],
)
def test_an_item_marker_opens_the_clause_of_a_point(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("“五一”国际劳动节前评选表彰先进。",
                     [("“五一”国际劳动节前", "recurring", None, "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1")], id="五一"),
        pytest.param("“七一”建党节前完成党员教育。",
                     [("“七一”建党节前", "recurring", None, "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1")], id="七一"),
        pytest.param("“五一”前完成检查。", [("“五一”前", "recurring", None, "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1")],
                     id="the-short-name-alone"),
    ],
)
def test_a_days_short_name_in_quotes_before_its_full_name_is_one_day(sentence, expected, finder):
    assert read(finder, sentence) == expected


def test_holidays_named_by_their_date(finder):
    assert read(finder, "七一前完成党员教育培训。") == [
        ("七一前", "recurring", None, "FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        pytest.param("1\t完成选址和建设\t基层建设科\t3月完成选址，9月底前挂牌运营",
                     [("3月", "fixed", "2026-03-31", None), ("9月底前", "fixed", "2026-09-30", None)],
                     id="a-month-opening-a-time-cell"),
        pytest.param("12\t开展宣传活动\t综合处\t9月", [("9月", "fixed", "2026-09-30", None)], id="a-month-alone-in-a-cell"),
        pytest.param("3月，市政府召开专题会议。", [], id="a-month-in-prose-stays-no-deadline"),
    ],
)
def test_F05_a_month_that_opens_a_table_cell(row, expected, finder):
    assert read(finder, row) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("各站要于每周一下班前报送上周进度。", [("每周一下班前", "recurring", None, "FREQ=WEEKLY;BYDAY=MO")],
                     id="a-part-of-a-weekday"),
        pytest.param("每周五12时前报送值班表。", [("每周五12时前", "recurring", None, "FREQ=WEEKLY;BYDAY=FR;BYHOUR=12")],
                     id="an-hour-of-a-weekday"),
        pytest.param("每月5日下班前报送台账。", [("每月5日下班前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=5")],
                     id="a-part-of-a-day-of-the-month"),
        pytest.param("每日16时前报送汛情。", [("每日16时前", "recurring", None, "FREQ=DAILY;BYHOUR=16")], id="an-hour-of-every-day"),
        pytest.param("每周一次开展巡查。", [("每周一次", "recurring", None, "FREQ=WEEKLY")], id="a-count-takes-no-time-of-day"),
        pytest.param("每日8时前将前24小时雨量报中心。", [("每日8时前", "recurring", None, "FREQ=DAILY;BYHOUR=8")],
                     id="the-past-hours-of-a-report-are-no-limit"),
    ],
)
def test_a_time_of_day_after_a_day_that_recurs(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("每月抽查病历，次月5日前通报上月结果。",
                     [("每月", "recurring", None, "FREQ=MONTHLY"), ("次月5日前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=5")],
                     id="the-next-month-after-a-monthly-step"),
        pytest.param("取得许可的次月15日前缴纳。", [("取得许可的次月15日前", "relative", None, None)],
                     id="the-next-month-after-an-event-stays-relative"),
        pytest.param("每月最后一个工作日召开评议会。",
                     [("每月最后一个工作日", "recurring", None, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1")],
                     id="the-last-working-day-of-every-month"),
        pytest.param("每月最后一天报送台账。", [("每月最后一天", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=-1")],
                     id="the-last-day-of-every-month"),
    ],
)
def test_days_of_every_month_named_by_their_place(sentence, expected, finder):
    assert read(finder, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("第一、二季度实现一窗办结。", [("第一、二季度", "fixed", f"{YEAR}-06-30", None)], id="two-quarters"),
        pytest.param("第三至四季度完成验收。", [("第三至四季度", "fixed", f"{YEAR}-12-31", None)], id="a-range-of-quarters"),
        pytest.param("“五一”假期前完成标识更新。", [("“五一”假期前", "recurring", None, None)], id="a-holiday-period-in-quotes"),
        pytest.param("国庆假期前完成排查。", [("国庆假期前", "recurring", None, None)], id="a-holiday-period-moves"),
        pytest.param("国庆节前完成排查。", [("国庆节前", "recurring", None, "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1")],
                     id="a-named-day-is-fixed"),
        pytest.param("赛前3天完成沿线检查。", [("赛前3天", "relative", None, None)], id="an-event-written-short"),
        pytest.param("考前一周完成考场布置。", [("考前一周", "relative", None, None)], id="an-event-written-short-2"),
        pytest.param("目前3个项目已开工。", [], id="目前-is-a-word"),
        pytest.param("每年中秋节前走访慰问。", [("每年中秋节前", "recurring", None, "FREQ=YEARLY")],
                     id="every-year-on-a-day-the-calendar-moves"),
        pytest.param("12月底前5个设区市完成系统建设。", [("12月底前", "fixed", f"{YEAR}-12-31", None)],
                     id="a-count-after-a-deadline-is-no-span"),
        pytest.param("每周一上午通报上周问题。", [("每周一上午", "recurring", None, "FREQ=WEEKLY;BYDAY=MO")],
                     id="a-part-of-a-weekday-without-an-hour"),
        pytest.param("决定即日起至9月30日在全市开展活动。", [("即日起至9月30日", "fixed", f"{YEAR}-09-30", None)],
                     id="from-now-until-a-date-without-止"),
        pytest.param("即日起，涉密人员出国须审批。", [("即日起", "ongoing", None, None)], id="from-now-on"),
        pytest.param("每月25日至月底汇总进展。", [("每月25日至月底", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=-1")],
                     id="a-stretch-of-every-month-to-its-end"),
        pytest.param("专项整治时间自即日起至9月30日止。", [("即日起至9月30日止", "fixed", f"{YEAR}-09-30", None)],
                     id="a-campaign-from-now-until-a-date"),
    ],
)
def test_quarters_holidays_and_short_events(sentence, expected, finder):
    assert read(finder, sentence) == expected
