"""Segment: a spaCy Doc over the normalised text, tokenised by a private jieba tokenizer.

Components mark what extraction reads: sentence boundaries (。！？； and line ends),
departments the registry knows (``doc.spans["departments"]``), deadlines
(``doc.spans["deadlines"]``, the parsed `Deadline`s in ``doc.user_data["deadlines"]``) and
cited documents 《…》 (``doc.spans["references"]``). Nothing is downloaded: the pipeline is
``spacy.blank("zh")`` with components defined here.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, cast

import jieba
import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.deadlines import DeadlineFinder
from pipeline.model import Deadline, Document

if TYPE_CHECKING:
    from pipeline.resources import Resources

_SENTENCE_END = set("。！？；;\n")
_REFERENCE = re.compile(r"《[^《》\n]{1,120}》")


class JiebaTokenizer:
    """spaCy tokenizer over a private `jieba.Tokenizer` (not jieba's global one)."""

    def __init__(self, vocab: Vocab, tokenizer: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.tokenizer.cut(text, HMM=True) if w]
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


class _Component:
    resources: Resources

    def bind(self, resources: Resources) -> None:
        self.resources = resources


class SentenceMarker(_Component):
    """Sentence starts after 。！？； and line breaks."""

    def __call__(self, doc: Doc) -> Doc:
        # one array write: setting token.is_sent_start token by token is slow
        starts = numpy.full((len(doc), 1), -1, dtype="int64")
        previous_end = True
        for i, token in enumerate(doc):
            if previous_end:
                starts[i, 0] = 1
            previous_end = token.text[-1] in _SENTENCE_END
        if len(doc):
            doc.from_array([SENT_START], cast(Any, starts.astype("uint64")))  # spaCy stores -1 wrapped
        return doc


class DepartmentMarker(_Component):
    """Registry names in the text, longest first."""

    pattern: re.Pattern[str] | None = None

    def bind(self, resources: Resources) -> None:
        super().bind(resources)
        surfaces = resources.registry.surfaces()
        self.pattern = re.compile("|".join(map(re.escape, surfaces))) if surfaces else None

    def __call__(self, doc: Doc) -> Doc:
        spans, found = [], []
        if self.pattern is not None:
            for match in self.pattern.finditer(doc.text):
                found.append((match.start(), match.end(), match.group()))
                span = doc.char_span(match.start(), match.end(), label="DEPT", alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans["departments"] = spans
        doc.user_data["departments"] = found
        return doc


class DeadlineMarker(_Component):
    """Deadlines and recurrences, parsed; the year of 今年 comes from ``doc.user_data["year"]``."""

    def __call__(self, doc: Doc) -> Doc:
        finder = DeadlineFinder(self.resources.cues, doc.user_data.get("year"))
        deadlines = finder.find(doc.text)
        doc.user_data["deadlines"] = deadlines
        doc.spans["deadlines"] = [s for d in deadlines
                                  if (s := doc.char_span(d.start, d.end, label=d.kind, alignment_mode="expand"))]
        return doc


class ReferenceMarker(_Component):
    """Cited documents: 《…》 titles."""

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["references"] = [s for m in _REFERENCE.finditer(doc.text)
                                   if (s := doc.char_span(m.start(), m.end(), label="REF", alignment_mode="expand"))]
        return doc


@Language.factory("policy_sentences")
def _make_sentences(nlp: Language, name: str) -> SentenceMarker:
    return SentenceMarker()


@Language.factory("policy_departments")
def _make_departments(nlp: Language, name: str) -> DepartmentMarker:
    return DepartmentMarker()


@Language.factory("policy_deadlines")
def _make_deadlines(nlp: Language, name: str) -> DeadlineMarker:
    return DeadlineMarker()


@Language.factory("policy_references")
def _make_references(nlp: Language, name: str) -> ReferenceMarker:
    return ReferenceMarker()


COMPONENTS = ("policy_sentences", "policy_departments", "policy_deadlines", "policy_references")


def build_pipeline(resources: Resources) -> Language:
    """``spacy.blank("zh")`` with the jieba tokenizer and the policy components, bound to
    ``resources``."""
    nlp = spacy.blank("zh")
    # extract_bytes refuses longer texts with a typed error naming the setting; spaCy need not
    nlp.max_length = resources.settings.max_text_chars + 1
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, resources.tokenizer)
    for name in COMPONENTS:
        component = cast(_Component, nlp.add_pipe(name))
        component.bind(resources)
    return nlp


def segment(document: Document, resources: Resources) -> Document:
    """Attach the spaCy Doc of ``document.text`` as ``document.nlp``."""
    nlp = resources.nlp
    doc = nlp.make_doc(document.text)
    if document.header.date:
        doc.user_data["year"] = int(document.header.date[:4])
    elif resources.settings.reference_year:
        doc.user_data["year"] = resources.settings.reference_year
    for _, component in nlp.pipeline:
        doc = component(doc)
    document.nlp = doc
    return document


def deadlines_of(document: Document) -> list[Deadline]:
    if document.nlp is None:
        return []
    found: list[Deadline] = document.nlp.user_data.get("deadlines", [])
    return found


def deadlines_within(document: Document, start: int, end: int) -> list[Deadline]:
    """The deadlines that lie inside ``[start, end)``, found by bisection (a long document
    has thousands of tasks and thousands of deadlines)."""
    found = deadlines_of(document)
    if not found or document.nlp is None:
        return []
    starts: list[int] | None = document.nlp.user_data.get("deadline_starts")
    if starts is None or len(starts) != len(found):
        starts = [d.start for d in found]  # found is in text order
        document.nlp.user_data["deadline_starts"] = starts
    within = []
    for i in range(bisect.bisect_left(starts, start), len(found)):
        if found[i].start >= end:
            break
        if found[i].end <= end:
            within.append(found[i])
    return within


def department_spans(document: Document) -> list[tuple[int, int, str]]:
    """(start, end, printed name) of every registry name in the text."""
    if document.nlp is None:
        return []
    found: list[tuple[int, int, str]] = document.nlp.user_data.get("departments", [])
    return found
