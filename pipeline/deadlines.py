"""Deadlines: when, or how often, an addressee must act.

A fixed date (2019年6月底前 → 2019-06-30), a recurrence (每年年底前 → an RFC 5545 RRULE),
a start (2019年起: ongoing) or a time limit (印发之日起30日内: relative). The printed text
leaves out a leading 到/在/于/从/自 and keeps 前/底/起/内.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.model import Deadline
from pipeline.numerals import NUMBER, month_end, to_int
from pipeline.resources import Cues

_N = NUMBER
_YEAR = r"(?:(?:19|20)[0-9]{2}|(?:１９|２０)[０-９]{2}|[一二][〇○零Ｏ一二三四五六七八九]{3})"
_UNIT = r"(?:工作日|个工作日|日|天|个月|月|年|周|个小时|小时)"
_COUNT = rf"(?:至少|最少|原则上)?(?:[\u4e00-\u9fff]{{0,2}}?(?:召开|开展|组织|举行|安排|报告|调整|修订|进行|检查|通报|汇总|更新|评估|举办|研究|听取))?({_N})次"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # recurring
    ("midyear_yearend", re.compile(r"(?:每年)?年中和年末|(?:每年)?年中、年末|(?:每年)?半年和年末")),
    ("every_period", re.compile(
        rf"每(年|季度|季|半年|月|周|星期|旬|日|天)"
        rf"(?:(年底|年末|底|末)前?|(?:({_N})月)?({_N})日(?:前|之前|以前)?|({_N})月(?:底|末)前?)?"
        rf"(?:{_COUNT})?")),
    ("every_n", re.compile(rf"每({_N})(?:个)?(年|月|周|季度)(?:{_COUNT})?")),
    ("n_per_once", re.compile(rf"({_N})(?:个)?(年|月|周)(?:[\u4e00-\u9fff]{{0,2}}?)?(?:一次|一周期|一个周期|一轮)")),
    ("by_period", re.compile(r"按(月|季度|季|年|周)(?=[\u4e00-\u9fff])")),
    # plan periods and relative years
    ("plan_period", re.compile(r"“?(九五|十五|十一五|十二五|十三五|十四五|十五五|八五|七五)”?(期间|时期|末|后两年|前两年|内)")),
    ("this_year", re.compile(rf"(今年|明年|本年度|年内)(?:({_N})月)?(年底前|年底|底之前|底前|底|上半年|下半年|年中|适当时候|内)?")),
    # fixed dates and starts
    ("date", re.compile(
        rf"({_YEAR})年(?:({_N})月(?:({_N})日)?|第?([一二三四1-4１-４])季度)?"
        r"(上半年|下半年|年中|年底前|年底|底之前|底以前|底前|底|末之前|末前|末|前|以前|之前|起|开始|以后|以内|内)?")),
    # relative limits
    ("since_event", re.compile(rf"([^，。；、\n]{{0,24}}?)(之日起|之日后|后)({_N}){_UNIT}(?:内|以内)")),
    ("next_period", re.compile(rf"((?:[^，。；、\n]{{0,12}}的)?(?:次月|次年|当月|次日|下月))({_N})日(?:内|前)")),
    ("not_exceed", re.compile(rf"(?:最长|最迟|最多|一般)?不(?:得)?超过({_N}){_UNIT}")),
    ("duration", re.compile(rf"(?:({_N})(?:到|至|－|-|—|~)({_N})|({_N}))(?:个)?(年|月)(?:时间)?(?:内|以内)")),
]
_LEADING = ("到", "在", "于", "从", "自", "至")


@dataclass
class DeadlineFinder:
    """Finds deadlines in text; ``year`` is the document's year (for 今年, 明年)."""

    cues: Cues
    year: int | None = None

    def find(self, text: str, offset: int = 0) -> list[Deadline]:
        found: list[Deadline] = []
        for kind, pattern in PATTERNS:
            for match in pattern.finditer(text):
                deadline = self._read(kind, match, text)
                if deadline is None:
                    continue
                deadline.start += offset
                deadline.end += offset
                found.append(deadline)
        return _non_overlapping(found)

    def _read(self, kind: str, m: re.Match[str], text: str) -> Deadline | None:
        start, end = m.start(), m.end()
        reader = getattr(self, f"_{kind}")
        result: Deadline | None = reader(m, text)
        if result is None:
            return None
        if result.start == result.end == 0:
            result.start, result.end = start, end
        result.text = text[result.start:result.end]
        return result

    # recurring -------------------------------------------------------------------------
    def _midyear_yearend(self, m: re.Match[str], text: str) -> Deadline:
        return Deadline("", "recurring", rrule="FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1")

    def _every_period(self, m: re.Match[str], text: str) -> Deadline | None:
        if self.cues.amount_after.match(text[m.end():]):
            return None
        period, year_end, month, day, month_end_m = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
        count = to_int(m.group(6)) if m.group(6) else None
        rule: str | None
        if period == "年":
            if year_end:
                rule = "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
            elif month_end_m:
                mo = to_int(month_end_m)
                rule = f"FREQ=YEARLY;BYMONTH={mo};BYMONTHDAY=-1" if mo else None
            elif day and month:
                rule = f"FREQ=YEARLY;BYMONTH={to_int(month)};BYMONTHDAY={to_int(day)}"
            elif count and count > 1:
                rule = f"FREQ=MONTHLY;INTERVAL={12 // count}" if 12 % count == 0 else None
            else:
                rule = "FREQ=YEARLY"
        elif period == "半年":
            rule = "FREQ=MONTHLY;INTERVAL=6" if not count or count == 1 else None
        elif period in ("季度", "季"):
            if year_end:
                rule = "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
            else:
                rule = "FREQ=MONTHLY;INTERVAL=3" if not count or count == 1 else None
        elif period == "月":
            if year_end:
                rule = "FREQ=MONTHLY;BYMONTHDAY=-1"
            elif day:
                rule = f"FREQ=MONTHLY;BYMONTHDAY={to_int(day)}"
            else:
                rule = "FREQ=MONTHLY" if not count or count == 1 else None
        elif period in ("周", "星期"):
            rule = "FREQ=WEEKLY" if not count or count == 1 else None
        elif period == "旬":
            rule = None
        else:
            rule = "FREQ=DAILY" if not count or count == 1 else None
        if period in ("日", "天") and not count:
            return None  # 每日 alone is rarely a duty's rhythm in circulars; skip bare mentions
        return Deadline("", "recurring", rrule=rule)

    def _every_n(self, m: re.Match[str], text: str) -> Deadline | None:
        n = to_int(m.group(1))
        if not n:
            return None
        freq = {"年": "YEARLY", "月": "MONTHLY", "周": "WEEKLY", "季度": "MONTHLY"}[m.group(2)]
        interval = n * 3 if m.group(2) == "季度" else n
        count = to_int(m.group(3)) if m.group(3) else None
        if count and count > 1:
            return Deadline("", "recurring", rrule=None)
        return Deadline("", "recurring", rrule=f"FREQ={freq};INTERVAL={interval}" if interval > 1 else f"FREQ={freq}")

    def _n_per_once(self, m: re.Match[str], text: str) -> Deadline | None:
        n = to_int(m.group(1))
        if not n:
            return None
        freq = {"年": "YEARLY", "月": "MONTHLY", "周": "WEEKLY"}[m.group(2)]
        return Deadline("", "recurring", rrule=f"FREQ={freq};INTERVAL={n}" if n > 1 else f"FREQ={freq}")

    def _by_period(self, m: re.Match[str], text: str) -> Deadline:
        freq = {"月": "FREQ=MONTHLY", "季度": "FREQ=MONTHLY;INTERVAL=3", "季": "FREQ=MONTHLY;INTERVAL=3",
                "年": "FREQ=YEARLY", "周": "FREQ=WEEKLY"}[m.group(1)]
        return Deadline("", "recurring", rrule=freq)

    # relative years --------------------------------------------------------------------
    def _plan_period(self, m: re.Match[str], text: str) -> Deadline | None:
        end_year = self.cues.plan_periods.get(m.group(1))
        if end_year is None:
            return None
        return Deadline("", "fixed", date=f"{end_year}-12-31")

    def _this_year(self, m: re.Match[str], text: str) -> Deadline | None:
        if self.year is None:
            return None
        word, month, part = m.group(1), m.group(2), m.group(3)
        if word == "年内" and re.match(r"[0-9０-９一二两三四五六七八九十几当每多]", text[m.start() - 1: m.start()]):
            return None  # 2年内, 三年内: a duration, not this year
        if word in ("今年", "明年", "本年度") and not part:
            return None
        year = self.year + 1 if word == "明年" else self.year
        if month and to_int(month) and 1 <= (to_int(month) or 0) <= 12:
            return Deadline("", "fixed", date=month_end(year, to_int(month) or 12))
        date = f"{year}-06-30" if part in ("上半年", "年中") else f"{year}-12-31"
        return Deadline("", "fixed", date=date)

    def _date(self, m: re.Match[str], text: str) -> Deadline | None:
        year = to_int(m.group(1))
        if year is None or not 1949 <= year <= 2100:
            return None
        month = to_int(m.group(2)) if m.group(2) else None
        day = to_int(m.group(3)) if m.group(3) else None
        quarter = to_int(m.group(4)) if m.group(4) else None
        suffix = m.group(5) or ""
        after = text[m.end(): m.end() + 6]
        before = text[max(0, m.start() - 4): m.start()]
        if self.cues.not_deadline_after_year.match(text[m.start() + len(m.group(1)) + 1:]):
            return None  # 2016年以来, 2018年度
        if suffix == "前" and re.match(r"[0-9０-９一二三四五六七八九十两]", after):
            suffix = ""  # 2021年前10个月: a span, not a deadline
            return None
        if month is not None and not 1 <= month <= 12:
            return None
        # '…2019年1月12日印发', '自…起施行': events and imprints; '4月底前印发' is still a deadline
        if not suffix.endswith("前") and after.startswith(("施行", "起施行", "发布", "印发", "通过", "召开")):
            return None
        if after.startswith(("至", "到", "—", "－")):
            return None
        if re.match(r"(?:春节|元旦|国庆|清明|端午|中秋)", after) and month is None:
            return Deadline("", "fixed", date=None, start=m.start(), end=m.end() + 3 if after[2:3] == "前" else m.end() + 2)
        if re.search(r"(截至|截止|于)$", before) and suffix not in ("前", "底前", "年底前"):
            return None
        starts = suffix in ("起", "开始", "以后")
        if starts:
            if "施行" in after[:4]:
                return None
            return Deadline("", "ongoing")
        lead_in = bool(re.search(r"(到|在|于|至|力争|争取|确保|要在|，|。|；|^)$", before) or m.start() == 0
                       or text[m.start() - 1] in "\n，。；：")
        if day is not None and not suffix:
            return None  # a full date in prose is an event, not a deadline
        if not suffix and month is None and not lead_in:
            return None  # a year mentioned in passing
        if not suffix and month is None and after[:1] in "的年度":
            return None
        if quarter is not None:
            month, suffix = quarter * 3, "底"  # 第三季度(末前): the quarter's last day
        date = _fixed_date(year, month, day, suffix)
        if date is None:
            return None
        start = m.start()
        return Deadline("", "fixed", date=date, start=start, end=m.end())

    def _since_event(self, m: re.Match[str], text: str) -> Deadline | None:
        event = m.group(1)
        # the event begins after the last preposition (在本意见印发之日起 → 本意见印发之日起)
        # or after an outline marker (1.本方案印发之日起…)
        cut = max((event.rfind(p) + len(p) for p in _LEADING if p in event), default=0)
        marker = re.match(r"^\s*(?:[0-9]{1,2}[.．、]|[（(][一二三四五六七八九十0-9]+[）)]|[一二三四五六七八九十]+、)", event)
        cut = max(cut, marker.end() if marker else 0)
        start = m.start(1) + cut
        return Deadline("", "relative", start=start, end=m.end())

    def _next_period(self, m: re.Match[str], text: str) -> Deadline:
        head = m.group(1)
        cut = max((head.rfind(p) + len(p) for p in _LEADING if p in head), default=0)
        return Deadline("", "relative", start=m.start(1) + cut, end=m.end())

    def _not_exceed(self, m: re.Match[str], text: str) -> Deadline:
        return Deadline("", "relative")

    def _duration(self, m: re.Match[str], text: str) -> Deadline | None:
        if text[max(0, m.start() - 1): m.start()] in ("满", "第", "近"):
            return None
        if (to_int(m.group(3) or m.group(2) or "0") or 0) >= 1900:
            return None  # 2025年内 is a year, read by the date pattern
        if self.cues.benefit_before.search(text[max(0, m.start() - 8): m.start()]) \
                or self.cues.benefit_after.match(text[m.end():]):
            return None  # a benefit or validity period (享受3年内减半征收), not a time limit
        return Deadline("", "relative")


def _fixed_date(year: int, month: int | None, day: int | None, suffix: str) -> str | None:
    if suffix in ("上半年", "年中"):
        return f"{year}-06-30"
    if month is None:
        return f"{year}-12-31"
    if day is not None:
        if suffix in ("前", "以前", "之前"):
            return f"{year:04d}-{month:02d}-{day:02d}"
        return f"{year:04d}-{month:02d}-{day:02d}"
    if suffix in ("前", "以前", "之前"):
        return month_end(year, month - 1) if month > 1 else f"{year - 1}-12-31"
    return month_end(year, month)


def ongoing_deadline(text: str, start: int, phrases: list[str]) -> Deadline | None:
    """长期坚持 / 持续推进 in a 完成时限 label or column: an ongoing duty (as an adverb in
    prose these words are no deadline, so only the caller that knows the context asks)."""
    value = text.strip().rstrip("。；;")
    if value not in phrases:
        return None
    offset = start + text.index(value)
    return Deadline(value, "ongoing", start=offset, end=offset + len(value))


def _non_overlapping(found: list[Deadline]) -> list[Deadline]:
    """Keep the longest of overlapping matches; earlier patterns win ties."""
    chosen: list[Deadline] = []  # kept in text order; chosen matches never overlap
    starts: list[int] = []
    for candidate in sorted(found, key=lambda d: (-(d.end - d.start), d.start)):
        i = bisect.bisect_left(starts, candidate.start)
        # only the neighbours in text order can overlap it
        if i > 0 and chosen[i - 1].end > candidate.start:
            continue
        if i < len(chosen) and chosen[i].start < candidate.end:
            continue
        chosen.insert(i, candidate)
        starts.insert(i, candidate.start)
    return chosen
