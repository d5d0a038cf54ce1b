"""Assignment markup: who leads a task and who co-operates.

Circulars print it in a few shapes, all read here:

- a parenthesis after the task: （A、B、C） （A、B负责） （A牵头，B、C参与） （A、B等负责）
  （A、B等和各省级人民政府负责） （A负责，列第一位者为牵头单位，下同）;
- label lines after the task: 牵头单位：A / 责任单位：B、C / 完成时限：2025年底前.

A parenthesis whose parts are not all lists of bodies (（技工院校内由…部门负责）, （含…）)
only explains, and is not an assignment. Unless the markup says otherwise, the first body
listed leads; a document's own reading rule (列第一位者为牵头单位) confirms that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.deadlines import DeadlineFinder
from pipeline.model import Assignment, Deadline
from pipeline.resources import Resources

PARENTHETICAL = re.compile(r"[（(]([^（）()\n]{2,300})[）)]")
_SEGMENTS = re.compile(r"[，,；;。]")
_LIST_SEPARATORS = re.compile(r"[、/／]")
_AND = re.compile(r"[和及与]")
_ETC = re.compile(r"等(?:[\u4e00-\u9fff]{0,8}?(?:部门|单位|机构|方面)(?:和单位)?)?$")


@dataclass
class _Segment:
    bodies: list[str]
    role: str  # "lead", "co", "neutral"
    open_ended: bool = False


@dataclass
class Reading:
    """What one piece of markup says, before registry lookup."""

    bodies: list[tuple[str, str]] = field(default_factory=list)  # (surface, role)
    open_ended: bool = False
    states_first_is_lead: bool = False
    deadline_text: str | None = None


def read_markup(content: str, resources: Resources) -> Reading | None:
    """Read the inside of a parenthesis (or the value part of label lines); None when it is not
    an assignment."""
    cues = resources.cues
    reading = Reading()
    for raw in _SEGMENTS.split(content):
        segment = raw.strip()
        if not segment:
            continue
        if cues.first_is_lead.search(segment):
            reading.states_first_is_lead = True
            continue
        if cues.note.search(segment) or cues.unordered.search(segment):
            continue
        label = cues.label_line.match(segment)
        role_override = None
        if label:
            role_override = cues.label_role(label.group("label"))
            segment = segment[label.end():]
            if role_override == "deadline":
                reading.deadline_text = segment
                continue
        if _is_deadline_segment(segment, resources):
            reading.deadline_text = segment
            continue
        parsed = _read_segment(segment, resources)
        if parsed is None:
            return None
        role = parsed.role
        if role_override == "lead":
            role = "lead"
        elif role_override == "co":
            role = "co"
        reading.bodies += [(b, role) for b in parsed.bodies]
        reading.open_ended = reading.open_ended or parsed.open_ended
    return reading if reading.bodies else None


def _is_deadline_segment(segment: str, resources: Resources) -> bool:
    """'2025年底前完成', '每季度', '长期坚持': a part of the markup that says when, not who.
    Read with the deadline grammar itself, so the two never disagree."""
    core = re.sub(r"(?:完成|落实|到位|办结)$", "", segment)
    if core in resources.cues.raw["deadline"]["ongoing_phrases"]:
        return True
    found = DeadlineFinder(resources.cues).find(core)
    return bool(found) and sum(d.end - d.start for d in found) >= len(core.lstrip("于在到")) - 1


def _read_segment(segment: str, resources: Resources) -> _Segment | None:
    """'A、B等和各省级人民政府按职责分工负责' → bodies with a role; None if any item is not a body."""
    cues = resources.cues
    role = "neutral"
    role_match = cues.role_suffix.search(segment)
    if role_match:
        role = cues.role_of(role_match.group())
        segment = segment[: role_match.start()]
    segment = segment.strip()
    if not segment:
        return None
    open_ended = False
    bodies: list[str] = []
    # with a role word (负责, 牵头…) the items are departments even where one's name is
    # unfamiliar (…分行, …大学), provided the others are recognisably bodies
    lenient = role_match is not None
    for item in _LIST_SEPARATORS.split(segment):
        item = item.strip()
        if not item:
            return None
        # 'A会同B': A leads, B co-operates
        if "会同" in item:
            left, _, right = item.partition("会同")
            if not (is_body_name(left, resources) and is_body_name(right, resources)):
                return None
            bodies += [left, right]
            continue
        # 'A等和B': the open-ended mark, then more bodies joined by 和
        if "等" in item:
            head, _, rest = item.partition("等")
            tail = "等" + rest
            etc = _ETC.match(tail)
            after = tail[etc.end():] if etc else tail[1:]
            if etc is None and not after.startswith(("和", "及", "，")):
                return None
            open_ended = True
            names = [head] + ([after.lstrip("和及与")] if after.strip("和及与") else [])
        else:
            names = _split_and(item, resources)
        for name in names:
            if not is_body_name(name, resources) and not (lenient and _plain_name(name, resources)):
                return None
            bodies.append(name)
    if lenient and not any(is_body_name(b, resources) for b in bodies):
        return None
    return _Segment(bodies, role, open_ended) if bodies else None


def _plain_name(name: str, resources: Resources) -> bool:
    """Could ``name`` be a body's name at all: Chinese characters only, short, no function words?"""
    return 2 <= len(name) <= 20 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", name)) \
        and not resources.cues.not_in_names.search(name)


def _split_and(item: str, resources: Resources) -> list[str]:
    """Split 'A和B' into two bodies only when both halves are bodies (文化和旅游部 stays one)."""
    if item in resources.cues.generic_bodies or resources.registry.entry_for(item):
        return [item]
    for match in _AND.finditer(item):
        left, right = item[: match.start()], item[match.end():]
        if is_body_name(left, resources) and is_body_name(right, resources) and len(right) >= 3 \
                and right not in ("单位", "部门", "机构"):
            return [left, right]
    return [item]


def is_body_name(name: str, resources: Resources) -> bool:
    """Does ``name`` read as the name of a body (a ministry, a unit, a government)?"""
    cues = resources.cues
    if not 2 <= len(name) <= 30 or not re.fullmatch(r"[\u4e00-\u9fff“”·（）()A-Za-z]+", name):
        return False
    if name in cues.generic_bodies or resources.registry.entry_for(name):
        return True
    if cues.not_in_names.search(name):
        return False
    return bool(cues.org_suffix.search(name))


def build_assignment(reading: Reading, text: str, start: int, end: int, resources: Resources,
                     deadline: Deadline | None) -> Assignment:
    """Turn a reading into departments: an explicit 牵头 wins, else the first listed leads."""
    registry = resources.registry
    leads = [s for s, r in reading.bodies if r == "lead"]
    ordered = [s for s, _ in reading.bodies]
    lead_surface = leads[0] if leads else ordered[0]
    co_surfaces = []
    for surface in ordered:
        if surface != lead_surface and surface not in co_surfaces:
            co_surfaces.append(surface)
    return Assignment(text=text, start=start, end=end, lead=registry.resolve(lead_surface),
                      co=[registry.resolve(s) for s in co_surfaces], open_ended=reading.open_ended,
                      deadline=deadline)
