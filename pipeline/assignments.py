"""Assignment markup: who leads a task and who co-operates.

One grammar for every way circulars print it, which scores rather than vetoes:

- markup is a bracket of any kind （）()【】〔〕［］[] (one level of short round brackets may
  nest inside: 各县、市（区）政府), or label fields closing a task or standing on lines of
  their own;
- its content is fields separated by ；;。 and groups separated by ，; a field is an optional
  label and a value. A label is known by its shape (a short noun phrase whose head is
  单位/部门/处室…, or a role word alone) and takes its role from its modifier
  (牵头单位 → lead, 配合部门 → co, 责任单位 → responsible); a time limit is the task's
  完成时限; any other field (适用范围, 备注…) is read past, never a reason to reject;
- a group is ``[由]A、B[等…][role word[activity]]``, ``A会同B``;
- a name is judged by its shape (registry, organisation head, class noun, generic tail) and
  by its company: in a list where the others are bodies, a plain short name is one too.

Unless the markup says otherwise the first body listed leads; generic tails (有关部门) are
dropped when a named body is listed. A bracket that only explains (an alias, a scope, a
definition) is not an assignment.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pipeline.deadlines import DeadlineFinder, may_hold_a_deadline
from pipeline.grammar import CLOSING_BRACKETS, FIELD_LABEL, LIST_BEFORE_COLON, OPENING_BRACKETS, OUTSIDE_ROUND_BRACKETS
from pipeline.model import Assignment, Deadline
from pipeline.resources import Cues, Resources

NameKind = Literal["known", "named", "class", "generic", "plausible"]
#: kinds that say "this is a body" on their own
STRONG_KINDS = ("known", "named", "class", "generic")

_OPENERS = OPENING_BRACKETS
_CLOSERS = CLOSING_BRACKETS
_PAIRS = dict(zip(OPENING_BRACKETS, CLOSING_BRACKETS, strict=True))
_ANY_BRACKET = re.escape(_OPENERS + _CLOSERS)
# an inner bracket: 市（区）, （试行）, 〔牵头〕
_NESTED = r"[（(][^（）()\n]{1,40}[）)]|〔[^〔〕\n]{1,8}〕|【[^【】\n]{1,8}】|［[^［］\n]{1,8}］"
_INNER = rf"(?:[^{_ANY_BRACKET}\n]|{_NESTED}){{2,400}}"
BRACKET = re.compile(
    rf"[（(](?P<round>{_INNER})[）)]|【(?P<lenticular>{_INNER})】|〔(?P<tortoise>{_INNER})〕"
    rf"|［(?P<fullsquare>{_INNER})］|\[(?P<square>{_INNER})\]|〖(?P<white>{_INNER})〗")
_FIELDS = re.compile(rf"[；;。]{OUTSIDE_ROUND_BRACKETS}")
_GROUPS = re.compile(rf"[，,]{OUTSIDE_ROUND_BRACKETS}")
_ITEMS = re.compile(rf"[、/／]{OUTSIDE_ROUND_BRACKETS}")
_SPACES = re.compile(r"[ \u3000\t]+")
_AND = re.compile(r"[和及与]")
#: the mark of an open-ended list: 等, 等有关部门, 等相关单位
OPEN_ENDED = re.compile(r"等(?:[\u4e00-\u9fff]{0,8}?(?:部门|单位|机构|方面|处室|科室|企业|组织)(?:和单位)?)?$")
_LEADING = re.compile(r"^(?:并由|均由|由|请|并)")
_ALIAS = re.compile(r"[（(][^（）()]{1,30}[）)]$")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff“”·（）()A-Za-z0-9]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
#: characters of a name no organisation head marks, read as a body only beside others of its kind
_LONE_NAME_LENGTH = 4
_QUOTED_WORD = re.compile(r"“([\u4e00-\u9fff]{1,10})”")
_HAN_WITH_DIGITS_OR_LETTERS = re.compile(r"[\u4e00-\u9fff]+(?:[0-9０-９A-Za-zＡ-Ｚａ-ｚ]+[\u4e00-\u9fff]+)+")
#: a bracket that closes a piece of markup (a remark, an alias, a time limit)
_TRAILING_BRACKET = re.compile(r"[（(]([^（）()]{2,30})[）)]$")
_DONE = re.compile(r"(?:完成|落实|到位|办结)$")
_ETC_AND = re.compile("等[和及与]")
#: '…为牵头单位': a list that ends by naming its role with a label
_AS_LABEL = re.compile(r"(?:作为|为|是)([\u4e00-\u9fff]{2,8})$")
_INNER_ALTERNATIVE = re.compile(r"[（(]([^（）()]{1,6})[）)]")
#: a name that states its own place or level (市…, 临江区…, 省…)
_PREFIXED = re.compile(r"^(?:[省市区县州盟旗镇乡村]|[\u4e00-\u9fff]{2,4}[省市区县州盟旗镇乡村])")
#: a bracket closing an item: an alias (…中心（区数字办）) or a remark on the body, such as the
#: person to contact there (财务处（程立夫）)
_CLOSING_BRACKET = re.compile(r"[（(]([\u4e00-\u9fff]{2,8}(?:[：:][ \u3000]*[\u4e00-\u9fff]{2,8})?)[）)]$")
#: a role printed in brackets after one name of the list: 市水务局（牵头）、市财政局
_STAR_MARK = re.compile(r"([^、/／，,★]+)★")
_ROLE_MARK = re.compile(r"([^、/／（）()〔〕【】［］]+)[（(〔【［](牵头|主办|主责|配合|协办|参与|协助)[）)〕】］]")


@dataclass
class Bracket:
    """One bracketed stretch of a line: [start, end) with the brackets, and its content."""

    start: int
    end: int
    content: str


def find_brackets(line: str) -> Iterator[Bracket]:
    """Every bracket of any kind in ``line``, outermost first, in order."""
    for match in BRACKET.finditer(line):
        content = next(g for g in match.groups() if g is not None)
        yield Bracket(match.start(), match.end(), content)


@dataclass
class Reading:
    """What one piece of markup says, before registry lookup."""

    bodies: list[tuple[str, str]] = field(default_factory=list)  # (surface, role)
    open_ended: bool = False
    states_first_is_lead: bool = False
    deadline_text: str | None = None
    #: a label or a role word said that these are bodies
    labelled: bool = False
    #: parts of the markup that were not understood, kept for the record
    unread: list[str] = field(default_factory=list)
    #: （以上任务由A牵头）: the markup assigns the group of items above it
    covers_above: bool = False


@dataclass
class _Group:
    names: list[tuple[str, NameKind]]
    role: str  # "lead", "co", "neutral"
    open_ended: bool = False
    has_role_word: bool = False
    #: the rest of the group from its first item that is no name
    unread: str = ""
    #: roles printed after single names: 市水务局（牵头）
    roles: dict[str, str] = field(default_factory=dict)


def read_markup(content: str, resources: Resources) -> Reading | None:
    """Read the inside of a bracket (or the text of label lines); None when it names no body
    or when, on balance, its items do not read as bodies."""
    cues = resources.cues
    reading = Reading()
    groups: list[_Group] = []
    unread_items = 0
    time_field = False  # the field before was a time field (进度要求：一季度完成…；二季度完成…)
    for raw_field in _fields(content, cues):
        label_role: str | None = None
        field_deadline: int | None = None  # where the field's first time group starts
        if time_field and not cues.assignment_label.match(raw_field.strip()) \
                and _opens_with_a_time(raw_field.strip(" \u3000\t"), resources):
            # a time field of phases parted by ；: each phase says when too
            reading.deadline_text = f"{reading.deadline_text}；{raw_field.strip(' ')}" if reading.deadline_text \
                else raw_field.strip()
            continue
        time_field = False
        cursor = 0
        if "、" in raw_field:  # A牵头、B配合: a 、 after a role word parts two groups, as a comma does
            raw_field = cues.role_then_list_mark.sub(r"\g<role>，", raw_field)
        for piece in _GROUPS.split(raw_field):
            at = raw_field.find(piece, cursor)
            cursor = at + len(piece)
            piece = piece.strip(" \u3000\t")
            if not piece:
                continue
            if cues.first_is_lead.search(piece):
                reading.states_first_is_lead = True
                continue
            group_lead_in = cues.covers_above.match(piece) if not groups and not reading.bodies else None
            if group_lead_in is not None:
                reading.covers_above = True
                piece = piece[group_lead_in.end():]
            if cues.note.search(piece) or cues.unordered.search(piece):
                continue
            label = cues.assignment_label.match(piece) or cues.markup_label.match(piece)
            if label:
                label_role = cues.label_role(label.group("label") or label.groupdict().get("spaced") or "")
                piece = piece[label.end():].strip()
                if label_role not in ("deadline", "person"):
                    reading.labelled = True
                if not piece:
                    continue
            elif (split := bodies_colon_bodies(piece, resources)) is not None:
                groups += split  # 文艺辅导部：群众文化活动部、非遗保护部 — the lead group, then the co
                reading.labelled = True
                continue
            elif is_field_label(piece):
                label_role = "other"  # 适用范围：…, 备注：… — read past
                continue
            if label_role in ("deadline", "other", "person"):  # 责任领导：副局长 李某某 names no body
                time_field = label_role == "deadline"
                if label_role == "deadline":
                    # a time field of several groups (3月中旬前完成轮换，轮换后10个工作日内…) is one value
                    if field_deadline is None:
                        field_deadline = raw_field.find(piece, at)
                    reading.deadline_text = raw_field[field_deadline:cursor].strip(" \u3000\t")
                continue
            if _is_deadline_segment(piece, resources):
                reading.deadline_text = piece
                continue
            timed = _TRAILING_BRACKET.search(piece)
            if timed is not None and _is_deadline_segment(timed.group(1), resources):
                # 配合单位：省检疫总站（2091年1月底前）: the time limit in brackets after the bodies
                reading.deadline_text = reading.deadline_text or timed.group(1)
                piece = piece[: timed.start()].rstrip()
            group = _read_group(piece, resources)
            if group is None:
                reading.unread.append(piece)
                unread_items += 1
                continue
            if label_role == "lead":
                group.role = "lead"
            elif label_role == "co":
                group.role = "co"
            reading.labelled = reading.labelled or group.has_role_word or bool(group.roles)
            if group.unread:
                reading.unread.append(group.unread)
                unread_items += 1
            groups.append(group)
    names = [n for g in groups for n in g.names]
    # a role word after a list of several whole names vouches for them (青松陵园、福寿园公墓分别负责)
    strong = sum(kind in STRONG_KINDS or (g.has_role_word and _reads_as_bodies(g.names))
                 for g in groups for _, kind in g.names)
    if not strong:
        return None
    # on balance: most items are recognisably bodies, or a label or role word says they are
    if not reading.labelled and 2 * strong < len(names) + unread_items:
        return None
    if not reading.labelled and unread_items and strong < 2:
        return None
    for group in groups:
        reading.bodies += [(name, group.roles.get(name, group.role)) for name, _ in group.names]
        reading.open_ended = reading.open_ended or group.open_ended
    return reading


def bodies_colon_bodies(piece: str, resources: Resources) -> list[_Group] | None:
    """'A：B、C' — bodies, a colon, bodies: the colon parts the lead group from the co
    group, as the first comma does. Both sides must read whole as names, the first as
    names of bodies on their own (a label such as 备注：… names nothing), and not of a group
    whose members the colon lists (攻坚专班：A、B)."""
    colon = LIST_BEFORE_COLON.match(piece)
    if colon is None:
        return None  # most fields hold no colon
    head, tail = colon.group("bodies"), piece[colon.end():]
    lead, co = _read_group(head, resources), _read_group(tail, resources)
    if lead is None or co is None or lead.unread or co.unread or lead.has_role_word or co.has_role_word:
        return None
    if not lead.names or not co.names or not all(kind in STRONG_KINDS and kind != "generic" for _, kind in lead.names):
        return None
    if any(name.endswith(tuple(resources.cues.raw["assignment_labels"]["group_heads"])) for name, _ in lead.names):
        return None  # 攻坚专班：A、B names the members of a group
    lead.role, co.role = "lead", "co"
    return [lead, co]


def _opens_with_a_time(text: str, resources: Resources) -> bool:
    """Does ``text`` open with a time (二季度完成招标, 2056年6月底前完成, 每月更新)?"""
    found = DeadlineFinder(resources.cues).find(text[:_TIME_OPENING])
    return bool(found) and found[0].start <= 1


#: characters at the start of a field searched for the time that opens it
_TIME_OPENING = 24


def _fields(content: str, cues: Any) -> list[str]:
    """Fields end at ；;。 and where a label follows a space (牵头单位：A 配合单位：B)."""
    fields: list[str] = []
    for part in _FIELDS.split(content):
        cuts = [0] + [m.start() for m in cues.assignment_label.finditer(part)
                      if m.start() and part[m.start() - 1] in " \u3000\t"] + [len(part)]
        fields += [part[a:b] for a, b in itertools.pairwise(cuts)]
    return fields


def is_field_label(text: str) -> bool:
    """Does ``text`` open with a label of some other field ('适用范围：…', '整改措施：…')?"""
    return bool(FIELD_LABEL.match(text))


def _is_deadline_segment(segment: str, resources: Resources) -> bool:
    """'2025年底前完成', '每季度', '长期坚持': a part of the markup that says when, not who.
    Read with the deadline grammar itself, so the two never disagree."""
    core = _DONE.sub("", segment)
    if core in resources.cues.raw["deadline"]["ongoing_phrases"]:
        return True
    if not may_hold_a_deadline(core, resources.cues):
        return False  # most fields name bodies: no grammar run for them
    found = DeadlineFinder(resources.cues).find(core)
    return bool(found) and sum(d.end - d.start for d in found) >= len(core.lstrip("于在到")) - 1


def _read_group(text: str, resources: Resources) -> _Group | None:
    """'A、B等和C按职责分工负责', '由A牵头实施', 'A会同B', 'C负责合法性审查': the bodies of one
    comma group with their role; None when its first item is not a body."""
    cues = resources.cues
    text = _LEADING.sub("", text.strip())
    # 'A、B为配合单位': the list, then the label of its role
    as_label = _AS_LABEL.search(text)
    if as_label and cues.assignment_label.fullmatch(as_label.group(1) + "："):
        label_role = cues.label_role(as_label.group(1))
        parsed = _read_items(text[: as_label.start()], resources)
        if parsed is not None and parsed[0] and label_role not in ("deadline", "person"):
            return _Group(parsed[0], label_role if label_role in ("lead", "co") else "neutral", parsed[1], True,
                          unread=parsed[2])
    # the first role word after which the text before it reads as a list of bodies; what
    # follows it is the activity (区司法局负责合法性审查)
    for match in cues.role_word.finditer(text):
        if match.start() == 0 or _inside_a_name(text, match, resources):
            continue
        parsed = _read_items(text[: match.start()], resources)
        if parsed is None or parsed[2] or not _reads_as_bodies(parsed[0]):
            continue
        role = cues.role_of(match.group())
        return _Group(parsed[0], role if role in ("lead", "co") else "neutral", parsed[1], True)
    roles: dict[str, str] = {}

    def role_mark(match: re.Match[str]) -> str:
        name = match.group(1).strip(" \u3000")
        roles[name] = cues.role_of(match.group(2))
        # 规划财务和法规处（牵头）相关处室: the mark also parts the name from the next one
        after = text[match.end():match.end() + 1]
        return name + ("、" if after and after not in _WRAP_SEPARATORS else "")

    text = _ROLE_MARK.sub(role_mark, text)
    if "★" in text:  # 培训部、会员服务部★: a star printed after the body that leads
        def starred(match: re.Match[str]) -> str:
            roles[match.group(1).strip(" \u3000")] = "lead"
            return match.group(1)
        text = _STAR_MARK.sub(starred, text)
    parsed = _read_items(text, resources)
    if parsed is None:
        return None
    return _Group(parsed[0], "neutral", parsed[1], unread=parsed[2],
                  roles={name: role for name, role in roles.items() if role in ("lead", "co")})


def _inside_a_name(text: str, match: re.Match[str], resources: Resources) -> bool:
    """市场监督管理局: a role word (监督) that the rest of its item carries on to an
    organisation's head is part of a name."""
    rest = _ITEMS.split(text[match.end():], maxsplit=1)[0]
    rest = OPEN_ENDED.sub("", resources.cues.role_word.sub("", rest))
    return bool(rest) and bool(resources.cues.org_suffix.search(rest))


def _reads_as_bodies(names: list[tuple[str, NameKind]]) -> bool:
    """Before a role word: a list with a named body in it, or a list of several whole names
    of places that no head marks (青松陵园、福寿园公墓分别负责), not one word (属地负责)."""
    return any(k in STRONG_KINDS for _, k in names) \
        or (len(names) >= 2 and all(len(n) >= _LONE_NAME_LENGTH for n, _ in names))


def _read_items(text: str, resources: Resources) -> tuple[list[tuple[str, NameKind]], bool, str] | None:
    """'A、B等有关部门和C' → names with their kinds, whether the list is open-ended, and the
    rest of the list from the first item that is no name (kept as unread); None when the
    first item is no name."""
    names: list[tuple[str, NameKind]] = []
    open_ended = False
    starts = [0] + [m.end() for m in _ITEMS.finditer(text)]
    for i, item in enumerate(_ITEMS.split(text)):
        item = item.strip(" \u3000\t")
        rest = text[starts[i]:].strip(" \u3000\t")
        if not item:
            return (names, open_ended, rest) if names else None
        pieces: list[str] = []
        # 'A会同B': A leads, B works with it; then 'A等', 'A等有关部门', 'A等和B' in each part
        # (but 高等学校 is a name)
        for piece in [p for p in item.split("会同") if p] if "会同" in item else [item]:
            if "等" in piece and (OPEN_ENDED.search(piece) or _ETC_AND.search(piece)):
                head, _, after_etc = piece.partition("等")
                tail = "等" + after_etc
                etc = OPEN_ENDED.match(tail)
                after = tail[etc.end():] if etc else tail[1:]
                open_ended = True
                pieces += [head] + ([after.lstrip("和及与")] if after.strip("和及与") else [])
            else:
                pieces.append(piece)
        found: list[tuple[str, NameKind]] = []
        for piece in pieces:
            for name in _split_spaced(_without_remark(piece, resources), resources):
                if is_person(name, resources):
                    continue  # 总经理 薛某某, 周某某: who answers for it, not a body
                for part in _split_and(name, resources):
                    kind = name_kind(part, resources)
                    if kind not in STRONG_KINDS and (body := _body_before_a_person(part, resources)):
                        part, kind = body, name_kind(body, resources)
                    if kind is None:
                        return (names, open_ended, rest) if names else None
                    found.append((part, kind))
        names += found
    return names, open_ended, ""


def _body_before_a_person(name: str, resources: Resources) -> str | None:
    """保卫科龚立新: a body and the person who answers for it, the space between them lost (a
    page that drops the spaces between Chinese characters); the body, else None. Asked only
    of a name that does not read as a body whole."""
    if len(name) < 5:
        return None
    for size in (3, 2):
        body, person = name[:-size], name[-size:]
        if resources.cues.org_suffix.search(body) and is_person(person, resources) \
                and name_kind(body, resources) in STRONG_KINDS:
            return body
    return None


def _without_remark(item: str, resources: Resources) -> str:
    """财务处（程立夫）: a bracket after a body that names no body (a person, a remark) is not
    part of the body's name; an alias in it (…中心（区数字办）) is."""
    bracket = _CLOSING_BRACKET.search(item)
    if bracket is None or bracket.start() < 2 or resources.cues.role_word.fullmatch(bracket.group(1)):
        return item
    content = bracket.group(1)
    # 各村（社区）: another kind of body in the name's own bracket, not a remark
    if name_kind(content, resources) in STRONG_KINDS or resources.cues.org_suffix.search(content) \
            or content in resources.cues.class_heads:
        return item
    return item[: bracket.start()]


def is_person(text: str, resources: Resources) -> bool:
    """Does ``text`` name a person (总经理, 薛某某, 副总经理 韩某某) rather than a body? A bare
    name that ends like a place or a body (石桥村, 马院) is none."""
    cues = resources.cues
    person = cues.person.fullmatch(text)
    if person is None or name_kind(text, resources) in STRONG_KINDS:
        return False
    return person.group("title") is not None or not (cues.org_suffix.search(text) or text.endswith(cues.class_heads))


def _split_spaced(text: str, resources: Resources) -> list[str]:
    """Spaces are typesetting (区应急 管理局) unless they stand between two whole names
    (区住建局 区城管局)."""
    pieces = [p for p in _SPACES.split(text.strip()) if p]
    if len(pieces) <= 1:
        return pieces
    names = [pieces[0]]
    for piece in pieces[1:]:
        if piece[0] in OPENING_BRACKETS:
            names[-1] += piece  # 各市 （州）民族宗教事务局: a bracket goes on with the name before it
        elif (name_kind(names[-1], resources) in STRONG_KINDS and name_kind(piece, resources) in STRONG_KINDS) \
                or (is_person(piece, resources) and name_kind(names[-1], resources) in STRONG_KINDS):
            names.append(piece)  # 安全环保科 周某某: a body and the person who answers for it
        else:
            names[-1] += piece
    return names


def _split_and(item: str, resources: Resources) -> list[str]:
    """Split 'A和B' into two bodies only when both halves are bodies (文化和旅游部 stays one)."""
    if resources.registry.entry_for(item) or resources.cues.generic_tail.fullmatch(item):
        return [item]
    # 市妇联家庭和儿童工作部: a body, then one of its sub-units whose name joins two nouns
    sub_unit = _sub_unit_of_a_body(item, resources)
    for match in _AND.finditer(item):
        left, right = item[: match.start()], item[match.end():]
        if sub_unit and not _PREFIXED.match(right) and not resources.registry.entry_for(right):
            continue
        kinds = (name_kind(left, resources), name_kind(right, resources))
        # two whole names (市财政局和市税务局, 财政部和税务总局), not one name built of two
        # nouns (实验室与设备处, 文化和旅游部)
        if kinds == ("known", "known") or (all(k in STRONG_KINDS for k in kinds)
                                           and min(len(left), len(right)) >= 4):
            return [left, right]
    return [item]


def split_at_wraps(text: str, wraps: list[int], resources: Resources) -> str:
    """A department cell of a PDF with 、 where one of its lines, filled to the cell's edge,
    ended a name and the next began one (第一水厂 / 第二水厂, 调度中心 / 管网管理部). A line
    that wraps inside one name (临江区住房和城乡 / 建设局, 市公安局 / 交通警察支队) goes on.
    ``wraps`` are offsets into ``text``."""
    for at in sorted(wraps, reverse=True):  # from the end: the offsets before stay valid
        begin = max(text.rfind(sep, 0, at) for sep in _WRAP_SEPARATORS) + 1
        ends = [i for i in (text.find(sep, at) for sep in _WRAP_SEPARATORS) if i >= 0]
        # a bracket ends the piece after the wrap too (规处（牵头）: the rest of a name and its mark)
        ends += [i for i in (text.find(b, at) for b in "（(") if i >= 0]
        left, right = text[begin:at], OPEN_ENDED.sub("", text[at:min(ends, default=len(text))])
        if 0 < at < len(text) and _two_names(left, right, resources):
            text = text[:at] + "、" + text[at:]
    return text


_WRAP_SEPARATORS = "、，,；; \u3000"


def _two_names(left: str, right: str, resources: Resources) -> bool:
    kinds = (name_kind(left, resources), name_kind(right, resources))
    if all(k in STRONG_KINDS for k in kinds):
        # 市公安局 / 交通警察支队, 临江区住房和城乡 / 建设局: after a name that states its place, a
        # piece that states none goes on with it (a list names each body the same way); 各设区市 /
        # 市场监督管理局: a class goes on with the body of each of its members
        if kinds[0] == "class" and kinds[1] not in ("class", "generic"):
            return False
        if right.startswith(resources.cues.part_openers):
            return False  # 溍州海关 / 驻综保区办事处: a part of the body before it
        branch = next((h for h in resources.cues.branch_heads if right.endswith(h)), None)
        if branch and not resources.cues.org_head.search(right[: -len(branch)]):
            return False  # 市场监督管理局 / 综保区分局: a place and a branch, of the body before it
        return not (_PREFIXED.match(left) and not _PREFIXED.match(right))
    return kinds == ("plausible", "plausible") and min(len(left), len(right)) >= _LONE_NAME_LENGTH


def _sub_unit_of_a_body(core: str, resources: Resources) -> bool:
    """区司法局普法与依法治理科: a body's name, then one of its sub-units named for what it does,
    whose words (依法, 达到) would make a clause of anything else."""
    cues = resources.cues
    # one-character words of not_in_names (的, 由, 在…) make a clause of it: 区司法局的检查科
    if not _HAN.fullmatch(core) or not cues.sub_unit.search(core) \
            or any(w in core for w in cues.raw["not_in_names"] if len(w) == 1):
        return False
    for head in cues.org_head.finditer(core[:-2]):
        body, unit = core[: head.end()], core[head.end():]
        if len(body) >= 3 and 2 <= len(unit) <= 12 and not cues.role_word.search(unit) \
                and name_kind(body, resources) in ("known", "named"):
            return True
    return False


#: characters after a word of law in a unit's name, its head among them (依法行政科; not 依法查处)
_UNIT_WORD_TAIL = 3


def _holds_function_words(name: str, cues: Cues) -> bool:
    """Words no name holds (的, 将, 按照…); but one such character inside a short name with an
    organisation's head, not opening it, is part of a word of the name (校对科), and so are the
    words of law a unit's name holds (依法行政科, 普法与依法治理股: ``cues.json: unit_name_words``)."""
    found = list(cues.not_in_names.finditer(name))
    if not found:
        return False
    unit_words = cues.raw["unit_name_words"]["words"]
    return not (len(name) <= 8 and cues.org_suffix.search(name)
                and all((len(m.group()) == 1 and m.start() > 0 and m.group() != "的" and "\u4e00" <= m.group() <= "\u9fff")
                        or (m.group() in unit_words and len(name) - m.end() >= _UNIT_WORD_TAIL) for m in found))


def name_kind(name: str, resources: Resources) -> NameKind | None:
    """How ``name`` reads as the name of a body: known to the registry, named by an
    organisation head (…局, …大学, …分行), a class (各区, 相关街镇), a generic tail (有关部门),
    merely plausible (short, no function words), or not a name (None)."""
    cues = resources.cues
    # 各县（市、区）政府: a list of alternatives inside the name's own bracket
    if not 2 <= len(name) <= 40 or not _NAME_CHARS.fullmatch(_INNER_ALTERNATIVE.sub("", name)):
        return None
    # 区智慧岛服务管理中心（区数字办）: an alias; 各县、市（区）政府: an inner alternative
    core = _ALIAS.sub("", name) or name
    core = _INNER_ALTERNATIVE.sub(lambda m: m.group(1).replace("、", ""), core)
    known = bool(resources.registry.entry_for(name) or resources.registry.entry_for(core)
                 or name in _TAUGHT.get())
    # 市12345政务服务便民热线管理中心, 市AI创新应用中心: digits or letters inside a name with an organisation's head
    # 县“扫黄打非”工作领导小组办公室: a campaign's quoted name inside a name with an organisation's head
    plain = _QUOTED_WORD.sub(r"\1", core) if "“" in core else core
    han = bool(_HAN.fullmatch(core)) or bool(
        (_HAN_WITH_DIGITS_OR_LETTERS.fullmatch(core) or (plain != core and _HAN.fullmatch(plain)))
        and cues.org_suffix.search(core))
    if not known and (_holds_function_words(plain, cues) or not han) \
            and not _sub_unit_of_a_body(core, resources):
        return None
    if core in cues.generic_heads:
        return None  # 责任处室（单位）: a head noun alone names no body
    if cues.generic_tail.fullmatch(core) or core in cues.generic_bodies:
        return "generic"
    suffix = cues.org_suffix.search(core)
    # 各区, 相关街镇, 各省级人民政府: a class of bodies, not one named body
    if cues.class_noun.fullmatch(core) or ((suffix or known) and cues.class_scope.match(core)):
        return "class"
    if known:
        return "known"
    # a one-character head needs a name before it (云溪镇, 财政部; not 城乡)
    if suffix and (len(suffix.group()) > 1 or len(core) >= 3):
        return "named"
    # a word with a role verb in it (持续推进, 抓好落实) is an activity, not a name
    return "plausible" if len(core) <= 20 and not cues.role_word.search(core) else None


#: names the document being read teaches: its issuers, signers and addressees, and the short
#: names it defines for bodies (…有限公司（以下简称迅鹿快递）)
_TAUGHT: ContextVar[frozenset[str]] = ContextVar("taught_names", default=frozenset())
#: （以下简称X）: the bracket that defines a short name for the words before it
_DEFINITION = re.compile(r"[（(](?:以下)?(?:简称|统称|下称)[“\"]?([\u4e00-\u9fff]{2,12})[”\"]?[）)]")
_DEFINED_NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,40}$")  # the full name the bracket follows


@contextmanager
def names_taught_by(text: str, header_names: list[str], resources: Resources) -> Iterator[frozenset[str]]:
    """While reading one document, count as bodies the names its own header prints and the
    short names it defines for bodies (the registry is never needed to recognise a body)."""
    names = {n for n in header_names if 2 <= len(n) <= 40}
    for definition in _DEFINITION.finditer(text):
        # looked for backwards from the bracket: a scan for the name first tries every run of
        # forty characters of the document
        before = _DEFINED_NAME.search(text, max(0, definition.start() - 40), definition.start())
        if before is None:
            continue
        full = before.group()
        for start in range(max(0, len(full) - 30), len(full) - 1):  # the name's tail before the bracket
            if is_body_name(full[start:], resources):
                names.add(definition.group(1))
                break
    token = _TAUGHT.set(frozenset(names))
    try:
        yield _TAUGHT.get()
    finally:
        _TAUGHT.reset(token)


def is_body_name(name: str, resources: Resources) -> bool:
    """Does ``name`` read as the name of a body on its own (a ministry, a unit, a class of
    governments, an unnamed collective)?"""
    return name_kind(name, resources) in STRONG_KINDS


def is_alias(before: str, resources: Resources) -> bool:
    """Is the text before a bracket (on a line without an outline marker: a numbered item is
    a task, whatever its last word) a bare name, so that the bracket gives its other name or
    members (澄阳市水文中心（澄阳市水资源监测站）) rather than assigning a task? A clause that
    opens with a verb of a plan is a task too."""
    clause = re.split(r"[。；;，,：:、！？]", before.strip(" \u3000"))[-1].strip(" \u3000")
    return bool(clause) and is_body_name(clause, resources) \
        and not resources.cues.modality("directive").match(clause)


def is_contact(before: str, reading: Reading, resources: Resources) -> bool:
    """报送市统计局（综合科、数据管理中心）, 请与市统计局联系（综合科）: a bracket of a body's own
    sub-units (no place or level of their own) right after that body's name, or after a verb
    of contacting it, says whom to contact, not who does a task."""
    cues = resources.cues
    clause = re.split(r"[。；;，,！？]", before)[-1]
    if reading.labelled or not clause:
        return False
    after_body = bool(cues.org_suffix.search(clause))
    contacting = bool(cues.contact_verb.search(clause)) and any(
        head.end() >= 2 for head in cues.org_head.finditer(clause))
    if not (after_body or contacting):
        return False
    return all(not _PREFIXED.match(name) and cues.sub_unit.search(name)
               and not resources.registry.entry_for(name) for name, _ in reading.bodies)


def leads_by_emphasis(reading: Reading, text: str, start: int, emphasis: list[tuple[int, int]]) -> Reading:
    """Where a document states that the body printed in bold leads (字体加粗的为牵头单位):
    ``reading`` with the bodies that ``text`` (the markup, at offset ``start`` of the
    document) prints inside a bold span of ``emphasis`` marked as leads. A list with no bold
    body keeps its own reading (the first listed leads)."""
    first = bisect.bisect_left(emphasis, (start, start)) - 1
    near = emphasis[max(0, first):bisect.bisect_right(emphasis, (start + len(text), start + len(text)))]
    if not near:
        return reading
    bodies: list[tuple[str, str]] = []
    cursor = 0
    for surface, role in reading.bodies:
        at = text.find(surface, cursor)
        if at >= 0:
            cursor = at + len(surface)
            if any(a <= start + at and start + cursor <= b for a, b in near):
                role = "lead"
        bodies.append((surface, role))
    if all(role != "lead" for _, role in bodies):
        return reading
    return replace(reading, bodies=bodies)


def build_assignment(reading: Reading, text: str, start: int, end: int, resources: Resources,
                     deadline: Deadline | None) -> Assignment:
    """Turn a reading into departments: an explicit lead wins, else the first listed leads;
    an unnamed collective (有关部门) counts only when no body is named and no class stands
    before it."""
    registry = resources.registry

    kinds = {s: name_kind(s, resources) for s, _ in reading.bodies}
    named = any(kind in ("known", "named") for kind in kinds.values())
    # a generic tail closes a list: after a class it is the rest of them (各市自然资源局、相关单位)
    after_class = {s for n, (s, _) in enumerate(reading.bodies)
                   if any(kinds[t] == "class" for t, _ in reading.bodies[:n])}
    bodies = [(s, r) for s, r in reading.bodies if not (kinds[s] == "generic" and (named or s in after_class))]
    leads = [s for s, r in bodies if r == "lead"]
    ordered = [s for s, _ in bodies]
    lead_surface = leads[0] if leads else ordered[0]
    co_surfaces: list[str] = []
    for surface in ordered:
        if surface != lead_surface and surface not in co_surfaces:
            co_surfaces.append(surface)
    return Assignment(text=text, start=start, end=end, lead=registry.resolve(lead_surface),
                      co=[registry.resolve(s) for s in co_surfaces], open_ended=reading.open_ended,
                      deadline=deadline, unread=list(reading.unread))
