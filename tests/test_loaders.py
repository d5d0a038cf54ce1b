"""Loaders: every input format becomes the same normalised `Document`."""

from __future__ import annotations

import pytest

from pipeline import extract_bytes
from pipeline.loaders import load_bytes

NOTICE = (
    "各区人民政府，市政府各部门：\n"
    "　　为做好今年防汛工作，现将有关事项通知如下。\n"
    "　　一、各区要在5月底前完成隐患排查，不得漏报瞒报。\n"
)
NOTICE_LINES = [
    "各区人民政府，市政府各部门：",
    "为做好今年防汛工作，现将有关事项通知如下。",
    "一、各区要在5月底前完成隐患排查，不得漏报瞒报。",
]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(NOTICE.encode("utf-8"), id="utf-8"),
        pytest.param(NOTICE.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(NOTICE.encode("gbk"), id="gbk"),
        pytest.param(NOTICE.encode("gb18030"), id="gb18030"),
        pytest.param(NOTICE.replace("\n", "\r\n").encode("gbk"), id="gbk-crlf"),
        pytest.param(NOTICE.encode("utf-16"), id="utf-16-bom"),
    ],
)
def test_loaders_text_encodings_give_the_same_text(data):
    document = load_bytes(data, "notice.txt")
    assert document.format == "txt"
    assert document.text.split("\n") == NOTICE_LINES


def test_loaders_document_id_is_the_hash_of_the_bytes():
    a = load_bytes(NOTICE.encode("utf-8"), "a.txt")
    b = load_bytes(NOTICE.encode("utf-8"), "b.txt")
    c = load_bytes(NOTICE.encode("gbk"), "a.txt")
    assert a.id == b.id == a.sha256[:16]
    assert c.id != a.id


def test_loaders_blocks_are_the_lines_of_the_text():
    document = load_bytes(NOTICE.encode("utf-8"), "notice.txt")
    assert [document.block_text(b) for b in document.blocks] == NOTICE_LINES


GOV_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于做好春季农业生产工作的通知_澄江市人民政府</title>
<script>var tip = "（市数据资源管理局负责）"; console.log("页面统计代码，请勿删除。");</script>
<style>.nav { color: #333; }</style></head>
<body>
<nav><a href="/">首页</a> | <a href="/zw">政务公开</a> | <a href="/hd">互动交流</a>，欢迎访问澄江市人民政府门户网站。</nav>
<table class="meta">
<tr><td>发文字号：</td><td>澄政办发〔2025〕7号</td><td>发文机关：</td><td>澄江市人民政府办公室</td></tr>
<tr><td>标题：</td><td>关于做好春季农业生产工作的通知</td><td>成文日期：</td><td>2025年02月20日</td></tr>
</table>
<div class="article">
<p>各镇人民政府，市政府各部门：</p>
<p>为切实抓好春季农业生产，确保粮食稳产增产，现将有关事项通知如下。</p>
<p>一、抓好春耕备耕<br>各镇要组织农技人员深入田间地头，指导农户科学施肥，不得延误农时。</p>
<p>二、加强农资市场监管。严厉打击销售假劣种子、化肥等违法行为（市市场监管局、市农业农村局负责）。</p>
<p>澄江市人民政府办公室</p>
<p>2025年2月20日</p>
</div>
<footer><a href="/about">关于我们</a> <a href="/map">网站地图</a> 版权所有：澄江市人民政府办公室，联系电话：0000-1234567。</footer>
</body></html>"""


@pytest.fixture(scope="module")
def gov_page():
    return load_bytes(GOV_PAGE.encode("utf-8"), "notice.html")


def test_loaders_html_keeps_the_article_only(gov_page):
    assert gov_page.format == "html"
    assert "各镇人民政府，市政府各部门：" in gov_page.text
    assert "（市市场监管局、市农业农村局负责）" in gov_page.text
    for furniture in ("市数据资源管理局", "页面统计代码", "首页", "欢迎访问", "网站地图", "版权所有", "color"):
        assert furniture not in gov_page.text


def test_loaders_html_definition_list_of_labels_reads_as_label_lines():
    page = ("<html><body><div><p>关于开展安全巡查的通知</p><p>各科室：</p>"
            "<p>为加强安全管理，防止发生跌倒事件，现就开展安全巡查有关事项通知如下。</p>"
            "<p>一、开展巡查。每周巡查一次。</p>"
            "<dl><dt>牵头单位</dt><dd>总务科</dd><dt>配合单位：</dt><dd>基建科、各护理单元</dd></dl>"
            "<dl><dt>一段很长的说明文字不是标签而是正文内容</dt><dd>其余内容</dd></dl></div></body></html>")
    lines = load_bytes(page.encode(), "page.html").text.split("\n")
    assert lines[3:] == ["一、开展巡查。每周巡查一次。", "牵头单位：总务科", "配合单位：基建科、各护理单元",
                     "一段很长的说明文字不是标签而是正文内容", "其余内容"]


def test_loaders_html_br_starts_a_new_line(gov_page):
    lines = gov_page.text.split("\n")
    assert "一、抓好春耕备耕" in lines
    assert "各镇要组织农技人员深入田间地头，指导农户科学施肥，不得延误农时。" in lines


def test_loaders_html_metadata_table_becomes_source_metadata(gov_page):
    meta = gov_page.source_metadata
    assert meta["doc_number"] == "澄政办发〔2025〕7号"
    assert meta["title"] == "关于做好春季农业生产工作的通知"
    assert meta["issuer"] == "澄江市人民政府办公室"
    assert meta["date"] == "2025年02月20日"
    assert "发文字号" not in gov_page.text


def test_loaders_html_metadata_fills_the_header(resources):
    header = extract_bytes(GOV_PAGE.encode("utf-8"), "notice.html", resources).document.header
    assert header.doc_number == "澄政办发〔2025〕7号"
    assert header.title == "关于做好春季农业生产工作的通知"
    assert header.issuer == ["澄江市人民政府办公室"]
    assert header.date == "2025-02-20"


def test_loaders_html_source_newline_inside_a_paragraph_is_not_a_line_break():
    page = ("<html><body><div><p>为做好今年防汛工作，现将有关事项通知如下。</p>"
            "<p>各区要在5月底前完成隐患排查，\n建立问题清单，不得漏报瞒报。</p></div></body></html>")
    lines = [line.replace(" ", "") for line in load_bytes(page.encode("utf-8"), "notice.html").text.split("\n")]
    assert lines == ["为做好今年防汛工作，现将有关事项通知如下。", "各区要在5月底前完成隐患排查，建立问题清单，不得漏报瞒报。"]


def test_loaders_html_in_gbk_with_meta_charset(gov_page):
    page = GOV_PAGE.replace('charset="utf-8"', 'charset="gbk"')
    document = load_bytes(page.encode("gbk"), "notice.htm")
    assert document.text == gov_page.text


NEWS = """---
title: 东川市召开优化营商环境工作推进会
author: 东川日报
date: {date}
tags: [营商环境, 政务服务]
---

# 东川市召开优化营商环境工作推进会

本报讯（记者 李明）3月17日，东川市召开优化营商环境工作推进会。会议要求，各部门要**进一步压缩**审批时限，今年年底前实现企业开办全程网办。

会议强调，各级各部门不得以任何理由拖延办理。
"""


@pytest.mark.parametrize(
    "date",
    [
        pytest.param("Tue, 18 Mar 2025 09:30:00 +0800", id="rfc-2822"),
        pytest.param("2025-03-18", id="iso-date"),
        pytest.param("2025-03-18T09:30:00+08:00", id="iso-datetime"),
    ],
)
def test_loaders_markdown_front_matter_fills_the_header(date, resources):
    result = extract_bytes(NEWS.format(date=date).encode("utf-8"), "news.md", resources)
    header = result.document.header
    assert result.document.format == "markdown"
    assert header.title == "东川市召开优化营商环境工作推进会"
    assert header.issuer == ["东川日报"]
    assert header.date == "2025-03-18"


def test_loaders_markdown_body_loses_its_markup():
    document = load_bytes(NEWS.format(date="2025-03-18").encode("utf-8"), "news.md")
    assert "---" not in document.text
    assert "title:" not in document.text
    assert "#" not in document.text
    assert "各部门要进一步压缩审批时限" in document.text


def test_loaders_markdown_soft_line_break_stays_in_the_paragraph():
    data = "各区要在5月底前完成隐患排查，\n建立问题清单，不得漏报瞒报。\n\n- 第一项\n- 第二项\n".encode()
    lines = [line.replace(" ", "") for line in load_bytes(data, "notice.md").text.split("\n")]
    assert lines == ["各区要在5月底前完成隐患排查，建立问题清单，不得漏报瞒报。", "第一项", "第二项"]


def test_loaders_markdown_label_lines_one_under_another_stay_lines():
    # 牵头单位：A / 配合单位：B without a blank line between: each label opens a line of its own,
    # after a closed sentence or after another label line; a wrapped sentence still joins
    data = ("（一）核查档案。逐人核对报到登记情况。\n牵头单位：县矫正管理局\n配合单位：各司法所\n\n"
            "各区要在5月底前完成隐患排查，建立\n问题清单：逐项销号。\n").encode()
    lines = load_bytes(data, "notice.md").text.split("\n")
    assert lines == ["（一）核查档案。逐人核对报到登记情况。", "牵头单位：县矫正管理局", "配合单位：各司法所",
                     "各区要在5月底前完成隐患排查，建立问题清单：逐项销号。"]


HARD_WRAPPED = ["现将《2092年高标准农田建设项目土地整治工作方案》印发给你们，请认真贯彻执行。",
                "一、主要任务",
                "（一）核实项目区现状。本月底前完成项目区土地权属和地类现状核实，形成核实台账。"
                "（规划设计股牵头，权属调整股、各乡镇人民政府配合）",
                "（二）编制规划设计方案。下月10日前完成规划设计方案编制并组织专家评审，评审未通过的不得进入招标程序。",
                "（三）组织工程施工。2092年6月至8月集中开展土地平整、灌溉排水和田间道路工程施工。"]


def wrapped(paragraph: str, width: int = 24) -> str:
    """A paragraph as a mail or a copy from a PDF gives it: an indented first line, then lines
    cut every ``width`` characters, wherever that falls."""
    text = "\u3000\u3000" + paragraph
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def test_loaders_text_hard_wrapped_at_a_fixed_width_is_unwrapped():
    # lines broken mid-sentence, mid-name and inside a bracket go on with the next line; a
    # paragraph's indented first line, the title, the addressee, a signature and its date stand
    data = "\n".join(["关于印发土地整治工作方案的通知", "各乡镇人民政府：", *map(wrapped, HARD_WRAPPED),
                      "鍗溪县土地整治中心", "2092年3月16日"]).encode()
    assert load_bytes(data, "plan.txt").text.split("\n") == [
        "关于印发土地整治工作方案的通知", "各乡镇人民政府：", *HARD_WRAPPED, "鍗溪县土地整治中心", "2092年3月16日"]


def test_loaders_text_one_paragraph_per_line_stays_so():
    data = "关于做好防汛工作的通知\n各区人民政府\n一、完成隐患排查\n澄阳市水务局\n2027年3月9日\n".encode()
    assert load_bytes(data, "notice.txt").text.split("\n") == [
        "关于做好防汛工作的通知", "各区人民政府", "一、完成隐患排查", "澄阳市水务局", "2027年3月9日"]


def test_loaders_half_width_punctuation_of_chinese_text_is_full_width():
    data = "现将方案印发给你们,请认真组织实施.\n(1)排查隐患(市水务局牵头,市应急局配合);联系电话:0711-1234.\n比例为1.5倍\n".encode()
    assert load_bytes(data, "notice.txt").text.split("\n") == [
        "现将方案印发给你们，请认真组织实施。", "(1)排查隐患(市水务局牵头，市应急局配合)；联系电话：0711-1234.", "比例为1.5倍"]


def test_loaders_markdown_bad_front_matter_is_a_warning_not_an_error():
    data = "---\ntitle: [未闭合\n---\n\n各部门要加强领导。\n".encode()
    document = load_bytes(data, "news.md")
    assert document.text == "各部门要加强领导。"
    assert any("front matter" in w for w in document.warnings)
