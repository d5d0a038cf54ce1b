"""Markdown with YAML front matter: front-matter fields serve as metadata.

The body may be Markdown or, as news feeds often export it, HTML inside the Markdown file.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

import yaml
from selectolax.lexbor import LexborHTMLParser

from pipeline.loaders.base import Paragraph, build_document, decode_text
from pipeline.loaders.html import html_paragraphs
from pipeline.model import Document
from pipeline.settings import Settings

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.S)
_HTML_BLOCK = re.compile(r"<(p|div|br|table|h[1-6]|section|article)\b", re.I)
_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![*\w])([*_])(?!\s)(.+?)(?<!\s)\1(?![*\w])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
]
_LINE_PREFIX = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S))")


def load_markdown(data: bytes, source_file: str, settings: Settings | None = None) -> Document:
    text = decode_text(data, source_file)
    metadata: dict[str, str] = {}
    warnings: list[str] = []
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            front = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            front = {}
            warnings.append(f"front matter is not valid YAML and was ignored: {exc}".splitlines()[0])
        if isinstance(front, dict):
            metadata.update(_front_matter_fields(front))
        text = text[match.end():]
    if _HTML_BLOCK.search(text):
        body = LexborHTMLParser(f"<html><body>{text}</body></html>").body
        paragraphs = html_paragraphs(body) if body is not None else []
    else:
        paragraphs = _markdown_paragraphs(text)
    return build_document(source_file, data, "markdown", paragraphs, metadata, warnings)


def _markdown_paragraphs(text: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    tables = 0
    for chunk in re.split(r"\n\s*\n", text):
        raw_lines = chunk.splitlines()
        if all(re.fullmatch(r"\s*[-*_=]{3,}\s*", line) for line in raw_lines if line.strip()):
            continue  # thematic break
        if raw_lines and all(line.strip().startswith("|") for line in raw_lines if line.strip()):
            paragraphs += [Paragraph(cells=row, table=tables) for row in _table_rows(raw_lines)]
            tables += 1
            continue
        joined = _join_soft_breaks(raw_lines)
        for pattern, repl in _INLINE:
            joined = pattern.sub(repl, joined)
        paragraphs.append(Paragraph(joined))
    return paragraphs


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
_CJK_END = re.compile(r"[\u4e00-\u9fff，。；：、！？“”（）《》]$")
_CJK_START = re.compile(r"^[\u4e00-\u9fff，。；：、！？“”（）《》]")


def _join_soft_breaks(lines: list[str]) -> str:
    """A Markdown paragraph's lines are one paragraph: soft breaks vanish between Chinese
    characters and become a space elsewhere; list items and table rows stay lines."""
    out = ""
    for line in lines:
        stripped = _LINE_PREFIX.sub("", line).strip()
        if not stripped:
            continue
        if not out:
            out = stripped
        elif _BLOCK_LINE.match(line) or line.endswith("  "):
            out += "\n" + stripped
        elif _CJK_END.search(out) and _CJK_START.match(stripped):
            out += stripped
        else:
            out += " " + stripped
    return out


def _front_matter_fields(front: dict[object, object]) -> dict[str, str]:
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
