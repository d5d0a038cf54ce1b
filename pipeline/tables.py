"""Task-division tables (任务分工表): one reader for every format that carries tables.

A table is recognised by what its header row says (序号, 重点任务, 牵头单位, 配合单位,
完成时限, and the other ways offices word them — ``cues.json: table_columns``), in any
column order. Each data row becomes a task with the departments and deadline of its
columns. A row without a 序号 of its own, where the table numbers its rows, is the rest of
the row above that a page break split; an empty department cell was merged down from the
row above; a row whose cells all say one thing (二、重点任务) is a section heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.assignments import Reading, is_body_name, read_markup
from pipeline.model import Block, Document
from pipeline.resources import Resources
from pipeline.structure import outline_marker

_SPACE = re.compile(r"[\s\u3000]+")
_SPLIT = re.compile(r"[、，,；;/／\s]+")
_ETC_TAIL = re.compile(r"等(?:[\u4e00-\u9fff]{0,8}?(?:部门|单位|机构))?$")
_DEPARTMENT_ROLES = ("lead", "responsible", "co")
_LABELS = {"lead": "牵头单位", "co": "配合单位", "responsible": "责任单位"}


@dataclass
class TableTask:
    """One task row: the spans of each column's cells (more than one when the row was split
    by a page break), the section headings above it inside the table, its departments."""

    spans: dict[str, list[tuple[int, int]]]
    section: list[str]
    blocks: list[Block]
    reading: Reading | None = None
    assignment_text: str = ""

    def text(self, doc: Document, role: str) -> str:
        return "".join(doc.text[s:e].strip() for s, e in self.spans.get(role, []))


@dataclass
class _Table:
    columns: dict[int, str]
    header: list[str]
    tasks: list[TableTask] = field(default_factory=list)


def column_roles(cells: list[str], resources: Resources) -> dict[int, str]:
    """Column index → role (index, task, lead, co, responsible, deadline) of a header row."""
    vocabulary: dict[str, list[str]] = resources.cues.raw["table_columns"]
    roles: dict[int, str] = {}
    for i, cell in enumerate(cells):
        name = _SPACE.sub("", cell)
        if not name or len(name) > 12:
            continue
        best, best_len = "", 0
        for role, words in vocabulary.items():
            for word in words:
                if (name == word or (len(word) >= 2 and word in name)) and len(word) > best_len:
                    best, best_len = role, len(word)
        if best and best not in roles.values():
            roles[i] = best
    return roles


def task_tables(doc: Document, resources: Resources) -> tuple[list[TableTask], list[Block]]:
    """The task rows of every table of ``doc`` whose header names a task column and a
    department column, in text order, and all rows of those tables (header and section
    rows included)."""
    by_table: dict[int, list[Block]] = {}
    for block in doc.blocks:
        if block.role == "table_row" and block.table is not None:
            by_table.setdefault(block.table, []).append(block)
    tasks: list[TableTask] = []
    read: list[Block] = []
    for blocks in by_table.values():
        rows = _read_table(doc, blocks, resources)
        if rows:
            tasks += rows
            read += blocks
    return tasks, read


def _cells(doc: Document, block: Block) -> list[str]:
    return [doc.text[s:e] for s, e in block.cells or []]


def _header(doc: Document, blocks: list[Block], resources: Resources) -> tuple[int, _Table] | None:
    for i, block in enumerate(blocks[:5]):
        roles = column_roles(_cells(doc, block), resources)
        found = set(roles.values())
        if "task" in found and found & set(_DEPARTMENT_ROLES):
            return i, _Table(columns=roles, header=[_SPACE.sub("", c) for c in _cells(doc, block)])
    return None


def _read_table(doc: Document, blocks: list[Block], resources: Resources) -> list[TableTask]:
    found = _header(doc, blocks, resources)
    if found is None:
        return []
    header_at, table = found
    section: list[str] = []
    for block in blocks[header_at + 1:]:
        texts = _cells(doc, block)
        if [_SPACE.sub("", c) for c in texts] == table.header:
            continue  # the header repeated at the top of a page
        values = [t.strip() for t in texts if t.strip()]
        # a heading row: one text across the row (a merged cell) or alone with an outline marker
        if values and len(set(values)) == 1 and (len(values) > 1 or outline_marker(values[0])):
            section = _section(section, values[0])
            continue
        spans = {role: [block.cells[i]] for i, role in table.columns.items() if block.cells and i < len(block.cells)
                 and doc.text[block.cells[i][0]:block.cells[i][1]].strip()}
        numbered = "index" in table.columns.values()
        if table.tasks and numbered and "index" not in spans:
            previous = table.tasks[-1]  # the rest of a row a page break split
            previous.blocks.append(block)
            for role, more in spans.items():
                previous.spans.setdefault(role, []).extend(more)
            continue
        if "task" not in spans:
            continue
        table.tasks.append(TableTask(spans=spans, section=list(section), blocks=[block]))
    previous_reading: Reading | None = None
    for task in table.tasks:
        task.reading, task.assignment_text = _departments(doc, task, resources)
        if task.reading is None:
            task.reading = previous_reading  # a department cell merged down from the row above
        previous_reading = task.reading
    return table.tasks


def _section(section: list[str], label: str) -> list[str]:
    marker = outline_marker(label)
    if marker is None or not section or (outline_marker(section[0]) or (99, ""))[0] >= marker[0]:
        return [label]
    return [section[0], label]


def _departments(doc: Document, task: TableTask, resources: Resources) -> tuple[Reading | None, str]:
    """The departments of a row from its lead, responsible and co-operating columns, and the
    text they were read from (牵头单位：A；配合单位：B)."""
    combined = Reading()
    printed: list[str] = []
    has_lead = "lead" in task.spans
    for role in _DEPARTMENT_ROLES:
        text = task.text(doc, role)
        reading = read_departments(text, resources)
        if reading is None:
            continue
        as_role = "co" if role == "co" or (role == "responsible" and has_lead) else ("lead" if role == "lead" else "neutral")
        combined.bodies += [(name, as_role if as_role != "lead" or i == 0 else "co")
                            for i, (name, _) in enumerate(reading.bodies)]
        combined.open_ended = combined.open_ended or reading.open_ended
        printed.append(f"{_LABELS[role]}：{text}")
    return (combined if combined.bodies else None), "；".join(printed)


def read_departments(text: str, resources: Resources) -> Reading | None:
    """A department cell: read as assignment markup, or, since its column says it names
    departments, split leniently on separators."""
    if not text:
        return None
    reading = read_markup(text, resources)
    if reading is not None:
        return reading
    names = [n for n in _SPLIT.split(text) if n]
    open_ended = bool(names) and bool(_ETC_TAIL.search(names[-1]))
    if open_ended:
        names[-1] = _ETC_TAIL.sub("", names[-1])
    names = [resources.cues.role_suffix.sub("", n) for n in names]
    names = [n for n in names if n and len(n) <= 30 and (is_body_name(n, resources) or not re.search(r"[，。；]", n))]
    if not names:
        return None
    return Reading(bodies=[(n, "neutral") for n in names], open_ended=open_ended)
