"""Plain-text tables typed with spaces: a header of three or more columns and rows whose cells
start under the header's columns become table rows, so a task-division table in a .txt file
reads like one in HTML or Word."""

from __future__ import annotations

from pipeline import extract_bytes
from pipeline.loaders.text import aligned_tables

TABLE = """附件
澄阳市消费提振重点任务分工表
序号    重点任务                                         牵头单位          配合单位                      完成时限
1       举办春季购物节，发放数字消费券支持餐饮零售       市商务局          市财政局、各区人民政府        4月30日前
2       打造夜间经济集聚区，新认定示范街区5条            市商务局          市城市管理局                  9月底前
3       开展消费市场价格监测和质量安全检查               市场监管局        —                             每月
"""


def test_a_space_aligned_table_becomes_rows_with_cells_in_their_columns():
    rows = [p.cells for p in aligned_tables(TABLE.splitlines()) if p.cells]
    assert rows[0] == ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]
    assert rows[3] == ["3", "开展消费市场价格监测和质量安全检查", "市场监管局", "—", "每月"]


def test_a_space_aligned_task_table_yields_tasks_with_their_departments(resources):
    result = extract_bytes(TABLE.encode(), "plan.txt", resources)
    assigned = [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment]
    # a dash in the co-operating column names nobody
    assert assigned == [("市商务局", ["市财政局", "各区人民政府"]), ("市商务局", ["市城市管理局"]), ("市场监管局", [])]


def test_an_empty_cell_keeps_the_others_in_their_columns():
    lines = TABLE.replace("市场监管局        —       ", "市场监管局                ").splitlines()
    rows = [p.cells for p in aligned_tables(lines) if p.cells]
    assert rows[3] == ["3", "开展消费市场价格监测和质量安全检查", "市场监管局", "", "每月"]


def test_a_joint_signature_set_out_in_columns_is_no_table():
    lines = ["澄阳市发展和改革委员会    澄阳市教育局    澄阳市科学技术局",
             "澄阳市工业和信息化局      澄阳市财政局    澄阳市人社局",
             "澄阳市商务局              澄阳市统计局    澄阳市医保局"]
    assert all(p.cells is None for p in aligned_tables(lines))


def test_a_table_of_figures_is_no_task_table_even_when_its_rows_are_named_bodies(resources):
    # the addressee line teaches that 江苏, 上海 … are bodies; a column of figures is still no task
    text = """澄阳市教育局关于下达招生计划的通知
江苏，上海，浙江：
现将招生计划下达如下。
省（市）    2026年招生人数    2027年招生人数    2028年招生人数
江苏        1200              1400              2000
上海        1350              1750              1750
浙江        450               900               900
澄阳市教育局
2026年3月1日
"""
    result = extract_bytes(text.encode(), "notice.txt", resources)
    assert not [t for t in result.tasks if t.assignment]


def test_F05_a_proposal_table_whose_task_column_is_headed_by_its_subject(resources):
    text = """# 澄阳市人大常委会办公厅关于交办代表建议的通知

| 序号 | 建议编号 | 建议题目 | 领衔代表 | 承办单位 | 协办单位 | 办结时限 |
|---|---|---|---|---|---|---|
| 1 | 第0027号 | 关于加快中心城区停车设施建设的建议 | 张某 | 市住房城乡建设局 | 市公安局交警支队 | 2027年6月30日前 |
| 2 | 第0045号 | 关于完善社区居家养老助餐服务的建议 | 李某 | 市民政局 | 市财政局、市市场监管局 | 2027年7月31日前 |
"""
    result = extract_bytes(text.encode(), "notice.md", resources)
    rows = [(t.text, t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment]
    assert rows == [("关于加快中心城区停车设施建设的建议", "市住房城乡建设局", ["市公安局交警支队"]),
                    ("关于完善社区居家养老助餐服务的建议", "市民政局", ["市财政局", "市市场监管局"])]


TAB_TABLE = ("附件\n澄阳县移民后期扶持项目计划表\n"
             "序号\t项目名称\t建设内容\t责任单位\t配合单位\t计划完成时间\n"
             "1\t移民村道路硬化\t硬化村组道路4.6公里，路面宽4.5米\t芦埠镇人民政府\t县交通运输局\t10月底前\n"
             "2\t特色种植基地建设\t建设高山茶园300亩、配套机耕道1.2公里\t县农业农村局、青檀乡人民政府\t中心规划计划股\t11月底前\n"
             "3\t项目档案资料整理\t建立一项目一档案，规范项目资料归档\t中心项目管理股\t—\t验收后30日内\n")


def test_a_table_typed_with_tabs_is_read_by_its_fields_not_their_alignment(resources):
    result = extract_bytes(TAB_TABLE.encode(), "plan.txt", resources)
    assigned = [(t.assignment.lead.surface, [d.surface for d in t.assignment.co]) for t in result.tasks if t.assignment]
    assert assigned == [("芦埠镇人民政府", ["县交通运输局"]), ("县农业农村局", ["青檀乡人民政府", "中心规划计划股"]),
                        ("中心项目管理股", [])]
