"""Header forms (forms.md F15, F16, F17, F32): the printed header found wherever it sits, the
container's metadata read and weighed against it, and where each field came from.

Every circular here is synthetic: invented bodies, places and topics.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import document_record, extract_bytes, extract_file

BODY = (
    "现将《2027年高标准农田建设要点》印发给你们，请结合实际认真贯彻执行。\n"
    "一、各乡镇要在2027年6月底前完成田块整治，不得虚报进度。（澄阳市农业农村局、澄阳市财政局）\n"
)


def _record(text: str, name: str, resources: object) -> dict[str, object]:
    return document_record(extract_bytes(text.encode("utf-8"), name, resources))


def _file_record(tmp_path: Path, text: str, name: str, resources: object) -> dict[str, object]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return document_record(extract_file(path, resources))


def _roles(text: str, name: str, resources: object) -> dict[str, str]:
    doc = extract_bytes(text.encode("utf-8"), name, resources).document
    assert doc is not None
    return {doc.block_text(b): b.role for b in doc.blocks}


# --- F15: a crawler's header of `label: value` lines before the article -----------------------

CRAWLER_HEADER = (
    "标题: 澄阳市农业农村局关于印发《2027年高标准农田建设要点》的通知\n"
    "发布时间: 2027-03-02 16:05\n"
    "文号: {number}\n"
    "发布机构: 澄阳市融媒体中心\n"
    "栏目: 通知公告\n"
    "原文链接: https://example.invalid/zwgk/2027/0302.htm\n"
)
SIGNED = "各乡镇人民政府：\n" + BODY + "澄阳市农业农村局\n2027年3月1日\n"


@pytest.mark.parametrize(
    ("separator", "number"),
    [
        pytest.param("==================== 正文 ====================\n", "澄农发〔2027〕4号", id="separator"),
        pytest.param("------------------------------\n", "澄农发〔2027〕4号", id="dashes"),
        pytest.param("\n", "澄农发〔2027〕4号", id="no-separator"),
        pytest.param("==================== 正文 ====================\n", "", id="empty-number"),
    ],
)
def test_F15_crawler_header_block_is_container_metadata(separator, number, tmp_path, resources):
    text = CRAWLER_HEADER.format(number=number) + separator + SIGNED
    record = _file_record(tmp_path, text, "page.txt", resources)
    assert record["title"] == "澄阳市农业农村局关于印发《2027年高标准农田建设要点》的通知"
    assert record["doc_number"] == (number or None)
    # 发布机构 and 发布时间 are the publisher and the publication time, not 发文机关 and 成文日期
    assert record["issuer"] == ["澄阳市农业农村局"]
    assert record["date"] == "2027-03-01"
    assert record["metadata_sources"]["title"] == "container"
    assert record["metadata_sources"]["issuer"] == "signature"
    assert record["metadata_sources"]["date"] == "signature"
    assert record["metadata_sources"]["doc_number"] == ("container" if number else "none")


def test_F15_crawler_header_lines_are_furniture_not_the_title(resources):
    text = CRAWLER_HEADER.format(number="澄农发〔2027〕4号") + "==== 正文 ====\n" + SIGNED
    roles = _roles(text, "page.txt", resources)
    # the lines are read with the full-width colon of Chinese text (a crawler typed a half-width one)
    assert roles["发布时间：2027-03-02 16:05"] == "furniture"
    assert roles["发布机构：澄阳市融媒体中心"] == "furniture"
    assert roles["各乡镇人民政府："] == "header"


def test_F15_publisher_never_stands_for_the_issuer(resources):
    # no signature: the issuer is unknown, not the body that put the page online
    text = CRAWLER_HEADER.format(number="") + "==== 正文 ====\n各乡镇人民政府：\n" + BODY
    record = _record(text, "page.txt", resources)
    assert record["issuer"] == [] and record["date"] is None
    assert record["metadata_sources"]["issuer"] == "none"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("责任单位：临江区水务局\n完成时限：2027年6月底\n", id="assignment-labels"),
        pytest.param("各区县人民政府：\n现将有关事项通知如下。\n", id="addressee"),
    ],
)
def test_F15_label_lines_of_the_document_are_not_a_crawler_header(text, resources):
    doc = extract_bytes(text.encode("utf-8"), "notice.txt", resources).document
    assert doc is not None and doc.source_metadata == {}
    assert all(b.role != "furniture" for b in doc.blocks)


# --- F16: the official header is not at the top -----------------------------------------------

HEADER = (
    "澄阳市人民政府办公室关于印发澄阳市节水行动方案的通知\n"
    "澄政办发〔2027〕9号\n"
    "各区县人民政府，市政府各部门：\n"
    "现将《澄阳市节水行动方案》印发给你们，请认真组织实施。\n"
    "一、各区县要在2027年9月底前完成节水器具改造，不得降低标准。（澄阳市水务局、澄阳市住房城乡建设局）\n"
    "澄阳市人民政府办公室\n"
    "2027年6月3日\n"
)
TITLE = "澄阳市人民政府办公室关于印发澄阳市节水行动方案的通知"


@pytest.mark.parametrize(
    "furniture",
    [
        pytest.param(["转载｜澄阳市印发节水行动方案", "澄阳发布", "长按识别关注"], id="repost"),
        pytest.param(["首页", "政务公开", "通知公告", "下载文字版", "下载图片版", "政策解读", "一图读懂"], id="navigation"),
        pytest.param(["当前位置：首页 > 政务公开 > 通知公告", "【字号：大 中 小】"], id="breadcrumbs"),
        pytest.param(["《澄阳市节水行动方案》政策解读", "一图读懂《澄阳市节水行动方案》"], id="interpretation-links"),
        pytest.param(["转载说明：本文转自澄阳市人民政府网，发布时间以原文为准。"], id="repost-note-sentence"),
    ],
)
def test_F16_header_after_repost_and_navigation(furniture, resources):
    text = "\n".join(furniture) + "\n" + HEADER
    record = _record(text, "page.txt", resources)
    assert record["title"] == TITLE
    assert record["doc_number"] == "澄政办发〔2027〕9号"
    assert record["addressees"] == ["各区县人民政府", "市政府各部门"]
    assert record["issuer"] == ["澄阳市人民政府办公室"]
    assert record["metadata_sources"]["title"] == "printed_header"
    roles = _roles(text, "page.txt", resources)
    assert all(roles[line] == "furniture" for line in furniture)


def test_F16_joint_issuers_printed_above_the_title_belong_to_it(resources):
    text = ("下载文字版\n政策解读\n《临江区夜间经济扶持办法》政策问答\n"
            "临江区商务委员会\n临江区财政局\n"
            "关于印发《临江区夜间经济扶持办法》\n的通知\n"
            "临商发〔2027〕2号\n各街道办事处：\n"
            "现将《临江区夜间经济扶持办法》印发给你们，请认真贯彻执行。\n"
            "临江区商务委员会\n临江区财政局\n2027年4月8日\n")
    record = _record(text, "page.txt", resources)
    assert record["title"] == "临江区商务委员会临江区财政局关于印发《临江区夜间经济扶持办法》的通知"
    assert record["doc_number"] == "临商发〔2027〕2号"
    assert record["issuer"] == ["临江区商务委员会", "临江区财政局"]


def test_F16_masthead_and_number_above_the_title_stay_header(resources):
    text = ("机密\n澄阳市应急管理局\n澄阳市消防救援支队　文件\n澄应急发〔2027〕5号\n"
            "关于开展汛前安全检查的通知\n各区县应急管理局：\n为做好汛前准备，现将有关事项通知如下。\n"
            "一、各区县要在5月底前完成检查，不得走过场。（澄阳市应急管理局）\n"
            "澄阳市应急管理局\n澄阳市消防救援支队\n2027年4月1日\n")
    record = _record(text, "notice.txt", resources)
    assert record["title"] == "关于开展汛前安全检查的通知"
    assert record["doc_number"] == "澄应急发〔2027〕5号"
    assert record["issuer"] == ["澄阳市应急管理局", "澄阳市消防救援支队"]
    roles = _roles(text, "notice.txt", resources)
    # 密级 and the masthead above the 字号 are the header's (版头), not body and not the title
    assert roles["机密"] == "header" and roles["澄阳市消防救援支队　文件"] == "header"


def test_F16_bulletin_masthead_issue_number_and_date_line_above_the_title(resources):
    text = ("转发：临江发布\n临江区人民政府\n专题会议纪要\n〔2027〕第4期\n临江区人民政府办公室　　　2027年7月3日\n"
            "关于推进老旧小区改造的专题会议纪要\n"
            "2027年7月1日，副区长主持召开专题会议，研究老旧小区改造工作。纪要如下：\n"
            "一、会议要求，临江区住房城乡建设局要于2027年9月底前制定实施细则。\n")
    record = _record(text, "minutes.txt", resources)
    assert (record["doc_number"], record["title"], record["issuer"], record["date"]) == (
        "〔2027〕第4期", "关于推进老旧小区改造的专题会议纪要", ["临江区人民政府办公室"], "2027-07-03")
    assert _roles(text, "minutes.txt", resources)["转发：临江发布"] == "furniture"


def test_F16_news_without_a_printed_header_keeps_its_text(resources):
    # a news report: no 字号, no genre title, no addressee: nothing is demoted to furniture
    text = ("---\ntitle: 临江区推进夜间经济发展\nauthor: 临江融媒\ndate: 2027-05-06\n---\n\n"
            "临江融媒\n\n近日，临江区印发夜间经济扶持办法，明确了十项措施。\n\n"
            "各街道要在年底前完成夜市规划。\n")
    doc = extract_bytes(text.encode("utf-8"), "news.md", resources).document
    assert doc is not None and not any(b.role == "furniture" for b in doc.blocks)
    assert doc.header.title == "临江区推进夜间经济发展"
    assert doc.header.sources["title"] == "container"


# --- F17: container metadata against the printed header ----------------------------------------

REPOST = ("---\ntitle: 转载｜澄阳市印发节水行动方案\nsource: 澄阳发布\ndate: 2027-06-20\n---\n\n"
          "# 转载｜澄阳市印发节水行动方案\n\n澄阳发布\n\n" + HEADER.replace("\n", "\n\n"))


def test_F17_printed_header_wins_over_container(tmp_path, resources):
    record = _file_record(tmp_path, REPOST, "repost.md", resources)
    assert record["title"] == TITLE
    assert record["issuer"] == ["澄阳市人民政府办公室"]
    assert record["date"] == "2027-06-03"
    assert record["metadata_sources"] == {"doc_number": "printed_header", "title": "printed_header",
                                          "issuer": "signature", "date": "signature",
                                          "addressees": "printed_header"}
    lost = {c["field"]: c for c in record["metadata_conflicts"]}
    assert lost["date"] == {"field": "date", "value": "2027-06-20", "source": "container",
                            "kept": "2027-06-03", "kept_source": "signature"}
    assert lost["title"]["value"] == "转载｜澄阳市印发节水行动方案"
    assert lost["issuer"]["value"] == "澄阳发布"
    assert any("2027-06-20" in w for w in record["warnings"])


PAGE = """<html><body>
<table><tr><td>发文字号：</td><td>{number}</td><td>发文机关：</td><td>澄阳市人民政府办公室</td></tr>
<tr><td>标题：</td><td>澄阳市人民政府办公室关于做好汛期值守工作的通知</td><td>成文日期：</td><td>{date}</td></tr>
<tr><td>发布机构：</td><td>澄阳市政务公开办</td><td>发布日期：</td><td>2027年06月12日</td></tr></table>
<div>
<p>澄阳市人民政府办公室关于做好汛期值守工作的通知</p>
<p>各区县人民政府，市政府各部门：</p>
<p>为做好汛期值守工作，现将有关事项通知如下。</p>
<p>一、各区县要严格执行24小时值班制度，不得脱岗漏岗。（澄阳市应急管理局）</p>
<p>澄阳市人民政府办公室</p>
<p>2027年6月10日</p>
</div></body></html>"""


@pytest.mark.parametrize(
    ("date", "conflicts"),
    [
        pytest.param("2027年06月10日", [], id="agreeing"),
        pytest.param("2027年06月01日", [("date", "2027-06-01", "container", "2027-06-10", "signature")],
                     id="wrong-table-date"),
    ],
)
def test_F17_page_table_date_yields_to_the_signature(date, conflicts, resources):
    record = _record(PAGE.format(number="澄政办明电〔2027〕3号", date=date), "page.html", resources)
    assert record["date"] == "2027-06-10"
    assert record["issuer"] == ["澄阳市人民政府办公室"]
    assert [(c["field"], c["value"], c["source"], c["kept"], c["kept_source"])
            for c in record["metadata_conflicts"]] == conflicts


def test_F17_container_fills_what_the_document_does_not_print(resources):
    record = _record(PAGE.format(number="澄政办明电〔2027〕3号", date="2027年06月10日"), "page.html", resources)
    # the body prints no 字号: the page table's fills it; 发布机构 is not the issuer
    assert record["doc_number"] == "澄政办明电〔2027〕3号"
    assert record["metadata_sources"]["doc_number"] == "container"
    assert record["metadata_sources"]["title"] == "printed_header"
    assert record["metadata_sources"]["issuer"] == "signature"


def test_F17_a_partly_read_title_yields_to_the_container(resources):
    page = PAGE.format(number="澄政办明电〔2027〕3号", date="2027年06月10日").replace(
        "<p>澄阳市人民政府办公室关于做好汛期值守工作的通知</p>", "<p>汛期值守</p>")
    record = _record(page, "page.html", resources)
    assert record["title"] == "澄阳市人民政府办公室关于做好汛期值守工作的通知"
    assert record["metadata_sources"]["title"] == "container"


NOTICE_TEXT = """<p>澄应急发〔2027〕8号</p>
<p>各区县应急管理局：</p>
<p>为做好汛期值守工作，现将有关事项通知如下。</p>
<p>一、各区县要严格执行24小时值班制度，不得脱岗漏岗，发现险情及时报告。（各区县应急管理局）</p>
<p>澄阳市应急管理局</p>
<p>2027年6月10日</p>
"""

ARTICLE_BESIDE_ITS_HEADING = """<html><head><title>通知_澄阳市应急管理局</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<div class="article">
<h1 class="art-title">澄阳市应急管理局关于做好汛期值守工作的通知</h1>
<div class="art-content">
<p class="meta">来源：澄阳市应急管理局办公室　发布时间：2027-06-12</p>
""" + NOTICE_TEXT + "</div></div></body></html>"


def test_F16_a_page_heading_beside_the_element_that_holds_the_text_is_the_title(resources):
    record = _record(ARTICLE_BESIDE_ITS_HEADING, "page.html", resources)
    assert record["title"] == "澄阳市应急管理局关于做好汛期值守工作的通知"
    assert record["metadata_sources"]["title"] == "printed_header"
    assert record["doc_number"] == "澄应急发〔2027〕8号"


def test_F16_a_part_title_inside_the_text_leaves_the_heading_beside_it_the_title(resources):
    # the notice issues a plan whose title is an <h2> inside the text; the notice's own heading
    # is the <h1> beside the text
    page = ARTICLE_BESIDE_ITS_HEADING.replace(
        "<p>2027年6月10日</p>", "<p>2027年6月10日</p>\n<h2>汛期值守工作方案</h2>\n<p>一、值守要求</p>")
    record = _record(page, "page.html", resources)
    assert record["title"] == "澄阳市应急管理局关于做好汛期值守工作的通知"


def test_F16_an_element_whose_class_names_it_the_title_beside_the_text_is_the_title(resources):
    page = ARTICLE_BESIDE_ITS_HEADING.replace('<h1 class="art-title">', '<div class="detail-title">', 1).replace(
        "工作的通知</h1>", "工作的通知</div>", 1).replace(
        "<p>2027年6月10日</p>", "<p>2027年6月10日</p>\n<p><strong>汛期值守工作方案</strong></p>")
    assert '<div class="detail-title">' in page
    record = _record(page, "page.html", resources)
    assert record["title"] == "澄阳市应急管理局关于做好汛期值守工作的通知"


SITE_BANNER_THEN_ARTICLE_HEADING = """<html><head><title>澄阳市应急管理局关于做好汛期值守工作的通知 - 澄阳市人民政府</title></head><body>
<div id="banner"><h1>澄阳市人民政府</h1><form><input name="q" value="站内搜索"></form></div>
<div id="position">您现在的位置：首页 &gt;&gt; 通知公告</div>
<div id="main">
<h3>澄阳市应急管理局关于做好汛期值守工作的通知</h3>
<p class="meta">来源：澄阳市应急管理局　发布时间：2027-06-12</p>
<div id="text">
""" + NOTICE_TEXT + "</div></div></body></html>"


def test_F16_the_nearest_heading_beside_the_text_is_the_title_not_the_site_banner(resources):
    # the site's <h1> is its name; the article's own heading, nearer the text, is an <h3>
    record = _record(SITE_BANNER_THEN_ARTICLE_HEADING, "page.html", resources)
    assert record["title"] == "澄阳市应急管理局关于做好汛期值守工作的通知"
    assert record["issuer"] == ["澄阳市应急管理局"]

# --- F32: joint notices with more than three signature lines --------------------------------------

SIGNERS = ["临江区发展和改革委员会", "临江区教育局", "临江区科学技术局", "临江区财政局",
           "临江区人力资源和社会保障局", "临江区市场监督管理局", "共青团临江区委员会"]


@pytest.mark.parametrize(
    ("lines", "names"),
    [
        pytest.param(SIGNERS[:5], SIGNERS[:5], id="five"),
        pytest.param(SIGNERS, SIGNERS, id="seven"),
        pytest.param([*SIGNERS[:4], "、".join(SIGNERS[4:6]), SIGNERS[6]], SIGNERS, id="two-joined-by-dunhao"),
        pytest.param([SIGNERS[0] + "　" + SIGNERS[1], *SIGNERS[2:]], SIGNERS, id="two-on-a-line"),
    ],
)
def test_F32_many_signers(lines, names, resources):
    text = ("临江区发展和改革委员会等部门关于印发青年创业扶持办法的通知\n各街道办事处：\n"
            "现将《临江区青年创业扶持办法》印发给你们，请认真贯彻执行。\n" + "\n".join(lines) + "\n2027年5月6日\n")
    record = _record(text, "notice.txt", resources)
    assert record["issuer"] == names
    assert record["date"] == "2027-05-06"


@pytest.mark.parametrize(
    "above",
    [
        pytest.param("特此通知", id="closing-formula"),
        pytest.param("联系人：王某，电话：12345678", id="contact-line"),
        pytest.param("请认真贯彻执行", id="unpunctuated-sentence"),
    ],
)
def test_F32_lines_above_the_signers_that_are_not_names(above, resources):
    text = ("临江区教育局关于做好暑期安全工作的通知\n各中小学校：\n"
            "一、各学校要在7月1日前完成安全教育，不得遗漏。（临江区教育局）\n"
            f"{above}\n临江区教育局\n临江区公安分局\n临江区应急管理局\n临江区卫生健康局\n2027年6月20日\n")
    record = _record(text, "notice.txt", resources)
    assert record["issuer"] == ["临江区教育局", "临江区公安分局", "临江区应急管理局", "临江区卫生健康局"]


# --- a signature that a crawler ran into a paragraph (F03 with the header forms) -----------------

@pytest.mark.parametrize(
    ("text", "issuer", "date"),
    [
        pytest.param("各乡镇人民政府：现将《青川县秋粮收储方案》印发给你们，请认真组织实施 青川县粮食和物资储备局2027 年 9 月 2 日\n"
                     "青川县秋粮收储方案\n", ["青川县粮食和物资储备局"], "2027-09-02", id="closing-a-paragraph"),
        pytest.param("各乡镇人民政府：现将方案印发给你们，请认真贯彻落实。中共青川县委 青川县人民政府2027年9月2日\n"
                     "青川县秋粮收储方案\n", ["中共青川县委", "青川县人民政府"], "2027-09-02", id="two-bodies"),
        pytest.param("各乡镇人民政府：现将方案印发给你们，请认真贯彻落实。\n青川县粮食和物资储备局\n"
                     "2027年9月2日青川县秋粮收储方案 为做好秋粮收储，制定本方案。\n",
                     ["青川县粮食和物资储备局"], "2027-09-02", id="date-opening-a-paragraph"),
    ],
)
def test_F03_signature_run_into_a_paragraph(text, issuer, date, resources):
    record = _record(text, "page.txt", resources)
    assert (record["issuer"], record["date"]) == (issuer, date)
    assert record["metadata_sources"]["date"] == "signature"


def test_F03_a_label_and_a_date_are_not_a_signature(resources):
    text = "各乡镇人民政府：\n一、做好秋粮收储。\n责任单位：青川县粮食和物资储备局 2027年9月2日\n"
    record = _record(text, "page.txt", resources)
    assert record["date"] is None and record["issuer"] == []


# --- provenance of each field ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "name", "sources"),
    [
        pytest.param(HEADER, "notice.txt",
                     {"doc_number": "printed_header", "title": "printed_header", "issuer": "signature",
                      "date": "signature", "addressees": "printed_header"}, id="printed"),
        pytest.param("---\ntitle: 临江区推进夜间经济发展\nauthor: 临江融媒\ndate: 2027-05-06\n---\n\n"
                     "近日，临江区印发夜间经济扶持办法。\n", "news.md",
                     {"doc_number": "none", "title": "container", "issuer": "container", "date": "container",
                      "addressees": "none"}, id="container"),
        pytest.param("澄阳市人民政府文件\n澄政发〔2027〕1号\n澄阳市人民政府关于表彰先进集体的决定\n"
                     "各区县人民政府：\n经研究，决定表彰先进集体。\n", "decision.txt",
                     {"doc_number": "printed_header", "title": "printed_header", "issuer": "printed_header",
                      "date": "none", "addressees": "printed_header"}, id="masthead"),
    ],
)
def test_provenance_of_each_field(text, name, sources, resources, record_schemas):
    record = _record(text, name, resources)
    assert record["metadata_sources"] == sources
    assert record["metadata_conflicts"] == []
    assert record_schemas.errors("document", record) == []


def test_provenance_of_a_failed_document_is_none(tmp_path, resources):
    from pipeline import process_source, scan_inputs

    path = tmp_path / "empty.txt"
    path.write_bytes(b"   \n")
    source = scan_inputs([path], resources.settings).sources[0]
    record = document_record(process_source(source, resources))
    assert record["status"] != "ok"
    assert set(record["metadata_sources"].values()) == {"none"} and record["metadata_conflicts"] == []


def test_a_masthead_of_the_bodys_name_alone_gives_the_issuer_when_no_one_signs(resources):
    text = ("中共澄阳市委办公室\n澄委办发〔2027〕3号\n关于做好春节期间值班工作的通知\n各区委，市委各部委：\n"
            "现就有关事项通知如下。\n一、各单位要严格执行领导干部带班制度。\n2027年1月20日\n")
    record = _record(text, "notice.txt", resources)
    assert record["issuer"] == ["中共澄阳市委办公室"]
    assert record["metadata_sources"]["issuer"] == "printed_header"


@pytest.mark.parametrize("genre", ["安排", "清单", "任务书"])
def test_F16_a_title_split_over_two_lines_ending_in_a_genre_word(genre, resources):
    text = (f"澄阳区人民政府办公室\n\n澄政办〔2038〕41号\n\n澄阳区人民政府办公室\n关于做好冬季城市运行保障工作的{genre}\n\n"
            "各街道办事处，区政府各部门：\n现将今冬城市运行保障工作安排如下。\n一、保障供暖供气。区住建局要加强巡查。\n"
            "澄阳区人民政府办公室\n2038年11月1日\n")
    record = _record(text, "notice.txt", resources)
    assert record["title"] == f"澄阳区人民政府办公室关于做好冬季城市运行保障工作的{genre}"
    assert record["doc_number"] == "澄政办〔2038〕41号"
