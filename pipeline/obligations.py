"""Obligations: each clause of a task with what it asks of its addressee.

A clause takes the modality of its own marker (要/必须/应当 → must, 不得/严禁 → must_not,
原则上/宜 → should, 可以/允许 → may, 鼓励/支持/引导 heading the clause → encouraged). A clause
without one borrows from its sentence; failing that, a clause of a plan is a directive
(must) and a clause of background or news narration is a statement. Neighbouring clauses
of one sentence with the same modality form one obligation.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from pipeline.grammar import CLAUSE_BREAKS, CLOSING_BRACKETS, OPENING_BRACKETS, SENTENCE
from pipeline.model import Deadline, Modality, Obligation
from pipeline.numerals import to_int
from pipeline.resources import ClauseWords, Cues
from pipeline.structure import outline_marker, strip_marker

# commas inside brackets, quotes and book titles do not split a sentence
_OPEN, _CLOSE = OPENING_BRACKETS + "《“‘〈", CLOSING_BRACKETS + "》”’〉"
_CLAUSE_MARKS = re.compile(f"[{re.escape(_OPEN + _CLOSE + CLAUSE_BREAKS)}]")
#: '未列入年度计划的团组': a noun phrase, a head noun after its 的 modifier
_HEAD_AFTER_DE = re.compile(r"的[\u4e00-\u9fff]{1,4}$")
#: characters of an adverb a predicate may open with before its modal word (也须, 均应, 一律不得)
_ADVERB_BEFORE_MARKER = 2
#: characters of a term that opens a sentence before what is said of it (稿酬所得，是指…)
_TERM_LENGTH = 8
_PRECEDENCE: tuple[Modality, ...] = ("must_not", "should", "may", "must")


@dataclass
class Clause:
    start: int
    end: int
    text: str
    modality: Modality | None = None
    marker_at: int = -1
    #: Length of a time or condition phrase joined in front (到2020年，/ …的，): the modality
    #: is the main clause's.
    lead_len: int = 0

    @property
    def main(self) -> str:
        return self.text[self.lead_len:]


def split_clauses(text: str, offset: int = 0) -> list[list[Clause]]:
    """Sentences of ``text``, each a list of comma clauses, with offsets (+ ``offset``).
    Commas inside brackets, quotes and book titles do not split."""
    sentences: list[list[Clause]] = []
    for sm in SENTENCE.finditer(text):
        sentence = sm.group()
        clauses: list[Clause] = []
        depth, begin = 0, 0
        for mark in _CLAUSE_MARKS.finditer(sentence):  # only brackets, quotes and commas matter
            ch, i = mark.group(), mark.start()
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                depth = max(0, depth - 1)
            elif depth == 0:
                clauses.append(_clause(sentence, begin, i + 1, sm.start() + offset))
                begin = i + 1
        if begin < len(sentence):
            clauses.append(_clause(sentence, begin, len(sentence), sm.start() + offset))
        clauses = [c for c in clauses if c.text.strip("，,。；;！？ \u3000")]
        if clauses:
            sentences.append(clauses)
    return sentences


def _clause(sentence: str, begin: int, end: int, base: int) -> Clause:
    raw = sentence[begin:end]
    stripped = raw.lstrip(" \u3000")
    start = base + begin + (len(raw) - len(stripped))
    return Clause(start=start, end=base + end, text=stripped)


#: characters between 为 and the verb of its aim (进一步, 切实)
_AIM_ADVERB = 3


@dataclass
class ModalityReader:
    """Decides the modality of clauses from the cue lists."""

    cues: Cues
    #: clauses already read: a clause is asked about again when it carries a condition over
    _read: dict[str, tuple[Modality | None, int]] = field(default_factory=dict, repr=False)

    def explicit(self, clause: str) -> tuple[Modality | None, int]:
        """The modality a clause's own marker gives, and where the marker is."""
        known = self._read.get(clause)
        if known is None:
            known = self._read[clause] = self._explicit(clause)
        return known

    def _explicit(self, clause: str) -> tuple[Modality | None, int]:
        body = strip_marker(clause)
        enc = self.cues.modality("encouraged_head").match(body)
        best: tuple[int, int, Modality] | None = None
        first = self.cues.modality("any_marker").search(body)
        # the earliest marker wins, the longest of those that start there (不得 over 得): only
        # the position the union found is tried, not a scan per modality
        at = first.start() if first else -1
        for modality in _PRECEDENCE if first else ():
            match = self.cues.modality(modality).match(body, at)
            if match and (best is None or match.end() - at > best[1]):
                best = (at, match.end() - at, modality)
        if enc and (best is None or best[0] >= enc.end() - 2):
            return "encouraged", enc.end()
        if best is not None:
            return best[2], best[0]
        return None, -1

    def is_statement(self, clause: str) -> bool:
        return bool(self.cues.modality("statement").search(strip_marker(clause).rstrip("，,。；;！？")))

    def defines(self, clause: str) -> bool:
        """'X，是指…', '本办法所称X…': a definition states what a word means."""
        return bool(self.cues.modality("definition").search(clause))

    def is_directive(self, clause: str) -> bool:
        """A clause that opens with an imperative verb (加强…), or with a fronted object and
        then the manner of an act (对违规行为一律严肃处理): a directive of a plan."""
        body = strip_marker(clause)
        return bool(self.cues.modality("directive").match(body)
                    or self.cues.modality("directive_after_object").match(body))

    def aim_verb(self, clause: str, at: int) -> bool:
        """Is the marker at ``at`` the verb of the purpose the clause opens with (为确保…, 为进一步保证…)?"""
        opening = self.cues.clauses.purpose.match(strip_marker(clause))
        return opening is not None and 0 <= at - opening.end() <= _AIM_ADVERB

    def marker_in_a_complement(self, clause: str, at: int) -> bool:
        """Does the marker at ``at`` stand inside the noun phrase a copula predicates (学位论文抽检
        是保证学位授予质量的重要手段), where it modifies a noun and asks nothing?"""
        body = strip_marker(clause).rstrip("，,。；;！？")
        copula = self.cues.modality("copula_complement").search(body)
        return copula is not None and copula.start() < at and not self.cues.clauses.strong.search(body, 0, at)

    def is_narrative(self, paragraph: str) -> bool:
        return bool(self.cues.modality("narrative").search(paragraph))

    def opens_with_narration(self, opening: str) -> bool:
        """'党的十八大以来，…', '2025年8月8日，…召开会议', '截至2029年底，…': a sentence that
        reports what was done or how things stood (unless a clause of it still asks)."""
        return bool(self.cues.modality("narrated_opening").match(opening))

    def narrates_section(self, path: list[str]) -> bool:
        """二、主要成效 / （三）存在的问题: a section that reports what was done or found."""
        pattern = self.cues.modality("narrative_headings")
        for heading in path:
            words = strip_marker(heading).strip(" \u3000。：:")
            if len(words) <= 8 and pattern.search(words):
                return True
        return False

    def describes_a_state(self, clause: str) -> bool:
        """…进度滞后, …时限偏长: a clause that ends by judging how things stand, not asking."""
        return bool(self.cues.modality("state_predicates").search(strip_marker(clause).rstrip("，,。；;！？")))


def read_obligations(text: str, offset: int, cues: Cues, deadlines: list[Deadline],
                     narrative: bool = False, departments: list[tuple[int, int, str]] | None = None,
                     date: str | None = None) -> list[Obligation]:
    """The obligations of a task's text; ``deadlines`` and ``departments`` carry absolute
    offsets; ``date`` is the document's (ISO; a sentence opening with a time that ended before
    it narrates)."""
    reader = ModalityReader(cues)
    obligations: list[Obligation] = []
    for sentence in split_clauses(text, offset):
        sentence = _attach_leading_clauses(sentence, deadlines, reader)
        opening = strip_marker(sentence[0].text)
        purpose = bool(cues.clauses.purpose.match(opening))
        past = reader.opens_with_narration(opening) or _opens_with_a_time_past(opening, date, cues)
        for n, clause in enumerate(sentence):
            if purpose and n == len(sentence) - 1:
                purpose = False  # '为…，对…的区，依规进行通报约谈': the last clause is the main one
            modality, at = reader.explicit(clause.main)
            if (modality is not None and reader.defines(clause.main)) \
                    or (clause.lead_len and reader.defines(clause.text[:clause.lead_len])):
                # '…，是指因公务需要…', '是指…履行相关义务后，按规定申请…的活动': a definition,
                # whatever words it holds, the phrase joined in front of its clause included
                clause.modality = "statement"
                continue
            # '党的十八大以来，…': what has been done; '…37个，2087年台网运行率为98.6%': a clause
            # that opens with a year before the document's reports that year
            if (past or (n and _opens_with_a_time_past(clause.main, date, cues))) \
                    and not cues.clauses.strong.search(clause.main):
                clause.modality = "statement"
                continue
            if modality == "encouraged" and purpose:
                clause.modality = "statement"  # '为引导企业树立精品意识，…': the aim, not an encouragement
                continue
            if modality == "must" and ((purpose and reader.aim_verb(clause.main, at))
                                       or reader.marker_in_a_complement(clause.main, at)):
                # '为保证数据连续可比，…': the aim's verb; '抽检是保证质量的重要手段': a noun's modifier
                clause.modality = "statement"
                continue
            if modality is not None:
                purpose = False
                clause.modality, clause.marker_at = modality, at
            elif reader.is_statement(clause.main) or purpose:
                clause.modality = "statement"
            elif any(clause.start <= d.start < clause.end and d.kind == "fixed" for d in deadlines):
                clause.modality = "must"  # a target with a date is a duty
            elif not narrative and reader.is_directive(clause.main):
                clause.modality = "must"
            elif reader.describes_a_state(clause.main):
                clause.modality = "statement"
        _fill_unmarked(sentence, "statement" if narrative else "must")
        obligations += _merge(sentence, deadlines, departments or [], cues.clauses)
    return obligations


def _opens_with_a_time_past(opening: str, date: str | None, cues: Cues) -> bool:
    """'2030年，全省货运量达到…' in a document of 2031, '2031年1月至9月，全市共受理…' in one of
    October 2031: what that time brought."""
    found = cues.clauses.year_opening.match(opening) if date else None
    if found is None or not date:
        return False
    year, month = to_int(found.group(1)) or 0, to_int(found.group(3) or found.group(2) or "") or 0
    return (year, month) < (int(date[:4]), int(date[5:7]) if month else 0)


def _attach_leading_clauses(sentence: list[Clause], deadlines: list[Deadline], reader: ModalityReader) -> list[Clause]:
    """A clause that is only a time phrase (到2020年，), a condition (…的，) or a fronted object
    (对…问题，) joins the clause after it, which decides the modality."""
    merged: list[Clause] = []
    carry: Clause | None = None
    for index, clause in enumerate(sentence):
        if carry is not None:
            clause = Clause(start=carry.start, end=clause.end, text=carry.text + clause.text,
                            lead_len=len(carry.text) + clause.lead_len)
            carry = None
        core = clause.text.rstrip("，,。；;")
        inside = [d for d in deadlines if clause.start <= d.start and d.end <= clause.end]
        words = reader.cues.clauses
        time_only = bool(inside) and bool(words.time_only.match(core.replace(inside[0].text, "", 1)))
        # the clause's own words open with 对/根据… (a phrase carried into it already found its clause)
        condition = (core.endswith(words.condition_ends) or _fronted(clause.main, words)) \
            and reader.explicit(clause.main)[0] is None
        if condition and clause.lead_len and reader.is_directive(clause.main):
            condition = False  # '对…的，依法追回资金，': the carried phrase has found its predicate
        subject = not (time_only or condition) and index + 1 < len(sentence) \
            and _subject_of(clause, sentence[index + 1], reader, not merged)
        if (time_only or condition or subject) and clause is not sentence[-1]:
            carry = clause
            continue
        merged.append(clause)
    if carry is not None:
        merged.append(carry)
    return merged


def _fronted(main: str, words: ClauseWords) -> bool:
    """对…问题，/ 根据…，: a fronted object or basis, unless a light verb makes it a clause
    (对…规模作出约定，)."""
    if main[:1] not in words.fronted_first and not outline_marker(main):
        return False  # most clauses: one look at the first character
    own = strip_marker(main)
    return bool(words.fronted.match(own)) and not words.light_verb.search(own)


def _subject_of(clause: Clause, following: Clause, reader: ModalityReader, first: bool) -> bool:
    """'新设立登记的单位，也须报送年报': a clause that is only a subject, set off by a comma
    from the predicate that opens with its modal word (须, 也须, 均应); '（三）稿酬所得，是指…':
    a short term that opens its sentence, set off from the statement about it."""
    tail = clause.main.rstrip("，,")
    words = reader.cues.clauses
    # the shape first, on the clause's end, which needs no marker taken off (most clauses end here)
    noun_phrase = bool((tail[-1:] in words.subject_last and words.subject_end.search(tail))
                       or ("的" in tail[-5:] and _HEAD_AFTER_DE.search(tail)))
    term = first and len(tail) <= _TERM_LENGTH + 4 and len(strip_marker(tail)) <= _TERM_LENGTH
    if not (noun_phrase or term):
        return False  # most clauses: the cheap test of shape first
    if reader.explicit(clause.main)[0] is not None or reader.is_directive(clause.main) \
            or reader.is_statement(clause.main):
        return False  # 'X是…的责任主体，负责…': a clause with its own predicate
    if noun_phrase:
        modality, at = reader.explicit(following.text)
        return modality is not None and 0 <= at <= _ADVERB_BEFORE_MARKER
    return reader.is_statement(following.main)


def _fill_unmarked(sentence: list[Clause], default: Modality) -> None:
    """Unmarked clauses borrow the modality of the nearest clause with a marker before them
    in the sentence, else a must or may after them; else ``default``."""
    previous: Modality | None = None
    for clause in sentence:
        if clause.marker_at >= 0:
            previous = clause.modality
        elif clause.modality is None and previous is not None:
            clause.modality = previous
    following: Modality | None = None
    for clause in reversed(sentence):
        if clause.marker_at >= 0:
            following = clause.modality
        elif clause.modality is None and following in ("must", "may"):
            # 'X对…的真实性，…负责': a subject before its predicate; a ban or a softener
            # (严禁, 原则上) governs only the clause it opens
            clause.modality = following
    for clause in sentence:
        if clause.modality is None:
            clause.modality = default


def _merge(sentence: list[Clause], deadlines: list[Deadline], departments: list[tuple[int, int, str]],
           words: ClauseWords) -> list[Obligation]:
    groups: list[list[Clause]] = []
    for clause in sentence:
        # a clause with its own marker starts an obligation; unmarked ones join the one before,
        # and so does the result a duty is to bring (…要加强宣传，确保活动取得实效)
        if groups and groups[-1][-1].modality == clause.modality \
                and (clause.marker_at < 0 or (clause.marker_at == 0 and words.result.match(clause.main))):
            groups[-1].append(clause)
        else:
            groups.append([clause])
    obligations = []
    for group in groups:
        start, end = group[0].start, group[-1].end
        text = "".join(c.text for c in group).rstrip("，,")
        modality = group[0].modality or "statement"
        deadline = next((d for d in deadlines if start <= d.start and d.end <= end), None)
        marker_clause = next((c for c in group if c.marker_at >= 0), group[0])
        actors, action = _actors_and_action(marker_clause, departments, words.subject_end)
        obligations.append(Obligation(text=text, modality=modality, start=start, end=end, actors=actors,
                                      action=action, deadline=deadline))
    return obligations


def _actors_and_action(clause: Clause, departments: list[tuple[int, int, str]],
                       subject_end: re.Pattern[str]) -> tuple[list[str], str | None]:
    main = clause.main.rstrip("，,。；;")
    at = clause.marker_at if clause.marker_at >= 0 else 0
    body = strip_marker(main)
    main_start = clause.start + clause.lead_len + (len(main) - len(body))
    subject = body[:at].strip()
    marker = main_start + at
    actors = []
    for i in range(bisect.bisect_left(departments, (main_start, 0, "")), len(departments)):
        s, e, name = departments[i]  # by index: a slice would copy the rest of a long document's names
        if s >= marker:
            break
        if e <= marker:
            actors.append(name)
    if not actors and 2 <= len(subject) <= 20 and subject_end.search(subject) and "，" not in subject:
        actors = [subject]
    action = body[at:].strip() or None
    return actors, action
