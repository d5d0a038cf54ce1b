"""Deadlines: fixed dates, recurrences (RFC 5545 RRULE), starts and time limits in a sentence.

The labelling rules of the gold corpus apply: the printed text leaves out a leading
到/在/于/从/自 and keeps 前/底/起/内; 月底 is the month's last day, 年底 and 到YYYY年 Dec 31,
上半年 Jun 30; starts are ``ongoing`` and durations ``relative``, both without a date.
"""

from __future__ import annotations

import pytest

from pipeline.deadlines import DeadlineFinder


@pytest.fixture(scope="module")
def finder(resources) -> DeadlineFinder:
    return DeadlineFinder(resources.cues, year=None)


@pytest.mark.parametrize(
    ("sentence", "text", "kind", "date", "rrule"),
    [
        # fixed dates
        ("到2020年，全省绿色建筑占新建建筑比例达到60%。", "2020年", "fixed", "2020-12-31", None),
        ("到2025年，形成较为完善的制度体系。", "2025年", "fixed", "2025-12-31", None),
        ("各地要在2019年6月底前完成摸底排查。", "2019年6月底前", "fixed", "2019-06-30", None),
        ("2019年上半年完成试点方案编制。", "2019年上半年", "fixed", "2019-06-30", None),
        ("到2019年底，基本建立监测网络。", "2019年底", "fixed", "2019-12-31", None),
        ("2021年3月底前出台实施细则。", "2021年3月底前", "fixed", "2021-03-31", None),
        ("2024年2月底前完成清算。", "2024年2月底前", "fixed", "2024-02-29", None),
        ("2019年12月31日前完成验收。", "2019年12月31日前", "fixed", "2019-12-31", None),
        ("二〇二〇年底前基本完成改造。", "二〇二〇年底前", "fixed", "2020-12-31", None),
        ("“十三五”期间，完成全部棚户区改造任务。", "“十三五”期间", "fixed", "2020-12-31", None),
        pytest.param("２０２５年６月底前完成隐患整改。", "２０２５年６月底前", "fixed", "2025-06-30", None, id="full-width-digits"),
        pytest.param("2025年第三季度末前完成验收。", "2025年第三季度末前", "fixed", "2025-09-30", None, id="quarter-end"),
        pytest.param("2025年内完成全部改造。", "2025年内", "fixed", "2025-12-31", None, id="within-a-year"),
        # starts and time limits
        ("从2019年起，新建项目全部执行新标准。", "2019年起", "ongoing", None, None),
        ("在本通知印发之日起30日内完成自查。", "本通知印发之日起30日内", "relative", None, None),
        ("接到报告后最迟不超过4个小时上报省政府。", "最迟不超过4个小时", "relative", None, None),
        ("三年内完成老旧管网改造。", "三年内", "relative", None, None),
        # recurrences
        ("每年年底前将落实情况报送省政府。", "每年年底前", "recurring", None, "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
        ("每年1月31日前报送上一年度工作总结。", "每年1月31日前", "recurring", None, "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31"),
        ("每年3月底前报送年度报告。", "每年3月底前", "recurring", None, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=-1"),
        ("每季度通报一次进展情况。", "每季度通报一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=3"),
        ("每月10日前报送上月数据。", "每月10日前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=10"),
        ("每月底前报送统计报表。", "每月底前", "recurring", None, "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("领导小组每半年召开一次会议。", "每半年召开一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=6"),
        ("联席会议每年召开两次会议。", "每年召开两次", "recurring", None, "FREQ=MONTHLY;INTERVAL=6"),
        ("行业标准每5年修订1次。", "每5年修订1次", "recurring", None, "FREQ=YEARLY;INTERVAL=5"),
        ("信用评价3年一周期。", "3年一周期", "recurring", None, "FREQ=YEARLY;INTERVAL=3"),
        ("两个月安排一次专项督查。", "两个月安排一次", "recurring", None, "FREQ=MONTHLY;INTERVAL=2"),
        ("各单位于年中和年末分别报送工作进展。", "年中和年末", "recurring", None, "FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1"),
        ("按季度报送资金使用情况。", "按季度", "recurring", None, "FREQ=MONTHLY;INTERVAL=3"),
    ],
)
def test_deadlines_find_one_deadline(sentence, text, kind, date, rrule, finder):
    found = finder.find(sentence)
    assert [(d.text, d.kind, d.date, d.rrule) for d in found] == [(text, kind, date, rrule)]
    assert sentence[found[0].start:found[0].end] == text


@pytest.mark.parametrize(
    "sentence",
    [
        "本办法自2019年1月1日起施行。",  # an effective date
        "领导小组于2019年1月12日召开会议，研究部署下一步工作。",  # an event in prose
        "2019年1月12日",  # a date line alone (signature)
        "2018年度考核结果作为评优依据。",
        "2021年前10个月，全省外贸进出口增长8%。",  # a span, not 'before 2021'
        "截至2018年底，全省已建成示范区20个。",  # a figure at a date
        "定期开展监督检查。",
        "及时报送有关情况。",
        "持续推进作风建设。",
        "2016年以来，各地积极探索。",  # a period up to now
        "2024年版目录同时废止。",  # an edition
        "补贴标准为每人每月800元。",  # an amount
        "符合条件的小微企业可享受3年内减半征收的优惠。",  # a benefit period
        "本证书有效期为5年。",  # a validity period
    ],
)
def test_deadlines_not_a_deadline(sentence, finder):
    assert [(d.text, d.kind) for d in finder.find(sentence)] == []


def test_deadlines_mid_sentence_year_since_is_not_a_deadline(finder):
    assert finder.find("我省自2016年以来累计培训干部3万人次。") == []


@pytest.mark.parametrize(
    ("sentence", "text", "date"),
    [
        ("今年年底前完成清理工作。", "今年年底前", "2025-12-31"),
        ("明年上半年完成验收。", "明年上半年", "2026-06-30"),
    ],
)
def test_deadlines_this_year_takes_the_document_year(sentence, text, date, resources):
    found = DeadlineFinder(resources.cues, year=2025).find(sentence)
    assert [(d.text, d.kind, d.date) for d in found] == [(text, "fixed", date)]


def test_deadlines_this_year_without_a_document_year_keeps_the_text_without_a_date(finder):
    # the year is not guessed: the deadline is kept (its span is a deadline) with no date
    assert [(d.text, d.kind, d.date) for d in finder.find("今年年底前完成清理工作。")] == [
        ("今年年底前", "fixed", None)]


def test_deadlines_offsets_are_shifted_into_the_document(finder):
    sentence = "各地要在2019年6月底前完成摸底排查。"
    (deadline,) = finder.find(sentence, offset=100)
    assert (deadline.start, deadline.end) == (104, 104 + len("2019年6月底前"))


def test_deadlines_start_and_recurrence_in_one_sentence(finder):
    found = finder.find("从2019年起，省级财政每年年底前安排专项资金。")
    assert [(d.text, d.kind, d.rrule) for d in found] == [
        ("2019年起", "ongoing", None),
        ("每年年底前", "recurring", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"),
    ]


def test_deadlines_a_broken_vocabulary_is_a_resource_error(resources):
    from pipeline.errors import ResourceError
    from pipeline.resources import Cues

    raw = {**resources.cues.raw, "deadline": {k: v for k, v in resources.cues.raw["deadline"].items()
                                              if k != "periods"}}
    with pytest.raises(ResourceError, match="deadline"):
        DeadlineFinder(Cues(raw)).find("2026年6月底前完成。")


def test_deadlines_reference_date_sets_the_year_of_a_bare_month(finder):
    import datetime as dt

    found = finder.find("九月底前报送。", reference=dt.date(2027, 3, 1))
    assert [(d.text, d.date) for d in found] == [("九月底前", "2027-09-30")]
