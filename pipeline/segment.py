"""Segment: the spans that later stages read, found once over the normalised text.

Requires `structure.analyse` (for the document's year). Assigns ``Document.spans``: the
deadlines and recurrences (parsed `Deadline`s, text order), the names the registry knows, and
cited documents 《…》. `extract` and `obligations` read them by bisection, never by scanning
the text again.

The spaCy pipeline is not on this path: no stage reads tokens, and jieba tokenisation with a
spaCy `Doc` cost three fifths of the run. `spacy_doc` builds the `Doc` on demand — jieba
tokens, sentence starts and the same spans as ``doc.spans["departments" | "deadlines" |
"references"]`` — for callers who want to work with spaCy. Nothing is downloaded: it is
``spacy.blank("zh")`` with the project's tokenizer.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from pipeline.deadlines import DeadlineFinder
from pipeline.grammar import SENTENCE_ENDS
from pipeline.model import Deadline, Document

if TYPE_CHECKING:
    import jieba
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from pipeline.resources import Resources

_SENTENCE_END = set(SENTENCE_ENDS + "\n")
REFERENCE = re.compile(r"《[^《》\n]{1,120}》")
#: 《full title》（以下简称《short》）: a document's own alias for a cited document
_ALIAS = re.compile(r"(《[^《》\n]{1,120}》)[（(]以下简称(《[^《》\n]{1,40}》)[）)]")


@dataclass
class Spans:
    """What `segment` found in a document's text, each list in text order."""

    deadlines: list[Deadline] = field(default_factory=list)
    #: (start, end, printed name) of every name the registry knows
    departments: list[tuple[int, int, str]] = field(default_factory=list)
    #: (start, end) of every 《title》
    references: list[tuple[int, int]] = field(default_factory=list)
    #: short title → full title, as the document defines them (以下简称)
    aliases: dict[str, str] = field(default_factory=dict)
    _deadline_starts: list[int] = field(default_factory=list, repr=False)


def segment(document: Document, resources: Resources) -> Document:
    """Find the document's deadlines, registry names and references (``document.spans``)."""
    text = document.text
    deadlines = find_deadlines(document, text, resources)
    deadlines.sort(key=lambda d: d.start)
    pattern = resources.registry.pattern()
    departments = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)] if pattern else []
    references = [m.span() for m in REFERENCE.finditer(text)]
    aliases = {alias: full for full, alias in _ALIAS.findall(text)}
    document.spans = Spans(deadlines, departments, references, aliases, [d.start for d in deadlines])
    return document


def find_deadlines(document: Document, text: str, resources: Resources) -> list[Deadline]:
    """The deadlines of ``text`` read as the document's own: months without a year fall in its
    year, and a time point before its date narrates what was done (no deadline)."""
    dated = dt.date.fromisoformat(document.header.date) if document.header.date else None
    year = dated.year if dated else resources.settings.reference_year
    return DeadlineFinder(resources.cues, year).find(text, reference=dated)


def deadlines_of(document: Document) -> list[Deadline]:
    return document.spans.deadlines if document.spans else []


def deadlines_within(document: Document, start: int, end: int) -> list[Deadline]:
    """The deadlines that lie inside ``[start, end)``, found by bisection (a long document
    has thousands of tasks and thousands of deadlines)."""
    spans = document.spans
    if spans is None:
        return []
    within = []
    for i in range(bisect.bisect_left(spans._deadline_starts, start), len(spans.deadlines)):
        found = spans.deadlines[i]
        if found.start >= end:
            break
        if found.end <= end:
            within.append(found)
    return within


def references_within(document: Document, start: int, end: int) -> list[str]:
    """The documents cited inside ``[start, end)``, each once, by their full title."""
    spans = document.spans
    if spans is None:
        return []
    found: list[str] = []
    i = bisect.bisect_left(spans.references, (start, start))
    while i < len(spans.references) and spans.references[i][0] < end:
        a, b = spans.references[i]
        title = document.text[a:b]
        title = spans.aliases.get(title, title)
        if b <= end and title not in found:
            found.append(title)
        i += 1
    return found


def department_spans(document: Document) -> list[tuple[int, int, str]]:
    """(start, end, printed name) of every registry name in the text."""
    return document.spans.departments if document.spans else []


# --- spaCy, on demand -----------------------------------------------------------------------


class JiebaTokenizer:
    """spaCy tokenizer over a private `jieba.Tokenizer` (not jieba's global one)."""

    def __init__(self, vocab: Vocab, tokenizer: jieba.Tokenizer) -> None:
        self.vocab = vocab
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words = [w for w in self.tokenizer.cut(text, HMM=True) if w]
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


def build_pipeline(resources: Resources, tokenizer: jieba.Tokenizer) -> Language:
    """``spacy.blank("zh")`` with the project's jieba tokenizer."""
    import spacy

    nlp = spacy.blank("zh")
    # extract_bytes refuses longer texts with a typed error naming the setting; spaCy need not
    nlp.max_length = resources.settings.max_text_chars + 1
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, tokenizer)
    return nlp


def spacy_doc(document: Document, resources: Resources) -> Doc:
    """A spaCy `Doc` of ``document.text``: jieba tokens, sentence starts after 。！？； and
    line ends, and ``doc.spans`` "departments", "deadlines" (label = kind) and "references"
    from `segment` (run first if it has not been)."""
    import numpy
    from spacy.attrs import SENT_START

    if document.spans is None:
        segment(document, resources)
    spans = cast(Spans, document.spans)
    doc = resources.nlp.make_doc(document.text)
    starts = numpy.full((len(doc), 1), -1, dtype="int64")
    previous_end = True
    for i, token in enumerate(doc):
        if previous_end:
            starts[i, 0] = 1
        previous_end = token.text[-1] in _SENTENCE_END
    if len(doc):
        doc.from_array([SENT_START], cast(Any, starts.astype("uint64")))  # spaCy stores -1 wrapped

    def span(start: int, end: int, label: str) -> Any:
        return doc.char_span(start, end, label=label, alignment_mode="expand")

    doc.spans["departments"] = [s for a, b, _ in spans.departments if (s := span(a, b, "DEPT"))]
    doc.spans["deadlines"] = [s for d in spans.deadlines if (s := span(d.start, d.end, d.kind))]
    doc.spans["references"] = [s for a, b in spans.references if (s := span(a, b, "REF"))]
    return doc
