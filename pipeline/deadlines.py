"""Deadlines: when, or how often, an addressee must act, read with a grammar built from parts.

A **time point** is ``[year][month | quarter | half | season | position | named day][day][suffix]``
(2019年6月底前, 今年年内, 2027年首季, 秋季开学前, 国庆节前, 2030 年末). A season or a point of the
farming, school or flood year (春播, 夏收, 汛期, 秋季学期开学) has no date; without a year it is a
point only with a suffix, opening its clause (春播前完成…, 夏收前后…). Its year is printed or
inherited: from the point before it in a range or coordination (分别于2027年6月30日和9月30日前),
from an earlier point of the same sentence (每年2月底前……，3月底前……), or from the reference
year (the document's) when only a month is printed (六月底前).

Points compose. A **range** (2027年4―6月, 9月1日至30日, 2027年10月——2028年2月) prints the whole
span and is due at its end; a **coordination** gives one deadline per point and shares the last
point's 前. A **recurrence** is a point under 每 (每年3月底前; 每周一, on Mondays; 每季度末 and
每季度首月10日前, months of each quarter, written YEARLY with BYMONTH as the corpus writes them), a
limit after a recurring event (每季度结束后10日内), a rhythm list (每月一检查、一季一评估,
“月调度、季督查、年考核”, 一月一专题), a by-period word (按年度, 逐年, 按季度或月份), or 'N units
once' (两个月安排一次). A **duration** (三年内, 5个工作日内, 一学期内, 用两年左右时间), a notice
ahead (提前3个工作日), the day of an event (发现问题当日) and a start after an event (自…之日起,
…的次月起) are ``relative``; a start on the calendar (2019年起, 今年起) is ``ongoing``; neither
has a date.

The printed text leaves out a leading 到/在/于/从/自 and keeps 前/底/起/内; 月底 is the month's
last day, 年底 Dec 31, 上半年 Jun 30, approximate points (年初, 秋季) have no date. Amounts per
period (每月800元), benefit and validity periods, effective dates (自…起施行), events in prose
(于2019年1月12日召开) and past years (2016年以来, 上年底, a year before the reference year) are
no deadline. Given the document's date (``find(..., reference=date)``), any point that ends
before it is narration too (2026年4月16日至18日，调研组… in a notice of August 2026).

The vocabulary is ``pipeline/resources/deadlines.json`` (``cues.raw["deadline"]``), compiled once
per `Cues`. Each pattern is scanned once over the text and every check after a match looks at
a bounded window, so the cost grows linearly with the text.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, cast

from pipeline.errors import ResourceError
from pipeline.grammar import SENTENCE_ENDS
from pipeline.model import Deadline
from pipeline.numerals import CN_NUM, NUMBER, month_end, to_int
from pipeline.resources import Cues
from pipeline.structure import strip_marker

# --- numerals as dates print them ------------------------------------------------------------
_SP = "[ \u3000\u00a0]?"  # a typeset space inside a date (2030 年末); runs are already collapsed
_ARABIC = "0-9０-９"
_YEAR = (rf"(?<![{_ARABIC}])(?:19|20|１９|２０)[{_ARABIC}]{{2}}(?![{_ARABIC}])"
         rf"|(?<![{CN_NUM}])[一二][〇○零Ｏ一二三四五六七八九]{{3}}")
_MONTH = (rf"(?<![{_ARABIC}])(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９])(?![{_ARABIC}])"
          r"|十[一二]?|[一二三四五六七八九]")
_DAY = (rf"(?<![{_ARABIC}])(?:3[01]|[12][0-9]|0?[1-9]|３[０１]|[１２][０-９]|０?[１-９])(?![{_ARABIC}])"
        r"|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]")
_HAN = "\u4e00-\u9fff"
_NUMERAL_CHARS = frozenset(f"0123456789０１２３４５６７８９{CN_NUM}")
#: what separates the cells of a table row in a document's text, and ends its line
_CELL_BOUNDS = "\t\n"
_EVERY_YEAR = "every year"  # the sentence's year is 每年: its points recur
# the groups of a point's body (what it names besides its year or 每)
_BODY_GROUPS = ("month", "day", "bday", "quarter", "first_q", "half", "season", "some_time", "mid", "pos",
                "weekday", "period_month")


def _alt(words: Any) -> str:
    """An alternation of literal words, longest first (so 季度 is tried before 季)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _entries(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if not k.startswith("_")}


# --- the grammar, compiled once per Cues -----------------------------------------------------
@dataclass(frozen=True)
class _Grammar:
    """The deadline vocabulary of one `Cues`, compiled into the patterns the reader scans."""

    points: re.Pattern[str]
    named: re.Pattern[str]
    plans: re.Pattern[str]
    rhythms: re.Pattern[str]
    rhythm_item: re.Pattern[str]
    pairs: re.Pattern[str]
    by_period: re.Pattern[str]
    by_period_word: re.Pattern[str]
    quantities: re.Pattern[str]
    events: re.Pattern[str]
    season_heads: re.Pattern[str]
    monthly_cycle: re.Pattern[str]
    event_tail: re.Pattern[str]
    limits: re.Pattern[str]
    same_day: re.Pattern[str]
    every_event: re.Pattern[str]
    ongoing: re.Pattern[str]
    link: re.Pattern[str]
    sentence_end: re.Pattern[str]
    event_boundary: re.Pattern[str]
    min_count: re.Pattern[str]
    hour_of_day: re.Pattern[str]
    day_part: re.Pattern[str]
    last_days: dict[str, str]
    end_position: str  # the position word of a period's end (底)
    from_now_until: dict[str, list[str]]
    word_before_qian: str
    last_day: re.Pattern[str]
    amount_after: re.Pattern[str]
    time_amount_after: re.Pattern[str]
    benefit_before: re.Pattern[str]
    validity_before: re.Pattern[str]
    measure_before: re.Pattern[str]
    benefit_after: re.Pattern[str]
    effective_after: re.Pattern[str]
    event_after: re.Pattern[str]
    not_after_year: re.Pattern[str]
    past_before: re.Pattern[str]
    as_of_before: re.Pattern[str]
    lead_in_before: re.Pattern[str]
    scheduled_before: re.Pattern[str]
    lead_in_compound: re.Pattern[str]
    duration_span_lead: re.Pattern[str]
    limit_lead_before: re.Pattern[str]
    limit_duty_before: re.Pattern[str]
    periods: dict[str, tuple[str, int] | None]
    weekdays: dict[str, str]
    period_months: dict[str, int | str]
    pair_points: dict[str, int]
    period_points: dict[str, str]
    positions: dict[str, str | int]
    suffixes: dict[str, str]
    relative_years: dict[str, int]
    half_years: dict[str, tuple[int, int]]
    some_time: dict[str, tuple[int, int]]
    named_days: dict[str, tuple[int, int] | None]
    plan_periods: dict[str, int]
    plan_parts: dict[str, int]
    units: dict[str, tuple[str, int] | None]
    event_openers: tuple[str, ...]
    lead_in_chars: str
    position_lead_in_chars: str
    within_not_before: str
    span_to: tuple[str, ...]
    not_after_bare_year: str
    not_this_year_chars: str
    duration_not_after: str
    half_not_after: str
    duration_span_not_before: str
    link_chars: frozenset[str]
    before_event_not_after: str
    advance_words: tuple[str, ...]
    #: a necessary condition: a text without any of these holds no deadline
    time_words: re.Pattern[str]


def _grammar(cues: Cues) -> _Grammar:
    """The compiled grammar of ``cues`` (compiled once, when the cues are loaded)."""
    return cast(_Grammar, cues.deadline_grammar)


def compile_grammar(raw: dict[str, Any]) -> _Grammar:
    """The deadline grammar of a ``deadlines.json`` vocabulary; ResourceError when it is broken."""
    try:
        return _compile(raw)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ResourceError(f"deadlines.json: bad deadline vocabulary: {exc!r}") from exc


def _pair(value: Any) -> tuple[int, int]:
    first, second = value
    return int(first), int(second)


def _month_day(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    month, day = value.split("-")
    return int(month), int(day)


def _rule_part(value: Any) -> tuple[str, int] | None:
    if value is None:
        return None
    freq, interval = value
    return str(freq), int(interval)


def _compile(raw: dict[str, Any]) -> _Grammar:
    periods = {k: _rule_part(v) for k, v in _entries(raw["periods"]).items()}
    period_points = {k: str(v) for k, v in _entries(raw["period_points"]).items()}
    positions: dict[str, str | int] = dict(_entries(raw["positions"]))
    suffixes = {k: str(v) for k, v in _entries(raw["suffixes"]).items()}
    relative_years = {k: int(v) for k, v in _entries(raw["relative_years"]).items()}
    named_days = {k: _month_day(v) for k, v in _entries(raw["named_days"]).items()}
    units = {k: _rule_part(v) for k, v in _entries(raw["duration_units"]).items()}
    plan_periods = {str(k): int(v) for k, v in raw["plan_periods"].items()}
    plan_parts = {k: int(v) for k, v in _entries(raw["plan_parts"]).items()}
    not_position = _entries(raw["not_a_position_after"])
    noun_chars = f"[{re.escape(raw['period_noun_chars'])}]"
    noun = f"(?!{noun_chars})"
    ranges = _alt(raw["range_marks"])
    s = _SP

    def position(word: str) -> str:
        guard = f"(?![{re.escape(not_position[word])}])" if word in not_position else ""
        if word == "中":  # a bare 中 after a year is a point only before 前 or a comma (never 2019年中央)
            guard = r"(?=前|以前|之前|[和、及与，。；,;]|$)"
        return re.escape(word) + guard

    position_words = "|".join(position(w) for w in sorted(positions, key=len, reverse=True))
    season_words = (rf"(?:{_alt(raw['seasons'])})(?:{_alt(raw['season_events'])})?"
                    rf"|{_alt(raw['season_points'])}")
    season_suffixes = _alt(w for w, kind in suffixes.items() if kind in ("by", "around", "start"))
    mid_guard = f"(?![{re.escape(not_position.get('中', ''))}])" if not_position.get("中") else ""
    suffix_words = _alt(suffixes)
    weekdays = {k: str(v) for k, v in _entries(raw["weekdays"]).items()}
    period_months: dict[str, int | str] = dict(_entries(raw["period_months"]))
    week_words = _alt(w for w, rule in periods.items() if rule == ("WEEKLY", 1)) or "(?!)"
    # 每周一 / 每星期五: a weekday; 每周一次 and 每周一至两次 are counts
    weekday = rf"(?P<weekday>[{''.join(weekdays)}])(?![{re.escape(raw['weekday_not_before'])}]){noun}"
    every = (rf"每{s}(?:(?P<every_n>{NUMBER}){s})?个?"
             rf"(?P<every>(?P<week>{week_words})(?=[{''.join(weekdays)}])|{_alt(periods)}){noun}")
    year = rf"(?:(?P<year0>{_YEAR}){s}(?:{ranges}){s})?(?P<year>{_YEAR}){s}年"
    prefix = rf"(?P<prefix>{every}|{year}|(?P<rel>{_alt(relative_years)})|(?P<event_year>{_alt(raw['event_years'])}))"
    month = (rf"(?:(?P<month0>{_MONTH}){s}(?:{ranges}){s})?(?P<month>{_MONTH}){s}月份?"
             rf"(?:{s}(?:(?P<day0>{_DAY}){s}[日号]?{s}(?:{ranges}){s})?(?P<day>{_DAY}){s}[日号])?"
             rf"(?P<mpos>{position_words})?")
    body = (rf"{month}"
            # 第一、二季度 / 第三至四季度: quarters that share 季度 end with the last of them
            rf"|(?:第[一二三四1-4１-４](?:[、和及至到]|{ranges})第?|第)?(?P<quarter>[一二三四1-4１-４]){s}季度(?:末|底)?"
            rf"|(?P<first_q>{_alt(raw['first_quarter'])})"
            rf"|(?P<half>{_alt(raw['half_years'])})"
            rf"|(?P<bday>{_DAY}){s}[日号]"
            rf"|(?(week){weekday}|(?!))"
            rf"|(?(every)(?P<period_month>{_alt(period_months)})(?:{s}的?{s}(?P<pday>{_DAY}){s}[日号])?"
            rf"(?P<ppos>{position_words})?|(?!))"  # 每季度首月10日
            # a season or a point of the farming, school or flood year; without a year it needs
            # a suffix (春播前, 汛期前, 夏收前后), else it is a word (春耕生产, 汛期值守)
            rf"|(?P<season>{season_words})(?(prefix)|(?=(?:{season_suffixes})(?!{noun_chars})))"
            rf"|(?(prefix)(?P<some_time>{_alt(_entries(raw['some_time']))})|(?!))"
            rf"|(?(prefix)年|(?!))(?P<mid>中){mid_guard}"  # 2027年年中, 今年年中
            rf"|(?(prefix)[年月]?|年)(?P<pos>{position_words})"  # 每年年底, 每月月底
            r"|(?(prefix)|(?!))")
    count_words = _alt(raw["count_words"])
    count = (rf"(?(every)(?P<count_part>[{_HAN}]{{0,2}}?(?P<floor>{_alt(raw['minimum_count_words'])})?"
             rf"(?P<count>{NUMBER})(?:{count_words})(?!性))?)")
    first_chars = set("0123456789０１２３４５６７８９每年第" + CN_NUM)
    for words in (relative_years, raw["first_quarter"], raw["half_years"], raw["event_years"], raw["seasons"],
                  raw["season_points"]):
        first_chars.update(w[0] for w in words)
    points = re.compile(
        rf"(?=[{re.escape(''.join(sorted(first_chars)))}])(?:{prefix}{s})?(?:{body})"
        rf"(?P<suffix>{suffix_words})?{count}")
    # named days are scanned on their own (a literal alternation is found fast) and joined to
    # a year printed right before them (2026年春节前) when the points are composed
    # “五一”假期前: a named day may stand in quotes (the opening one is taken in when scanning, so
    # that the pattern starts with the names, which are found fast), and a holiday period after
    # it moves its date
    named = re.compile(rf"(?P<named>{_alt(named_days)})(?P<close>”)?"
                       rf"(?P<holiday>{_alt(raw['holiday_periods'])})?(?P<suffix>{_alt(raw['named_day_suffixes'])})?")

    plan_heads = []
    for name in sorted(plan_periods, key=len, reverse=True):
        plan_heads += [f"“{re.escape(name)}”?", re.escape(name)]
    plans = re.compile(rf"(?P<head>{'|'.join(plan_heads)}){s}(?P<part>{_alt(plan_parts)})")

    period_words = _alt(list(periods) + list(period_points))
    stops = _alt(raw["rhythm_activity_stops"])
    act0 = rf"(?:(?!{stops})[{_HAN}]){{0,6}}"
    act1 = rf"(?:(?!{stops})[{_HAN}]){{1,6}}"
    marked_item = rf"(?:每{s}|一)?(?:{period_words}){noun}一?{act0}"
    bare_item = rf"(?:{period_words}){noun}{act1}"
    closers = re.escape(raw["rhythm_closers"])
    pair_points = {k: int(v) for k, v in _entries(raw["pair_points"]).items()}
    pair_words = _alt(pair_points)
    joiners = _alt(raw["coordinators"])
    # each alternative opens with a literal, so the scan skips to 每, 一 or an opening quote
    rhythms = re.compile("|".join([
        rf"每{s}(?:{period_words}){noun}一?{act0}(?:、{marked_item})+",
        rf"一(?:{period_words}){noun}一(?![日号]){act1}(?:、{marked_item})*",
        *(rf"{re.escape(o)}{bare_item}(?:、{bare_item})+(?=[{closers}])" for o in raw["rhythm_openers"]),
    ]))
    pairs = re.compile("|".join([
        rf"每年(?:{pair_words})(?:{joiners})(?:{pair_words})",
        *(rf"{re.escape(w)}(?:{joiners})(?:{pair_words})" for w in sorted(pair_points)),
        # 每年4月和10月: months of every year, no day in them named
        rf"每年{s}(?P<months>(?:(?:{_MONTH}){s}月份?{s}(?:{joiners}){s})+(?:{_MONTH}){s}月份?)"
        rf"(?![{_ARABIC}日号]|{position_words})",
        # 每年6月25日前和12月25日前: the same day of months of every year, one rule
        rf"每年{s}(?P<days>(?:(?:{_MONTH}){s}月{s}(?:{_DAY}){s}[日号](?:{suffix_words})?{s}(?:{joiners}){s})+"
        rf"(?:{_MONTH}){s}月{s}(?:{_DAY}){s}[日号](?:{suffix_words})?)",
    ]))
    rhythm_item = re.compile(
        rf"(?P<every>每{s})?(?P<one>一)?(?P<period>{period_words}){noun}(?P<once>一)?(?P<act>{act0})")

    by_period = re.compile(
        rf"(?:{_alt(raw['by_period_words'])}){s}(?:{_alt(periods)}){noun}"
        # an activity follows (按月调度), or the words fill a cell of a time column
        rf"(?:{s}(?:{_alt(raw['period_alternatives'])}){s}(?:{_alt(periods)}){noun})*(?=[{_HAN}]|[\t\n]|$)")
    by_period_word = re.compile(_alt(periods))

    unit_words = _alt(units)
    numerals = re.escape("".join(sorted(_NUMERAL_CHARS)))
    span_ends = re.escape("".join({w[-1] for w in raw["duration_span"] + raw["duration_within"]}))
    quantities = re.compile(
        # starts only at the first numeral of a run, so a long run of digits is read once
        rf"(?<![{numerals}])(?=[{numerals}半])(?:(?P<n0>{NUMBER}){s}(?:{ranges}){s})?"
        rf"(?P<n>{NUMBER}|半){s}(?P<unit>{unit_words})"
        rf"(?:(?P<once>[{_HAN}]{{0,2}}?(?:{_alt(raw['once_words'])}))"
        rf"|(?P<approx>{_alt(raw['duration_approximate'])})?(?P<of>的)?(?P<span>{_alt(raw['duration_span'])})?"
        rf"(?P<within>{_alt(raw['duration_within'])})?(?<=[{span_ends}]))")  # a span or a limit, not 3年 alone
    anchors = _alt(raw["event_anchors"] + raw["next_periods"])
    # …后5日内 counts from an event; 届满前1个月内 / 试鸣前一周 counts back to one (every branch
    # opens with a literal, so that the scan skips to where one can start; what may stand
    # before 前 is checked by `events`)
    events = re.compile(rf"{anchors}|[后前](?={NUMBER}{s}(?:{unit_words}))")
    # 流感高发季节前, 旅游旺季前: a season named by what happens in it (the words before the
    # head are found by `seasons_named_by_events`); not a modifier (旺季前的准备, 旺季前各项
    # 准备) nor the anchor of a count back (旺季前一个月, which `events` reads)
    season_heads = re.compile(rf"(?:{_alt(raw['season_heads'])})"
                              rf"(?:{_alt(w for w, kind in suffixes.items() if kind in ('by', 'around'))})"
                              rf"(?![的各{numerals}]|{noun_chars})")
    event_tail = re.compile(
        rf"{s}(?:(?P<n>{NUMBER}){s}(?P<unit>{unit_words})|(?P<day>{_DAY}){s}[日号])?"
        rf"{s}(?P<tail>{_alt(raw['duration_within'])}|之前|前|起)?")
    limits = re.compile(rf"(?:(?P<limit>{_alt(raw['limit_words'])})|(?P<advance>{_alt(raw['advance_words'])}))"
                        rf"{s}{NUMBER}{s}(?P<unit>{unit_words})")
    same_day = re.compile(rf"(?<=[{_HAN}])(?<![{re.escape(raw['same_day_not_after'])}])"
                          rf"(?:{_alt(raw['same_day_words'])})(?:{_alt(raw['duration_within'])})?"
                          rf"(?=[{_HAN}])(?![{re.escape(raw['same_day_not_before'])}])")
    every_event = re.compile(rf"每{s}(?:(?P<n>{NUMBER}){s})?个?(?P<period>{_alt(periods)}){noun}"
                             rf"(?P<end>{_alt(raw['period_end_events'])})?")
    ongoing = re.compile(rf"(?:{_alt(raw['ongoing_predicates'])})(?={raw['ongoing_predicate_end']})")

    link = re.compile(rf"{s}(?P<range>{ranges})?(?P<coord>{joiners})?{s}")
    sentence_end = re.compile(f"[{re.escape(raw['sentence_ends'])}]")
    boundaries = re.escape(raw["event_boundaries"])
    # every deadline the readers build holds a time character or one of the words that carry
    # a time without one (元旦, 开学, 十四五, 常态化)
    time_words = re.compile(f"[{re.escape(raw['time_word_chars'])}]|" + _alt(
        [*named_days, *raw["season_events"], *plan_periods, *raw["ongoing_phrases"]]))
    return _Grammar(time_words=time_words, before_event_not_after=raw["before_event_not_after"],
        advance_words=tuple(raw["advance_words"]),
        points=points, named=named, plans=plans, rhythms=rhythms, rhythm_item=rhythm_item, pairs=pairs, by_period=by_period,
        by_period_word=by_period_word, quantities=quantities, events=events, season_heads=season_heads, event_tail=event_tail,
        monthly_cycle=re.compile(_alt(raw["monthly_cycle_words"])),
        limits=limits, same_day=same_day, every_event=every_event, ongoing=ongoing, link=link,
        sentence_end=sentence_end,
        event_boundary=re.compile(f"[{boundaries}][^{boundaries}]*$"),
        min_count=re.compile(
            rf"(?:{_alt(raw['minimum_count_words'])})[{_HAN}]{{0,6}}?(?P<count>{NUMBER})"
            rf"(?:{count_words})"),
        # 下午下班前: parts of a day may follow one another
        day_part=re.compile(rf"(?:{s}(?:{_alt(raw['hour_of_day']['day_parts'])}))+"),
        last_days=dict(_entries(raw["last_days"])),
        end_position=next(w for w, v in positions.items() if v == "end"),
        from_now_until={k: sorted(v, key=len, reverse=True) for k, v in _entries(raw["from_now_until"]).items()},
        word_before_qian=raw["word_before_前"],
        last_day=re.compile(rf"{s}的?(?P<last>{_alt(_entries(raw['last_days']))})"),
        hour_of_day=re.compile(
            rf"{s}(?:(?P<am>{_alt(raw['hour_of_day']['morning'])})|(?P<pm>{_alt(raw['hour_of_day']['afternoon'])}))?"
            rf"{s}(?P<hour>{NUMBER}){s}(?:{_alt(raw['hour_of_day']['units'])})"
            rf"(?:{_alt(raw['hour_of_day']['suffixes'])})?"),
        amount_after=re.compile(raw["amount_after"]),
        # 每天…活动时间不少于1小时: a length of time per period, no rhythm of an act
        time_amount_after=re.compile(
            rf"[^{re.escape(raw['sentence_ends'])}，,]{{0,14}}?(?:{_alt(raw['time_measure_nouns'])})"
            rf"(?:{_alt(raw['minimum_count_words'])}|不低于|达到)"
            rf"{s}{NUMBER}{s}(?:{unit_words})"),
        benefit_before=re.compile(raw["benefit_before"]),
        validity_before=re.compile(raw["validity_before"]),
        measure_before=re.compile(raw["measure_before"]),
        benefit_after=re.compile(raw["benefit_after"]),
        effective_after=re.compile(raw["effective_after"]),
        event_after=re.compile(f"(?:{_alt(raw['event_adverbs'])})?(?:{_alt(raw['event_after'])})"),
        not_after_year=re.compile("|".join(f"(?:{f})" for f in raw["not_deadline_after_year"])),
        past_before=re.compile(f"(?:{_alt(raw['past_year_words'])}){s}$"),
        as_of_before=re.compile(f"(?:{_alt(raw['as_of_before'])}){s}$"),
        lead_in_before=re.compile(f"(?:{_alt(raw['year_lead_in'])}){s}$"),
        scheduled_before=re.compile(f"(?:{_alt(raw['schedule_lead_ins'])}){s}$"),
        lead_in_compound=re.compile(f"(?:{_alt(raw['year_lead_in_compounds'])}){s}$"),
        duration_span_lead=re.compile(f"(?:{_alt(raw['duration_span_leads'])}){s}$"),
        limit_lead_before=re.compile(f"(?:{_alt(raw['limit_leads'])})$"),
        limit_duty_before=re.compile(raw["limit_duty_before"]),
        periods=periods, weekdays=weekdays, period_months=period_months, pair_points=pair_points,
        period_points=period_points, positions=positions, suffixes=suffixes,
        relative_years=relative_years,
        half_years={k: _pair(v) for k, v in raw["half_years"].items()},
        some_time={k: _pair(v) for k, v in _entries(raw["some_time"]).items()},
        named_days=named_days,
        plan_periods=plan_periods, plan_parts=plan_parts, units=units,
        event_openers=tuple(raw["event_openers"]), lead_in_chars=raw["year_lead_in_chars"],
        position_lead_in_chars=raw["position_lead_in_chars"], within_not_before=raw["within_not_before"],
        span_to=tuple(raw["span_to"]),
        not_after_bare_year=raw["not_after_bare_year"], not_this_year_chars=raw["not_this_year_chars"],
        duration_not_after=raw["duration_not_after"], half_not_after=raw["half_not_after"],
        duration_span_not_before=raw["duration_span_not_before"],
        link_chars=frozenset("".join(raw["range_marks"] + raw["coordinators"]) + " \u3000"),
    )


# --- time points -------------------------------------------------------------------------------
@dataclass(slots=True)
class _Point:
    """One time point as printed, its parts read; ``year_end`` is the index after a printed 年."""

    start: int
    end: int
    year: int | None = None
    year_end: int = -1
    rel: int | None = None
    event_year: bool = False  # 次年, 下一年度: the year after an event, not after the document
    every: str | None = None
    every_n: int = 1
    weekday: str | None = None  # 每周一: the weekday's code (MO)
    period_month: int | str | None = None  # 每季度首月: which month of the period (1.., or "last")
    month: int | None = None
    day: int | None = None
    day_only: bool = False
    pos: str | None = None
    quarter: int | None = None
    half: str | None = None
    season: bool = False
    named: str | None = None
    holiday: bool = False  # 国庆假期: the holiday period the State Council sets each year, no fixed day
    some_time: str | None = None
    suffix: str | None = None
    count: int | None = None
    ranged: bool = False

    @property
    def prefix_only(self) -> bool:
        return (self.year is not None or self.rel is not None or self.every is not None) \
            and not self.has_body and self.suffix is None and self.count is None

    @property
    def has_body(self) -> bool:
        return any(x is not None for x in (self.month, self.day, self.pos, self.quarter, self.half,
                                           self.named, self.some_time, self.weekday, self.period_month)) \
            or self.season


@dataclass
class _Chain:
    """What a point carries to the next one of its range or coordination."""

    year: int | None = None
    month: int | None = None
    every: _Point | None = None


#: the last characters of outline markers (8．, 一、, （三）) and the longest marker
_MARKER_ENDS = ".．、）)"
_LONGEST_MARKER = 6
#: months: a month this far before the document's is the next year's
_HALF_YEAR = 6


def _valid(month: int | None, day: int | None) -> bool:
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


class _Reader:
    """Reads one text with one grammar; every method returns candidates in text order."""

    def __init__(self, grammar: _Grammar, text: str, reference: int | None,
                 reference_date: dt.date | None = None) -> None:
        self.g = grammar
        self.text = text
        self.reference = reference
        self.reference_date = reference_date.isoformat() if reference_date else None

    # points, ranges and coordinations ------------------------------------------------------
    def points(self) -> list[Deadline]:
        found: list[Deadline] = []
        chain: list[tuple[_Point, str | None]] = []  # (point, link to the point before)
        context: int | str | None = None  # the sentence's year, or _EVERY_YEAR
        for point in heapq.merge(self._scan_points(), self._scan_named(), key=lambda p: p.start):
            if point.named is not None and chain and chain[-1][0].prefix_only \
                    and 0 <= point.start - chain[-1][0].end <= 1:
                chain[-1] = (replace(chain[-1][0], end=point.end, named=point.named, suffix=point.suffix),
                             chain[-1][1])  # 2026年 + 春节前
                continue
            if chain:
                link = self._link(chain[-1][0].end, point.start)
                if link is not None:
                    chain.append((point, link))
                    continue
                context = self._close(chain, context, found)
                if self.g.sentence_end.search(self.text, chain[-1][0].end, point.start):
                    context = None
            chain = [(point, None)]
        if chain:
            self._close(chain, context, found)
        return found

    def _scan_points(self) -> Iterator[_Point]:
        text, link_chars = self.text, self.g.link_chars
        for match in self.g.points.finditer(text):
            if match.group("bday") and match.group("prefix") is None \
                    and not (match.start() and text[match.start() - 1] in link_chars):
                continue  # a bare day (15日) is a point only after a range mark or a conjunction
            point = self._point(match)
            if point is not None:
                yield point

    def _scan_named(self) -> Iterator[_Point]:
        quoted_name: _Point | None = None  # “五一” waiting for the full name that may follow it
        for m in self.g.named.finditer(self.text):
            quoted = m.start() > 0 and self.text[m.start() - 1] == "“"
            if m.group("close") and not quoted:
                continue  # a closing quote without its opening one: not this name's
            # “4·23”世界读书日: the day's date in quotes before its name is part of it
            dated = _QUOTED_DAY.search(self.text, max(0, m.start() - 8), m.start())
            start = dated.start() if dated else m.start() - quoted if m.group("close") else m.start()
            point = _Point(start=start, end=m.end(), named=m.group("named"), suffix=m.group("suffix"),
                           holiday=m.group("holiday") is not None)
            if quoted_name is not None:
                if quoted_name.end == point.start:  # “五一”国际劳动节前: one day, short name and full
                    point = replace(point, start=quoted_name.start)
                else:
                    yield quoted_name
                quoted_name = None
            if m.group("close") and point.suffix is None:
                quoted_name = point
                continue
            yield point
        if quoted_name is not None:
            yield quoted_name

    def _point(self, m: re.Match[str]) -> _Point | None:
        g = m.groupdict()
        year = to_int(g["year"]) if g["year"] else None
        if year is not None and not 1900 <= year <= 2100:
            return None
        month = to_int(g["month"]) if g["month"] else None
        printed_day = g["day"] or g["bday"] or g["pday"]
        day = to_int(printed_day) if printed_day else None
        if not _valid(month, day):
            return None
        quarter = to_int(g["quarter"]) if g["quarter"] else (1 if g["first_q"] else None)
        every_n = to_int(g["every_n"]) if g["every_n"] else 1
        count = to_int(g["count"]) if g["count"] else None
        end = m.end()
        if g["floor"]:  # 每周巡查不少于3次: a floor of the count; the rhythm is the period's
            count, end = None, m.start("count_part")
        if count is not None and any(g[k] for k in _BODY_GROUPS):
            count, end = None, m.start("count_part")  # 每季度末开展一次: the point is the rhythm
        return _Point(
            start=m.start(), end=end, year=year, year_end=m.end("prefix") if year is not None else -1,
            rel=self.g.relative_years[g["rel"]] if g["rel"] else None, event_year=bool(g["event_year"]),
            every=g["every"], every_n=every_n or 1,
            weekday=self.g.weekdays[g["weekday"]] if g["weekday"] else None,
            period_month=self.g.period_months[g["period_month"]] if g["period_month"] else None,
            month=month, day=day, day_only=bool(g["bday"]),
            pos=g["mpos"] or g["pos"] or g["mid"] or g["ppos"], quarter=quarter, half=g["half"],
            season=bool(g["season"]),
            some_time=g["some_time"], suffix=g["suffix"], count=count,
            ranged=bool(g["year0"] or g["month0"] or g["day0"]))

    def _link(self, end: int, start: int) -> str | None:
        """'range' or 'coord' when only a dash, 至/到 or 和/、/及 separates two points."""
        if start - end > 6:
            return None
        m = self.g.link.fullmatch(self.text, end, start)
        if m is None or (m.group("range") is None) == (m.group("coord") is None):
            return None
        return "range" if m.group("range") else "coord"

    def _close(self, chain: list[tuple[_Point, str | None]], context: int | str | None,
               found: list[Deadline]) -> int | str | None:
        """Turn a chain of linked points into deadlines; returns the sentence's year after it."""
        units: list[tuple[_Point, _Point]] = []
        for point, link in chain:
            if link == "range" and units:
                units[-1] = (units[-1][0], point)
            else:
                units.append((point, point))
        last = units[-1][1]
        shared = self.g.suffixes.get(last.suffix or "") if len(units) > 1 else None
        carried = _Chain()
        joined = False
        for index, (first, point) in enumerate(units):
            if index < len(units) - 1 and last.pos and point.month is not None and point.day is None \
                    and point.pos is None and point.suffix is None:
                point = replace(point, pos=last.pos)  # 3月、6月、9月底前: every month ends at 底
            deadline, year = self._unit(first, point, shared, carried, context, joined)
            joined = deadline is not None
            if deadline is not None:
                found.append(deadline)
            if point.every is not None or first.every is not None:
                carried.every = point if point.every is not None else first
                context = _EVERY_YEAR if self._yearly(carried.every) else context
            elif year is not None:
                carried.year = year
                if self.reference is None or year >= self.reference:
                    context = year
            carried.month = point.month or first.month or carried.month
        return context

    def _unit(self, first: _Point, point: _Point, shared: str | None, carried: _Chain,
              context: int | str | None, joined: bool = False) -> tuple[Deadline | None, int | None]:
        """One point or range as a deadline (or None), and the year it names; ``joined``: a
        conjunction joins it to a point before it that is a deadline."""
        text, g = self.text, self.g
        start, end = first.start, point.end
        ranged = first is not point or point.ranged
        own_year = point.year if point.year is not None else first.year
        if g.past_before.search(text, max(0, start - 6), start):
            return None, None  # 上年底, 去年6月
        every = point if point.every is not None else first if first.every is not None else None
        if every is not None and every is first and first is not point:
            # 每年11月至次年3月: a stretch of every period is due at its end, as a range is
            end_of = _body_of(point)
            if point.month is not None and point.day is None and point.pos is None:
                end_of["pos"] = g.end_position
            every = replace(first, **end_of)
        if every is not None:
            return self._every(every, start, end), None
        if self._rejected_by_context(first, point):
            return None, None
        kind_of_suffix = g.suffixes.get(point.suffix or "") or shared
        if point.day_only and point.month is None:
            month = first.month if ranged and first is not point else carried.month
            if month is None and carried.every is None:
                return None, own_year  # a bare day needs the month (or 每月) of the point before it
            point = replace(point, month=month, day_only=month is None)
        # 每年3月、9月: a point coordinated after a rhythm's point is one more point of it
        rhythm = carried.every if point.year is None and point.rel is None else None
        one_more_month = rhythm is not None and point.month is not None
        if not one_more_month and not self._strong(first, point, ranged, kind_of_suffix, joined):
            # 形成2091年市级预算草案，12月中旬前完成: a year that names a thing (the budget of
            # 2091) is no time of the sentence; a month or a day in passing still is
            bare_year = point.month is None and point.quarter is None and point.half is None and point.pos is None
            return None, None if bare_year and point.year is not None else own_year
        if self._before_reference(first.year if first.year is not None else own_year):
            return None, own_year  # a start or a span that began before the document: narrated
        if kind_of_suffix == "start" and point.named is None:
            if own_year is not None and self._before_reference_date(point, own_year):
                return None, own_year  # 2004年8月8日后停止监测, in a later document: narrated
            return Deadline(text[start:end], "ongoing", start=start, end=end), own_year
        if rhythm is not None:
            return self._every(replace(rhythm, **_body_of(point)), start, end), None
        if point.event_year:  # 次年3月底前: a year after an event; in a yearly rhythm, every year
            if context == _EVERY_YEAR:
                return Deadline(text[start:end], "recurring", rrule=_yearly_rule(g, point), start=start, end=end), None
            # 次年1月20日前 in a plan that names no year: the year after the document's
            named = self._year_of_its_sentence(start)
            if named is None and self.reference_date is not None:
                named = self.reference
            if named is None:
                return Deadline(text[start:end], "relative", start=start, end=end), None
            # 2032年度…执行情况于次年1月15日前报送: the year after the one its sentence names
            date = _fixed_date(g, point, named + 1, kind_of_suffix)
            return Deadline(text[start:end], "fixed", date=None if date == "invalid" else date,
                            start=start, end=end), None
        year = self._year(point, own_year, carried, context)
        if year == _EVERY_YEAR or (year is None and point.named is not None):
            rule = _yearly_rule(g, point) if point.named is None or _named_day(g, point) else None
            return Deadline(text[start:end], "recurring", rrule=rule, start=start, end=end), None
        if isinstance(year, int):
            if self._before_reference(year):
                return None, year  # a past year narrated, not a deadline
            date = _fixed_date(g, point, year, kind_of_suffix if not ranged else None)
            if date == "invalid" or self._before_reference_date(point, year, date):
                return None, year
            return Deadline(text[start:end], "fixed", date=date, start=start, end=end), year
        return Deadline(text[start:end], "fixed", start=start, end=end), None

    def _year_of_its_sentence(self, at: int) -> int | None:
        """The last year printed in the sentence before ``at`` (2032年度…), if any."""
        years = _PRINTED_YEAR.findall(self.text, self._sentence_start(at), at)
        return to_int(years[-1]) if years else None

    def _sentence_start(self, at: int) -> int:
        """Where the sentence that holds ``at`` begins."""
        return max(self.text.rfind(end, 0, at) for end in SENTENCE_ENDS) + 1

    def _sentence_end(self, at: int) -> int:
        """Where the sentence that holds ``at`` ends (its closing mark, or the end of the text)."""
        return min((i for i in (self.text.find(end, at) for end in SENTENCE_ENDS) if i >= 0), default=len(self.text))

    def _before_reference(self, year: int | None) -> bool:
        return year is not None and self.reference is not None and year < self.reference

    def _before_reference_date(self, point: _Point, year: int, date: str | None = None) -> bool:
        """Does the point end before the document's date (its day, month, year, or the first
        quarter for 年初)? Such a point is narrated, not set."""
        if self.reference_date is None:
            return False
        if date is None or date == "invalid":
            date = _fixed_date(self.g, replace(point, suffix=None), year, None)
        if date is None and self.g.positions.get(point.pos or "") == "start":
            date = month_end(year, 3) if point.month is None else f"{year:04d}-{point.month:02d}-10"
        return date is not None and date != "invalid" and date < self.reference_date

    def _rejected_by_context(self, first: _Point, point: _Point) -> bool:
        """Figures as of a date (截至2018年底), years of a period up to now or of an edition
        (2016年以来, 2018年度), imprints and events (2019年1月印发, 自…起施行) and spans
        (2021年前10个月)."""
        text, g = self.text, self.g
        if g.suffixes.get(point.suffix or "") != "by" and g.as_of_before.search(text, max(0, first.start - 4), first.start):
            return True
        if g.validity_before.search(text, max(0, first.start - 24), first.start):
            return True  # 执行期限为2019年1月1日至2023年12月31日: how long a rule applies
        for p in (first, point):
            if p.year_end >= 0 and g.not_after_year.match(text, p.year_end):
                return True
        plain_date = not any(x is not None for x in (point.pos, point.quarter, point.half, point.some_time))
        # 2019年1月举办: the date of an event; 4月至9月举办: the span of an activity (a plan's
        # 9月举办培训班, a month of its own year, schedules the act: its time to act)
        scheduled_month = point.year is None and point.day is None and point.month is not None
        if plain_date and first is point and not point.ranged and g.suffixes.get(point.suffix or "") != "by" \
                and not scheduled_month and g.event_after.match(text, point.end):
            return True
        if g.suffixes.get(point.suffix or "") == "start" and g.effective_after.match(text, point.end, point.end + 4):
            return True
        # 2021年前10个月: a span of the year, not a deadline before it (12月底前5个设区市完成: a
        # count of what is due)
        return point.suffix == "前" and _SPAN_OF_PERIODS.match(text, point.end) is not None

    def _strong(self, first: _Point, point: _Point, ranged: bool, suffix: str | None, joined: bool = False) -> bool:
        """Is this a time point that states when, rather than a date or year in passing?"""
        text = self.text
        if point.named is not None:
            return suffix is not None  # 春节前; 元旦、春节前 (one 前 shared)
        if point.season and point.year is None and point.rel is None and not point.event_year:
            # 春播前完成…, 在汛期前…: a point of the year that opens its clause (not 做好春耕前准备),
            # or that a conjunction joins to a point before it (春节前和秋季开学前)
            return suffix is not None and (joined or self._lead_in(point.start, self.g.position_lead_in_chars))
        if point.year is None and point.rel is None and not point.event_year and suffix is None \
                and (point.half is not None or point.quarter is not None):
            return self._lead_in(point.start, self.g.position_lead_in_chars)  # 下半年启动…, not 上半年全市完成的
        if point.pos is not None and point.year is None and point.rel is None and point.month is None:
            before = text[point.start - 1:point.start] if point.start else ""
            if before and before in self.g.not_this_year_chars:
                return False  # 上年底, 三年内, 全年内: part of another word
            if suffix is None:  # a bare 年底 opens its clause (年底前…, 力争年内…), else modifies (年底考核)
                return self._lead_in(point.start, self.g.position_lead_in_chars)
        if ranged and point.year is not None and not point.has_body and suffix is None:
            # 2026—2028年，… states a horizon; 2024-2026年 in a plan's title (…年工作规划) does not
            # (2026—2028年期间 has the suffix 期间)
            after = text[point.end:point.end + 1]
            return self._bare_year(first, point) and (not after or after in self.g.lead_in_chars)
        if ranged or suffix is not None:
            return True
        if point.day is not None:  # a full date in prose is an event (于2019年1月12日召开),
            # unless it ends a span (即日起至…), fills a table cell of its own (a time column) or
            # is the day an act is set for or asked by (定于9月18日试鸣, 请于6月30日报送)
            return text.startswith(self.g.span_to, first.start - 1) or self._fills_its_cell(first, point) \
                or self.g.scheduled_before.search(text, max(0, first.start - 6), first.start) is not None
        if point.month is not None:
            # 9月中旬举办…: a part of a month names a time to act even without its year; so does
            # a month that opens a table cell or a field (a time column: 9月; 进度安排：11月)
            # (验收巩固阶段（10月）: a month alone in brackets after a phase is its time)
            # 9月举办培训班: a month that opens its clause and is followed by the act names its time
            after = text[point.end:point.end + 1]
            return point.year is not None or point.rel is not None or (point.pos is not None and point.day is None) \
                or (first.start > 0 and text[first.start - 1] in "\t：:") \
                or ("\u4e00" <= after <= "\u9fff" and after not in self.g.not_after_bare_year
                    and self._lead_in(first.start, self.g.position_lead_in_chars)) \
                or (first.start > 0 and text[first.start - 1] in "（(" and text[point.end:point.end + 1] in "）)")
        if point.has_body:
            return True
        if point.rel is not None or point.year is None:
            return False  # 今年, 下一年度 alone name no time to act by
        return self._bare_year(first, point)

    def _fills_its_cell(self, first: _Point, point: _Point) -> bool:
        """A table cell of its own: bounded by the row's tabs (a date line alone is a signature's)."""
        text = self.text
        before = text[first.start - 1] if first.start else "\n"
        after = text[point.end] if point.end < len(text) else "\n"
        return before in _CELL_BOUNDS and after in _CELL_BOUNDS and "\t" in (before, after)

    def _bare_year(self, first: _Point, point: _Point) -> bool:
        after = self.text[point.end:point.end + 1]
        return self._lead_in(first.start, self.g.lead_in_chars) and (not after or after not in self.g.not_after_bare_year)

    def _lead_in(self, start: int, chars: str) -> bool:
        """到2020年 / 2020年，…: a point that opens its clause or follows 到/在/力争 (not 关于); an
        item's outline marker (8．第四季度开展…) opens a clause too."""
        if start == 0 or self.text[start - 1] in chars:
            return True
        if self.text[start - 1] in _MARKER_ENDS:
            prefix = self.text[self.text.rfind("\n", 0, start) + 1:start].strip(" \u3000")
            if len(prefix) <= _LONGEST_MARKER and not strip_marker(prefix):
                return True
        window = max(0, start - 4)
        return bool(self.g.lead_in_before.search(self.text, window, start)) \
            and not self.g.lead_in_compound.search(self.text, window, start)

    def _year(self, point: _Point, own_year: int | None, carried: _Chain,
              context: int | str | None) -> int | str | None:
        if own_year is not None:
            return own_year
        if point.rel is not None:
            return None if self.reference is None else self.reference + point.rel
        if carried.year is not None:
            return carried.year
        if context is not None:
            return context
        if point.named is not None:
            return None
        return self._nearest_year(point)

    def _nearest_year(self, point: _Point) -> int | None:
        """The document's year for a month printed without one; in a document of the year's last
        months, a time to act by (a part of a month, a limit) more than half a year before its
        date is the next year's (a winter plan of December: 1月上旬, 3月底前); a bare month there
        narrates (5月完成了…)."""
        if self.reference is None or self.reference_date is None or point.month is None \
                or (point.pos is None and point.suffix is None):
            return self.reference
        month = int(self.reference_date[5:7])
        return self.reference + 1 if month - point.month > _HALF_YEAR else self.reference

    def _yearly(self, point: _Point) -> bool:
        rule = self.g.periods.get(point.every or "")
        return rule is not None and rule == ("YEARLY", 1) and point.every_n == 1

    def _every(self, point: _Point, start: int, end: int) -> Deadline | None:
        """每年3月底前, 每季度末, 每两个月, 每年召开两次: a recurrence."""
        text, g = self.text, self.g
        if g.amount_after.match(text, end) or g.time_amount_after.match(text, end):
            return None  # 每月800元, 每天锻炼时间不少于1小时: an amount per period
        # 每季度至少开展1次, 每月不少于两次: a least count stays out of the span and the rule,
        # which is the period's
        base = g.periods.get(point.every or "")
        rule = _every_rule(g, point, base, point.count)
        # a time of the day after a day that recurs: 每日16时前 (BYHOUR), 每周一下班前, 每月5日12时前
        names_a_day = base == ("DAILY", 1) or point.weekday is not None or point.day is not None
        # 每月最后一个工作日, 每月最后一天: the last (working) day of every period
        last = g.last_day.match(text, end) if base is not None and not names_a_day and point.count is None \
            and point.period_month is None and point.pos is None else None
        if last is not None and rule:
            end, rule = last.end(), f"{rule};{g.last_days[last.group('last')]}"
        # 每月25日至月底: a stretch of every month that runs to its end
        if base == ("MONTHLY", 1) and point.day is not None \
                and (to_end := next((w for w in g.from_now_until["to_month_end"] if text.startswith(w, end)), None)):
            return Deadline(text[start:end + len(to_end)], "recurring", rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
                            start=start, end=end + len(to_end))
        if names_a_day and point.count is None:
            hour = g.hour_of_day.match(text, end)
            if hour is not None and _hour(hour) is not None:
                end = hour.end()
                rule = f"{rule};BYHOUR={_hour(hour)}" if rule else rule
            elif (part := g.day_part.match(text, end)) is not None:
                end = part.end()  # 下班前: the end of that day's work, no hour
        return Deadline(text[start:end], "recurring", rrule=rule, start=start, end=end)

    # plan periods -----------------------------------------------------------------------------
    def plans(self) -> list[Deadline]:
        found = []
        for m in self.g.plans.finditer(self.text):
            head = m.group("head")
            if not head.startswith("“") and m.start() and self.text[m.start() - 1] in _NUMERAL_CHARS:
                continue  # 二十五期间 is no plan period
            end_year = self.g.plan_periods[head.strip("“”")] + self.g.plan_parts[m.group("part")]
            found.append(Deadline(m.group(), "fixed", date=f"{end_year}-12-31", start=m.start(), end=m.end()))
        return found

    # recurrences ------------------------------------------------------------------------------
    def rhythms(self) -> list[Deadline]:
        """Rhythm lists (每月一检查、一季一评估; “月调度、季督查”) and 一月一专题: one recurrence per item."""
        found: list[Deadline] = []
        g, text = self.g, self.text
        for m in g.rhythms.finditer(text):
            opener = m.group()[0]
            if opener == "一" and m.start() and text[m.start() - 1] in _NUMERAL_CHARS | {"第"}:
                continue  # 十一月一日, 第一年一次: numbers, not a rhythm
            start = m.start() + (0 if opener in "每一" else 1)
            for item in text[start:m.end()].split("、"):
                parsed = g.rhythm_item.fullmatch(item)
                if parsed:
                    rule = _period_rule(g, parsed.group("period"))
                    found.append(Deadline(item, "recurring", rrule=rule, start=start, end=start + len(item)))
                start += len(item) + 1
        return found

    def pairs(self) -> list[Deadline]:
        """年中和年末 / 半年和年末: two points of every year under one rule."""
        found = []
        for m in self.g.pairs.finditer(self.text):
            if m.group("months"):
                listed = sorted({to_int(n) or 0 for n in _MONTH_NUMBER.findall(m.group("months"))})
                rule = f"FREQ=YEARLY;BYMONTH={','.join(map(str, listed))}"
                found.append(Deadline(m.group(), "recurring", rrule=rule, start=m.start(), end=m.end()))
                continue
            if m.group("days"):
                dates = sorted((to_int(a) or 0, to_int(b) or 0) for a, b in _MONTH_AND_DAY.findall(m.group("days")))
                days = {day for _, day in dates}
                if not all(_valid(month, day) for month, day in dates) or len(days) != 1:
                    continue  # 每年6月30日和12月31日前: days of their own, each a point that shares the 前
                rule = f"FREQ=YEARLY;BYMONTH={','.join(str(mo) for mo, _ in dates)};BYMONTHDAY={days.pop()}"
                found.append(Deadline(m.group(), "recurring", rrule=rule, start=m.start(), end=m.end()))
                continue
            months = {month for word, month in self.g.pair_points.items() if word in m.group()}
            if len(months) < 2:
                continue
            rule = f"FREQ=YEARLY;BYMONTH={','.join(map(str, sorted(months)))};BYMONTHDAY=-1"
            found.append(Deadline(m.group(), "recurring", rrule=rule, start=m.start(), end=m.end()))
        return found

    def by_period(self) -> list[Deadline]:
        """按年度, 按照季度, 逐年, 按季度或月份 (alternatives: no single rule)."""
        found = []
        for m in self.g.by_period.finditer(self.text):
            words = self.g.by_period_word.findall(m.group())
            if any((self.g.periods.get(w) or ("",))[0] == "DAILY" for w in words):
                continue  # 按日加收, 按天计算: a manner of computing, not a rhythm of work
            rule = _period_rule(self.g, words[0]) if len(words) == 1 else None
            found.append(Deadline(m.group(), "recurring", rrule=rule, start=m.start(), end=m.end()))
        return found

    # durations, limits and starts after an event ------------------------------------------------
    def quantities(self) -> list[Deadline]:
        """三年内, 5个工作日内, 用两年左右时间, 2—3年内 (relative); 两个月安排一次 (recurring)."""
        found = []
        text, g = self.text, self.g
        for m in g.quantities.finditer(text):
            n = to_int(m.group("n")) if m.group("n") != "半" else 0
            if n is None or n >= 1900:
                continue  # 2025年内 is a year, read as a point
            before = text[m.start() - 1:m.start()] if m.start() else ""
            if before and before in g.duration_not_after:
                continue  # 满3年, 第2年, 近三年
            if m.group("n") == "半" and before and before in g.half_not_after:
                continue  # 上半年组织一次: the first half of the year (a point), not once per half year
            if m.group("once"):
                base = g.units.get(m.group("unit"))
                rule = None if base is None or not n else _rule(base[0], base[1] * n)
                if m.group("n") == "半":  # 半年组织一次: the period 半年 (半月 has no rule)
                    rule = _period_rule(g, "半" + m.group("unit"))
                found.append(Deadline(m.group(), "recurring", rrule=rule, start=m.start(), end=m.end()))
                continue
            if not (m.group("within") or m.group("span")):
                continue
            after = text[m.end():m.end() + 1]
            if m.group("within") and after and after in g.within_not_before:
                continue  # 5月3日内蒙古: 内 begins another word
            if not m.group("within") and ((after and after in g.duration_span_not_before)
                                          or not g.duration_span_lead.search(text, max(0, m.start() - 3), m.start())):
                continue  # 用两年左右时间 plans ahead; 共监测了5个月时间, 三年时间里 narrate
            # 享受3年内减半征收, 离校2年内未就业: a benefit or an eligibility period; but after
            # 应在/须于 a limit is a duty's (应在3个工作日内给予答复)
            duty = g.limit_duty_before.search(text, max(0, m.start() - 4), m.start())
            if not duty and (g.benefit_before.search(text, max(0, m.start() - 8), m.start())
                             or g.benefit_after.match(text, m.end())):
                continue
            if g.measure_before.search(text, max(0, m.start() - 4), m.start()):
                continue  # 审批时间压缩至5个工作日以内: how long a procedure takes, not when to act
            found.append(Deadline(m.group(), "relative", start=m.start(), end=m.end()))
        return found

    def events(self) -> list[Deadline]:
        """本通知印发之日起30日内, 企业登记注册之日起, 代扣税款的次月十五日内, 接到通知后5日内."""
        found = []
        text, g = self.text, self.g
        for m in g.events.finditer(text):
            tail = g.event_tail.match(text, m.end())
            assert tail is not None  # every part of the tail is optional
            if m.group() == "前" and not self._counts_back(m.start()):
                continue
            anchor = None if m.group() in ("后", "前") else m.group()
            if (tail.group("n") or tail.group("day")) and not tail.group("tail") and m.group() != "前":
                continue  # 之日起30日后施行: no limit (试鸣前一周 needs no 内)
            limited = tail.group("n") is not None or tail.group("day") is not None
            if anchor is None:  # …后N日内, …前N日
                if not (tail.group("n") and (tail.group("tail") or m.group() == "前")):
                    continue
            elif anchor.startswith("之日"):
                if not limited and not anchor.endswith("起"):
                    continue
                if not limited and (g.effective_after.match(text, m.end(), m.end() + 4)
                                    or text.startswith(g.span_to, m.end())):
                    continue  # 自发布之日起施行: an effective date; 自…之日起至…止: a span
            elif (not limited and tail.group("tail") != "起") or text.startswith(g.span_to, tail.end()):
                continue  # 次月 alone; 次日起至…止: a span
            end = tail.end() if (limited or tail.group("tail")) else m.end()
            start = self._event_start(m.start())
            if start == m.start() and (anchor is None or anchor.startswith("之日")):
                continue  # no event before the anchor
            if m.group() == "前" and m.start() - start < 2 and not self._short_event(start, m.start()):
                continue  # 前3个月: the first months, not a time before an event
            monthly = self._next_month_of_a_monthly_step(anchor, m.start(), tail)
            if monthly is not None:  # 每月抽查…，次月5日前通报: the 5th of every month
                found.append(Deadline(text[m.start():end], "recurring", rrule=monthly, start=m.start(), end=end))
                continue
            every = g.every_event.search(text, start, m.start())
            if every is not None:  # 每季度结束后10日内: the event recurs, and so does the limit
                rule = _every_event_rule(g, every, m.start(), tail)
                found.append(Deadline(text[every.start():end], "recurring", rrule=rule,
                                      start=every.start(), end=end))
                continue
            found.append(Deadline(text[start:end], "relative", start=start, end=end))
        return found

    def seasons_named_by_events(self) -> list[Deadline]:
        """流感高发季节前, 旅游旺季前, 用电高峰期前: a season named by what happens in it, then a
        by-suffix: a point of the year with no date (as 汛期前 is)."""
        found = []
        for m in self.g.season_heads.finditer(self.text):
            start = self._event_start(m.start())
            if m.start() - start > 10:
                continue  # no clause boundary near: not a name of a season
            found.append(Deadline(self.text[start:m.end()], "fixed", start=start, end=m.end()))
        return found

    def _next_month_of_a_monthly_step(self, anchor: str | None, at: int, tail: re.Match[str]) -> str | None:
        """The rule of 次月N日前 after a step done every month earlier in its sentence."""
        # 5日前 reads as a count of days too: after the month's name it is the month's 5th
        in_days = tail.group("n") is not None and self.g.units.get(tail.group("unit")) == ("DAILY", 1)
        day = tail.group("day") or (tail.group("n") if in_days else None)
        if anchor is None or day is None:
            return None
        if self.g.periods.get(anchor[1:]) != ("MONTHLY", 1):
            return None  # 次月, 下月: the month after
        start = self._sentence_start(at)
        every = self.g.every_event.search(self.text, start, at)
        monthly = every is not None and self.g.periods.get(every.group("period")) == ("MONTHLY", 1)
        # 建立月报制度，各所于次月3日前报送上月台账: a sentence about a monthly cycle
        if not monthly and self.g.monthly_cycle.search(self.text, start, self._sentence_end(at)) is None:
            return None
        return f"FREQ=MONTHLY;BYMONTHDAY={to_int(day)}"

    def _short_event(self, start: int, at: int) -> bool:
        """赛前3天, 考前一周: one character that opens its clause names the event (not 目前, 此前)."""
        return at - start == 1 and "\u4e00" <= self.text[start] <= "\u9fff" \
            and self.text[start] not in self.g.word_before_qian

    def from_now_until(self, deadline: Deadline) -> Deadline:
        """自即日起至2038年9月30日止: a fixed date that ends a campaign starting now takes the
        whole phrase as its text."""
        if deadline.kind != "fixed":
            return deadline
        text, words = self.text, self.g.from_now_until
        opening = next((w for w in words["openings"] if text.endswith(w, 0, deadline.start)), None)
        closing = next((w for w in words["closings"] if text.startswith(w, deadline.end)), "")
        if opening is None:
            return deadline
        start, end = deadline.start - len(opening), deadline.end + len(closing)
        return replace(deadline, text=text[start:end], start=start, end=end)

    def _counts_back(self, at: int) -> bool:
        """Does the 前 at ``at`` count back from an event (届满前1个月内)? Not after a period word
        (今年前三季度: the year's first quarters) nor inside 提前 (notice ahead, see `limits`)."""
        before = self.text[at - 1] if at else ""
        return bool(before) and before not in self.g.before_event_not_after \
            and not any(self.text.endswith(w, 0, at + 1) for w in self.g.advance_words)

    def _event_start(self, anchor: int) -> int:
        """Where the event before an anchor begins: after the last clause boundary, preposition
        (自/从/在/于) or outline marker within 24 characters."""
        window = max(0, anchor - 24)
        boundary = self.g.event_boundary.search(self.text, window, anchor)
        start = boundary.start() + 1 if boundary else window
        event = self.text[start:anchor]
        cut = max((event.rfind(p) + len(p) for p in self.g.event_openers if p in event), default=0)
        event = event[cut:]
        return anchor - len(strip_marker(event))

    def limits(self) -> list[Deadline]:
        """最迟不超过4个小时, 最长不超过15个工作日, 提前3个工作日 (notice ahead of an act)."""
        found = []
        text, g = self.text, self.g
        for m in g.limits.finditer(text):
            if g.benefit_before.search(text, max(0, m.start() - 8), m.start()):
                continue  # 有效期不超过3年
            if m.group("advance") and (g.units.get(m.group("unit")) or ("",))[0] == "YEARLY":
                continue  # 提前一年完成: ahead of a plan, not notice before an act
            lead = g.limit_lead_before.search(text, max(0, m.start() - 3), m.start())
            start = lead.start() if lead else m.start()
            found.append(Deadline(text[start:m.end()], "relative", start=start, end=m.end()))
        return found

    def same_day(self) -> list[Deadline]:
        """发现问题当日录入: the day of the event before it (当日/当天 after a verb phrase)."""
        return [Deadline(m.group(), "relative", start=m.start(), end=m.end())
                for m in self.g.same_day.finditer(self.text)]

    def ongoing(self) -> list[Deadline]:
        """长期坚持下去: a duty without end, stated as the predicate (not 长期 as an adverb); 即日起，…:
        a duty from now on (即日起至6月30日 ends on that date, see `from_now_until`)."""
        found = [Deadline(m.group(), "ongoing", start=m.start(), end=m.end()) for m in self.g.ongoing.finditer(self.text)]
        for word in self.g.from_now_until["alone"]:
            at = self.text.find(word)
            while at >= 0:
                end = at + len(word)
                if not self.text.startswith(tuple(self.g.from_now_until["openings"]), at) \
                        and self.text[end:end + 1] not in ("至", "到"):
                    found.append(Deadline(word, "ongoing", start=at, end=end))
                at = self.text.find(word, end)
        return found


def _body_of(point: _Point) -> dict[str, Any]:
    """The parts of a yearless point that a recurrence around it takes over (3月底前 after 每年…)."""
    body: dict[str, Any] = {"month": point.month, "day": point.day, "day_only": False, "pos": point.pos,
                            "quarter": point.quarter, "half": point.half, "named": point.named,
                            "suffix": point.suffix, "count": None, "weekday": None}
    if any(x is not None for x in (point.month, point.quarter, point.half)):
        body["period_month"] = None  # 每季度首月10日前…，20日前: a bare day stays in that month
    return body


# --- dates and rules -------------------------------------------------------------------------------
def _rule(freq: str, interval: int, extra: str = "") -> str:
    rule = f"FREQ={freq}" + (f";INTERVAL={interval}" if interval > 1 else "")
    return rule + (f";{extra}" if extra else "")


def _period_rule(g: _Grammar, word: str) -> str | None:
    if word in g.period_points:
        return g.period_points[word]
    base = g.periods.get(word)
    return None if base is None else _rule(*base)


def _position_day(g: _Grammar, pos: str | None) -> int | None:
    """'end' → -1 (the last day), 'middle' → 15, a day of the month, or None (approximate)."""
    value = g.positions.get(pos or "")
    if value in ("end", None):
        return -1
    if value == "middle":
        return 15
    if isinstance(value, int):
        return value
    return None  # 初, a week of the month: approximate


def _yearly_rule(g: _Grammar, point: _Point) -> str | None:
    """The rule of a point of every year: 3月底 → BYMONTH=3;BYMONTHDAY=-1, 年底 → 12/31."""
    if point.month is not None:
        month, day = point.month, point.day
        if day is None:
            by_before = g.suffixes.get(point.suffix or "") == "by" and point.pos is None
            if by_before:  # 3月前: by the end of February
                month = 12 if month == 1 else month - 1
            # 每年9月 alone: the month is the window, no day in it is named
            day = -1 if by_before else _position_day(g, point.pos) if point.pos is not None else None
            if day is None:
                return f"FREQ=YEARLY;BYMONTH={month}"
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    if point.quarter is not None:
        return f"FREQ=YEARLY;BYMONTH={point.quarter * 3};BYMONTHDAY=-1"
    if point.half is not None:
        month, day = g.half_years[point.half]
        return f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"
    if point.named is not None:
        # 每年中秋节前: every year, on a day the calendar moves
        fixed = _named_day(g, point)
        return f"FREQ=YEARLY;BYMONTH={fixed[0]};BYMONTHDAY={fixed[1]}" if fixed else "FREQ=YEARLY"
    if point.pos is not None:
        value = g.positions.get(point.pos)
        if value == "end":
            return "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"
        if value == "middle":
            return "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=30"
    return "FREQ=YEARLY"


def _hour(match: re.Match[str]) -> int | None:
    """The hour of 每日16时前 / 每天下午5点前 on a 24-hour clock; None for no hour of a day."""
    hour = to_int(match.group("hour"))
    if hour is None or hour > 24:
        return None
    return hour + 12 if match.group("pm") and hour < 12 else hour


def _every_rule(g: _Grammar, point: _Point, base: tuple[str, int] | None, count: int | None) -> str | None:
    if base is None:
        return None
    freq, interval = base[0], base[1] * point.every_n
    if count is not None and count > 1:
        months = interval * 12 if freq == "YEARLY" else interval if freq == "MONTHLY" else 0
        if not months or months % count:
            return None  # 每月召开三次, 每周两次: no single rule
        return _rule("MONTHLY", months // count)
    if point.weekday is not None:
        return _rule(freq, interval, f"BYDAY={point.weekday}")  # 每周一
    months = interval * 12 if freq == "YEARLY" else interval if freq == "MONTHLY" else 0
    if point.period_month is not None:
        return _period_month_rule(g, point, months) or _rule(freq, interval)
    if (freq, interval) == ("YEARLY", 1):
        return _yearly_rule(g, point)
    end = g.positions.get(point.pos or "") == "end"
    if 1 < months < 12 and 12 % months == 0 and end:
        # 每季度末, 每半年末: the ends of the periods of a year, written as the corpus writes them
        ends = ",".join(str(m) for m in range(months, 13, months))
        return f"FREQ=YEARLY;BYMONTH={ends};BYMONTHDAY=-1"
    if (freq, interval) == ("MONTHLY", 1):
        day = point.day if point.day is not None else (_position_day(g, point.pos) if point.pos else None)
        if day is not None:
            return f"FREQ=MONTHLY;BYMONTHDAY={day}"
    return _rule(freq, interval)


def _every_event_rule(g: _Grammar, every: re.Match[str], anchor: int, tail: re.Match[str]) -> str | None:
    """The rule of a limit after a recurring event: 每月结束后10日内 → the 10th of every month,
    每季度结束后10日内 → the 10th of Jan, Apr, Jul, Oct; in working days, or after another event
    (每年招生工作结束后1个月内), the period's own rule."""
    base = g.periods.get(every.group("period"))
    if base is None:
        return None
    n = to_int(every.group("n")) if every.group("n") else 1
    freq, interval = base[0], base[1] * (n or 1)
    rule = _rule(freq, interval)
    at_its_end = every.group("end") is not None and every.end() == anchor
    in_days = tail.group("n") is not None and g.units.get(tail.group("unit")) == ("DAILY", 1)
    days = to_int(tail.group("n")) if in_days else None
    months = interval * 12 if freq == "YEARLY" else interval if freq == "MONTHLY" else 0
    if not (at_its_end and days and days <= 28 and months and 12 % months == 0):
        return rule
    if months == 1:
        return f"FREQ=MONTHLY;BYMONTHDAY={days}"
    firsts = sorted(end % 12 + 1 for end in range(months, 13, months))  # the month after each end
    return f"FREQ=YEARLY;BYMONTH={','.join(map(str, firsts))};BYMONTHDAY={days}"


def _period_month_rule(g: _Grammar, point: _Point, months: int) -> str | None:
    """每季度首月10日 → the 10th of Jan, Apr, Jul and Oct: a month of every period of ``months``
    months that divides the year, and its day when printed; None when the period has no such month."""
    if not months or 12 % months:
        return None
    nth = months if point.period_month == "last" else int(cast(int, point.period_month))
    if not 1 <= nth <= months:
        return None
    rule = f"FREQ=YEARLY;BYMONTH={','.join(str(m) for m in range(nth, 13, months))}"
    day = point.day if point.day is not None else (_position_day(g, point.pos) if point.pos else None)
    return rule + (f";BYMONTHDAY={day}" if day is not None else "")


def _named_day(g: _Grammar, point: _Point) -> tuple[int, int] | None:
    """(month, day) of a named day whose date is fixed; None for a lunar festival or a
    holiday period (春节, 国庆假期)."""
    return None if point.holiday or point.named is None else g.named_days.get(point.named)


def _fixed_date(g: _Grammar, point: _Point, year: int, suffix: str | None) -> str | None:
    """The date of a point in ``year``: None when approximate (年初, 秋季), "invalid" when the
    printed day does not exist."""
    if point.some_time is not None:
        month, day = g.some_time[point.some_time]
        return f"{year:04d}-{month:02d}-{day:02d}"
    if point.named is not None:
        fixed = _named_day(g, point)
        return f"{year:04d}-{fixed[0]:02d}-{fixed[1]:02d}" if fixed else None
    if point.season:
        return None
    if point.half is not None:
        month, day = g.half_years[point.half]
        return f"{year:04d}-{month:02d}-{day:02d}"
    if point.quarter is not None:
        return month_end(year, point.quarter * 3)
    if point.month is not None:
        if point.day is not None:
            try:
                return dt.date(year, point.month, point.day).isoformat()
            except ValueError:
                return "invalid"
        if point.pos is not None:
            at = _position_day(g, point.pos)
            if at is None:  # 6月最后一周 is done by the month's end; 6月初, 6月第一周 name no day
                return month_end(year, point.month) if g.positions.get(point.pos) == "last_week" else None
            return month_end(year, point.month) if at == -1 else f"{year:04d}-{point.month:02d}-{at:02d}"
        if suffix == "by":  # 2019年3月前: by the end of February
            return month_end(year, point.month - 1) if point.month > 1 else f"{year - 1}-12-31"
        return month_end(year, point.month)
    if point.pos is not None:
        value = g.positions.get(point.pos)
        if value == "middle":
            return f"{year}-06-30"
        return f"{year}-12-31" if value == "end" else None
    return f"{year}-12-31"


# --- public API ----------------------------------------------------------------------------------
@dataclass
class DeadlineFinder:
    """Finds deadlines in text; ``year`` is the reference year (the document's: for 今年, 明年
    and months printed without a year)."""

    cues: Cues
    year: int | None = None

    def find(self, text: str, offset: int = 0, *, year: int | None = None,
             reference: dt.date | None = None) -> list[Deadline]:
        """Every deadline of ``text`` in text order, none overlapping, offsets shifted by
        ``offset``. ``year`` overrides the finder's reference year for this call; ``reference``
        (the document's date) also sets it, and makes dates before it narration, not deadlines."""
        if year is None:
            year = reference.year if reference is not None else self.year
        reader = _Reader(_grammar(self.cues), text, year, reference)
        found = (reader.points() + reader.plans() + reader.rhythms() + reader.pairs() + reader.by_period()
                 + reader.quantities() + reader.events() + reader.seasons_named_by_events() + reader.limits() + reader.same_day() + reader.ongoing())
        chosen = [reader.from_now_until(d) for d in _non_overlapping(found)]
        if offset:
            for deadline in chosen:
                deadline.start += offset
                deadline.end += offset
        return chosen


def may_hold_a_deadline(text: str, cues: Cues) -> bool:
    """A quick necessary test before `DeadlineFinder.find` on many short pieces (the fields of
    a markup, short numbered lines): False when ``text`` holds no word of time at all."""
    return _grammar(cues).time_words.search(text) is not None


def ongoing_deadline(text: str, start: int, phrases: list[str]) -> Deadline | None:
    """长期坚持 / 持续推进 in a 完成时限 label or column: an ongoing duty (as an adverb in
    prose these words are no deadline, so only the caller that knows the context asks)."""
    value = text.strip().rstrip("。；;")
    if value not in phrases:
        return None
    offset = start + text.index(value)
    return Deadline(value, "ongoing", start=offset, end=offset + len(value))


_MONTH_NUMBER = re.compile(rf"((?:{_MONTH}))\s*月")
_MONTH_AND_DAY = re.compile(rf"({_MONTH})\s*月\s*({_DAY})\s*[日号]")
_QUOTED_DAY = re.compile(r"“[0-9０-９]{1,2}[·・.．][0-9０-９]{1,2}”$")
_SPAN_OF_PERIODS = re.compile(r"[0-9０-９一二两三四五六七八九十]+个?(?:月|季度|年|周|天|日|旬|期)")
_PRINTED_YEAR = re.compile(r"(?<![0-9０-９])([0-9０-９]{4})年")
_EVENT_POINT = re.compile(r"[\u4e00-\u9fff“”]{2,14}")


def event_point(text: str, start: int, suffixes: tuple[str, ...]) -> Deadline | None:
    """新兵起运前 in a 完成时限 label or column: a time before or after an event the document
    names, a point with no date of its own (as 汛期前 is); ``suffixes`` are those of named days
    (前, 之前, 前后…). Only the caller that knows the field is a time limit asks: in prose such
    words are no deadline."""
    value = text.strip().rstrip("。；;")
    if not _EVENT_POINT.fullmatch(value) or not value.endswith(suffixes) or len(value) <= max(map(len, suffixes)):
        return None
    offset = start + text.index(value)
    return Deadline(value, "fixed", start=offset, end=offset + len(value))


def _non_overlapping(found: list[Deadline]) -> list[Deadline]:
    """Keep the longest of overlapping candidates; the earlier reader wins ties."""
    chosen: list[Deadline] = []  # kept in text order; chosen candidates never overlap
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
