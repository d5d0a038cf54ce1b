"""Segment: the spans later stages read, and a spaCy Doc for callers who want one."""

from __future__ import annotations

from pipeline import extract_bytes
from pipeline.segment import deadlines_within, references_within, spacy_doc

TEXT = """澄阳市人民政府办公室关于做好防汛工作的通知
各区人民政府，市政府各部门：
根据《澄阳市防汛条例》（以下简称《条例》），现就有关事项通知如下。
一、各区要于2027年5月底前完成隐患排查，按《条例》规定报送财政部备案。
二、每季度末组织一次联合检查。
澄阳市人民政府办公室
2027年3月9日
"""


def test_segment_finds_deadlines_and_references_by_position(resources):
    document = extract_bytes(TEXT.encode(), "notice.txt", resources).document
    item = document.text.index("一、")
    end = document.text.index("二、")
    assert [d.text for d in deadlines_within(document, item, end)] == ["2027年5月底前"]
    # a short title the document defines is cited by its full title
    assert references_within(document, item, end) == ["《澄阳市防汛条例》"]


def test_spacy_doc_carries_tokens_sentences_and_the_same_spans(resources):
    document = extract_bytes(TEXT.encode(), "notice.txt", resources).document
    doc = spacy_doc(document, resources)
    assert doc.text == document.text
    assert len(list(doc.sents)) >= 6
    assert "2027年5月底前" in [s.text for s in doc.spans["deadlines"]]
    assert "财政部" in [s.text for s in doc.spans["departments"]]
    assert "《澄阳市防汛条例》" in [s.text for s in doc.spans["references"]]
