"""The shortcuts that keep the scans fast find exactly what the plain scans find.

`pipeline.prefilter.gated` puts a first-character gate before a cue alternation,
`pipeline.registry.trie_pattern` writes the registry's names as a trie, and
`pipeline.deadlines.may_hold_a_deadline` turns away pieces without a word of time. Each is
checked against the plain form on synthetic sentences and on every clause of the shared corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import extract_file
from pipeline.deadlines import DeadlineFinder, may_hold_a_deadline
from pipeline.obligations import split_clauses
from pipeline.prefilter import GatedPattern, gated
from pipeline.registry import trie_pattern

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_texts(resources) -> list[str]:
    """The normalised text of every text rendition of ``docs`` and ``wide/docs``."""
    paths = sorted(p for folder in ("docs", "wide/docs") for p in (CORPUS / folder).iterdir()
                   if p.suffix in (".txt", ".md", ".html"))
    return [extract_file(path, resources).document.text for path in paths]

SENTENCES = [
    "各区要于6月底前完成摸底。",
    "特别是要加强监督，",
    "原则上不得超过三天",
    "本办法自印发之日起施行。",
    "对违规行为一律严肃处理",
    "是否开展由各地确定",
    "",
    "是",
    "为了加强管理，现将有关事项通知如下：",
    "澄阳市水务局牵头，临江区人民政府配合",
]


@pytest.mark.parametrize("pattern", [
    r"(?<![特别尤其])是(?![否非])|是指|所称",  # lookbehinds before the first character
    r"^为了?|^现将|有利于",  # alternatives anchored at the start
    r"要(?!求)|必须|(?<![不可])予以|[应须]当",  # a class as the opening
    r"(?:一律|严肃)(?:处理|查处)",
])
@pytest.mark.parametrize("text", SENTENCES)
def test_a_gated_pattern_finds_what_the_plain_pattern_finds(pattern, text):
    plain, fast = re.compile(pattern), gated(pattern)
    assert isinstance(fast, GatedPattern)
    for pos in range(0, len(text) + 1):
        found, expected = fast.search(text, pos), plain.search(text, pos)
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("pattern", [r"[^，。]{0,3}要", r"(?:积极)?要", r"\d+日", r"a*"])
def test_a_pattern_whose_openings_cannot_be_listed_is_searched_as_it_is(pattern):
    assert isinstance(gated(pattern), re.Pattern)


def test_the_cue_patterns_searched_in_every_clause_are_gated(resources):
    for key in ("any_marker", "statement", "narrative", "state_predicates"):
        assert isinstance(resources.cues.modality(key), GatedPattern), key


def test_gated_cue_patterns_agree_with_the_plain_ones_on_every_clause_of_the_corpus(resources):
    clauses = [c.text for text in corpus_texts(resources) for sentence in split_clauses(text) for c in sentence]
    assert len(clauses) > 10_000
    for key in ("any_marker", "statement", "must", "must_not", "narrative"):
        fast = resources.cues.modality(key)
        plain = re.compile(fast.pattern)
        for clause in clauses:
            found, expected = fast.search(clause), plain.search(clause)
            assert (found and found.span()) == (expected and expected.span()), (key, clause)


@pytest.mark.parametrize("text, expected", [
    ("请市教育局、市教育局办公室和市教育科学研究院配合", ["市教育局", "市教育局办公室", "市教育科学研究院"]),
    ("市教育局办公", ["市教育局"]),  # the longer name is not complete: the shorter one it continues
    ("教育局", []),
])
def test_the_registry_trie_finds_the_longest_name_at_each_position(text, expected):
    names = ["市教育局", "市教育局办公室", "市教育科学研究院", "市科技局"]
    trie = re.compile(trie_pattern(names))
    plain = re.compile("|".join(sorted(names, key=len, reverse=True)))
    assert [m.group() for m in trie.finditer(text)] == [m.group() for m in plain.finditer(text)] == expected


def test_the_registry_pattern_finds_what_an_alternation_of_its_names_finds(resources):
    registry = resources.registry
    plain = re.compile("|".join(map(re.escape, registry.surfaces())))
    for text in corpus_texts(resources):
        assert [m.span() for m in registry.pattern().finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("piece, expected", [
    ("市教育局、市财政局", False),
    ("2031年6月底前", True),
    ("每季度", True),
    ("元旦前", True),
    ("“十五五”末", True),
    ("常态化", True),
    ("按职责分工负责", False),
])
def test_a_piece_without_a_word_of_time_is_turned_away_before_the_grammar(resources, piece, expected):
    assert may_hold_a_deadline(piece, resources.cues) is expected


def test_every_deadline_of_the_corpus_passes_the_quick_test(resources):
    found = [d for text in corpus_texts(resources) for d in DeadlineFinder(resources.cues, 2030).find(text)]
    assert len(found) > 50
    assert [d.text for d in found if not may_hold_a_deadline(d.text, resources.cues)] == []
