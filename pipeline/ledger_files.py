"""Ledger files: the rows of `pipeline.ledger.ledger_rows` as XLSX, CSV and iCalendar.

- XLSX: one sheet per department (titles made legal for Excel), columns `COLUMNS`, a frozen
  bold header, wrapped text, widths fitted to the content. 序号 restarts at 1 on each sheet.
- CSV: the same rows with 部门 first, all departments in one file, UTF-8 with a BOM so that
  Excel reads it as UTF-8.
- iCalendar: one all-day event per task deadline (not per department row), recurring ones
  with their RRULE.

Text that a spreadsheet would run as a formula (a cell beginning with ``=``, ``+``, ``-`` or
``@``) is kept as text: stored as a string cell in XLSX, and prefixed with an apostrophe in CSV
(OWASP's advice against CSV injection; Excel shows the apostrophe, the text is not run).

Each writer writes a temporary file beside its target and renames it into place (a reader
never sees half a file; a temporary file left by a killed run is removed by
`pipeline.output.remove_stale_temporaries`) and returns the number of rows or events written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event, vRecur
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.ledger import CO, LEAD, LedgerRow
from pipeline.model import Deadline

#: the columns of a department's sheet, in order
COLUMNS = ("序号", "任务", "牵头/配合", "完成时限", "来源文件与文号", "条目位置", "审核状态")
#: the CSV has the department first, since all departments share one file
CSV_COLUMNS = ("部门", *COLUMNS)

# Excel's limits on sheet titles (openpyxl raises on these characters and warns past 31 chars)
_TITLE_FORBIDDEN = re.compile(r"[/\\?*\[\]:]")
_TITLE_MAX = 31
_EMPTY_SHEET = "台账"
# a cell beginning with one of these is a formula to a spreadsheet
_FORMULA_START = ("=", "+", "-", "@")
# column widths in character cells (a CJK character is two)
_WIDTH_MIN, _WIDTH_MAX = 6, 60
_SUMMARY_CHARS = 40


@contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` when the block ends without an error.

    The temporary name follows `pipeline.output`'s pattern, so a run killed midway leaves
    nothing that the next run does not clean up; permissions follow the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _cells(row: LedgerRow, number: int) -> list[object]:
    return [number, row.task, row.role, row.due.text if row.due else "", row.source, row.position, row.status_label]


# --- XLSX ----------------------------------------------------------------------------------------

def sheet_titles(departments: Sequence[str]) -> dict[str, str]:
    """A legal, distinct Excel sheet title for each department: the forbidden characters
    ``/ \\ ? * [ ] :`` become ``_``, titles are cut to 31 characters, and titles that then
    collide (Excel compares them case-insensitively) get a suffix ``(2)``, ``(3)`` …"""
    titles: dict[str, str] = {}
    taken: set[str] = set()
    for name in departments:
        if name in titles:
            continue
        base = _TITLE_FORBIDDEN.sub("_", name).strip().strip("'") or _EMPTY_SHEET
        title, n = base[:_TITLE_MAX], 1
        while title.casefold() in taken:
            n += 1
            suffix = f"({n})"
            title = base[:_TITLE_MAX - len(suffix)] + suffix
        taken.add(title.casefold())
        titles[name] = title
    return titles


def _display_width(text: str) -> int:
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def write_xlsx(rows: Iterable[LedgerRow], path: Path) -> int:
    """Write one sheet per department (in the order the rows come); returns the rows written.
    With no rows the workbook has one empty sheet with the header, as Excel needs a sheet."""
    by_department: dict[str, list[LedgerRow]] = {}
    for row in rows:
        by_department.setdefault(row.department, []).append(row)
    book = Workbook()
    book.remove(book.active)
    titles = sheet_titles(list(by_department))
    for department, department_rows in by_department.items():
        _fill_sheet(book.create_sheet(titles[department]),
                    [_cells(row, n) for n, row in enumerate(department_rows, 1)])
    if not by_department:
        _fill_sheet(book.create_sheet(_EMPTY_SHEET), [])
    with _replacing(path) as fh:
        book.save(fh)
    return sum(len(r) for r in by_department.values())


def _fill_sheet(sheet: Worksheet, lines: list[list[object]]) -> None:
    sheet.append(list(COLUMNS))
    for line in lines:
        sheet.append(line)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # openpyxl stores a leading "=" as a formula otherwise
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, header in enumerate(COLUMNS, 1):
        widest = max([_display_width(header), *(_display_width(str(line[index - 1])) for line in lines)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, _WIDTH_MIN), _WIDTH_MAX)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


# --- CSV -----------------------------------------------------------------------------------------

def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[LedgerRow], path: Path) -> int:
    """Write all rows, 部门 first, as UTF-8 with a BOM; 序号 counts within each department,
    as on the XLSX sheets. Returns the rows written."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)  # Excel's dialect: comma, CRLF, quotes where needed
    writer.writerow(CSV_COLUMNS)
    numbers: dict[str, int] = {}
    for row in rows:
        numbers[row.department] = numbers.get(row.department, 0) + 1
        writer.writerow([_csv_safe(v) for v in (row.department, *_cells(row, numbers[row.department]))])
    with _replacing(path) as fh:
        fh.write(text.getvalue().encode("utf-8-sig"))
    return sum(numbers.values())


# --- iCalendar -----------------------------------------------------------------------------------

def first_occurrence(rule: str, year: int) -> dt.date | None:
    """The first day of ``rule`` (an RFC 5545 RRULE value) on or after 1 January of ``year``;
    None when the rule cannot be read or has no day left from then on.

    An event's DTSTART must be its first occurrence. Counting from 1 January of the current
    year keeps the file the same all year and shows this year's earlier dates as well; a rule
    that names no day (``FREQ=YEARLY`` for 每年) therefore falls on 1 January."""
    start = dt.datetime(year, 1, 1)
    try:
        recurrence = rrulestr(rule, dtstart=start)
        first = recurrence.after(start, inc=True)
    except (ValueError, TypeError, AttributeError):
        return None
    return first.date() if first else None


def _shortened(text: str, limit: int = _SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _event_day(due: Deadline | None, year: int) -> tuple[dt.date, str | None] | None:
    """The first day of a deadline's event and its RRULE, or None when it has neither a date
    nor a readable rule (ongoing duties, deadlines relative to an unknown event)."""
    if due is None:
        return None
    if due.kind == "recurring" and due.rrule:
        first = first_occurrence(due.rrule, year)
        return (first, due.rrule) if first else None
    if due.date:
        try:
            return dt.date.fromisoformat(due.date), None
        except ValueError:
            return None
    return None


def write_ics(rows: Iterable[LedgerRow], path: Path, today: dt.date | None = None) -> int:
    """Write one all-day VEVENT per task that has a usable deadline; returns the events written.

    The rows of one task (its 牵头 and 配合 departments) make one event: SUMMARY is
    ``牵头单位：任务`` (shortened), the description names every department; the UID comes from
    the document and task keys, so re-exports update the same events in a calendar. A fixed
    deadline is its date; a recurring one carries its RRULE from its first occurrence this year
    (``today``'s year, see `first_occurrence`). Tasks without either are left out."""
    today = today or dt.date.today()
    tasks: dict[tuple[str, str], list[LedgerRow]] = {}
    for row in rows:
        tasks.setdefault((row.document_key, row.task_key), []).append(row)
    events: list[tuple[dt.date, str, Event]] = []
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for (document_key, task_key), task_rows in tasks.items():
        first = task_rows[0]
        day = _event_day(first.due, today.year)
        if day is None:
            continue
        start, rule = day
        leads = [r.department for r in task_rows if r.role == LEAD]
        cos = [r.department for r in task_rows if r.role == CO]
        uid = f"{document_key}-{task_key}@policyflow"
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(days=1))
        if rule:
            event.add("rrule", vRecur.from_ical(rule))
        event.add("summary", f"{(leads or cos)[0]}：{_shortened(first.task)}")
        event.add("description", "\n".join(_description(first, leads, cos)))
        event.add("transp", "TRANSPARENT")  # a deadline, not time taken
        events.append((start, uid, event))
    calendar = Calendar()
    calendar.add("prodid", "-//policyflow//ledger deadlines//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "完成时限")
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        calendar.add_component(event)
    with _replacing(path) as fh:
        fh.write(calendar.to_ical())
    return len(events)


def _description(row: LedgerRow, leads: list[str], cos: list[str]) -> list[str]:
    lines = [f"任务：{row.task}"]
    if leads:
        lines.append(f"牵头：{'、'.join(leads)}")
    if cos:
        lines.append(f"配合：{'、'.join(cos)}")
    assert row.due is not None
    return [*lines, f"完成时限：{row.due.text}", f"来源：{row.source}", f"条目位置：{row.position}",
            f"审核状态：{row.status_label}"]
