"""Structure: outline markers, header fields, parts and furniture of a circular."""

import pytest

from pipeline import extract_bytes
from pipeline.obligations import read_obligations
from pipeline.structure import outline_marker, strip_marker


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("第三章　监督管理", "第三章"),
        ("第十二条　本办法自印发之日起施行。", "第十二条"),
        ("一、总体要求", "一、"),
        ("（二）强化督查考核", "（二）"),
        ("(三)加强宣传", "(三)"),
        ("1.拓展两个市场。", "1."),
        ("2．加强监测", "2．"),
        ("3、完善制度", "3、"),
        ("2.2　地方应急机构及其职责", "2.2"),
        ("4.2.3　信息报告", "4.2.3"),
        ("（1）建立台账", "（1）"),
        ("①加强领导", "①"),
        ("1.2025年6月底前完成排查。", "1."),
        ("——加强属地网络巡查。对本地网站开展巡查。", "——"),  # a dash-led item
        ("——“绿书签”进校园。", "——"),
        ("6．10月下旬组织全省比对监测。", "6．"),  # a date after the point, not a decimal
        ("7.15日前报送总结。", "7."),
    ],
)
def test_structure_outline_markers(line, marker):
    found = outline_marker(line)
    assert found is not None and found[1] == marker


@pytest.mark.parametrize("line", ["1.5倍以上的企业", "3.5万元", "2019年1月1日起施行", "一是加强领导", "各部门要加强领导。",
                                  "————————————", "—— 2029年6月"])
def test_structure_not_outline_markers(line):
    assert outline_marker(line) is None


def test_structure_decimal_sections_nest():
    deeper = [outline_marker(x)[0] for x in ("2　组织体系", "2.1　应急机构", "2.1.1　职责")]
    assert deeper == sorted(deeper) and len(set(deeper)) == 3


def test_structure_strip_marker():
    assert strip_marker("（三）加强督查。") == "加强督查。"
    assert strip_marker("各部门要加强领导。") == "各部门要加强领导。"


PLAN = """应急管理办公室文件
应急办发〔2025〕3号
关于印发防汛应急预案的通知
各区应急管理局：
现将《防汛应急预案》印发给你们，请认真贯彻执行。
应急管理办公室
2025年4月1日
防汛应急预案
1　总则
1.1　编制目的
为做好防汛应急工作，保障人民群众生命财产安全，制定本预案。
2　组织体系
2.1　应急机构
区应急管理局负责本区防汛应急工作的组织协调。
抄送：市防汛抗旱指挥部办公室。
应急管理办公室　　　2025年4月1日印发
"""


@pytest.fixture(scope="module")
def plan(resources):
    return extract_bytes(PLAN.encode(), "plan.txt", resources)


def test_structure_header_of_a_notice_with_masthead(plan):
    header = plan.document.header
    assert header.doc_number == "应急办发〔2025〕3号"
    assert header.title == "关于印发防汛应急预案的通知"
    assert header.issuer == ["应急管理办公室"]
    assert header.date == "2025-04-01"
    assert header.addressees == ["各区应急管理局"]


def test_structure_attachment_is_a_part_with_its_own_title(plan):
    assert [p.title for p in plan.document.parts] == [None, "防汛应急预案"] or \
        [p.title for p in plan.document.parts][1:] == ["防汛应急预案"]


def test_structure_decimal_headings_give_the_section_path(plan):
    record = next(t for t in plan.tasks if "组织协调" in t.text)
    assert record.section_path == ["2　组织体系", "2.1　应急机构"]
    assert record.assignment is None  # prose duty, not an assignment


def test_structure_imprint_lines_are_furniture_not_text(plan):
    roles = {plan.document.block_text(b): b.role for b in plan.document.blocks}
    assert roles["抄送：市防汛抗旱指挥部办公室。"] == "furniture"
    assert all("抄送" not in t.text for t in plan.tasks)


def test_obligations_fronted_object_joins_its_clause(resources):
    text = "对检查中发现的问题，要限期整改。"
    found = read_obligations(text, 0, resources.cues, [], False, [])
    assert [(o.text, o.modality) for o in found] == [("对检查中发现的问题，要限期整改。", "must")]


@pytest.mark.parametrize("furniture", ["— 3 —", "-3-", "第 3 页 共 4 页"])
def test_structure_page_furniture_between_signer_and_date_is_transparent(furniture, resources):
    text = ("澄阳市农业农村局关于做好春耕备耕工作的通知\n各乡镇人民政府：\n"
            "一、各乡镇要在4月底前完成农资储备检查，不得漏报。（市农业农村局、市供销社）\n"
            f"澄阳市农业农村局\n{furniture}\n2026年3月9日\n")
    header = extract_bytes(text.encode("utf-8"), "notice.txt", resources).document.header
    assert header.issuer == ["澄阳市农业农村局"]
    assert header.date == "2026-03-09"
