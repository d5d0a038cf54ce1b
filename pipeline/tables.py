"""Task-division tables (任务分工表): one reader for every format that carries tables.

Every loader (HTML, Markdown, DOCX, PDF) hands a table over as ``table_row`` blocks with one
span per cell, merged cells repeated, rows of one table sharing ``Block.table`` across pages.
A table's columns get their roles in two steps. The header guesses, by the head noun of each
label and its modifier (``cues.json: assignment_labels`` for labels of bodies and time limits,
worded as in assignment markup; ``tables.json`` for the rest): …单位/…部门/…处室 names bodies (牵头… leads, 配合…
co-operates, 责任…/承担…/指导… is responsible, first listed leads), …任务/…措施/…名称/…做法 holds
the task, …时限/…时间 the deadline, 序号 the row number. Then the cells decide: a department
column must hold lists of body names, the task is the candidate with the longest text (a
shorter candidate, such as a project's name beside what it does, becomes the task's title),
and where the header names no department or task column, the column of name lists and the
column of running text are found by their cells alone — with or without a header row.
A table whose "department" column holds no names (units of measure, people, addresses) or
that has no text to do is not a task table, and its rows stay ordinary text.

Each data row becomes a task with the departments and deadline of its columns. A row without
a 序号 of its own, where the table numbers its rows, is the rest of the row above that a page
break split; an empty department cell was merged down from the row above; a row whose cells
all say one thing (二、重点任务) is a section heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.assignments import OPEN_ENDED, Reading, is_body_name, is_person, read_markup, split_at_wraps
from pipeline.grammar import OUTSIDE_ROUND_BRACKETS
from pipeline.model import Block, Document
from pipeline.numerals import to_int
from pipeline.resources import Cues, Resources
from pipeline.structure import block_index_at, outline_marker

_SPACE = re.compile(r"[\s\u3000]+")
_SPLIT = re.compile(rf"[、，,；;/／\s]+{OUTSIDE_ROUND_BRACKETS}")
# a note in a header label (牵头单位（部门）, 完成时限（年）) does not change what the column holds
_HEADER_NOTE = re.compile(r"[（(][^（）()]*[）)]|[.:：。*＊]")
_CLAUSE_PUNCTUATION = re.compile(r"[，。；：！？,;:!?]")
_ROW_NUMBER = re.compile(r"\d{1,4}[.、．]?")
_ROW_NUMBER_DIGITS = re.compile(r"[^0-9０-９]")  # what is not a digit of a row's 序号
_NUMBER_AND_GAP = re.compile(r"([0-9０-９]{1,3})([^0-9０-９]*)")
_LONGEST_ROW_RANGE = 200
_NOTE_LINES_BELOW = 4  # a table's notes follow it at once (a source line may stand before them)
_NOTE_SENTENCE = re.compile(rf"[；;。]{OUTSIDE_ROUND_BRACKETS}")
_DEPARTMENT_ROLES = ("lead", "responsible", "co")
_LABELS = {"lead": "牵头单位", "co": "配合单位", "responsible": "责任单位"}
_MAX_LABEL = 12  # a header label is a short noun phrase
_HEADER_ROWS = 5  # a title or a note may stand above the header
_SAMPLE_ROWS = 60  # rows whose cells decide the columns: a table's habit shows early, a huge table costs no more
_LONGEST_NAME_LIST = 300  # a cell longer than this is read as text, not as a list of bodies
_RUNNING_TEXT = 20  # a cell this long reads as running text even without punctuation
_TASK_TEXT = 12  # mean length of a column of short task phrases (开展认证数据质量评估)
_HAN_CHARACTER = re.compile(r"[\u4e00-\u9fff]")
_NAMED_COLUMN_SHARE = 1 / 3  # a column its header calls departments: the cells need only not contradict it
_FOUND_COLUMN_SHARE = 0.6  # a column found by its cells alone: most of them are name lists


@dataclass
class TableTask:
    """One task row: the spans of each column's cells (more than one when the row was split
    by a page break), the section headings above it inside the table, its departments.
    ``spans["title"]``, when present, is a short name the table gives the task beside its text."""

    spans: dict[str, list[tuple[int, int]]]
    section: list[str]
    blocks: list[Block]
    reading: Reading | None = None
    assignment_text: str = ""
    #: the note number a department cell that says only 见表注 / 见注2 points to ("" for none)
    note: str | None = None

    def text(self, doc: Document, role: str) -> str:
        return self.text_and_wraps(doc, role)[0]

    def text_and_wraps(self, doc: Document, role: str) -> tuple[str, list[int]]:
        """`text`, and where in it a PDF cell's lines wrapped (see `Block.wraps`) or a page
        break split the cell."""
        wraps = sorted(w for block in self.blocks for w in block.wraps or ())
        pieces: list[str] = []
        found: list[int] = []
        length = 0
        for s, e in self.spans.get(role, []):
            raw = doc.text[s:e]
            first = s + len(raw) - len(raw.lstrip())
            piece = raw.strip()
            if pieces and piece:
                found.append(length)  # a cell a page break split goes on like a wrapped line
            found += [length + w - first for w in wraps if first < w < first + len(piece)]
            pieces.append(piece)
            length += len(piece)
        return "".join(pieces), found


@dataclass
class _Table:
    columns: dict[int, str]
    header: list[str]
    tasks: list[TableTask] = field(default_factory=list)


@dataclass(frozen=True)
class _HeaderWords:
    """How header labels are worded. Labels that name bodies or a time limit are worded as
    assignment labels are (``cues.json: assignment_labels``: heads 单位/部门/处室…, modifiers
    牵头/配合/责任…, time-limit heads), so they are read with the same vocabulary; the words
    only tables use (序号, the heads of task columns) are in ``tables.json``."""

    cues: Cues
    index_words: frozenset[str]
    index_heads: tuple[str, ...]
    department_heads: tuple[str, ...]
    name_tails: tuple[str, ...]
    only_modifiers: re.Pattern[str]
    task_heads: tuple[str, ...]
    conjunctions: re.Pattern[str]
    known: dict[str, str | None] = field(default_factory=dict, compare=False)  # label → role, read once

    @classmethod
    def of(cls, resources: Resources) -> _HeaderWords:
        table: dict[str, Any] = resources.cues.raw["table_columns"]
        labels: dict[str, Any] = resources.cues.raw["assignment_labels"]
        modifiers = sorted((w for ws in labels["modifiers"].values() for w in ws), key=len, reverse=True)
        return cls(cues=resources.cues, index_words=frozenset(w.casefold() for w in table["index"]["words"]),
                   index_heads=tuple(table["index"]["heads"]), department_heads=tuple(labels["heads"]),
                   name_tails=tuple(table["department"]["name_tails"]),
                   only_modifiers=re.compile("(?:" + "|".join(map(re.escape, modifiers)) + ")+"),
                   task_heads=tuple(table["task"]["heads"]),
                   conjunctions=re.compile("|".join(map(re.escape, table["conjunctions"]))))

    def role(self, cell: str) -> str | None:
        """The role a header label names (index, deadline, lead, co, responsible, task), or
        None; a label of two joined nouns (责任单位及责任人) by the first that names one."""
        label = _HEADER_NOTE.sub("", _SPACE.sub("", cell))
        if not label or len(label) > _MAX_LABEL:
            return None
        if label not in self.known:
            self.known[label] = None if outline_marker(label) else self._read(label)  # 二、重点工作 is a section
        return self.known[label]

    def _read(self, label: str) -> str | None:
        found = self._role(label)
        if found is None:
            found = next((r for part in self.conjunctions.split(label) if part and (r := self._role(part))), None)
        return found

    def _role(self, label: str) -> str | None:
        if label.casefold() in self.index_words or label.endswith(self.index_heads):
            return "index"
        # 单位名称: the names of bodies
        bodies = next((label[:-len(t)] for t in self.name_tails if label.endswith(t) and len(label) > len(t)), label)
        if bodies.endswith(self.department_heads) or self.only_modifiers.fullmatch(bodies):
            return self.cues.label_role(bodies)  # the modifier says lead / co / responsible
        # 责任学校, 配合街道, 牵头医院: a role modifier before the head of a kind of body
        modifier = self.only_modifiers.match(bodies)
        if modifier and 1 <= len(bodies) - modifier.end() <= 4 and self.cues.org_suffix.search(bodies[modifier.end():]):
            return self.cues.label_role(bodies)
        if self.cues.label_role(label) == "deadline":
            return "deadline"
        return "task" if label.endswith(self.task_heads) else None


def column_roles(cells: list[str], resources: Resources) -> dict[int, str]:
    """Column index → the role its header label names (index, task, lead, co, responsible,
    deadline), by head noun and modifier. Several columns may name one role (two task
    candidates): the cells decide between them (see the module docstring)."""
    return _named_roles(_HeaderWords.of(resources), cells)


def _named_roles(words: _HeaderWords, cells: list[str]) -> dict[int, str]:
    return {i: role for i, cell in enumerate(cells) if (role := words.role(cell))}


class _CellReader:
    """What a cell holds: a list of body names, running text. Each distinct text is read once."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources
        self._names: dict[str, bool] = {}

    def names(self, text: str) -> bool:
        """Do most items of ``text`` read as names of bodies (市财政局、澄阳市水务局等)?"""
        if len(text) > _LONGEST_NAME_LIST:
            return False  # running text, whatever names it mentions
        known = self._names.get(text)
        if known is None:
            reading = read_markup(text, self._resources)
            bodies = [surface for surface, _ in reading.bodies] if reading else []
            named = sum(is_body_name(surface, self._resources) for surface in bodies)
            known = self._names[text] = bool(bodies) and 2 * named >= len(bodies)
        return known

    @staticmethod
    def running_text(text: str) -> bool:
        """A clause or sentence rather than a label, a number or a name."""
        return len(text) >= _RUNNING_TEXT or (len(text) >= 8 and bool(_CLAUSE_PUNCTUATION.search(text)))


@dataclass
class _Column:
    """What the data cells of one column hold."""

    filled: int = 0
    names: int = 0
    running_text: int = 0
    numbers: int = 0
    characters: int = 0
    #: cells that hold words (two Chinese characters or more), not only figures
    worded: int = 0

    def share(self, count: int) -> float:
        return count / self.filled if self.filled else 0.0

    @property
    def mean_length(self) -> float:
        return self.characters / self.filled if self.filled else 0.0


def _section_label(values: list[str]) -> str | None:
    """The heading of a section row: one text across the row (a merged cell) or alone with an
    outline marker (二、重点任务)."""
    if values and len(set(values)) == 1 and (len(values) > 1 or outline_marker(values[0])):
        return values[0]
    return None


def _is_header_row(words: _HeaderWords, texts: list[str], above: list[str] | None = None) -> bool:
    """Every filled cell is a header label (a header repeated at the top of a page, a
    second header row under a merged 责任单位); under a header row, a cell that repeats the
    one above it is that header's cell spanning both rows (序号, 备注)."""
    values = [t.strip() for i, t in enumerate(texts)
              if t.strip() and not (above is not None and i < len(above) and t.strip() == above[i].strip())]
    return len(set(values)) >= 2 and all(words.role(t) for t in values)


def _statistics(rows: list[list[str]], width: int, words: _HeaderWords, reader: _CellReader) -> list[_Column]:
    """What the data cells of each column hold, over the first rows that are neither a
    section heading nor a header again."""
    columns = [_Column() for _ in range(width)]
    sampled = 0
    for texts in rows:
        values = [t.strip() for t in texts if t.strip()]
        if not values or _section_label(values) or _is_header_row(words, texts):
            continue
        sampled += 1
        if sampled > _SAMPLE_ROWS:
            break
        for i, text in enumerate(t.strip() for t in texts[:width]):
            if not text:
                continue
            column = columns[i]
            column.filled += 1
            column.characters += len(text)
            column.numbers += bool(_ROW_NUMBER.fullmatch(text))
            column.worded += len(_HAN_CHARACTER.findall(text)) >= 2
            column.running_text += reader.running_text(text)
            column.names += reader.names(text)
    return columns


def _decide(named: dict[int, str], columns: list[_Column]) -> dict[int, str] | None:
    """The roles of a table's columns from its header's guesses (``named``) and its cells;
    None when it has no department column or no task column."""
    roles: dict[int, str] = {}
    for role in ("index", "deadline"):
        first = next((i for i, r in named.items() if r == role), None)
        if first is not None:
            roles[first] = role
    if "index" not in roles.values() and 0 not in named and columns and columns[0].filled \
            and columns[0].numbers == columns[0].filled:
        roles[0] = "index"  # a first column of row numbers under no label
    named_departments = [i for i, r in named.items() if r in _DEPARTMENT_ROLES]
    for i in named_departments:
        # the header says bodies; only cells that hold something else overrule it
        if columns[i].filled and columns[i].share(columns[i].names) < _NAMED_COLUMN_SHARE:
            continue
        role = named[i]
        if role == "responsible" and role in roles.values():
            role = "co"  # 责任科室 | 责任学校: the bodies of a later column are listed after the first's
        if role not in roles.values():
            roles[i] = role
    if not named_departments:
        found = _name_list_column([i for i in range(len(columns)) if i not in named], columns)
        if found is not None:
            roles[found] = "responsible"  # no role word: the first listed leads
    if not set(roles.values()) & set(_DEPARTMENT_ROLES):
        return None
    task = _task_columns([i for i, r in named.items() if r == "task"],
                         [i for i in range(len(columns)) if i not in named and i not in roles], columns)
    if not task:
        return None
    roles.update(task)
    return roles


def _name_list_column(free: list[int], columns: list[_Column]) -> int | None:
    """The column whose cells are mostly lists of body names, when no label says which."""
    found = [i for i in free if columns[i].filled >= 2 and columns[i].share(columns[i].names) >= _FOUND_COLUMN_SHARE]
    return max(found, key=lambda i: (columns[i].share(columns[i].names), -i)) if found else None


def _task_columns(candidates: list[int], free: list[int], columns: list[_Column]) -> dict[int, str]:
    """The task column: of the columns the header offers, the one with the longest text; with
    none offered, the column of running text. A shorter candidate (a name beside the text)
    becomes the title; one as long as the text is more of the text."""
    # a column of figures (160018002000) is no task, whatever its header says
    candidates = [i for i in candidates if columns[i].share(columns[i].worded) >= 0.5]
    if not candidates:
        # the column of running text, or of the longest worded cells (对无法认证的人员开展现场核查)
        prose = [i for i in free if columns[i].filled and columns[i].share(columns[i].names) < 0.5
                 and (columns[i].share(columns[i].running_text) >= 0.5
                      or (columns[i].share(columns[i].worded) >= 0.8 and columns[i].mean_length >= _TASK_TEXT))]
        return {max(prose, key=lambda i: (columns[i].mean_length, -i)): "task"} if prose else {}
    task = max(candidates, key=lambda i: (columns[i].mean_length, -i))
    roles = {task: "task"}
    for i in candidates:
        if i == task or not columns[i].filled:
            continue
        if 2 * columns[i].mean_length > columns[task].mean_length:
            roles[i] = "task"
        elif "title" not in roles.values():
            roles[i] = "title"
    return dict(sorted(roles.items()))


def task_tables(doc: Document, resources: Resources) -> tuple[list[TableTask], list[Block]]:
    """The task rows of every table of ``doc`` that has a task column and a department
    column, in text order, and all rows of those tables (header and section rows included)."""
    by_table: dict[int, list[Block]] = {}
    for block in doc.blocks:
        if block.role == "table_row" and block.table is not None:
            by_table.setdefault(block.table, []).append(block)
    tasks: list[TableTask] = []
    read: list[Block] = []
    if not by_table:
        return tasks, read
    words = _HeaderWords.of(resources)
    reader = _CellReader(resources)
    for blocks in by_table.values():
        rows = _read_table(doc, blocks, words, reader, resources)
        if rows:
            tasks += rows
            read += blocks
            if any(row.note is not None for row in rows):
                read += _assign_from_notes(doc, blocks[-1], rows, resources)
    return tasks, read


def _cells(doc: Document, block: Block) -> list[str]:
    return [doc.text[s:e] for s, e in block.cells or []]


def _header(rows: list[list[str]], words: _HeaderWords, reader: _CellReader) -> tuple[int, _Table] | None:
    """Where the data starts (after the header row; 0 for a table without one) and the roles
    of the columns."""
    width = max((len(r) for r in rows), default=0)
    labelled = False
    for at, cells in enumerate(rows[:_HEADER_ROWS]):
        named = _named_roles(words, cells)
        if not named:
            continue
        labelled = True
        if at + 1 < len(rows) and _is_header_row(words, rows[at + 1], rows[at]):
            at += 1  # a second header row (牵头 | 配合 under a merged 责任单位) says more
            named = {**named, **_named_roles(words, rows[at])}
        roles = _decide(named, _statistics(rows[at + 1:], width, words, reader))
        if roles:
            return at + 1, _Table(columns=roles, header=[_SPACE.sub("", c) for c in rows[at]])
    if labelled or len(rows) < 2:
        return None
    # no header words at all: the cells alone; the first row is a header unless it reads as data
    roles = _decide({}, _statistics(rows[1:] if len(rows) > 2 else rows, width, words, reader))
    if not roles:
        return None
    first = {role: rows[0][i].strip() for i, role in roles.items() if i < len(rows[0])}
    is_data = reader.names(first.get("responsible", "")) and reader.running_text(first.get("task", ""))
    return (0, _Table(columns=roles, header=[])) if is_data else \
        (1, _Table(columns=roles, header=[_SPACE.sub("", c) for c in rows[0]]))


def _read_table(doc: Document, blocks: list[Block], words: _HeaderWords, reader: _CellReader,
                resources: Resources) -> list[TableTask]:
    rows = [_cells(doc, block) for block in blocks]
    found = _header(rows, words, reader)
    if found is None:
        return []
    data_at, table = found
    section: list[str] = []
    numbered = "index" in table.columns.values()
    for block, texts in zip(blocks[data_at:], rows[data_at:], strict=True):
        if [_SPACE.sub("", c) for c in texts] == table.header or _is_header_row(words, texts):
            continue  # the header repeated at the top of a page
        heading = _section_label([t.strip() for t in texts if t.strip()])
        if heading:
            section = _section(section, heading)
            continue
        spans: dict[str, list[tuple[int, int]]] = {}
        for i, role in table.columns.items():
            if i < len(texts) and texts[i].strip() and block.cells:
                spans.setdefault(role, []).append(block.cells[i])
        if table.tasks and numbered and "index" not in spans \
                and _split_by_the_page(doc, table.tasks[-1], block, spans, reader):
            previous = table.tasks[-1]  # the rest of a row a page break split
            previous.blocks.append(block)
            for role, more in spans.items():
                previous.spans.setdefault(role, []).extend(more)
            continue
        if "task" not in spans:
            continue
        table.tasks.append(TableTask(spans=spans, section=list(section), blocks=[block]))
    previous_reading: Reading | None = None
    leading: dict[str, str] = {}  # the lead or responsible column's text in the row above
    for task in table.tasks:
        task.note = _note_pointer(doc, task, resources)
        if task.note is not None:
            continue  # its departments stand in a note under the table
        # a lead cell merged down over rows (a PDF prints its text once, on the first page it
        # spans) is empty below while the row still names who co-operates
        inherited: dict[str, str] = {role: leading[role] for role in ("lead", "responsible")
                     if role in leading and not task.text(doc, role) and task.text(doc, "co")}
        task.reading, task.assignment_text = _departments(doc, task, resources, inherited)
        if task.reading is None and not any(task.text(doc, role) for role in _DEPARTMENT_ROLES):
            task.reading = previous_reading  # a department cell merged down from the row above
        previous_reading = task.reading
        leading.update({role: inherited.get(role) or task.text(doc, role) for role in ("lead", "responsible")
                        if inherited.get(role) or task.text(doc, role)})
    return table.tasks
def _split_by_the_page(doc: Document, previous: TableTask, block: Block, spans: dict[str, list[tuple[int, int]]],
                       reader: _CellReader) -> bool:
    """Is a row without its number the rest of the row above, which a page break split? In a
    PDF only the first row of a page can be; and no row that fills every column of a task the
    row above filled is (a row of its own under a number merged down over rows and pages) —
    unless a department cell reads as names only joined to the cell above it (工程管理 / 科)."""
    if block.page is not None and block.page == previous.blocks[-1].page:
        return False
    filled = set(previous.spans) & {"task", "lead", "responsible", "co", "deadline"}
    if not (filled and filled <= set(spans)):
        return True
    for role in set(filled) & set(_DEPARTMENT_ROLES):
        below = "".join(doc.text[s:e] for s, e in spans[role]).strip()
        if not reader.names(below) and reader.names(previous.text(doc, role) + below):
            return True
    return False


def _note_pointer(doc: Document, task: TableTask, resources: Resources) -> str | None:
    """The number of the note the row's department cell points to (见表注 → "", 见注2 → "2"),
    or None when the cell names departments itself."""
    texts = [t for role in _DEPARTMENT_ROLES if (t := task.text(doc, role))]
    if len(texts) != 1:
        return None
    pointer = resources.cues.table_note_pointer.match(_SPACE.sub("", texts[0]))
    return str(to_int(pointer.group("n")) or "") if pointer else None


def _assign_from_notes(doc: Document, last_row: Block, rows: list[TableTask], resources: Resources) -> list[Block]:
    """Give the rows that point to a note (见表注) the departments the note under the table
    states (表注：第9项、第10项责任单位为A（牵头）、B); the note lines read."""
    cues = resources.cues
    numbers = {id(row): to_int(_ROW_NUMBER_DIGITS.sub("", row.text(doc, "index"))) for row in rows}
    used: list[Block] = []
    index = block_index_at(doc, last_row.start) + 1
    for block in doc.blocks[index:index + _NOTE_LINES_BELOW]:
        if block.role == "furniture":
            continue
        line = doc.block_text(block)
        label = cues.table_note_line.match(line)
        if block.role != "body" or label is None:
            break
        note = str(to_int(label.group("n")) or "")
        assigned = False
        for sentence in _NOTE_SENTENCE.split(line[label.end():]):
            stated = cues.table_note_rows.match(sentence)
            value = (sentence[stated.end():] if stated else sentence).strip(" \u3000。；;")
            reading = read_departments(value, resources)
            if reading is None:
                continue
            wanted = _row_numbers(stated.group("rows"), resources) if stated else None
            for row in rows:
                if row.note is None or (wanted is None and row.note not in ("", note)) \
                        or (wanted is not None and numbers[id(row)] not in wanted):
                    continue
                row.reading, row.assignment_text = reading, value
                assigned = True
        if assigned:
            used.append(block)
    return used


def _row_numbers(rows: str, resources: Resources) -> set[int]:
    """第9项、第10项 → {9, 10}; 序号4至6 → {4, 5, 6}."""
    marks = tuple(resources.cues.raw["table_columns"]["notes"]["range_marks"])
    found: set[int] = set()
    previous: int | None = None
    ranging = False  # the gap after the previous number held a range mark (至, －)
    for digits, gap in _NUMBER_AND_GAP.findall(rows):
        number = to_int(digits) or 0
        if ranging and previous is not None and previous < number <= previous + _LONGEST_ROW_RANGE:
            found.update(range(previous, number))
        found.add(number)
        previous, ranging = number, any(mark in gap for mark in marks)
    return found


def _section(section: list[str], label: str) -> list[str]:
    marker = outline_marker(label)
    if marker is None or not section or (outline_marker(section[0]) or (99, ""))[0] >= marker[0]:
        return [label]
    return [section[0], label]


def _departments(doc: Document, task: TableTask, resources: Resources,
                 inherited: dict[str, str] | None = None) -> tuple[Reading | None, str]:
    """The departments of a row from its lead, responsible and co-operating columns (or the
    ``inherited`` text of a cell merged down from above), and the text they were read from
    (牵头单位：A；配合单位：B)."""
    combined = Reading()
    printed: list[str] = []
    has_lead = "lead" in task.spans or "lead" in (inherited or {})
    for role in _DEPARTMENT_ROLES:
        text, wraps = task.text_and_wraps(doc, role)
        if not text and inherited and role in inherited:
            text, wraps = inherited[role], []
        reading = read_departments(split_at_wraps(text, wraps, resources) if wraps else text, resources)
        if reading is None:
            continue
        as_role = "co" if role == "co" or (role == "responsible" and has_lead) else ("lead" if role == "lead" else "neutral")
        if as_role == "neutral" and any(r == "lead" for _, r in reading.bodies):
            combined.bodies += reading.bodies  # 市民政局、市卫健委（牵头）: the cell marks its lead
        else:
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
    open_ended = bool(names) and bool(OPEN_ENDED.search(names[-1]))
    if open_ended:
        names[-1] = OPEN_ENDED.sub("", names[-1])
    names = [resources.cues.role_suffix.sub("", n) for n in names]
    # a dash or a blank placeholder (—, /, 无) names nobody
    names = [n for n in names if n and len(n) <= 30 and re.search(r"[\u4e00-\u9fff]", n) and n not in ("无", "暂无")
             and (is_body_name(n, resources) or not re.search(r"[，。；]", n)) and not is_person(n, resources)]
    if not names:
        return None
    return Reading(bodies=[(n, "neutral") for n in names], open_ended=open_ended)
