"""Fuzzing the loaders: whatever bytes arrive, a loader returns a `Document` or raises a typed
`DocumentError`, never anything else, and within bounded work.

Hypothesis runs with a fixed seed (``derandomize``) and a fixed number of examples, so CI
time is bounded and a failure reproduces. Inputs are mutations of a small valid document
of each format (bytes flipped, spans cut, duplicated or spliced in) and raw random bytes.
"""

from __future__ import annotations

import io
from functools import cache

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfgen import write_circular
from samples import NOTICE

from pipeline import Document, DocumentError, Settings
from pipeline.loaders import load_bytes

#: Small limits so that a mutant that inflates is refused quickly rather than processed.
LIMITS = Settings(max_text_chars=200_000, max_unpacked_bytes=4_000_000, max_nesting_depth=64, max_pages=50)


def _html() -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in NOTICE.splitlines())
    table = ("<table><tr><th>序号</th><th>任务</th><th>牵头单位</th></tr>"
             "<tr><td rowspan='2'>1</td><td>排查隐患</td><td>市水务局</td></tr><tr><td>整改</td><td>市应急局</td></tr></table>")
    return (f"<html><head><title>通知</title></head><body><nav><a href='/'>首页</a></nav>"
            f"<div class='article'>{paragraphs}{table}</div></body></html>").encode()


def _markdown() -> bytes:
    front = "---\ntitle: 关于做好汛期安全生产工作的通知\nissuer: [澄江市人民政府办公室]\ndate: 2025-04-02\n---\n"
    return (front + "\n\n".join(NOTICE.splitlines()) + "\n\n| 任务 | 牵头单位 |\n|---|---|\n| 排查 | 市水务局 |\n").encode()


def _docx() -> bytes:
    document = docx.Document()
    for line in NOTICE.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "任务", "牵头单位"
    table.cell(1, 0).text, table.cell(1, 1).text = "排查", "市水务局"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def seed(name: str) -> bytes:
    return {"notice.txt": lambda: NOTICE.encode("utf-8"), "page.html": _html, "news.md": _markdown,
            "plan.docx": _docx, "circular.pdf": write_circular}[name]()


@st.composite
def mutants(draw: st.DrawFn, name: str) -> bytes:
    """The seed document ``name`` with a few edits: bytes overwritten, a span cut, a span
    repeated, bytes spliced in."""
    out = bytearray(seed(name))
    for _ in range(draw(st.integers(1, 6))):
        if not out:
            break
        where = draw(st.integers(0, len(out) - 1))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "splice"]))
        if kind == "flip":
            out[where] = draw(st.integers(0, 255))
        elif kind == "cut":
            del out[where:where + draw(st.integers(1, 64))]
        elif kind == "repeat":
            span = bytes(out[where:where + draw(st.integers(1, 64))])
            out[where:where] = span * draw(st.integers(1, 50))
        else:
            out[where:where] = draw(st.binary(min_size=1, max_size=32))
    return bytes(out)


def load_or_refuse(data: bytes, name: str) -> Document | DocumentError:
    """The loader's answer; any exception other than a `DocumentError` fails the test."""
    try:
        return load_bytes(data, name, LIMITS)
    except DocumentError as exc:
        assert name in str(exc), "a refusal names the file"
        return exc


#: A failing example is a whole document; Hypothesis warns that its repr is large.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

FUZZ = settings(derandomize=True, deadline=None, database=None, max_examples=200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("name", ["notice.txt", "page.html", "news.md", "plan.docx", "circular.pdf"])
def test_fuzz_loader_seeds_load(name):
    assert isinstance(load_or_refuse(seed(name), name), Document)


@pytest.mark.parametrize("name", ["notice.txt", "page.html", "news.md", "plan.docx", "circular.pdf"])
def test_fuzz_loader_mutants_load_or_raise_a_document_error(name):
    @FUZZ
    @given(mutants(name))
    def check(data: bytes) -> None:
        load_or_refuse(data, name)

    check()


@pytest.mark.parametrize("name", ["notice.txt", "page.html", "news.md", "plan.docx", "circular.pdf", "old.doc"])
def test_fuzz_loader_random_bytes_load_or_raise_a_document_error(name):
    @FUZZ
    @given(st.binary(max_size=4096))
    def check(data: bytes) -> None:
        load_or_refuse(data, name)

    check()
