"""Extract: task records from a structured, segmented `Document`.

Requires `structure.analyse` and `segment.segment` to have run. A task is the text that an
assignment closes: from the previous assignment, or the start of its paragraph group
within its outline section, up to the markup. A heading that carries the assignment covers
the items under it. Body text outside every task still becomes records (with no
department) so that no obligation or deadline is lost.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, replace

from pipeline.assignments import (
    STRONG_KINDS,
    Reading,
    bodies_colon_bodies,
    build_assignment,
    find_brackets,
    is_alias,
    is_contact,
    is_field_label,
    leads_by_emphasis,
    name_kind,
    names_taught_by,
    read_markup,
)
from pipeline.deadlines import event_point, may_hold_a_deadline, ongoing_deadline
from pipeline.grammar import (
    ATTRIBUTION_DASH,
    CLOSING_BRACKETS,
    DASH_CHARS,
    LINE_SYMBOLS,
    LIST_BEFORE_COLON,
    OPENING_BRACKETS,
    SENTENCE_CLOSE,
    SENTENCE_ENDS,
)
from pipeline.model import Assignment, Block, Deadline, Document, Obligation, TaskRecord
from pipeline.numerals import to_int
from pipeline.obligations import ModalityReader, read_obligations
from pipeline.resources import Resources
from pipeline.segment import deadlines_within, department_spans, find_deadlines, references_within
from pipeline.structure import (
    block_index_at,
    outline_marker,
    previous_content,
    section_path,
    states_a_duty,
    strip_marker,
)
from pipeline.tables import task_tables

_BEFORE_OK = "。；;！？：:"
_CLAUSE_PUNCTUATION = re.compile(r"[。，；;,]")
_SHORT_CLAUSE = re.compile(r"[^，。；！？\n]{1,40}")
#: the words of a numbered heading, then a space before what is glued to it
_HEADING_GAP = re.compile(r"[^，。；！？：:\s]{2,30}[ \u3000]+")
_LEADING_PUNCT = "，,。；;、 \u3000"
_FULL_STOP = re.compile("[。！？]")
_PHONE_BEFORE = re.compile(r"电话[：:]?[ \u3000]*[0-9０-９][0-9０-９－\-—– \u3000]{4,}$")
_LONGEST_TIME_VALUE = 40  # a time field says when in a few words
_LONGEST_BODY_LINE = 120  # a line of bodies parted by a colon names a few of them
#: names parted by 、 and nothing else, as a line of its own
_BARE_LIST = re.compile(r"[\u4e00-\u9fff（）()]{2,30}(?:、[\u4e00-\u9fff（）()]{2,30}){1,8}")
_TIME_PHRASE = re.compile(r"(?:到|在|于|从|自|力争|争取)?[0-9〇一二三四五六七八九十]{2,4}年[^，。；]{0,8}")


@dataclass
class _Markup:
    block: int
    start: int
    end: int
    reading: Reading
    whole_line: bool  # label lines: the markup is its own paragraph(s)
    #: the markup stands right after the outline marker, before the text it assigns:
    #: （一）【A牵头，B配合】加强…
    prefix: bool = False
    #: where the task ends when the markup sits inside its item (label lines between a
    #: problem and its measures); None: the task ends where the markup starts
    task_end: int | None = None
    #: a time label alone (完成时限：12月底前) under an item: it dates the item, names nobody
    time_only: bool = False


def extract(doc: Document, resources: Resources) -> list[TaskRecord]:
    """All task records of ``doc``, in text order."""
    # only what the document prints teaches names: a repost's container names its outlet
    printed = [name for field in ("issuer", "addressees") if doc.header.source_of(field) != "container"
               for name in getattr(doc.header, field)]
    with names_taught_by(doc.text, printed, resources):
        return _extract(doc, resources)


def _extract(doc: Document, resources: Resources) -> list[TaskRecord]:
    markups, numbered = _find_markups(doc, resources)
    # a news report or other text that is no official document narrates: its unmarked
    # clauses are statements, not duties
    official = bool(doc.header.doc_number or doc.header.addressees or markups
                    or any(b.role == "signature" for b in doc.blocks))
    first_is_lead = any(m.reading.states_first_is_lead for m in markups) or bool(
        resources.cues.first_is_lead.search(doc.text))
    bold_leads = _bold_leads(doc, resources)
    tasks: list[TaskRecord] = []
    covered: list[tuple[int, int]] = []
    previous_end = -1
    marked = sorted({m.block for m in markups})  # blocks that carry markup, for bisection
    marked_set = set(marked)
    groups = {m.block for m in markups if m.reading.covers_above}
    labels_first = bool(resources.cues.labels_above.search(doc.text)) and _labels_stand_before_their_items(doc, markups)
    # (start, end, assignment) of the sections a heading's markup covers
    scopes: list[tuple[int, int, Assignment]] = []
    for markup in markups:
        stated = _markup_deadlines(doc, markup, resources)
        deadline, also_stated = (stated[0], stated[1:]) if stated else (None, [])
        if markup.time_only:
            start = _task_start(doc, markup, previous_end)
            if start < markup.start and stated:
                previous_end = markup.end
                covered.append((start, markup.end))
                (dated,) = _with_deadlines([_task(doc, start, markup.start, None, resources, 0.6)], stated)
                dated.due = deadline
                tasks.append(dated)
            continue
        reading = markup.reading
        if bold_leads:
            reading = leads_by_emphasis(reading, doc.text[markup.start:markup.end], markup.start, doc.emphasis)
        covering = next((a for start, end, a in reversed(scopes) if start < markup.start < end), None)
        if covering is not None and reading.bodies and all(role == "co" for _, role in reading.bodies):
            reading = _under_the_heading(reading, covering)
        assignment = build_assignment(reading, doc.text[markup.start:markup.end], markup.start,
                                      markup.end, resources, deadline)
        if reading.covers_above:
            group_tasks = _with_deadlines(_items_above(doc, markup, marked, groups, assignment, resources), also_stated)
            tasks += group_tasks
            covered += [(t.start, t.end) for t in group_tasks] + [(markup.start, markup.end)]
            previous_end = markup.end
            continue
        if markup.prefix:
            item_tasks = _with_deadlines(_prefixed(doc, markup, marked, assignment, resources), also_stated)
            tasks += item_tasks
            heading = doc.blocks[markup.block]
            covered += [(t.start, t.end) for t in item_tasks] + [(heading.start, heading.end)]
            previous_end = heading.end if len(item_tasks) != 1 else item_tasks[0].end
            continue
        if labels_first and markup.whole_line:
            below = _item_below(doc, markup, marked_set)
            if below is not None:  # 责任单位：A / 1．开展…: the labels assign the item below them
                tasks += _with_deadlines([_task(doc, below[0], below[1], assignment, resources, 0.9)], also_stated)
                covered += [(markup.start, below[1])]
                previous_end = below[1]
                continue
        heading_tasks = _with_deadlines(_heading_level(doc, markup, marked, assignment, resources), also_stated)
        if heading_tasks:
            tasks += heading_tasks
            heading = doc.blocks[markup.block]
            scopes.append(_scope(doc, markup, assignment))
            covered += [(t.start, t.end) for t in heading_tasks] + [(heading.start, heading.end),
                                                                     (markup.start, markup.end)]
            # items below with markup of their own start after the heading, not after its tasks
            previous_end = heading.end
            continue
        start = _task_start(doc, markup, previous_end)
        previous_end = markup.end
        covered.append((start, markup.end))
        if start >= markup.start:
            continue
        confidence = 0.95 if (first_is_lead or len(assignment.co) == 0 or _explicit_roles(markup.reading)) else 0.8
        task_end = markup.task_end
        if markup.whole_line:
            task_end = _text_below_labels(doc, markup, marked_set, start) or task_end
        if task_end is not None:
            previous_end = task_end
            covered.append((markup.end, task_end))
        inside = (markup.start, markup.end) if task_end is not None else None  # label lines within the task
        tasks += _with_deadlines([_task(doc, start, task_end or markup.start, assignment, resources, confidence,
                                        markup_within=inside)], also_stated)
    tasks += _items_by_number(doc, numbered, marked_set, covered, resources)
    table_tasks, table_blocks = _table_tasks(doc, resources, bold_leads)
    tasks += table_tasks
    tasks += _unassigned(doc, covered, resources, narrative=not official, skip=table_blocks)
    tasks.sort(key=lambda t: t.start)
    return tasks


def _items_by_number(doc: Document, paragraphs: list[int], marked: set[int], covered: list[tuple[int, int]],
                     resources: Resources) -> list[TaskRecord]:
    """以上第1至3项由A牵头，B配合；第4、5项由C牵头: a paragraph that assigns the numbered items
    above it by their numbers. Each item so named (and not assigned by markup of its own) is a
    task with those departments; the paragraph is their markup, and no task itself (the items'
    spans and the paragraph's are added to ``covered``)."""
    cues = resources.cues
    tasks: list[TaskRecord] = []
    for index in paragraphs:  # found by `_find_markups`
        block = doc.blocks[index]
        line = doc.block_text(block)
        # each part runs from one naming of items to the next (…配合；第4、5项由C牵头): the
        # fields between (责任站所：A；配合单位：B) belong to the part before them
        starts = [m.start() for m in _PART_START.finditer(line)
                  if cues.items_by_number.match(line, m.start())]
        for begin, finish in itertools.pairwise([*starts, len(line)]):
            part, at = line[begin:finish], block.start + begin
            opening = cues.items_by_number.match(part)
            if opening is None:
                continue
            items = _numbered_items_above(doc, index, _item_numbers(opening.group("numbers")), marked)
            reading = read_markup(part[opening.end():].rstrip("；;。 \u3000"), resources) if items else None
            if reading is None or not reading.bodies:
                continue  # no numbered list above, or no bodies named
            assignment = build_assignment(reading, part.strip().rstrip("；;。"), at, at + len(part), resources, None)
            for item in items:
                start, end = doc.blocks[item].start, doc.blocks[item].end
                tasks.append(_task(doc, start, end, assignment, resources, 0.9))
                covered.append((start, end))
            covered.append((at, at + len(part)))
    return tasks


def _names_items_above(doc: Document, index: int, line: str, resources: Resources) -> bool:
    """Does the paragraph open by naming numbered items that stand above it (以上第1至3项…)?"""
    if "项" not in line:
        return False  # most paragraphs name no item by number
    opening = resources.cues.items_by_number.match(line)
    return opening is not None and bool(_numbered_items_above(doc, index, _item_numbers(opening.group("numbers")), set()))


def _item_numbers(text: str) -> list[int]:
    """1至3 → 1, 2, 3; 4、5 → 4, 5; 一至三 → 1, 2, 3."""
    numbers: list[int] = []
    for piece in re.split(r"[、，,和及]", text):
        ends = [to_int(n) for n in re.split(r"[至到—－-]", piece) if n]
        if len(ends) == 1 and ends[0]:
            numbers.append(ends[0])
        elif len(ends) == 2 and ends[0] and ends[1] and 0 < ends[1] - ends[0] < _LONGEST_ITEM_RUN:
            numbers += range(ends[0], ends[1] + 1)
    return numbers


def _numbered_items_above(doc: Document, index: int, numbers: list[int], marked: set[int]) -> list[int]:
    """The blocks of the items numbered ``numbers`` in the list right above block ``index``
    (the nearest item of each number, in its part, below the heading of their section),
    skipping those with markup of their own. Walks the outline (``doc.headings``), not the text."""
    wanted = set(numbers)
    found: dict[int, int] = {}
    block = doc.blocks[index]
    level: int | None = None  # the items' outline level, once one is found
    at = bisect.bisect_left(doc.headings, block.start, key=lambda h: h.start) - 1
    for heading in doc.headings[at::-1] if at >= 0 else []:
        if heading.part != block.part or not wanted - set(found) or len(found) > _LONGEST_ITEM_RUN:
            break
        if level is not None and heading.level < level:
            break  # the heading of the section the list stands in
        number = to_int(re.sub(r"[^0-9０-９一二三四五六七八九十]", "", heading.marker))
        if number in wanted and number not in found:
            found[number] = block_index_at(doc, heading.start)
            level = heading.level if level is None else level
    return sorted(i for i in found.values() if i not in marked)


#: where a part of a paragraph may open: its start, or after a sentence's or a field's end
_PART_START = re.compile(r"(?:^|(?<=[；;。]))[ \u3000]*")
#: items a number range names at most (以上第1至12项)
_LONGEST_ITEM_RUN = 50


def _scope(doc: Document, markup: _Markup, assignment: Assignment) -> tuple[int, int, Assignment]:
    """The stretch of text a heading's markup covers (its section), with the assignment."""
    heading = block_index_at(doc, markup.start) if not markup.whole_line else previous_content(doc, markup.block)
    index = markup.block if heading is None else heading
    found = outline_marker(doc.block_text(doc.blocks[index]))
    end = _section_end(doc, index, found[0]) if found else index + 1
    return doc.blocks[index].start, doc.blocks[end - 1].end, assignment


def _under_the_heading(reading: Reading, covering: Assignment) -> Reading:
    """（一）…（牵头单位：A） / 1．…（B配合）: an item that names only who co-operates keeps the
    lead of the heading above it, and the heading's co-operating bodies too."""
    above = [(covering.lead.surface, "lead")] if covering.lead else []
    above += [(d.surface, "co") for d in covering.co]
    return replace(reading, bodies=above + [b for b in reading.bodies if b[0] not in {s for s, _ in above}])


def _bold_leads(doc: Document, resources: Resources) -> bool:
    """Does the document set bodies in bold and say that the bold one leads?"""
    return bool(doc.emphasis) and resources.cues.emphasis_is_lead.search(doc.text) is not None


def _explicit_roles(reading: Reading) -> bool:
    return any(role == "lead" for _, role in reading.bodies)


def _find_markups(doc: Document, resources: Resources) -> tuple[list[_Markup], list[int]]:
    """The markups of the document, and the paragraphs that assign numbered items above them by
    their numbers (以上第1至3项由…), which `_items_by_number` reads."""
    markups: list[_Markup] = []
    numbered: list[int] = []
    label_run: list[int] = []
    for index, block in enumerate(doc.blocks):
        if block.role not in ("body", "heading"):
            continue
        line = doc.block_text(block)
        if _names_items_above(doc, index, line, resources):
            numbered.append(index)  # 以上1—3项　责任站所：A: read with the items it names
            continue
        kind = _label_line(line, resources)
        # a run of label lines opens with a label of bodies, a time limit or a person, and may
        # go on with other fields of the item (整改措施：…)
        if kind in ("bodies", "person") or (label_run and kind == "other"):
            label_run.append(index)
            continue
        if label_run:
            markups += _label_run_markup(doc, markups, label_run, resources)
            label_run = []
        lenticular = _lenticular_labels(doc, index, line, resources)
        if lenticular is not None:
            markups.append(lenticular)
            line = line[: lenticular.start - block.start]
        run_in = _labels_after_the_marker(doc, index, line, resources)
        if run_in is not None:
            markups.append(run_in)
            continue
        # a dash first: …。——牵头科室：A；配合科室：B is one run of labels, not the last label alone
        inline = _dash_attribution(doc, index, line, resources) or _inline_labels(doc, index, line, resources)
        if inline is not None:
            markups.append(inline)
            line = line[: inline.start - block.start]
        body_first = _bodies_before_a_colon(doc, index, line, resources)
        if body_first is not None:
            markups.append(body_first)
            continue
        marker = outline_marker(line)
        joined: tuple[int, str] | None = None  # (end, content) of the bracket markup just read
        for bracket in find_brackets(line):
            # 【责任部门：A】【配合部门：B、C】: brackets in a row are one markup
            # (the second names a body of its own: not （二十二）, the next item's marker run on)
            if joined is not None and not line[joined[0]:bracket.start].strip(" \u3000") \
                    and _names_a_body(bracket.content, resources):
                reading = read_markup(f"{joined[1]}；{bracket.content}", resources)
                if reading is not None:
                    last = markups.pop()
                    markups.append(replace(last, end=block.start + bracket.end, reading=reading))
                    joined = (bracket.end, f"{joined[1]}；{bracket.content}")
                    continue
            joined = None
            before = line[bracket.start - 1] if bracket.start else ""
            after = line[bracket.end:bracket.end + 1]
            if "\u4e00" <= before <= "\u9fff" and bracket.content in resources.cues.class_heads:
                continue  # 各乡镇（街道）: another kind of unit in the name before it, no markup
            # （一）【A牵头】加强…: markup right after the marker assigns what follows it
            prefix = marker is not None and bracket.start >= len(marker[1]) \
                and not line[len(marker[1]):bracket.start].strip(" \u3000.．、") \
                and bool(line[bracket.end:].strip())
            # 8．帮助就业安置（A为主，B协同），7月中旬举办…: after the item's title words, before the
            # rest of its sentence, a bracket that reads as bodies with their roles assigns the item
            after_title = marker is not None and after in ("，", ",") and bracket.start > len(marker[1]) \
                and not any(ch in line[len(marker[1]):bracket.start] for ch in "，,。；;：:")
            # an assignment closes a sentence or a paragraph; one inside a sentence explains
            if not (prefix or after_title or after in ("", "。", "；", ";") or before in _BEFORE_OK or not before):
                continue
            reading = read_markup(bracket.content, resources)
            if after_title and not prefix and reading is not None:
                if reading.labelled and reading.bodies and not reading.unread:
                    markups.append(_Markup(index, block.start + bracket.start, block.start + bracket.end, reading,
                                           False, prefix=True))
                continue
            if reading is None:
                continue
            if prefix:
                markups.append(_Markup(index, block.start + bracket.start, block.start + bracket.end, reading,
                                       False, prefix=True))
                continue
            # 澄阳市水文中心（澄阳市水资源监测站）: a name's other name, not an assignment;
            # 报送市统计局（综合科）: whom to contact
            if not reading.labelled and marker is None and is_alias(line[: bracket.start], resources) \
                    and not line[bracket.end:].strip("。；; "):
                continue
            if is_contact(line[max(0, bracket.start - 30):bracket.start], reading, resources) \
                    or _PHONE_BEFORE.search(line, max(0, bracket.start - 40), bracket.start):
                continue  # 咨询电话：0711－8862 3071（…处）: whom a number reaches
            # a bracket on a line of its own assigns the paragraphs above it
            alone = bracket.start == 0 and not line[bracket.end:].strip("。；; ")
            markups.append(_Markup(index, block.start + bracket.start, block.start + bracket.end, reading, alone))
            joined = (bracket.end, bracket.content)
    if label_run:
        markups += _label_run_markup(doc, markups, label_run, resources)
    return markups, numbered


def _label_run_markup(doc: Document, markups: list[_Markup], run: list[int], resources: Resources) -> list[_Markup]:
    """The markup of a run of label lines; when labels glued to the end of the item above
    began the run (…机制。牵头处室：A / 参与处室：B / 进度要求：…), the glued labels and the
    lines below are one markup, which replaces the glued one."""
    glued = markups[-1] if markups else None
    above = previous_content(doc, run[0])
    if glued is not None and above is not None and glued.block == above and not glued.whole_line \
            and not glued.prefix and glued.end == doc.blocks[above].end and glued.reading.labelled:
        content = "；".join([doc.text[glued.start:glued.end], *(doc.block_text(doc.blocks[i]) for i in run)])
        reading = read_markup(content, resources)
        if reading is not None:
            markups.pop()
            return [_Markup(glued.block, glued.start, doc.blocks[run[-1]].end, reading, False)]
    return _label_markup(doc, run, resources)


def _label_line(line: str, resources: Resources) -> str | None:
    """What label the paragraph opens with: "bodies" (责任单位：…, 完成时限：…), "person"
    (责任领导：…), "other" (整改措施：…) or None."""
    cues = resources.cues
    line = line.lstrip(LINE_SYMBOLS)
    label = cues.assignment_label.match(line)
    if label is not None:
        if not line[label.end():].strip():
            return None
        return "person" if label.group("person") else "bodies"
    # 保障审核科、政策法规科、相关部门 — a line that is a list of bodies and nothing else
    if _BARE_LIST.fullmatch(line) and (listed := read_markup(line, resources)) is not None and not listed.unread \
            and len(listed.bodies) >= 2 and any(name_kind(name, resources) in ("known", "named", "class")
                                                for name, _ in listed.bodies):
        return "bodies"
    # 文艺辅导部：群众文化活动部、非遗保护部 — a line of bodies parted by a colon
    if len(line) <= _LONGEST_BODY_LINE and LIST_BEFORE_COLON.match(line) \
            and bodies_colon_bodies(line.rstrip("。；; \u3000"), resources) is not None:
        return "bodies"
    return "other" if is_field_label(line) else None


def _lenticular_labels(doc: Document, index: int, line: str, resources: Resources) -> _Markup | None:
    """'…。【牵头部门】A【协同部门】B、C': labels in lenticular brackets without a colon, each
    followed by its value, closing the paragraph."""
    brackets = [b for b in find_brackets(line) if line[b.start] == "【"]
    label = resources.cues.assignment_label
    first = None
    for n, bracket in enumerate(brackets):
        if label.fullmatch(bracket.content + "："):
            first = n
            break
    if first is None:
        return None
    start = brackets[first].start
    before = line[:start].rstrip(" \u3000")
    if before and before[-1] not in SENTENCE_ENDS and outline_marker(line) is None and start:
        return None
    fields: list[str] = []
    cursor = start
    for bracket in brackets[first:]:
        if bracket.start != cursor and fields:
            fields[-1] += line[cursor:bracket.start]
        if not label.fullmatch(bracket.content + "："):
            return None
        fields.append(bracket.content + "：")
        cursor = bracket.end
    fields[-1] += line[cursor:]
    reading = read_markup("；".join(f.strip() for f in fields), resources)
    if reading is None or not reading.labelled:
        return None
    block = doc.blocks[index]
    return _Markup(index, block.start + start, block.end, reading, start == 0)


def _names_a_body(content: str, resources: Resources) -> bool:
    """Does the inside of a bracket read as markup with a body named in it?"""
    reading = read_markup(content, resources)
    return reading is not None and (reading.labelled or any(
        name_kind(name, resources) in STRONG_KINDS for name, _ in reading.bodies))


def _labels_after_the_marker(doc: Document, index: int, line: str, resources: Resources) -> _Markup | None:
    """'1．责任单位：A、B。全面清理…': labels run in right after an item's marker, closed by a
    full stop, before the item's text: they assign the item, as a bracket there does."""
    marker = outline_marker(line)
    if marker is None:
        return None
    at = len(line) - len(line[len(marker[1]):].lstrip(" 　.．、"))
    label = resources.cues.assignment_label.match(line, at)
    if label is None:
        return None
    brackets = [(b.start, b.end) for b in find_brackets(line)]
    # the run's fields are parted by ；, and a full stop closes it
    stop = next((m.start() for m in _FULL_STOP.finditer(line, at)
                 if not any(s < m.start() < e for s, e in brackets)), None)
    if stop is None or not line[stop + 1:].strip():
        return None  # the labels are the whole line: a label line, read as such
    reading = read_markup(line[at:stop], resources)
    if reading is None or not reading.labelled or not reading.bodies:
        return None
    block = doc.blocks[index]
    return _Markup(index, block.start + at, block.start + stop + 1, reading, False, prefix=True)


def _inline_labels(doc: Document, index: int, line: str, resources: Resources) -> _Markup | None:
    """'…任务。牵头单位：A；责任单位：B' : labels closing a paragraph after its last sentence."""
    label = resources.cues.assignment_label
    brackets: list[tuple[int, int]] | None = None
    # a label closes a task only after the end of its last sentence (…完成排查。 责任单位：…),
    # or after the words of a numbered heading and a space (（一）机构核查　牵头单位：…)
    ends = [end.end() for end in SENTENCE_CLOSE.finditer(line)]
    marker = outline_marker(line)
    if marker is not None:
        words = len(line) - len(line[len(marker[1]):].lstrip(" \u3000.．、"))
        gap = _HEADING_GAP.match(line, words)
        if gap is not None:
            ends.insert(0, gap.end())
    for at in ends:
        # glued to the item, 主办：/协办： are labels as inside a bracket (no site's host line)
        match = label.match(line, at) or resources.cues.markup_label.match(line, at)
        if match is None or match.start() >= len(line):
            continue
        if brackets is None:
            brackets = [(b.start, b.end) for b in find_brackets(line)]
        if any(s < match.start() < e for s, e in brackets):
            continue
        reading = read_markup(line[match.start():], resources)
        if reading is None or not reading.labelled:
            continue
        block = doc.blocks[index]
        return _Markup(index, block.start + match.start(), block.end, reading, False)
    return None


def _bodies_before_a_colon(doc: Document, index: int, line: str, resources: Resources) -> _Markup | None:
    """'1．市公安局、市交通运输局：负责交通管制…': a numbered duty that opens with the bodies
    that carry it and a colon (a 分工 list written body first), or an unnumbered one whose
    words after the colon open with a role (展览部：负责…). The first listed leads."""
    marker = outline_marker(line)
    start = len(line) - len(line[len(marker[1]):].lstrip(" \u3000.．、")) if marker else 0
    colon = LIST_BEFORE_COLON.match(line, start)
    if colon is None or not line[colon.end():].strip():
        return None
    if marker is None and not resources.cues.role_word.match(line, colon.end()):
        return None
    head = colon.group("bodies")
    if (resources.cues.assignment_label.match(head + "：") and head.startswith(resources.cues.label_modifiers)) \
            or (is_field_label(head + "：") and name_kind(head, resources) not in ("class", "known")):
        return None  # 责任单位：…, 工作目标：… are labels, not bodies (各业务部门：… is a class of them)
    reading = read_markup(head, resources)
    if reading is None or reading.unread or not reading.bodies \
            or all(name_kind(name, resources) == "generic" for name, _ in reading.bodies):
        return None  # 其他成员单位：按照各自职责… names nobody
    block = doc.blocks[index]
    return _Markup(index, block.start + start, block.start + colon.end(), reading, False, prefix=True)


def _dash_attribution(doc: Document, index: int, line: str, resources: Resources) -> _Markup | None:
    """'…氛围。——区司法局负责，区公安分局配合': the bodies of an item set off by a dash at its end.
    Only the last dash of the paragraph is read, and only when what follows it reads as
    bodies with their roles (a dash inside a sentence or before a subtitle is no assignment)."""
    if not any(dash in line for dash in DASH_CHARS):
        return None  # most paragraphs have no dash at all
    # a dash that ends the paragraph stands for "none" in a field (配合单位：—), no attribution
    dashes = [d for d in ATTRIBUTION_DASH.finditer(line) if line[d.end():].strip(" \u3000。；;")]
    if not dashes or dashes[-1].start() == 0:
        return None
    dash = dashes[-1]
    tail = line[dash.end():].rstrip("。；; \u3000")
    # fields of labels part at ；, which ends no sentence there
    labelled = resources.cues.assignment_label.match(tail) is not None
    if (not labelled and any(ch in SENTENCE_ENDS for ch in tail)) or _inside_brackets(line, dash.start()):
        return None  # an attribution is the last words of the item; 《…（2030—2032年）》 joins a range
    reading = read_markup(tail, resources)
    if reading is None or not reading.bodies or not (reading.labelled or line[dash.start() - 1] in SENTENCE_ENDS):
        return None
    block = doc.blocks[index]
    return _Markup(index, block.start + dash.start(), block.end, reading, False)


def _inside_brackets(line: str, at: int) -> bool:
    """Is position ``at`` of ``line`` inside a bracket or a book title opened before it?"""
    before = line[:at]
    return sum(before.count(c) for c in OPENING_BRACKETS + "《") > sum(before.count(c) for c in CLOSING_BRACKETS + "》")


def _label_markup(doc: Document, run: list[int], resources: Resources) -> list[_Markup]:
    """Consecutive label lines (牵头单位：A / 责任单位：B、C / 完成时限：…) as one markup."""
    content = "；".join(doc.block_text(doc.blocks[i]).lstrip(LINE_SYMBOLS) for i in run)
    reading = read_markup(content, resources)
    if reading is None:
        return _time_labels(doc, run, resources)
    if not any(r == "lead" for _, r in reading.bodies) and any(r == "co" for _, r in reading.bodies):
        reading.bodies = [(s, "neutral") for s, _ in reading.bodies]
    # fields of the item after its last label of bodies (整改措施：…) are part of the task
    last_bodies = max(i for i in run if _label_line(doc.block_text(doc.blocks[i]), resources) == "bodies")
    end = doc.blocks[last_bodies].end
    task_end = doc.blocks[run[-1]].end if run[-1] != last_bodies else None
    return [_Markup(run[0], doc.blocks[run[0]].start, end, reading, True, task_end=task_end)]


def _time_labels(doc: Document, run: list[int], resources: Resources) -> list[_Markup]:
    """A run of label lines that only says when (完成时限：12月底前): a markup that names nobody."""
    cues = resources.cues
    values = []
    for i in run:
        line = doc.block_text(doc.blocks[i])
        label = cues.assignment_label.match(line)
        if label is None or cues.label_role(label.group("label") or label.groupdict().get("spaced") or "") != "deadline":
            return []
        value = line[label.end():].strip()
        # a field's value, not a page's 时间：2023-08-31 18:20 … line running on into the text
        if len(value) > _LONGEST_TIME_VALUE or not may_hold_a_deadline(value, cues):
            return []
        values.append(value)
    reading = Reading(deadline_text=values[0])
    return [_Markup(run[0], doc.blocks[run[0]].start, doc.blocks[run[-1]].end, reading, True, time_only=True)]


def _markup_deadlines(doc: Document, markup: _Markup, resources: Resources) -> list[Deadline]:
    """Every deadline the markup's time field states (完成时限：3月中旬前完成轮换，轮换后10个工作日内
    完成培训), in order: the first is the task's 完成时限."""
    value = markup.reading.deadline_text
    if value is None or value not in doc.text[markup.start:markup.end]:
        return []
    start = doc.text.index(value, markup.start)
    found = deadlines_within(doc, start, start + len(value))
    if found:
        return found
    stated = _stated_deadline(doc, start, start + len(value), resources)
    return [stated] if stated else []


def _with_deadlines(tasks: list[TaskRecord], stated: list[Deadline]) -> list[TaskRecord]:
    """``tasks`` with the ``stated`` deadlines of their markup added to their lists (each once)."""
    for task in tasks:
        task.deadlines += [d for d in stated if d not in task.deadlines]
    return tasks


def _stated_deadline(doc: Document, start: int, end: int, resources: Resources) -> Deadline | None:
    """The deadline a 完成时限 label or column states: a date or rhythm found in it, or an
    ongoing phrase such as 长期坚持."""
    found = next(iter(deadlines_within(doc, start, end)), None)
    return found or ongoing_deadline(doc.text[start:end], start, resources.cues.raw["deadline"]["ongoing_phrases"]) \
        or event_point(doc.text[start:end], start, tuple(resources.cues.raw["deadline"]["named_day_suffixes"]))


def _task_start(doc: Document, markup: _Markup, previous_end: int) -> int:
    """Walk back from the markup over the body paragraphs of its section that carry no
    assignment of their own; never past a heading, a numbered item or the previous assignment.
    Page furniture between two paragraphs of one task is transparent."""
    last = markup.block - 1 if markup.whole_line else markup.block
    if last < 0:
        return markup.start
    part = doc.blocks[last].part
    j = last
    while not outline_marker(doc.block_text(doc.blocks[j])):
        k = previous_content(doc, j)
        if k is None:
            break
        previous = doc.blocks[k]
        if previous.role != "body" or previous.part != part or previous.end <= previous_end:
            break
        j = k
    return max(doc.blocks[j].start, previous_end)


def _labels_stand_before_their_items(doc: Document, markups: list[_Markup]) -> bool:
    """Does the document, which says so (`Cues.labels_above`), print each item's label lines
    above it (责任单位：A / 1．开展…)? So when its first label lines stand between a paragraph
    that is no numbered item (a heading, the rule) and a numbered item."""
    first = next((m for m in markups if m.whole_line), None)
    if first is None:
        return False
    above = previous_content(doc, first.block)
    after = _after_labels(doc, first)
    if above is None or after >= len(doc.blocks):
        return False
    item_above = doc.blocks[above].role == "body" and outline_marker(doc.block_text(doc.blocks[above])) is not None
    return not item_above and outline_marker(doc.block_text(doc.blocks[after])) is not None \
        and doc.blocks[after].role in ("body", "heading")


def _item_below(doc: Document, markup: _Markup, marked: set[int]) -> tuple[int, int] | None:
    """The numbered item right below label lines, with its unnumbered paragraphs: (start, end)."""
    index = _after_labels(doc, markup)
    if index >= len(doc.blocks) or doc.blocks[index].role not in ("body", "heading") \
            or outline_marker(doc.block_text(doc.blocks[index])) is None or index in marked:
        return None
    last, _ = _unnumbered_below(doc, _next_body_index(doc, index), doc.blocks[index].part, marked)
    return doc.blocks[index].start, doc.blocks[index if last is None else last].end


def _after_labels(doc: Document, markup: _Markup) -> int:
    """The index of the first block after a markup's label lines (its time labels included)."""
    return _next_body_index(doc, block_index_at(doc, (markup.task_end or markup.end) - 1))


def _unnumbered_below(doc: Document, index: int, part: int, marked: set[int]) -> tuple[int | None, bool]:
    """The body paragraphs of ``part`` without an outline marker from block ``index`` on: the
    index of the last (None for none), and whether one with markup of its own stopped them."""
    last = None
    while index < len(doc.blocks):
        block = doc.blocks[index]
        if block.role != "body" or block.part != part or outline_marker(doc.block_text(block)):
            break
        if index in marked:
            return last, True
        last = index
        index = _next_body_index(doc, index)
    return last, False


def _text_below_labels(doc: Document, markup: _Markup, marked: set[int], start: int) -> int | None:
    """（一）入园客流管控 / 责任科室：A / 配合科室：B / its text: label lines between an item's
    title and its text assign the item, whose text runs on below them to the next numbered
    line; where the end of that text, else None (labels that close their item's text, or
    paragraphs below that carry markup of their own)."""
    title = previous_content(doc, markup.block)
    if title is None or doc.blocks[title].start != start:
        return None  # the task already holds text above its labels
    line = doc.block_text(doc.blocks[title])
    if outline_marker(line) is None or not _is_title(strip_marker(line).rstrip("。；")):
        return None
    last, stopped = _unnumbered_below(doc, _after_labels(doc, markup), doc.blocks[markup.block].part, marked)
    if stopped or last is None:
        return None  # nothing below, or a paragraph with markup of its own: not this item's text
    return doc.blocks[last].end


def _items_above(doc: Document, markup: _Markup, marked: list[int], groups: set[int], assignment: Assignment,
                 resources: Resources) -> list[TaskRecord]:
    """（以上任务由A牵头，B配合）after a group of items: each item above it, back to the heading
    of their section or the markup of the group before; an item with markup of its own keeps it."""
    part = doc.blocks[markup.block].part
    index = markup.block - 1 if markup.whole_line or markup.start == doc.blocks[markup.block].start else markup.block
    above: list[int] = []
    item_level: int | None = None
    while index >= 0:
        block = doc.blocks[index]
        if block.role == "furniture":
            index -= 1
            continue
        if block.role not in ("body", "heading") or block.part != part or (index in groups and index != markup.block):
            break
        found = outline_marker(doc.block_text(block))
        if found is not None:
            if item_level is not None and found[0] < item_level:
                break  # the heading of the group's section
            item_level = found[0]
        above.append(index)
        index -= 1
    items: list[list[int]] = []
    for index in reversed(above):
        if outline_marker(doc.block_text(doc.blocks[index])) is not None or not items:
            items.append([index])
        else:
            items[-1].append(index)
    own = set(marked) - {markup.block}
    tasks = []
    for item in items:
        if own.intersection(item) or outline_marker(doc.block_text(doc.blocks[item[0]])) is None:
            continue  # an item with its own markup; text before the group's first item
        end = min(doc.blocks[item[-1]].end, markup.start)
        tasks.append(_task(doc, doc.blocks[item[0]].start, end, assignment, resources, 0.9))
    return tasks


def _heading_level(doc: Document, markup: _Markup, marked: list[int], assignment: Assignment,
                   resources: Resources) -> list[TaskRecord]:
    """A heading line that carries the markup covers the items under it, except the items
    that carry an assignment of their own; its unnumbered lead paragraphs are one more task."""
    if markup.whole_line:
        return _labels_under_a_heading(doc, markup, marked, assignment, resources)
    block = doc.blocks[markup.block]
    line = doc.block_text(block)
    found = outline_marker(line)
    if found is None:
        return []
    before = line[: markup.start - block.start].rstrip(" \u3000")
    head = strip_marker(before).rstrip("。；")
    # a title carries the markup (（一）强化监测预警（A牵头）, （三）推进辅助器具服务。【A】);
    # labels glued after a full stop close the item's own sentence (12．每半年组织一次培训。责任科室：…)
    glued_labels = before.endswith(tuple(SENTENCE_ENDS)) and doc.text[markup.start] not in OPENING_BRACKETS
    if glued_labels or not _is_title(head) or line[markup.end - block.start:].strip("。； "):
        return []
    return _items_below(doc, markup.block, found[0], marked, assignment, resources)


def _labels_under_a_heading(doc: Document, markup: _Markup, marked: list[int], assignment: Assignment,
                            resources: Resources) -> list[TaskRecord]:
    """（一）开展大扫除 / 牵头单位：A；配合单位：B / 1．… 2．…: label lines right under a heading,
    before its numbered items, cover those items (an item with markup of its own keeps it)."""
    above = previous_content(doc, markup.block)
    if above is None:
        return []
    heading = doc.block_text(doc.blocks[above])
    found = outline_marker(heading)
    if found is None or not _is_title(strip_marker(heading).rstrip("。；")):
        return []
    after = _next_body_index(doc, block_index_at(doc, markup.end - 1))
    item = outline_marker(doc.block_text(doc.blocks[after])) if after < len(doc.blocks) else None
    if item is None or item[0] <= found[0]:
        return []  # the labels close the heading's own text, or nothing numbered follows
    return _items_below(doc, above, found[0], marked, assignment, resources)


def _prefixed(doc: Document, markup: _Markup, marked: list[int], assignment: Assignment,
              resources: Resources) -> list[TaskRecord]:
    """（一）【A牵头，B配合】强化监测预警: a heading's markup covers the items below it; an
    item's markup assigns the item (its line and the unnumbered paragraphs after it)."""
    block = doc.blocks[markup.block]
    line = doc.block_text(block)
    marker = outline_marker(line)
    if marker is None:  # 展览部：负责…: an unnumbered line of a 分工 list is its own task
        return [_task(doc, block.start, block.end, assignment, resources, 0.9)]
    level = marker[0]
    head = line[markup.end - block.start:].strip().rstrip("。；")
    if _is_title(head):
        below = _items_below(doc, markup.block, level, marked, assignment, resources)
        if below:
            return below
    last, _ = _unnumbered_below(doc, _next_body_index(doc, markup.block), block.part, set(marked))
    return [_task(doc, block.start, doc.blocks[markup.block if last is None else last].end, assignment, resources, 0.9)]


def _is_title(head: str) -> bool:
    """Is the text of a heading line a title (强化监测预警) rather than a sentence of several
    clauses (F27)?"""
    return not _CLAUSE_PUNCTUATION.search(head) and len(head) <= 60


def _items_below(doc: Document, index: int, level: int, marked: list[int], assignment: Assignment,
                 resources: Resources) -> list[TaskRecord]:
    """Tasks of the items under the heading block ``index`` (of outline ``level``) that carry no
    markup of their own, with its unnumbered lead paragraphs as one more (F09)."""
    block = doc.blocks[index]
    end_index = _section_end(doc, index, level)
    children = [i for i in range(index + 1, end_index) if doc.blocks[i].role in ("body", "heading")]
    if not children:
        return []
    items: list[list[int]] = []
    levels: list[int | None] = []
    for i in children:
        marker = outline_marker(doc.block_text(doc.blocks[i]))
        if marker or not items:
            items.append([i])
            levels.append(marker[0] if marker else None)
        else:
            items[-1].append(i)
    own = set(marked[bisect.bisect_right(marked, index):bisect.bisect_left(marked, end_index)])
    if len(items) == 1 and levels[0] is None and not own:
        # 一、实施安家补贴（A牵头）/ its paragraphs: a measure whose text follows its title, one task
        return [_task(doc, block.start, doc.blocks[items[0][-1]].end, assignment, resources, 0.85)]
    tasks = []
    claimed_level: int | None = None  # a sub-heading with markup of its own covers the items under it
    for n, item in enumerate(items):
        level_here = levels[n]
        if claimed_level is not None:
            if level_here is not None and level_here <= claimed_level:
                claimed_level = None
            else:
                continue  # （二）…（A、B按职责分工负责）: its items are its own
        if own.intersection(item):
            if level_here is not None and n + 1 < len(items) and (levels[n + 1] or 0) > level_here:
                claimed_level = level_here
            continue  # the item names its own departments
        deeper = level_here is not None and n + 1 < len(items) and (levels[n + 1] or 0) > level_here
        if own and deeper:
            continue  # a sub-heading over items of their own: no task of its own
        start, end = doc.blocks[item[0]].start, doc.blocks[item[-1]].end
        tasks.append(_task(doc, start, end, assignment, resources, 0.85))
    return tasks


def _section_end(doc: Document, index: int, level: int) -> int:
    """The index of the first block after the section the heading block ``index`` (of outline
    ``level``) opens: the next heading of its level or above, a signature, another part."""
    part = doc.blocks[index].part
    end_index = index + 1
    while end_index < len(doc.blocks):
        b = doc.blocks[end_index]
        if b.part != part or b.role not in ("body", "heading"):
            if b.role in ("signature", "header", "title"):
                break
            end_index += 1
            continue
        m = outline_marker(doc.block_text(b))
        if m and m[0] <= level:
            break
        end_index += 1
    return end_index


def _task(doc: Document, start: int, end: int, assignment: Assignment | None, resources: Resources,
          confidence: float, narrative: bool = False, markup_within: tuple[int, int] | None = None) -> TaskRecord:
    while start < end and doc.text[start] in _LEADING_PUNCT + "\n":
        start += 1
    text = doc.text[start:end].rstrip(" \u3000\n")
    block = doc.blocks[block_index_at(doc, start)]
    path = section_path(doc, start, block.part)
    title = _title(doc, start, text, path)
    deadlines = deadlines_within(doc, start, start + len(text))
    reader = ModalityReader(resources.cues)
    narrative = narrative or (assignment is None and (reader.is_narrative(text) or reader.narrates_section(path)))
    # a heading's own words (1.拓展两个市场。) name the task; they oblige nobody
    skip = _heading_prefix(doc, start, text, path, resources)
    # label lines inside the task (between its title and its text) name who, and oblige nobody
    pieces = [(skip, len(text))] if markup_within is None else \
        [(skip, max(skip, markup_within[0] - start)), (markup_within[1] - start, len(text))]
    obligations = [o for a, b in pieces if a < b
                   for o in read_obligations(text[a:b], start + a, resources.cues, deadlines, narrative,
                                             department_spans(doc), doc.header.date)]
    all_deadlines = list(deadlines)
    if assignment is not None and assignment.deadline is not None and assignment.deadline not in all_deadlines:
        all_deadlines.append(assignment.deadline)
    return TaskRecord(document_id=doc.id, section_path=path, title=title, text=text, start=start,
                      end=start + len(text), assignment=assignment, obligations=obligations,
                      deadlines=all_deadlines, due=due_of(assignment, all_deadlines),
                      references=references_within(doc, start, start + len(text)),
                      page=block.page, confidence=confidence if assignment else 0.6, part=block.part)


def due_of(assignment: Assignment | None, deadlines: list[Deadline]) -> Deadline | None:
    """A task's 完成时限: the limit its markup states, else the latest date among its deadlines,
    else its rhythm when it has exactly one."""
    if assignment is not None and assignment.deadline is not None:
        return assignment.deadline
    dated = [d for d in deadlines if d.kind == "fixed" and d.date]
    if dated:
        return max(dated, key=lambda d: (d.date or "", d.start))
    rhythms = [d for d in deadlines if d.kind == "recurring"]
    return rhythms[0] if len(rhythms) == 1 else None


def _heading_prefix(doc: Document, start: int, text: str, path: list[str], resources: Resources) -> int:
    """Length of the heading sentence that starts ``text`` (1.拓展两个市场。), or 0 when there
    is none or when it is a duty itself (1.各区要于6月底前完成摸底。)."""
    label = path[-1] if path else ""
    marker = outline_marker(label)
    if marker is None or label == marker[1] or not text.startswith(label) \
            or states_a_duty(label, resources.cues):
        return 0
    end = len(label)
    if text[end:end + 1] in ("；", ";"):
        return 0  # '2．对…人员，现场劝导…；不愿…的，…': the first clause of a list, not a title
    if text[end:end + 1] and text[end] in OPENING_BRACKETS:
        close = next((b.end for b in find_brackets(text[end:end + 200]) if b.start == 0), 0)
        end += close  # the heading's own assignment: the departments are read from it already
    while end < len(text) and text[end] in "。；;：: \u3000\n":
        end += 1
    # a run-in heading that is a clause of its own (全面推行分时段预约诊疗。, 本细则适用于…)
    # obliges or states; only a nominal title (拓展两个市场) is dropped (F31)
    reader = ModalityReader(resources.cues)
    words = strip_marker(label).rstrip("。；;：: \u3000")
    if reader.is_directive(words) or reader.is_statement(words):
        return 0
    # a task that is one short sentence is its own heading, and still obliges
    return end if text[end:].strip() else 0


def _title(doc: Document, start: int, text: str, path: list[str]) -> str:
    line = text.split("\n", 1)[0]
    found = outline_marker(line)
    if found and path and line.startswith(path[-1].rstrip("。")) and path[-1] != found[1]:
        return strip_marker(path[-1])
    body = strip_marker(line)
    clauses = _SHORT_CLAUSE.findall(body)
    # '到2020年，…': a time phrase alone does not say what the task is
    while len(clauses) > 1 and _TIME_PHRASE.fullmatch(clauses[0]):
        clauses.pop(0)
    return clauses[0] if clauses else line[:40]


def _table_tasks(doc: Document, resources: Resources, bold_leads: bool = False) -> tuple[list[TaskRecord], set[int]]:
    """Tasks from the rows of task-division tables, and the ids of the table blocks read;
    ``bold_leads``: the document says that the body printed in bold leads."""
    records: list[TaskRecord] = []
    rows, blocks = task_tables(doc, resources)
    for row in rows:
        spans = row.spans["task"]
        start, end = spans[0][0], spans[-1][1]
        first = row.blocks[0]
        path = section_path(doc, first.start, first.part) + row.section
        text = row.text(doc, "task")
        assignment = None
        time_cell = row.spans.get("deadline", [])
        # every deadline of the time column (3月完成选址，9月底前挂牌运营), the first being due
        column = _time_cell_deadlines(doc, time_cell, resources) if row.reading is not None else []
        if row.reading is not None:
            # a time cell a page break split is read whole
            deadline = column[0] if column and len(time_cell) > 1 else next(
                (stated for s, e in time_cell if (stated := _stated_deadline(doc, s, e, resources))), None)
            reading = row.reading
            if bold_leads:
                for role in ("lead", "responsible", "co"):
                    for s, e in row.spans.get(role, []):
                        reading = leads_by_emphasis(reading, doc.text[s:e], s, doc.emphasis)
            assignment = build_assignment(reading, row.assignment_text, first.start, row.blocks[-1].end,
                                          resources, deadline)
        obligations: list[Obligation] = []
        found: list[Deadline] = []
        for s, e in spans:
            inside = deadlines_within(doc, s, e)
            found += inside
            obligations += read_obligations(doc.text[s:e], s, resources.cues, inside, False, department_spans(doc),
                                            doc.header.date)
        if assignment is not None and assignment.deadline is not None:
            found += [d for d in column or [assignment.deadline] if d not in found]
        records.append(TaskRecord(document_id=doc.id, section_path=path, title=row.text(doc, "title") or _title(doc, start, text, []),
                                  text=text, start=start, end=end, assignment=assignment, obligations=obligations,
                                  deadlines=found, due=due_of(assignment, found), references=_row_references(doc, spans), page=first.page,
                                  confidence=0.9 if assignment else 0.6, part=first.part))
    return records, {id(b) for b in blocks}


def _time_cell_deadlines(doc: Document, spans: list[tuple[int, int]], resources: Resources) -> list[Deadline]:
    """The deadlines of a row's time cell; a cell a page break split (2074年 / 5月20日前) is read
    as one text, a deadline across the break spanning both pieces."""
    if len(spans) < 2:
        return [d for s, e in spans for d in deadlines_within(doc, s, e)]
    pieces = [(s + len(doc.text[s:e]) - len(doc.text[s:e].lstrip()), doc.text[s:e].strip()) for s, e in spans]
    starts = list(itertools.accumulate(len(text) for _, text in pieces[:-1]))
    starts.insert(0, 0)

    def absolute(at: int, end: bool) -> int:
        i = bisect.bisect_right(starts, at - end) - 1  # an end at a piece's edge stays in that piece
        return pieces[i][0] + at - starts[i]

    found = find_deadlines(doc, "".join(text for _, text in pieces), resources)
    return [replace(d, start=absolute(d.start, False), end=absolute(d.end, True)) for d in found]


def _row_references(doc: Document, spans: list[tuple[int, int]]) -> list[str]:
    found: list[str] = []
    for s, e in spans:
        found += [title for title in references_within(doc, s, e) if title not in found]
    return found


def _unassigned(doc: Document, covered: list[tuple[int, int]], resources: Resources,
                narrative: bool = False, skip: set[int] | None = None) -> list[TaskRecord]:
    """Body text outside every task, grouped by outline section, as records without
    departments: paragraphs, and the rest of a paragraph after its last assignment."""
    pieces: list[tuple[int, int, Block]] = []
    spans = sorted(covered)
    # the first span that can reach a block: covered spans may nest, so bisect on the
    # running maximum of their ends
    reach = list(itertools.accumulate((end for _, end in spans), max))
    for block in doc.blocks:
        # rows of tables that are not task tables are text like any other
        if block.role not in ("body", "table_row") or id(block) in (skip or set()):
            continue
        cursor = block.start
        for start, end in spans[bisect.bisect_right(reach, block.start):]:
            if start >= block.end:
                break
            if end <= cursor:
                continue
            if start > cursor:
                pieces.append((cursor, start, block))
            cursor = max(cursor, end)
        if cursor < block.end:
            pieces.append((cursor, block.end, block))
    records: list[TaskRecord] = []
    group: list[tuple[int, int, Block]] = []
    position = {id(b): i for i, b in enumerate(doc.blocks)}

    def flush() -> None:
        if group:
            records.append(_task(doc, group[0][0], group[-1][1], None, resources, 0.6, narrative))
            group.clear()

    for start, end, block in pieces:
        if len(doc.text[start:end].strip(_LEADING_PUNCT + "）)")) < 4:
            continue
        contiguous = bool(group) and group[-1][1] == group[-1][2].end and start == block.start \
            and group[-1][2].part == block.part and not outline_marker(doc.block_text(block)) \
            and section_path(doc, block.start, block.part) == section_path(doc, group[-1][0], block.part) \
            and _next_body_index(doc, position[id(group[-1][2])]) == position[id(block)]
        if not contiguous:
            flush()
        group.append((start, end, block))
    flush()
    return records


def _next_body_index(doc: Document, index: int) -> int:
    index += 1
    while index < len(doc.blocks) and doc.blocks[index].role == "furniture":
        index += 1
    return index
