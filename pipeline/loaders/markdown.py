"""Markdown with YAML front matter: front-matter fields serve as metadata.

The body may be Markdown or, as news feeds often export it, HTML inside the Markdown file.

Hostile input is refused or bounded: YAML aliases in the front matter are refused (an alias
bomb of a few hundred bytes expands to gigabytes), so is front matter nested deeper than
``Settings.max_nesting_depth``; front matter longer than 64 KiB is not parsed; HTML in the body
is read under the limits of the HTML loader; and every regex here is linear in its input.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

import yaml

from pipeline.errors import FrontMatterError, LimitExceededError
from pipeline.grammar import FIELD_LABEL, SENTENCE_ENDS
from pipeline.loaders.base import Paragraph, TextBudget, build_document, decode_text, document_id, sha256_of
from pipeline.loaders.html import html_paragraphs, parse_html
from pipeline.loaders.metadata import field_for_label
from pipeline.model import Document
from pipeline.settings import Settings

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
#: Real front matter holds a few fields; pure-Python YAML reads ~30 KB a second, so a longer
#: one is ignored (with a warning) rather than parsed.
_MAX_FRONT_MATTER_CHARS = 64 * 1024
_HTML_BLOCK = re.compile(r"<(p|div|br|table|h[1-6]|section|article)\b", re.I)
# Each pattern stops at the next delimiter of its kind instead of searching the rest of the
# line for a closer: ".+?" up to a closer made a line of 20,000 unclosed "*a" take a minute.
_INLINE = [
    (re.compile(r"!\[[^\][\n]*\]\([^()\n]*\)"), ""),  # images
    (re.compile(r"\[([^\][\n]*)\]\([^()\n]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # linear: every later opener is a closer
    (re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![*\w])"), r"\1"),
    (re.compile(r"(?<![*\w])_(?!\s)([^_\n]+?)(?<!\s)_(?![*\w])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]
_BOLD = 2  # the entry of `_INLINE` that strips **strong** and __strong__
_LINE_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")


def load_markdown(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    settings = settings or Settings()
    text = decode_text(data, source_file)
    budget = TextBudget(settings, source_file, document_id(sha256_of(data)))
    metadata: dict[str, str] = {}
    warnings: list[str] = []
    match = _FRONT_MATTER.match(text)
    if match:
        front = _front_matter(match.group(1), budget, settings.max_nesting_depth, warnings)
        if isinstance(front, dict):
            try:
                metadata.update(_front_matter_fields(front))
            except ValueError as exc:  # an integer of more than 4,300 digits has no str()
                warnings.append(f"front matter fields could not be read and were ignored: {exc}".splitlines()[0])
        text = text[match.end():]
    if _HTML_BLOCK.search(text):
        body = parse_html(f"<html><body>{text}</body></html>", budget, settings.max_nesting_depth).body
        paragraphs = html_paragraphs(body, budget) if body is not None else []
    else:
        paragraphs = _markdown_paragraphs(text, budget)
    return build_document(source_file, data, "markdown", paragraphs, metadata, warnings)


def _front_matter(source: str, budget: TextBudget, max_depth: int, warnings: list[str]) -> object:
    """The front matter parsed, after its events are checked: no alias, nesting at most ``max_depth``.

    An alias fails the document rather than being ignored with a warning: exporters never
    write aliases into front matter, so one there is a crafted or broken file, and a document
    whose title, issuer and date silently vanished would pass as read (the issue asks for a
    non-ok status for such files). The check reads the event stream, which the YAML parser
    produces without expanding aliases or recursing, so it needs neither the memory of an
    alias bomb nor the stack of deep nesting; composing comes only after it.
    Front matter that is not valid YAML, or is too long to parse, is ignored with a warning,
    as a typo there should not cost the body.
    """
    if len(source) > _MAX_FRONT_MATTER_CHARS:
        warnings.append(f"front matter of {len(source):,} characters is longer than policyflow reads "
                        f"({_MAX_FRONT_MATTER_CHARS:,}) and was ignored")
        return {}
    try:
        depth = 0
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise FrontMatterError(budget.source_file, f"the YAML front matter uses aliases (*{event.anchor}), "
                                       "which policyflow does not expand", budget.document_id)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise LimitExceededError(budget.source_file, f"the YAML front matter nests at least {depth:,} "
                                             "levels deep", max_depth, "max_nesting_depth", budget.document_id)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.safe_load(source) or {}
    except (yaml.YAMLError, ValueError, OverflowError) as exc:  # ValueError: date: 2024-02-30
        warnings.append(f"front matter is not valid YAML and was ignored: {exc}".splitlines()[0])
        return {}


def _markdown_paragraphs(text: str, budget: TextBudget) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    tables = 0
    for chunk in re.split(r"\n\s*\n", text):
        raw_lines = chunk.splitlines()
        if all(re.fullmatch(r"\s*[-*_=]{3,}\s*", line) for line in raw_lines if line.strip()):
            continue  # thematic break
        if raw_lines and all(line.strip().startswith("|") for line in raw_lines if line.strip()):
            for row in _table_rows(raw_lines):
                read = [_inline(cell) for cell in row]
                cells = [text for text, _ in read]
                budget.spend(sum(len(cell) + 1 for cell in cells) if any(cells) else 0)  # cells and tabs
                paragraphs.append(Paragraph(cells=cells, table=tables, emphasis=[e for _, bold in read for e in bold]))
            tables += 1
            continue
        joined, bold = _inline(_join_soft_breaks(raw_lines))
        budget.spend(len(joined) + 1)
        paragraphs.append(Paragraph(joined, emphasis=bold))
    return paragraphs


def _inline(text: str) -> tuple[str, list[str]]:
    """Text without inline markup (links keep their words), and the pieces set in **bold**."""
    bold: list[str] = []
    for at, (pattern, repl) in enumerate(_INLINE):
        if at == _BOLD and ("**" in text or "__" in text):
            bold = [_inline(m.group(2))[0] for m in pattern.finditer(text)]
        text = pattern.sub(repl, text)
    return text, bold


def _table_rows(lines: list[str]) -> list[list[str]]:
    """Rows of a pipe table; the |---|---| line under the header is not a row."""
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        rows.append(cells)
    return rows


_BLOCK_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||>)")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff，。；：、！？“”（）《》]")


def _label_line_follows(before: str, line: str) -> bool:
    """牵头单位：A / 配合单位：B written one under the other: a line that opens with a field label
    after a closed sentence or after another label line is a line of its own, not a wrapped one."""
    return bool(FIELD_LABEL.match(line)) and (before[-1] in SENTENCE_ENDS or bool(FIELD_LABEL.match(before)))


def _join_soft_breaks(lines: list[str]) -> str:
    """A Markdown paragraph's lines are one paragraph: soft breaks vanish between Chinese
    characters and become a space elsewhere; list items, table rows and label lines stay lines."""
    out: list[str] = []
    for line in lines:
        stripped = _LINE_PREFIX.sub("", line).strip()
        if not stripped:
            continue
        if not out:
            out.append(stripped)
        elif _BLOCK_LINE.match(line) or line.endswith("  ") or _label_line_follows(out[-1], stripped):
            out += ("\n", stripped)
        elif _CJK_CHAR.match(out[-1][-1]) and _CJK_CHAR.match(stripped):  # the last character only
            out.append(stripped)
        else:
            out += (" ", stripped)
    return "".join(out)


def _front_matter_fields(front: dict[object, object]) -> dict[str, str]:
    """The header fields front matter states: English keys (title, date, author …) or the
    labels pages use (标题, 发文字号, 成文日期 …). A repost's author or source names the
    outlet; it stands for the issuer only where the document prints none."""
    front = {_front_matter_key(key): value for key, value in front.items()}
    fields: dict[str, str] = {}
    for key in ("title", "doc_number", "issuer", "author", "source", "date", "addressees"):
        value = front.get(key)
        if value is None or value == "":
            continue
        if key == "date":
            iso = _iso_date(value)
            if iso:
                fields["date"] = iso
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        fields[key] = str(value).strip()
    if "issuer" not in fields:
        fields["issuer"] = fields.get("author") or fields.get("source") or ""
        if not fields["issuer"]:
            del fields["issuer"]
    return fields


def _front_matter_key(key: object) -> object:
    """标题 → title, 发文字号 → doc_number: a label of `METADATA_LABELS` as its field."""
    return (field_for_label(key) or key) if isinstance(key, str) else key


def _iso_date(value: object) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError):
        return None
