"""Department ledgers (工作台账): every open task of the store, one row per department and task.

A task's lead gets a 牵头 row and each co-operating department a 配合 row. Reviewed values win
over extracted ones (title, lead, co-operating departments, 完成时限); rejected tasks are left
out; tasks a reviewer added are in. Rows are sorted by department, then deadline (undated
last), then source. The file writers (XLSX, CSV, iCalendar) take these rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pipeline.model import Deadline, TaskRecord
from pipeline.serial import from_data
from pipeline.store import Store
from pipeline.store.reviews import Review, Reviews, reviewable_values

#: 审核状态 as a ledger prints it
STATUS_LABELS = {"pending": "待审核", "accepted": "已确认", "corrected": "已更正", "rejected": "已驳回"}
LEAD, CO = "牵头", "配合"


@dataclass(frozen=True)
class LedgerRow:
    """One line of a department's ledger."""

    department: str
    role: str  # 牵头 or 配合
    task: str
    due: Deadline | None
    source_file: str
    doc_number: str | None
    position: str  # 条目位置: part and section path
    status: str  # pending, accepted, corrected
    document_key: str
    task_key: str

    @property
    def source(self) -> str:
        """来源文件与文号."""
        return f"{self.source_file}（{self.doc_number}）" if self.doc_number else self.source_file

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def overdue(self, today: dt.date) -> bool:
        return bool(self.due and self.due.kind == "fixed" and self.due.date and self.due.date < today.isoformat())


def _due(value: Any) -> Deadline | None:
    """A reviewed 完成时限: typed, or a printed text a reviewer entered."""
    if value is None or isinstance(value, Deadline):
        return value
    if isinstance(value, dict):
        return from_data(Deadline, value)
    return Deadline(text=str(value), kind="fixed")


def _position(task: TaskRecord) -> str:
    part = f"附件{task.part}" if task.part else "正文"
    return " / ".join([part, *task.section_path])


def _rows_of(document_key: str, task_key: str, values: dict[str, Any], position: str, status: str,
             source_file: str, doc_number: str | None) -> list[LedgerRow]:
    lead, co = values.get("lead"), values.get("co") or []
    common = {"task": values["title"], "due": _due(values.get("due")), "source_file": source_file,
              "doc_number": doc_number, "position": position, "status": status, "document_key": document_key,
              "task_key": task_key}
    rows = [LedgerRow(department=lead, role=LEAD, **common)] if lead else []
    return rows + [LedgerRow(department=name, role=CO, **common) for name in co if name and name != lead]


def ledger_rows(store: Store, department: str | None = None) -> list[LedgerRow]:
    """The ledger rows of every circular's latest version (of one department when named)."""
    decided = Reviews(store).all()
    rows: list[LedgerRow] = []
    for doc in store.latest():
        key, path, doc_number = doc["key"], doc["path"], doc["record"].get("doc_number")
        for task_key, task in store.tasks_of(doc["sha256"]).items():
            review = decided.get((key, task_key))
            if review is not None and review.status == "rejected":
                continue
            # the extracted 完成时限 keeps its date and rule; a reviewed one is what was typed
            values = {**reviewable_values(task), "due": task.due, **(review.fields if review else {})}
            rows += _rows_of(key, task_key, values, _position(task), review.status if review else "pending",
                             path, doc_number)
        rows += _added_rows(key, path, doc_number, decided)
    if department is not None:
        rows = [r for r in rows if r.department == department]
    return sorted(rows, key=lambda r: (r.department, r.due is None or not r.due.date, (r.due.date if r.due else "") or "",
                                       r.source_file, r.task_key, r.role))


def _added_rows(document_key: str, path: str, doc_number: str | None,
                decided: dict[tuple[str, str], Review]) -> list[LedgerRow]:
    rows: list[LedgerRow] = []
    for (key, task_key), review in decided.items():
        if key != document_key or review.added is None or review.status == "rejected":
            continue
        values = {"title": review.added["text"], **review.fields}
        rows += _rows_of(key, task_key, values, "审核时补充", review.status, path, doc_number)
    return rows
