"""Department ledgers (issue 11, item 3): the rows, the XLSX, CSV and iCalendar files, and
``policyflow export``.

A store is filled with two short synthetic circulars and a few reviews (one task accepted, one
lead corrected, one title corrected, one task rejected, one task added by a reviewer), once on
SQLite and once on PostgreSQL (the `store_url` fixture).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from flows.cli import LEDGER_FILES, main
from pipeline import extract_bytes
from pipeline.ledger import LedgerRow, ledger_rows
from pipeline.ledger_files import COLUMNS, CSV_COLUMNS, sheet_titles, write_csv, write_ics, write_xlsx
from pipeline.model import Deadline
from pipeline.store import Store
from pipeline.store.reviews import Reviews

VERSION = "test+000000000000"
TODAY = dt.date(2027, 5, 1)
REVIEWER = "王审核"

FARMING = """澄阳市农业农村局关于做好秋季农业生产工作的通知
澄农发〔2027〕8号
各区农业农村局：
一、重点任务
1.开展秋粮收购情况调查，每季度末报送调查结果。（市农业农村局牵头，市统计局配合）
2.完成农田水利设施检修，2027年10月底前完成。（市水务局）
3.组织秸秆综合利用技术培训，2027年9月底前完成。（市农业农村局）
4.持续推进农村人居环境整治。（市生态环境局、临江区人民政府）
澄阳市农业农村局
2027年8月1日
"""

RELICS = """青川县文化和旅游局关于开展文物安全检查的通知
青文旅发〔2027〕3号
各乡镇人民政府：
一、工作任务
1.全面排查文物保护单位消防隐患，2027年11月30日前完成。（县文化和旅游局牵头，县消防救援大队配合）
2.每年12月31日前报送文物安全年度报告。（县文化和旅游局）
青川县文化和旅游局
2027年9月1日
"""

SURVEY = "开展秋粮收购情况调查，每季度末报送调查结果"
REPAIR = "完成农田水利设施检修，2027年10月底前完成"
TRAINING = "组织秸秆综合利用技术培训，2027年9月底前完成"
REJECTED = "持续推进农村人居环境整治"
FIRE = "全面排查文物保护单位消防隐患"
REPORT = "每年12月31日前报送文物安全年度报告"
ADDED = "建立文物巡查台账，每月更新"
FORMULA = "=SUM(1)"


@dataclass
class Filled:
    url: str
    farming: str  # document keys
    relics: str


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def filled(store_url) -> Filled:
    """Two circulars and their reviews in a store (closed again: tests open it themselves)."""
    with Store.open(store_url) as store:
        farming = store.save(extract_bytes(FARMING.encode(), "farming.txt"), "farming.txt", _sha(FARMING),
                             VERSION).document_key
        relics = store.save(extract_bytes(RELICS.encode(), "relics.txt"), "relics.txt", _sha(RELICS),
                            VERSION).document_key
        keys = {t.title: k for sha in (_sha(FARMING), _sha(RELICS)) for k, t in store.tasks_of(sha).items()}
        reviews = Reviews(store)
        reviews.decide(farming, keys[REPAIR], REVIEWER, "accepted")
        reviews.decide(farming, keys[TRAINING], REVIEWER, "corrected", {"lead": "临江区农业农村局"})
        reviews.decide(farming, keys[REJECTED], REVIEWER, "rejected")
        reviews.decide(relics, keys[REPORT], REVIEWER, "corrected", {"title": FORMULA})
        reviews.add_task(relics, _sha(RELICS), 0, len(ADDED), ADDED, REVIEWER,
                         {"lead": "县文化和旅游局", "co": ["县公安局"],
                          "due": {"text": "2027年12月15日前", "kind": "fixed", "date": "2027-12-15"}})
    return Filled(store_url, farming, relics)


@pytest.fixture
def rows(filled) -> list[LedgerRow]:
    with Store.open(filled.url) as store:
        return ledger_rows(store)


# --- the rows ------------------------------------------------------------------------------------

def test_rows_take_reviewed_values_and_leave_rejected_tasks_out(rows):
    seen = {(r.department, r.role, r.task, r.status_label) for r in rows}
    assert seen == {
        ("市农业农村局", "牵头", SURVEY, "待审核"),
        ("市统计局", "配合", SURVEY, "待审核"),
        ("市水务局", "牵头", REPAIR, "已确认"),
        ("临江区农业农村局", "牵头", TRAINING, "已更正"),
        ("县文化和旅游局", "牵头", FIRE, "待审核"),
        ("县消防救援大队", "配合", FIRE, "待审核"),
        ("县文化和旅游局", "牵头", FORMULA, "已更正"),
        ("县文化和旅游局", "牵头", ADDED, "已更正"),
        ("县公安局", "配合", ADDED, "已更正"),
    }
    assert not any(r.task == REJECTED for r in rows)
    assert {r.source for r in rows if r.task == FIRE} == {"relics.txt（青文旅发〔2027〕3号）"}


# --- XLSX ----------------------------------------------------------------------------------------

def test_xlsx_has_one_sheet_per_department_with_the_ledger_columns(rows, tmp_path):
    path = tmp_path / "ledger.xlsx"
    assert write_xlsx(rows, path) == len(rows) == 9
    book = load_workbook(path)
    assert book.sheetnames == sorted({r.department for r in rows})
    for sheet in book.worksheets:
        header = next(sheet.iter_rows(max_row=1))
        assert [c.value for c in header] == list(COLUMNS)
        assert all(c.font.bold for c in header)
        assert sheet.freeze_panes == "A2"
        assert all(sheet.column_dimensions[letter].width >= 6 for letter in "ABCDEFG")
        assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == list(range(1, sheet.max_row))
    county = [r for r in book["县文化和旅游局"].iter_rows(min_row=2, values_only=True)]
    assert {r[1] for r in county} == {FIRE, FORMULA, ADDED}
    assert {(r[1], r[3]) for r in county if r[1] == FIRE} == {(FIRE, "2027年11月30日前")}
    assert book["县文化和旅游局"]["B2"].alignment.wrap_text


def test_xlsx_keeps_a_formula_like_task_as_text(rows, tmp_path):
    write_xlsx(rows, tmp_path / "ledger.xlsx")
    sheet = load_workbook(tmp_path / "ledger.xlsx")["县文化和旅游局"]
    [cell] = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value == FORMULA]
    assert cell.data_type == "s"


def _row(department: str, task: str = "开展巡查", due: Deadline | None = None, role: str = "牵头",
         task_key: str = "k1") -> LedgerRow:
    return LedgerRow(department=department, role=role, task=task, due=due, source_file="a.txt", doc_number=None,
                     position="正文 / 一、", status="pending", document_key="d1", task_key=task_key)


@pytest.mark.parametrize("departments", [
    ["市/县联合[专班]:督查组?*", "市/县联合[专班]:督查组?*"[:3]],
    ["澄阳市临江区青川县人民政府办公室综合督查科第一督查组", "澄阳市临江区青川县人民政府办公室综合督查科第二督查组"],
    ["Office", "OFFICE", "office"],
])
def test_sheet_titles_are_legal_for_excel_and_distinct(departments, tmp_path):
    titles = sheet_titles(departments)
    assert len(set(t.casefold() for t in titles.values())) == len(departments)
    assert all(len(t) <= 31 and not set(t) & set("/\\?*[]:") for t in titles.values())
    path = tmp_path / "odd.xlsx"
    write_xlsx([_row(d) for d in departments], path)  # no warning, no ValueError
    assert load_workbook(path).sheetnames == [titles[d] for d in departments]


def test_xlsx_without_rows_still_has_its_header(tmp_path):
    assert write_xlsx([], tmp_path / "empty.xlsx") == 0
    [sheet] = load_workbook(tmp_path / "empty.xlsx").worksheets
    assert [c.value for c in sheet[1]] == list(COLUMNS)


# --- CSV -----------------------------------------------------------------------------------------

def test_csv_is_utf8_with_a_bom_and_the_department_first(rows, tmp_path):
    path = tmp_path / "ledger.csv"
    assert write_csv(rows, path) == len(rows)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert table[0] == list(CSV_COLUMNS)
    assert [(line[0], line[2]) for line in table[1:]] == [(r.department, r.task if r.task != FORMULA else "'" + FORMULA)
                                                          for r in rows]
    county = [line for line in table[1:] if line[0] == "县文化和旅游局"]
    assert [line[1] for line in county] == ["1", "2", "3"]  # 序号 counts within a department


# --- iCalendar -----------------------------------------------------------------------------------

def _events(path: Path) -> dict[str, dict[str, object]]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["summary"]): {"start": e.decoded("dtstart"), "rrule": e.get("rrule"), "uid": str(e["uid"]),
                                "description": str(e["description"])} for e in calendar.walk("VEVENT")}


def test_ics_has_one_event_per_task_deadline_with_recurring_ones_as_rrule(rows, tmp_path):
    path = tmp_path / "deadlines.ics"
    # six tasks have a date or a rule; 市统计局 and 县消防救援大队 co-operate on two of them
    assert write_ics(rows, path, today=TODAY) == 6
    events = _events(path)
    survey = events[f"市农业农村局：{SURVEY}"]
    assert survey["start"] == dt.date(2027, 3, 31)  # the first 每季度末 of the year
    assert survey["rrule"].to_ical() == b"FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=3,6,9,12"
    assert "牵头：市农业农村局" in survey["description"] and "配合：市统计局" in survey["description"]
    assert events[f"县文化和旅游局：{FORMULA}"]["start"] == dt.date(2027, 12, 31)
    training = events[f"临江区农业农村局：{TRAINING}"]  # the corrected lead
    assert (training["start"], training["rrule"]) == (dt.date(2027, 9, 30), None)
    assert events[f"县文化和旅游局：{ADDED}"]["start"] == dt.date(2027, 12, 15)
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF throughout


def test_ics_event_ids_are_stable_across_exports(rows, tmp_path):
    write_ics(rows, tmp_path / "1.ics", today=TODAY)
    write_ics(list(reversed(rows)), tmp_path / "2.ics", today=TODAY)
    assert sorted(e["uid"] for e in _events(tmp_path / "1.ics").values()) == \
        sorted(e["uid"] for e in _events(tmp_path / "2.ics").values())


@pytest.mark.parametrize("due", [
    None,
    Deadline("长期坚持", "ongoing"),
    Deadline("收到通知后10个工作日内", "relative"),
    Deadline("按时", "fixed"),  # a text a reviewer typed, no date
    Deadline("每月", "recurring", rrule="NOT A RULE"),
])
def test_ics_leaves_out_a_task_without_a_date_or_rule(due, tmp_path):
    assert write_ics([_row("市水务局", due=due)], tmp_path / "d.ics", today=TODAY) == 0
    assert Calendar.from_ical((tmp_path / "d.ics").read_bytes()).walk("VEVENT") == []


def test_ics_summary_is_shortened(tmp_path):
    long_task = "组织开展全市范围内农田水利设施汛前汛后两轮全面检修维护和安全隐患排查整治工作并建立长效管理机制"
    write_ics([_row("市水务局", task=long_task, due=Deadline("2027年6月底前", "fixed", date="2027-06-30"))],
              tmp_path / "d.ics", today=TODAY)
    [summary] = _events(tmp_path / "d.ics")
    assert summary.startswith("市水务局：组织开展") and summary.endswith("…") and len(summary) < len(long_task)


# --- policyflow export ---------------------------------------------------------------------------

def export(*args: str):
    return CliRunner().invoke(main, ["export", *args])


def test_export_writes_the_three_files_by_default(filled, tmp_path):
    result = export("--output", str(tmp_path / "out"), "--store", filled.url)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["deadlines.ics", "ledger.csv", "ledger.xlsx"]
    assert len(result.output.splitlines()) == 3 and "9 rows" in result.output and "events" in result.output


@pytest.mark.parametrize(("fmt", "name"), [("xlsx", "ledger.xlsx"), ("csv", "ledger.csv"), ("ics", "deadlines.ics")])
def test_export_one_format(filled, tmp_path, fmt, name):
    result = export("--output", str(tmp_path), "--store", filled.url, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert {p.name for p in tmp_path.iterdir()} & set(LEDGER_FILES.values()) == {name}


def test_export_one_department_to_a_named_file(filled, tmp_path):
    target = tmp_path / "sub" / "relics.xlsx"
    result = export("--output", str(tmp_path), "--store", filled.url, "--format", "xlsx",
                    "--department", "县文化和旅游局", "--to", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    assert book.sheetnames == ["县文化和旅游局"] and book.active.max_row == 4


def test_export_to_one_file_needs_one_format(filled, tmp_path):
    result = export("--output", str(tmp_path), "--store", filled.url, "--to", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and "exactly one --format" in result.output


def test_export_of_an_unknown_department_names_close_ones(filled, tmp_path):
    result = export("--output", str(tmp_path), "--store", filled.url, "--department", "县文化旅游局")
    assert result.exit_code == 2
    assert "no department" in result.output and "县文化和旅游局" in result.output
    assert not list(tmp_path.glob("*.xlsx"))


def test_export_without_a_store_says_to_run_batch_first(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICYFLOW_STORE", raising=False)
    result = export("--output", str(tmp_path / "out"))
    assert result.exit_code == 2 and "run policyflow batch first" in result.output
    assert not (tmp_path / "out" / "policyflow.db").exists()  # nothing created by asking


def test_export_of_an_empty_store_says_to_run_batch_first(store_url, tmp_path):
    Store.open(store_url).close()
    result = export("--output", str(tmp_path), "--store", store_url)
    assert result.exit_code == 2 and "run policyflow batch first" in result.output
