"""Dictionaries and models, loaded once and passed to the stages that need them."""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources as importlib_resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ResourceError
from pipeline.prefilter import Matcher, gated
from pipeline.registry import DepartmentRegistry
from pipeline.settings import Settings

if TYPE_CHECKING:
    import jieba
    from spacy.language import Language

RESOURCE_DIR = Path(str(importlib_resources.files("pipeline") / "resources"))
REGISTRY_FILE = RESOURCE_DIR / "departments.jsonl"
CUES_FILE = RESOURCE_DIR / "cues.json"
# vocabularies kept in files of their own, each loaded under its key of ``Cues.raw``
CUE_SECTIONS = {"deadline": RESOURCE_DIR / "deadlines.json", "table_columns": RESOURCE_DIR / "tables.json"}
USER_WORDS_FILE = RESOURCE_DIR / "user_words.txt"


def _alternation(fragments: list[str]) -> str:
    return "|".join(f"(?:{f})" for f in sorted(fragments, key=len, reverse=True))


@dataclass(frozen=True)
class ClauseWords:
    """`Cues.clauses`: the compiled words by which the clauses of a sentence join."""

    time_only: re.Pattern[str]
    condition_ends: tuple[str, ...]
    fronted: re.Pattern[str]
    #: first characters of the fronted openings, last characters of a subject (a quick look first)
    fronted_first: frozenset[str]
    subject_last: frozenset[str]
    light_verb: re.Pattern[str]
    subject_end: re.Pattern[str]
    strong: re.Pattern[str]
    purpose: re.Pattern[str]
    result: re.Pattern[str]
    year_opening: re.Pattern[str]


#: modality entries that are word lists composed into other patterns, not patterns of their own
_MODALITY_WORD_LISTS = ("encouraged_head", "directive_verbs", "directive_frames")


@dataclass
class Cues:
    """The cue-word lists of ``cues.json``, compiled."""

    raw: dict[str, Any]

    @cached_property
    def org_suffix(self) -> re.Pattern[str]:
        return re.compile(f"(?:{_alternation(self.raw['org_suffixes'])})$")

    @cached_property
    def org_head(self) -> re.Pattern[str]:
        """An organisation head anywhere in a text (the name of a body ends there)."""
        return re.compile(_alternation(self.raw["org_suffixes"]))

    @cached_property
    def not_in_names(self) -> re.Pattern[str]:
        return re.compile(_alternation([re.escape(w) for w in self.raw["not_in_names"]]))

    @cached_property
    def generic_bodies(self) -> frozenset[str]:
        return frozenset(self.raw["generic_bodies"])

    @cached_property
    def generic_tail(self) -> re.Pattern[str]:
        """An unnamed collective (有关部门, 区直相关部门, 各有关处室, 其他成员单位): the listed
        ones, the shape scope + level + 有关/相关 + head, and 其他 + head (the rest)."""
        table = self.raw["generic_tail"]
        heads = _alternation(table["heads"])
        # the words between the relation and the head may hold a bracketed list of levels
        # (相关县（市、区）文化和旅游部门); the rest (其他) is unnamed whatever its head (其他有关学会)
        shape = (f"(?:{_alternation(table['scopes'])})?(?:{_alternation(table['levels'])})?"
                 f"(?:各)?(?:{_alternation(table['relations'])})的?[\\u4e00-\\u9fff（）()、]{{0,12}}?(?:{heads})")
        the_rest = (f"(?:{_alternation(table['others'])})[\\u4e00-\\u9fff]{{0,4}}?"
                    f"(?:{heads}|{_alternation(self.raw['org_suffixes'])})")
        listed = _alternation([re.escape(w) for w in self.raw["generic_bodies"]])
        return re.compile(f"(?:{listed}|{shape}|{the_rest})")

    @cached_property
    def class_noun(self) -> re.Pattern[str]:
        """A class of bodies: 各区, 相关街镇, 各市属国企, 区属国企."""
        table = self.raw["class_nouns"]
        heads = _alternation(table["heads"])
        owned = _alternation(table["owned_by"])
        return re.compile(f"(?:(?:{_alternation(table['scopes'])})[\u4e00-\u9fff]{{0,8}}?(?:{heads})"
                          f"|(?:各)?[\u4e00-\u9fff]{{0,4}}?(?:{owned})[\u4e00-\u9fff]{{0,4}}?(?:{heads}))")

    @cached_property
    def class_scope(self) -> re.Pattern[str]:
        """The scope word that opens a class noun: 各, 相关, 有关 …"""
        return re.compile(f"(?:{_alternation(self.raw['class_nouns']['scopes'])})")

    @cached_property
    def sub_unit(self) -> re.Pattern[str]:
        """A name whose head is a body's own sub-unit (综合科, 督查室)."""
        return re.compile(f"(?:{_alternation(self.raw['sub_units']['heads'])})$")

    @cached_property
    def contact_verb(self) -> re.Pattern[str]:
        """A verb of reporting to or contacting a body, ending the clause: 联系, 报送, 咨询 …"""
        return re.compile(f"(?:{_alternation(self.raw['sub_units']['contact_verbs'])})$")

    @cached_property
    def role_word(self) -> re.Pattern[str]:
        """A role word where it starts, with its adverb: 牵头, 按职责分工负责, 共同推进 …"""
        words = [w for ws in self.raw["roles"].values() for w in ws]
        return re.compile(f"(?:{self.role_adverb.pattern[1:]})?(?:{_alternation([re.escape(w) for w in words])})")

    @cached_property
    def role_then_list_mark(self) -> re.Pattern[str]:
        """A role word, then 、 where a comma parts the groups (A牵头、B配合)."""
        words = [w for ws in self.raw["roles"].values() for w in ws]
        return re.compile(f"(?P<role>{_alternation([re.escape(w) for w in words])})、")

    @cached_property
    def role_suffix(self) -> re.Pattern[str]:
        words = [w for ws in self.raw["roles"].values() for w in ws]
        return re.compile(f"(?:{_alternation([re.escape(w) for w in words])})+$")

    @cached_property
    def role_adverb(self) -> re.Pattern[str]:
        """The adverb before a role word: 按职责分工, 共同, 分别 …"""
        return re.compile(f"^(?:{_alternation([re.escape(w) for w in self.raw['role_adverbs']])})")

    def role_of(self, word: str) -> str:
        # 共同推进 → 推进; 协同 alone stays a role word
        word = self.role_adverb.sub("", word) or word
        for role, words in self.raw["roles"].items():
            if any(word.startswith(w) for w in words):
                return str(role)
        return "neutral"

    @cached_property
    def assignment_label(self) -> re.Pattern[str]:
        """A field label of assignment markup, recognised by its shape: a short noun phrase
        whose head is 单位/部门/处室… (责任单位, 负责部门, 主责单位, 配合处室), one of the role
        modifiers that label alone (牵头：, 配合：), or a time limit (完成时限). Followed by a colon, or by a space when the
        label carries a modifier (责任单位 A、B)."""
        table = self.raw["assignment_labels"]
        heads = _alternation(table["heads"])
        modifiers = _alternation([w for ws in table["modifiers"].values() for w in ws])
        # a modifier alone labels only where it cannot be a site's 主办/承办 line
        lone = _alternation(table["lone_modifiers"])
        persons = _alternation(table["person_heads"])
        deadline = self.deadline_label.pattern
        return re.compile(
            f"(?:(?P<label>[\u4e00-\u9fff]{{0,6}}?(?:{heads})|(?:{lone})|(?P<deadline>{deadline})"
            f"|(?P<person>[\u4e00-\u9fff]{{0,4}}?(?:{persons})))[ \u3000]*[：:]"
            f"|(?P<spaced>[\u4e00-\u9fff]{{0,3}}?(?:{modifiers})[\u4e00-\u9fff]{{0,2}}?(?:{heads}))[ \u3000]+)[ \u3000]*")

    @cached_property
    def table_note_line(self) -> re.Pattern[str]:
        """A note under a table: 表注：…, 注1：…, 备注: … (``tables.json: notes``)."""
        labels = _alternation([re.escape(w) for w in self.raw["table_columns"]["notes"]["labels"]])
        return re.compile(f"^(?:{labels})[ \u3000]*(?P<n>[0-9０-９]*)[ \u3000]*[：:][ \u3000]*")

    @cached_property
    def table_note_pointer(self) -> re.Pattern[str]:
        """A cell that only points to a note: 见表注, 详见注2, 见备注."""
        labels = _alternation([re.escape(w) for w in self.raw["table_columns"]["notes"]["labels"]])
        return re.compile(f"^(?:详)?见(?:{labels})[ \u3000]*(?P<n>[0-9０-９]*)[。.]?$")

    @cached_property
    def table_note_rows(self) -> re.Pattern[str]:
        """The rows a note speaks of: 第9项、第10项, 第3、5项, 序号4至6 (a run of numbers, each
        or the run marked as rows), then what it says of them."""
        words = self.raw["table_columns"]["notes"]
        before = _alternation([re.escape(w) for w in words["row_words"]["before"]])
        after = _alternation([re.escape(w) for w in words["row_words"]["after"]])
        marks = _alternation([re.escape(w) for w in words["range_marks"]])
        number = f"(?:{before})?[ \u3000]*[0-9０-９]{{1,3}}[ \u3000]*(?:{after})?"
        rows = f"{number}(?:[ \u3000]*(?:[、，,和及与]|{marks})[ \u3000]*{number})*"
        predicates = _alternation([re.escape(w) for w in words["predicates"]])
        return re.compile(f"^(?P<rows>{rows})(?:的)?(?P<label>[\u4e00-\u9fff]{{0,6}}?)"
                          f"(?:(?:{predicates})|[：:])[ \u3000]*")

    @cached_property
    def markup_label(self) -> re.Pattern[str]:
        """主办：A；协办：B inside a bracket: modifiers that label only inside markup (a lone
        主办/承办 line elsewhere is a web site's host line)."""
        words = _alternation(self.raw["assignment_labels"]["markup_modifiers"])
        return re.compile(f"(?P<label>{words})[ \u3000]*[：:][ \u3000]*")

    @cached_property
    def deadline_label(self) -> re.Pattern[str]:
        """A time-limit label: 完成时限, 时间节点, 时限要求 …"""
        table = self.raw["assignment_labels"]
        return re.compile(f"[\u4e00-\u9fff]{{0,4}}?(?:{_alternation(table['deadline_heads'])})"
                          f"(?:{_alternation(table['deadline_tails'])})?")

    def label_role(self, label: str) -> str:
        """lead, co, responsible, deadline or person: from the label's modifier and head, not
        the whole label."""
        table = self.raw["assignment_labels"]
        if label.endswith(tuple(table["person_heads"])):
            return "person"
        if self.deadline_label.fullmatch(label):
            return "deadline"
        for role in ("lead", "co"):
            if any(w in label for w in table["modifiers"][role]):
                return role
        return "responsible"

    @cached_property
    def first_is_lead(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.raw["convention"]["first_is_lead"]))

    @cached_property
    def labels_above(self) -> re.Pattern[str]:
        """A stated rule that label lines assign the item below them (由其上一行所列单位负责)."""
        return re.compile(_alternation(self.raw["convention"]["labels_above"]))

    @cached_property
    def emphasis_is_lead(self) -> re.Pattern[str]:
        """A stated rule that the body printed in bold leads (字体加粗的为牵头单位)."""
        return re.compile(_alternation(self.raw["convention"]["emphasis_is_lead"]))

    @cached_property
    def person(self) -> re.Pattern[str]:
        """A person beside bodies: a title, a name that opens with a common surname, or both
        (总经理 薛某某, 周某某), fully matched."""
        table = self.raw["persons"]
        title = _alternation(table["titles"])
        name = f"[{table['surnames']}][\u4e00-\u9fff]{{1,2}}"
        return re.compile(f"(?:(?P<title>{title})[ \u3000]*(?:{name})?|{name})")

    @cached_property
    def genre_end(self) -> re.Pattern[str]:
        """A line that ends in a genre word (…的通知, …工作要点（试行）)."""
        return re.compile(f"(?:{_alternation(self.raw['genres']['words'])})(?:[（(][^（）()]{{1,16}}[）)])?$")

    @cached_property
    def title_genre(self) -> re.Pattern[str]:
        """A title of the shape 关于…的通知."""
        return re.compile(f"关于.{{2,}}(?:{_alternation(self.raw['genres']['words'])})$")

    @cached_property
    def class_heads(self) -> tuple[str, ...]:
        """The heads of class nouns (村, 社区, 街道 …): a word that ends in one is no person's name."""
        return tuple(self.raw["class_nouns"]["heads"])

    @cached_property
    def generic_heads(self) -> frozenset[str]:
        """The heads of unnamed collectives (部门, 单位, 处室 …): alone, they name no body."""
        return frozenset(self.raw["generic_tail"]["heads"])

    @cached_property
    def part_openers(self) -> tuple[str, ...]:
        return tuple(self.raw["sub_units"]["part_openers"])

    @cached_property
    def branch_heads(self) -> tuple[str, ...]:
        return tuple(self.raw["sub_units"]["branch_heads"])

    @cached_property
    def label_modifiers(self) -> tuple[str, ...]:
        """Every modifier that gives a label its role (牵头, 配合, 责任 …), lone ones included."""
        labels = self.raw["assignment_labels"]
        return tuple(w for words in labels["modifiers"].values() for w in words) + tuple(labels["lone_modifiers"])

    @cached_property
    def covers_above(self) -> re.Pattern[str]:
        """以上任务由…, 上述工作: markup that assigns the group of items above it."""
        return re.compile(f"^(?:{_alternation(self.raw['convention']['covers_above'])})(?=[\u4e00-\u9fff])")

    @cached_property
    def items_by_number(self) -> re.Pattern[str]:
        """以上第1至3项由…: a part of a paragraph that assigns numbered items above it by number."""
        return re.compile(f"(?:{_alternation(self.raw['convention']['items_by_number'])})")  # used with .match

    @cached_property
    def unordered(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.raw["convention"]["unordered"]))

    @cached_property
    def note(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.raw["convention"]["note"]))

    @cached_property
    def clauses(self) -> ClauseWords:
        """The words by which clauses join before their modality is read (``cues.json: clauses``)."""
        table = self.raw["clauses"]
        return ClauseWords(
            time_only=re.compile(f"^(?:{_alternation(table['time_lead_ins'])})?\\s*$"),
            condition_ends=tuple(table["condition_ends"]),
            fronted=re.compile(f"^(?:{_alternation(table['fronted_openings'])})"),
            fronted_first=frozenset(w[0] for w in table["fronted_openings"]),
            subject_last=frozenset(w[-1] for w in table["subject_heads"]) | {"）", ")"},
            light_verb=re.compile(_alternation(table["light_verbs"])),
            subject_end=re.compile(f"(?:{_alternation(table['subject_heads'])})(?:[（(][^（）()]{{1,8}}[）)])?$"),
            strong=re.compile(_alternation(table["strong_markers"])),
            purpose=re.compile(f"^(?:{_alternation(table['purpose_openings'])})"),
            result=re.compile(f"^(?:{_alternation(table['result_openings'])})"),
            # 2030年，… / 2030年我市… / 2031年1月至9月，…: the year, and the last month of a span of it
            year_opening=re.compile(f"^([0-9０-９]{{4}})年(?:([0-9０-９]{{1,2}})月(?:[至到—－-]([0-9０-９]{{1,2}})月)?份?)?"
                                    f"(?:[，,]|[^，。；]{{0,4}}?(?:{_alternation(table['year_scope'])})"
                                    f"|(?!度|底|末|内|起|以来)[^，。；]{{1,12}}?(?:{_alternation(table['figure_heads'])})"
                                    f"(?:为|达到?)[0-9０-９])"))

    def modality(self, key: str) -> Matcher:
        return self._modality[key]

    @cached_property
    def _modality(self) -> dict[str, Matcher]:
        table = self.raw["modality"]
        # searched in every clause: behind a first-character gate (same matches, fewer tries)
        deadline = self.raw["deadline"]
        # 秋季学期于9月12日正式开课: when an event is held, in the words the deadline grammar
        # reads as an event's date (deadlines.json: event_adverbs, event_after), asks nobody
        held = (f"于[^，。；]{{2,14}}[日月号](?:{_alternation(deadline['event_adverbs'])})?"
                f"(?:{_alternation(deadline['event_after'])})$")
        compiled = {k: gated(_alternation([*v, held] if k == "statement" else v)) for k, v in table.items()
                    if k not in _MODALITY_WORD_LISTS}
        # a clause that opens with an imperative verb (加强…, 建立…) is a directive of a plan
        # …, also after the time it holds for (培训期间实行封闭式管理, 汛前开展…)
        compiled["directive"] = re.compile(f"^(?:[\u4e00-\u9fff]{{1,8}}?(?:{_alternation(table['directive_frames'])}))?"
                                           f"(?:{_alternation(table['directive_verbs'])})")
        compiled["encouraged_head"] = re.compile(
            f"^(?:[^，。；]{{0,12}}?(?:积极|大力|进一步|要|应|同时)?)?(?:{_alternation(table['encouraged_head'])})")
        # any modal marker at all: most clauses have none, and one search turns them away
        compiled["any_marker"] = gated(
            "|".join(f"(?:{compiled[key].pattern})" for key in ("must_not", "should", "may", "must")))
        return compiled


    @cached_property
    def deadline_grammar(self) -> Any:
        """The deadline grammar compiled from ``deadlines.json`` (see `pipeline.deadlines`)."""
        from pipeline.deadlines import compile_grammar

        return compile_grammar(self.raw["deadline"])


@dataclass
class Resources:
    """Everything the stages read from disk: registry, cue words; the jieba tokenizer and the
    spaCy pipeline of `segment.spacy_doc` are built on first use (extraction needs neither)."""

    settings: Settings
    registry: DepartmentRegistry
    cues: Cues
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _tokenizer: jieba.Tokenizer | None = field(default=None, repr=False)
    _nlp: Language | None = field(default=None, repr=False)

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """A private jieba tokenizer that keeps registry names and policy terms whole."""
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = _build_tokenizer(self.registry)
            return self._tokenizer

    @property
    def nlp(self) -> Language:
        """``spacy.blank("zh")`` with the project's tokenizer, for `segment.spacy_doc`."""
        tokenizer = self.tokenizer
        with self._lock:
            if self._nlp is None:
                from pipeline.segment import build_pipeline

                self._nlp = build_pipeline(self, tokenizer)
            return self._nlp


def _read_json(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read cue words: {exc}") from exc
    if not isinstance(raw, dict):
        raise ResourceError(f"{path}: cue words must be a JSON object")
    raw.pop("_about", None)
    return raw


def load_cues(path: Path = CUES_FILE, extra: Iterable[Path] = ()) -> Cues:
    """The bundled cue words, with the words of each ``extra`` file added; every pattern is
    compiled here, so a bad entry is reported at start-up, naming its file."""
    raw = _read_json(path)
    for key, section in CUE_SECTIONS.items():
        raw[key] = _read_json(section)
    for user_file in extra:
        _add_cues(raw, _read_json(user_file), user_file, ())
    cues = Cues(raw)
    try:
        for name in _COMPILED:
            getattr(cues, name)
        for key in raw["modality"]:
            if key not in _MODALITY_WORD_LISTS:
                cues.modality(key)
    except (KeyError, TypeError, re.error) as exc:
        files = ", ".join(str(p) for p in (path, *extra))
        raise ResourceError(f"{files}: bad cue entry: {exc}") from exc
    return cues


def _add_cues(bundled: dict[str, Any], user: dict[str, Any], source: Path, where: tuple[str, ...]) -> None:
    """Add a user file's words to the bundled ones: lists are extended, objects merged key by
    key; every key and type must be one the bundled files have."""
    for key, value in user.items():
        at = ".".join((*where, key))
        if key not in bundled:
            raise ResourceError(f"{source}: unknown cue entry {at!r}")
        have = bundled[key]
        if isinstance(have, dict) and isinstance(value, dict):
            _add_cues(have, value, source, (*where, key))
        elif isinstance(have, list) and isinstance(value, list) and all(isinstance(v, str) for v in value):
            have.extend(v for v in value if v not in have)
        elif isinstance(have, (str, int)) and type(value) is type(have):
            bundled[key] = value
        else:
            raise ResourceError(f"{source}: cue entry {at!r} must be a {type(have).__name__}"
                                + (" of strings" if isinstance(have, list) else ""))


#: every compiled pattern of `Cues`, built when cues are loaded
_COMPILED = tuple(name for name, value in vars(Cues).items() if isinstance(value, cached_property))


@functools.lru_cache(maxsize=1)
def bundled_cues() -> Cues:
    """The bundled cue words, for stages that run before resources are passed around (layout
    recovery inside a loader): one grammar, read from the same file."""
    return load_cues()


def _build_tokenizer(registry: DepartmentRegistry) -> jieba.Tokenizer:
    """A private jieba tokenizer that keeps registry names and policy terms whole."""
    import jieba  # only `segment.spacy_doc` tokenises: extraction never pays for the import

    jieba.setLogLevel(logging.WARNING)  # its start-up banner is noise on a command line
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with USER_WORDS_FILE.open("rb") as words:
        tokenizer.load_userdict(words)
    for surface in registry.surfaces():
        tokenizer.add_word(surface, freq=2000, tag="nt")
    return tokenizer


def load_resources(settings: Settings | None = None) -> Resources:
    """Read the bundled dictionaries and the user's registry and cue files named in ``settings``."""
    settings = settings or Settings()
    registry = DepartmentRegistry.from_files((REGISTRY_FILE, *settings.registry_files),
                                             fuzzy_threshold=settings.fuzzy_threshold)
    cues = load_cues(extra=settings.cue_files) if settings.cue_files else bundled_cues()
    return Resources(settings=settings, registry=registry, cues=cues)
